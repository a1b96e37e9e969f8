import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  RetryPolicyOptionsError,
  createRetryPolicy,
  validateRetryPolicyOptions,
} from '../src/client/retry-policy.js';
import type { RetryPolicyOptions } from '../src/client/retry-policy.js';
import { seededRandom } from '../src/base/random.js';
import type { Random } from '../src/base/random.js';

const B = 100;
const C = 3_000;
const RETRIES = 12;

/** Every policy that draws delays (`none` makes no retry, so it has no delay sequence). */
type DelayPolicy = Exclude<RetryPolicyOptions['policy'], 'none'>;

/** The formulas of aws-kms-facts.md §4, written out independently of the implementation. */
const reference: Record<DelayPolicy, (n: number, prev: number, r: Random) => number> = {
  immediate: () => 0,
  constant: () => B,
  exponential: (n) => Math.min(C, B * Math.pow(2, n)),
  'full-jitter': (n, _prev, r) => r() * Math.min(C, B * Math.pow(2, n)),
  'equal-jitter': (n, _prev, r) => {
    const t = Math.min(C, B * Math.pow(2, n));
    return t / 2 + r() * (t / 2);
  },
  'decorrelated-jitter': (_n, prev, r) => Math.min(C, B + r() * (prev * 3 - B)),
};

function optionsFor(policy: DelayPolicy, maxAttempts = RETRIES + 1): RetryPolicyOptions {
  if (policy === 'immediate') return { policy, maxAttempts };
  if (policy === 'constant') return { policy, baseMs: B, maxAttempts };
  return { policy, baseMs: B, capMs: C, maxAttempts };
}

function expectedSequence(policy: DelayPolicy, random: Random): number[] {
  const out: number[] = [];
  let prev = B;
  for (let n = 0; n < RETRIES; n++) {
    const delay = reference[policy](n, prev, random);
    out.push(delay);
    prev = delay;
  }
  return out;
}

const POLICIES = ['immediate', 'constant', 'exponential', 'full-jitter', 'equal-jitter', 'decorrelated-jitter'] as const;

describe('delay sequences follow their formulas with a seeded generator', () => {
  test.each(POLICIES)('%s: per-operation sequence', (policy) => {
    const policyUnderTest = createRetryPolicy(optionsFor(policy), seededRandom(42, 'jitter'));
    const operation = policyUnderTest.startOperation();
    const actual = Array.from({ length: RETRIES }, () => operation.nextDelayMs());
    expect(actual).toEqual(expectedSequence(policy, seededRandom(42, 'jitter')));
  });

  test.each(POLICIES)('%s: stateless nextDelayMs(retryIndex, previousDelayMs) gives the same sequence', (policy) => {
    const policyUnderTest = createRetryPolicy(optionsFor(policy), seededRandom(7, 'jitter'));
    const actual: number[] = [];
    let prev: number | undefined;
    for (let n = 0; n < RETRIES; n++) {
      const delay = policyUnderTest.nextDelayMs(n, prev);
      actual.push(delay);
      prev = delay;
    }
    expect(actual).toEqual(expectedSequence(policy, seededRandom(7, 'jitter')));
  });

  test('plain exponential doubles from base and stops at the cap', () => {
    const policy = createRetryPolicy({ policy: 'exponential', baseMs: 100, capMs: 1_000, maxAttempts: 8 }, () => 0.5);
    expect(Array.from({ length: 6 }, (_, n) => policy.nextDelayMs(n))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    // Huge retry indexes overflow 2^n to Infinity; the cap still holds.
    expect(policy.nextDelayMs(5_000)).toBe(1_000);
  });

  test('jittered policies with the same seed repeat, with another seed differ', () => {
    const draw = (seed: number) => {
      const op = createRetryPolicy(optionsFor('full-jitter'), seededRandom(seed, 'jitter')).startOperation();
      return Array.from({ length: 5 }, () => op.nextDelayMs());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
  });

  test('operations keep separate decorrelated state', () => {
    const policy = createRetryPolicy(optionsFor('decorrelated-jitter'), () => 0.999);
    const a = policy.startOperation();
    const b = policy.startOperation();
    const a1 = a.nextDelayMs();
    a.nextDelayMs();
    // b starts from base again, not from a's previous delay.
    expect(b.nextDelayMs()).toBe(a1);
  });
});

describe('delay bounds (properties)', () => {
  const draws = fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 40 });
  const baseCap = fc
    .tuple(fc.double({ min: 0.001, max: 10_000, noNaN: true }), fc.double({ min: 1, max: 100, noNaN: true }))
    .map(([base, factor]) => ({ base, cap: base * factor }));
  const replay = (values: number[]): Random => {
    let i = 0;
    return () => values[i++ % values.length] ?? 0;
  };

  test('full jitter stays within [0, min(cap, base·2^n)]', () => {
    fc.assert(
      fc.property(baseCap, draws, fc.integer({ min: 0, max: 60 }), ({ base, cap }, values, n) => {
        const policy = createRetryPolicy({ policy: 'full-jitter', baseMs: base, capMs: cap, maxAttempts: 3 }, replay(values));
        const delay = policy.nextDelayMs(n);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(cap, base * 2 ** n));
      }),
    );
  });

  test('equal jitter stays within [t/2, t], t = min(cap, base·2^n)', () => {
    fc.assert(
      fc.property(baseCap, draws, fc.integer({ min: 0, max: 60 }), ({ base, cap }, values, n) => {
        const policy = createRetryPolicy({ policy: 'equal-jitter', baseMs: base, capMs: cap, maxAttempts: 3 }, replay(values));
        const t = Math.min(cap, base * 2 ** n);
        const delay = policy.nextDelayMs(n);
        expect(delay).toBeGreaterThanOrEqual(t / 2);
        expect(delay).toBeLessThanOrEqual(t);
      }),
    );
  });

  test('decorrelated jitter stays within [base, cap] over a whole sequence', () => {
    fc.assert(
      fc.property(baseCap, draws, ({ base, cap }, values) => {
        const policy = createRetryPolicy(
          { policy: 'decorrelated-jitter', baseMs: base, capMs: cap, maxAttempts: 3 },
          replay(values),
        );
        const operation = policy.startOperation();
        for (let i = 0; i < values.length; i++) {
          const delay = operation.nextDelayMs();
          expect(delay).toBeGreaterThanOrEqual(base);
          expect(delay).toBeLessThanOrEqual(cap);
        }
      }),
    );
  });
});

