/**
 * The call context is checked before the model reads it: a missing or malformed context, or an account that is not an
 * AWS account id, is a ValidationException — never a TypeError from inside the model, never a partition made for it.
 */
import { describe, expect, test } from 'vitest';
import { KmsModelOptionsError } from '../src/kms/callers.js';
import { KmsError } from '../src/kms/errors.js';
import { KmsModel } from '../src/kms/model.js';
import type { CallContext } from '../src/kms/types.js';
import { kmsErrorOf, rejectionOf } from './support/errors.js';

const kms = new KmsModel({ keys: [{ region: 'us-east-1', aliases: ['alias/app'] }] });
const INPUT = { KeyId: 'alias/app', Plaintext: Uint8Array.from([1, 2, 3]) };

describe('a call context that is missing or malformed', () => {
  test.each([
    ['null', null, 'must be an object, got null'],
    ['undefined', undefined, 'must be an object, got undefined'],
    ['a region string instead of an object', 'us-east-1', 'must be an object, got "us-east-1"'],
    ['an object without a region', {}, 'must name a region (a string), got undefined'],
    ['a numeric region', { region: 5 }, 'must name a region (a string), got 5'],
    ['a numeric account', { region: 'us-east-1', accountId: 111122223333 }, 'accountId must be a string, got 111122223333'],
  ])('%s → ValidationException from call() and callSync()', async (_label, context, problem) => {
    const before = kms.usage();
    const expected = `The call context ${problem}; pass { region: 'us-east-1' } or another KMS region.`;
    const rejected = await rejectionOf(kms.call('Encrypt', INPUT, context as unknown as CallContext));
    expect(rejected).toBeInstanceOf(KmsError);
    expect(rejected.name).toBe('ValidationException');
    expect(rejected.message).toBe(expected);
    const thrown = kmsErrorOf(() => kms.callSync('Encrypt', INPUT, context as unknown as CallContext));
    expect([thrown.name, thrown.status, thrown.message]).toEqual(['ValidationException', 400, expected]);
    expect(kms.usage()).toEqual(before);
  });

  test.each([['abc'], ['12345678901'], ['1111222233334'], [''], ['11112222333a']])(
    'account %j is not a 12-digit account id → ValidationException, no partition',
    (accountId) => {
      const before = kms.usage();
      const error = kmsErrorOf(() => kms.callSync('ListKeys', {}, { region: 'us-east-1', accountId }));
      expect(error.name).toBe('ValidationException');
      expect(error.message).toBe(`The calling account must be a 12-digit AWS account id, got ${JSON.stringify(accountId)}.`);
      expect(kms.usage()).toEqual(before);
    },
  );

  test('a good context still works after bad ones, and another 12-digit account gets its own partition', () => {
    expect(kms.callSync('Encrypt', INPUT, { region: 'us-east-1' }).KeyId).toMatch(/^arn:aws:kms:us-east-1:111122223333:key\//);
    const before = kms.usage();
    expect(kms.callSync('ListKeys', {}, { region: 'us-east-1', accountId: '444455556666' })).toEqual({ Keys: [], Truncated: false });
    expect(kms.usage()).toEqual({ accounts: before.accounts + 1, partitions: before.partitions + 1, keys: before.keys });
  });

  test("the model's own accountId option must be an account id", () => {
    expect(() => new KmsModel({ accountId: 'root' })).toThrow(KmsModelOptionsError);
    expect(() => new KmsModel({ accountId: 'root' })).toThrow(/^accountId must be a 12-digit AWS account id, got "root"$/);
  });
});
