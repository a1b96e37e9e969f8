/** Bad quota options fail before any work starts, each problem named by its option path. */
import { describe, expect, test } from 'vitest';
import { QuotaBoard, QuotaOptionsError, validateQuotaOptions } from '../src/quota/index.js';
import type { QuotaOptions } from '../src/quota/index.js';

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    validateQuotaOptions(input);
  } catch (error) {
    expect(error).toBeInstanceOf(QuotaOptionsError);
    return [...(error as QuotaOptionsError).issues];
  }
  throw new Error('expected the options to be rejected');
}

describe('quota options', () => {
  test.each([
    [{ profile: 'x' }, 'quotas.profile', 'quotas.profile: unknown profile "x"; expected kms-2019, kms-current or unlimited'],
    [{ profile: 7 }, 'quotas.profile', 'quotas.profile: unknown profile 7; expected kms-2019, kms-current or unlimited'],
    [{ enforcement: 'leaky' }, 'quotas.enforcement', 'quotas.enforcement: unknown enforcement "leaky"; expected fixed-window or token-bucket'],
    [{ overrides: { 'us-east-1': { symmetric: -5 } } }, 'quotas.overrides.us-east-1.symmetric', 'quotas.overrides.us-east-1.symmetric must be a positive number, got -5'],
    [{ overrides: { 'us-east-1': { symmetric: 0 } } }, 'quotas.overrides.us-east-1.symmetric', 'quotas.overrides.us-east-1.symmetric must be a positive number, got 0'],
    [{ overrides: { 'us-east-1': { symmetric: NaN } } }, 'quotas.overrides.us-east-1.symmetric', 'quotas.overrides.us-east-1.symmetric must be a positive number, got NaN'],
    [{ overrides: { 'us-east-1': { symmetric: '50' } } }, 'quotas.overrides.us-east-1.symmetric', 'quotas.overrides.us-east-1.symmetric must be a positive number, got "50"'],
    [{ overrides: { 'us-east-1': { symmetric: 1e-7 } } }, 'quotas.overrides.us-east-1.symmetric', 'quotas.overrides.us-east-1.symmetric must be at least 0.000001 requests per second (one per 11.6 days), got 1e-7'],
    [{ overrides: { 'us-east-1': { symetric: 50 } } }, 'quotas.overrides.us-east-1.symetric', 'quotas.overrides.us-east-1.symetric: unknown bucket "symetric"'],
    [{ overrides: { 'eu-west-1': { createkey: 1 } } }, 'quotas.overrides.eu-west-1.createkey', '(did you mean "CreateKey"?)'],
    [{ overrides: { useast1: { symmetric: 1 } } }, 'quotas.overrides.useast1', 'quotas.overrides.useast1: "useast1" is not an AWS region name'],
    [{ overrides: { 'us-east-1': 50 } }, 'quotas.overrides.us-east-1', 'quotas.overrides.us-east-1 must be an object of buckets'],
    [{ overrides: [] }, 'quotas.overrides', 'quotas.overrides must be an object of regions'],
    [{ burstSeconds: 0 }, 'quotas.burstSeconds', 'quotas.burstSeconds must be a positive, finite number of seconds, got 0'],
    [{ burstSeconds: Infinity }, 'quotas.burstSeconds', 'quotas.burstSeconds must be a positive, finite number of seconds, got Infinity'],
    [{ capacity: 1000 }, 'quotas.capacity', 'quotas.capacity must be a power of two from 16 to 1048576, got 1000'],
    [{ maxThreads: 0 }, 'quotas.maxThreads', 'quotas.maxThreads must be an integer from 1 to 4096, got 0'],
    [{ profiles: 'kms-2019' }, 'quotas.profiles', 'quotas.profiles is not a quota option'],
  ])('%j is rejected at %s', (input, path, message) => {
    const issues = issuesOf(input);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe(path);
    expect(issues[0]?.message).toContain(message);
  });

  test('every problem is reported at once, in one error whose message names each option', () => {
    const input = { profile: 'kms-1999', enforcement: 'sliding', overrides: { 'us-east-1': { symmetric: -1, rsa: 0 } } };
    expect(issuesOf(input).map((issue) => issue.path)).toEqual([
      'quotas.profile',
      'quotas.enforcement',
      'quotas.overrides.us-east-1.symmetric',
      'quotas.overrides.us-east-1.rsa',
    ]);
    expect(() => new QuotaBoard(input as unknown as QuotaOptions)).toThrow(
      /quotas\.profile.*; quotas\.enforcement.*; quotas\.overrides\.us-east-1\.symmetric must be a positive number.*; quotas\.overrides\.us-east-1\.rsa/,
    );
  });

  test('the path prefix follows where the options sit in a scenario', () => {
    expect(() => validateQuotaOptions({ profile: 'x' }, 'variants[2].quotas')).toThrow(/^variants\[2\]\.quotas\.profile: unknown profile "x"/);
  });

  test('valid options get defaults filled in; Infinity and * are accepted', () => {
    expect(validateQuotaOptions(undefined)).toEqual({
      profile: 'kms-current',
      enforcement: 'fixed-window',
      burstSeconds: 1,
      overrides: {},
      capacity: 4096,
      maxThreads: 64,
      store: { kind: 'memory' },
      runId: 'kms-bench',
    });
    const resolved = validateQuotaOptions({
      profile: 'kms-2019',
      enforcement: 'token-bucket',
      burstSeconds: 0.5,
      capacity: 64,
      overrides: { '*': { 'gdkp:RSA_4096': 0.2 }, 'us-gov-west-1': { DescribeKey: Infinity } },
    });
    expect(resolved).toMatchObject({ profile: 'kms-2019', enforcement: 'token-bucket', burstSeconds: 0.5, capacity: 64 });
  });

  test('fromShared rejects something that is not a shared board', () => {
    expect(() => QuotaBoard.fromShared({ kind: 'nope' } as never)).toThrow(/QuotaBoard\.fromShared: not a shared quota board/);
    const shared = new QuotaBoard({ capacity: 16 }).share();
    const wrongSize = { ...shared, buffers: { ...shared.buffers, state: new SharedArrayBuffer(8) } };
    expect(() => QuotaBoard.fromShared(wrongSize)).toThrow(/buffers\.state must be a SharedArrayBuffer of 1024 bytes/);
  });
});
