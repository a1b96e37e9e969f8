import { describe, expect, test } from 'vitest';
import { describeRetryPolicy } from '../src/client/retry-description.js';
import type { AnyRetryPolicyOptions } from '../src/client/retry-description.js';
import { parseScenarioText } from '../src/scenario/index.js';

describe('describeRetryPolicy says what a policy does', () => {
  test.each<[AnyRetryPolicyOptions, string]>([
    [{ policy: 'none', maxAttempts: 1 }, 'none (no retry: one attempt)'],
    [{ policy: 'immediate', maxAttempts: 6 }, 'immediate (retries at once, no backoff, up to 6 attempts)'],
    [{ policy: 'immediate', maxAttempts: 1 }, 'immediate (retries at once, no backoff, one attempt only)'],
    [{ policy: 'constant', baseMs: 250, maxAttempts: 3 }, 'constant, 250 ms between attempts, up to 3 attempts'],
    [{ policy: 'full-jitter', baseMs: 50, capMs: 2_000, maxAttempts: 4 }, 'full-jitter, base 50 ms, cap 2 s, up to 4 attempts'],
    [{ policy: 'exponential', baseMs: 0.5, capMs: 1_500, maxAttempts: 5 }, 'exponential, base 0.5 ms, cap 1.5 s, up to 5 attempts'],
    [{ policy: 'sdk-standard', maxAttempts: 3 }, "sdk-standard (the SDK's own strategy, up to 3 attempts)"],
    [{ policy: 'sdk-adaptive', maxAttempts: 5 }, "sdk-adaptive (the SDK's own strategy, up to 5 attempts)"],
  ])('%j → %s', (policy, expected) => {
    expect(describeRetryPolicy(policy)).toBe(expected);
  });

  test('a validated scenario fleet retry is described as it is, no conversion needed', () => {
    const text = [
      'name: t',
      'duration: 1s',
      'fleets:',
      '  - { name: a, region: us-east-1, workload: { model: open, arrivalRate: 1 }, mix: [{ op: GenerateRandom }], retry: none }',
      '  - { name: b, region: us-east-1, workload: { model: open, arrivalRate: 1 }, mix: [{ op: GenerateRandom }], retry: { policy: immediate, maxAttempts: 4 } }',
    ].join('\n');
    const fleets = parseScenarioText(text, 't.yaml').fleets;
    expect(fleets.map((fleet) => describeRetryPolicy(fleet.retry))).toEqual([
      'none (no retry: one attempt)',
      'immediate (retries at once, no backoff, up to 4 attempts)',
    ]);
  });

  test('a token budget is spelled out, with its refund mode when it refills completely', () => {
    const tokenBudget = { capacity: 500, retryCost: 5, timeoutCost: 14, successRefund: 1 };
    expect(describeRetryPolicy({ policy: 'immediate', maxAttempts: 6, tokenBudget })).toBe(
      'immediate (retries at once, no backoff, up to 6 attempts), token budget 500 (5 per throttle retry, 14 per transient retry)',
    );
    expect(
      describeRetryPolicy({
        policy: 'decorrelated-jitter',
        baseMs: 100,
        capMs: 20_000,
        maxAttempts: 3,
        tokenBudget: { ...tokenBudget, refundMode: 'reset-to-full' },
      }),
    ).toBe(
      'decorrelated-jitter, base 100 ms, cap 20 s, up to 3 attempts, token budget 500 ' +
        '(5 per throttle retry, 14 per transient retry, refilled by every success)',
    );
  });

  test.each([
    ['an unknown name', { policy: 'linear', maxAttempts: 3 }],
    ['a bare string', 'full-jitter'],
    ['null', null],
    ['a missing policy', { maxAttempts: 3 }],
  ])('%s is refused, listing the valid names', (_label, input) => {
    expect(() => describeRetryPolicy(input as unknown as AnyRetryPolicyOptions)).toThrow(RangeError);
    expect(() => describeRetryPolicy(input as unknown as AnyRetryPolicyOptions)).toThrow(/one of none, immediate, constant, .*sdk-adaptive$/);
  });
});
