/**
 * The one retry decision both drivers ask after a failed attempt: its order (fatal → no attempts left → aborted → no
 * tokens → back off), what each answer draws from the policy (tokens and the backoff sequence only on `backoff`), and
 * that it is what the promise-driven loop reports.
 */
import { describe, expect, test } from 'vitest';
import { decideRetry, type ErrorClass } from '../src/client/retry-decision.js';
import { runWithRetry, type AttemptOutcome } from '../src/client/retry-loop.js';
import { createRetryPolicy, type RetryPolicyOptions } from '../src/client/retry-policy.js';
import { ManualClock } from '../src/base/time.js';

const budget = { capacity: 10, retryCost: 5, timeoutCost: 10, successRefund: 1 };
const exponential: RetryPolicyOptions = { policy: 'exponential', baseMs: 100, capMs: 1000, maxAttempts: 3, tokenBudget: budget };

describe('decideRetry: the decision table', () => {
  // [case, error class, retries already granted, aborted, tokens first drained to, expected decision]
  test.each<[string, ErrorClass, number, boolean, number, string]>([
    ['a fatal error stops whatever else holds', 'fatal', 0, true, 0, 'fatal'],
    ['fatal before no attempts left', 'fatal', 2, false, 10, 'fatal'],
    ['no attempts left before aborted', 'throttle', 2, true, 10, 'max-attempts'],
    ['no attempts left before no tokens', 'throttle', 2, false, 0, 'max-attempts'],
    ['aborted before no tokens', 'throttle', 0, true, 0, 'aborted'],
    ['a throttle the budget cannot pay for', 'throttle', 0, false, 0, 'budget'],
    ['a transient fault costs more than a throttle (5 tokens pay for a throttle only)', 'transient', 0, false, 5, 'budget'],
    ['a throttle with tokens and attempts left backs off', 'throttle', 0, false, 10, 'backoff'],
    ['a transient fault with tokens and attempts left backs off', 'transient', 1, false, 10, 'backoff'],
  ])('%s', (_, errorClass, retriesBefore, aborted, tokens, expected) => {
    // A roomy budget grants the retries already made; then it is drained to `tokens`, 5 at a time.
    const policy = createRetryPolicy({ ...exponential, tokenBudget: { ...budget, capacity: 100 } }, () => 0.5);
    const operation = policy.startOperation();
    for (let i = 0; i < retriesBefore; i++) {
      expect(decideRetry(operation, 'throttle').kind).toBe('backoff');
    }
    const drained = policy.availableTokens - tokens;
    for (let spent = 0; spent + 5 <= drained; spent += 5) policy.tryAcquireRetry('throttle');
    expect(policy.availableTokens).toBe(tokens);
    const retries = operation.retries;
    const decision = decideRetry(operation, errorClass, aborted);
    expect(decision.kind).toBe(expected);
    if (expected === 'backoff') {
      // Exponential with base 100: the delay of retry number `retries` (0-based), and its tokens drawn.
      expect(decision.delayMs).toBe(Math.min(1000, 100 * 2 ** retries));
      expect(policy.availableTokens).toBe(tokens - (errorClass === 'throttle' ? 5 : 10));
      expect(operation.retries).toBe(retries + 1);
    } else {
      expect(decision.delayMs).toBe(0);
      expect(policy.availableTokens).toBe(tokens); // a stop draws nothing
      expect(operation.retries).toBe(retries);
    }
  });

  test('the backoff sequence advances only on backoff answers', () => {
    const policy = createRetryPolicy({ policy: 'exponential', baseMs: 10, capMs: 1000, maxAttempts: 5 }, () => 0);
    const operation = policy.startOperation();
    expect(decideRetry(operation, 'throttle').delayMs).toBe(10);
    expect(decideRetry(operation, 'throttle', true).kind).toBe('aborted');
    expect(decideRetry(operation, 'fatal').kind).toBe('fatal');
    expect(decideRetry(operation, 'transient').delayMs).toBe(20);
    expect(decideRetry(operation, 'throttle').delayMs).toBe(40);
    expect(decideRetry(operation, 'throttle').delayMs).toBe(80);
    expect(decideRetry(operation, 'throttle').kind).toBe('max-attempts');
  });

  test('the promise-driven loop reports the decisions of the table', async () => {
    const decide = createRetryPolicy(exponential, () => 0);
    const decideOp = decide.startOperation();
    const expected = [decideRetry(decideOp, 'throttle'), decideRetry(decideOp, 'throttle'), decideRetry(decideOp, 'throttle')];
    const loop = createRetryPolicy(exponential, () => 0);
    const outcomes: AttemptOutcome[] = [];
    const throttle = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    const result = await runWithRetry(() => Promise.reject(throttle), loop, new ManualClock(), undefined, (o) => outcomes.push(o));
    // 10 tokens pay for two throttle retries, then the third attempt has none left in maxAttempts 3: max-attempts.
    expect(expected.map((d) => d.kind)).toEqual(['backoff', 'backoff', 'max-attempts']);
    expect(outcomes.map((o) => ('delayMs' in o ? [o.delayMs, o.stop ?? 'backoff'] : []))).toEqual(
      expected.map((d) => [d.delayMs, d.kind]),
    );
    expect(result).toMatchObject({ ok: false, attempts: 3, reason: 'max-attempts' });
  });
});