describe('options are validated, naming the field', () => {
  test.each([
    [{ policy: 'exponential', baseMs: 500, capMs: 100, maxAttempts: 3 }, 'retry.cap must be ≥ base (cap 100 ms < base 500 ms)'],
    [{ policy: 'full-jitter', baseMs: 100, capMs: 1_000, maxAttempts: 0 }, 'retry.maxAttempts must be an integer ≥ 1'],
    [{ policy: 'immediate', maxAttempts: 2.5 }, 'retry.maxAttempts must be an integer ≥ 1'],
    [{ policy: 'equal-jitter', baseMs: 0, capMs: 1_000, maxAttempts: 3 }, 'retry.base must be a positive number'],
    [{ policy: 'decorrelated-jitter', baseMs: 10, capMs: Number.NaN, maxAttempts: 3 }, 'retry.cap must be a positive number'],
    [{ policy: 'constant', baseMs: -1, maxAttempts: 3 }, 'retry.base must be a non-negative number'],
    [{ policy: 'linear', maxAttempts: 3 }, 'retry.policy must be one of none, immediate, constant'],
    [{ policy: 'none', maxAttempts: 6 }, 'retry.maxAttempts must be 1 or absent: policy none makes one attempt (no retry), got 6; to retry at once without backoff use policy immediate'],
    [
      { policy: 'none', maxAttempts: 1, tokenBudget: { capacity: 500, retryCost: 5, timeoutCost: 10, successRefund: 1 } },
      'retry.tokenBudget is not taken by policy none',
    ],
    [
      { policy: 'immediate', maxAttempts: 3, tokenBudget: { capacity: 0, retryCost: 5, timeoutCost: 10, successRefund: 1 } },
      'retry.tokenBudget.capacity must be a positive integer',
    ],
    [
      { policy: 'immediate', maxAttempts: 3, tokenBudget: { capacity: 500, retryCost: -5, timeoutCost: 10, successRefund: 1 } },
      'retry.tokenBudget.retryCost must be a non-negative integer',
    ],
  ])('%j → %s', (options, message) => {
    expect(() => createRetryPolicy(options as RetryPolicyOptions, () => 0)).toThrow(message);
  });

  test('every problem is reported at once, under the given path', () => {
    const options = { policy: 'exponential', baseMs: 500, capMs: 100, maxAttempts: 0 } as RetryPolicyOptions;
    let caught: unknown;
    try {
      createRetryPolicy(options, () => 0, 'fleets[1].retry');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RetryPolicyOptionsError);
    const issues = (caught as RetryPolicyOptionsError).issues;
    expect(issues.map((issue) => issue.path)).toEqual(['fleets[1].retry.maxAttempts', 'fleets[1].retry.cap']);
    expect(issues[1]?.message).toMatch(/^fleets\[1\]\.retry\.cap must be ≥ base \(cap 100 ms < base 500 ms\)/);
    // The issue also says where it sits below the options, for a caller that reports it inside a larger document.
    expect(issues[1]).toMatchObject({ field: ['cap'], problem: 'must be ≥ base (cap 100 ms < base 500 ms)' });
  });

  test('valid options have no issues', () => {
    for (const policy of POLICIES) expect(validateRetryPolicyOptions(optionsFor(policy))).toEqual([]);
    expect(validateRetryPolicyOptions({ policy: 'none', maxAttempts: 1 })).toEqual([]);
    expect(validateRetryPolicyOptions({ policy: 'none' })).toEqual([]);
    expect(validateRetryPolicyOptions('full-jitter')).toHaveLength(1);
  });

  test('none with maxAttempts above 1 is refused at the given path, naming immediate as the fix', () => {
    const problem = 'must be 1 or absent: policy none makes one attempt (no retry), got 6; to retry at once without backoff use policy immediate';
    expect(validateRetryPolicyOptions({ policy: 'none', maxAttempts: 6 }, 'fleets[0].retry')).toEqual([
      { path: 'fleets[0].retry.maxAttempts', message: `fleets[0].retry.maxAttempts ${problem}`, field: ['maxAttempts'], problem },
    ]);
  });
});
