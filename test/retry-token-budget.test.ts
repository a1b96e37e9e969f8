/**
 * The retry token budget's mechanics, with fixed numbers. That a budget of the installed SDK's defaults grants, refuses
 * and refunds like the SDK's own StandardRetryStrategy is held in retry-sdk-table.test.ts, against the real strategy.
 */
import { describe, expect, test } from 'vitest';
import { runWithRetry } from '../src/client/retry-loop.js';
import { createRetryPolicy } from '../src/client/retry-policy.js';
import type { RetryTokenBudgetOptions } from '../src/client/retry-policy.js';
import { ManualClock } from '../src/base/time.js';

/** A fixed budget (the SDK's pre-2026 table), so these mechanics do not move with the installed SDK's numbers. */
const BUDGET: RetryTokenBudgetOptions = { capacity: 500, retryCost: 5, timeoutCost: 10, successRefund: 1 };

const budgeted = (tokenBudget: RetryTokenBudgetOptions = BUDGET, maxAttempts = 3) =>
  createRetryPolicy({ policy: 'full-jitter', baseMs: 100, capMs: 20_000, maxAttempts, tokenBudget }, () => 0.5);

const throttle = (): never => {
  throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
};

describe('retry token budget (SDK standard mode)', () => {
  test.each([
    ['throttle', 100],
    ['transient', 50],
  ] as const)('%s retries exhaust the budget after %i', (kind, allowed) => {
    const policy = budgeted();
    let granted = 0;
    while (policy.tryAcquireRetry(kind)) granted++;
    expect(granted).toBe(allowed);
    expect(policy.availableTokens).toBe(0);
  });

  test('a refused retry draws nothing', () => {
    const policy = budgeted({ capacity: 12, retryCost: 5, timeoutCost: 10, successRefund: 1 });
    expect(policy.tryAcquireRetry('transient')).toBe(true); // 2 left
    expect(policy.tryAcquireRetry('throttle')).toBe(false);
    expect(policy.availableTokens).toBe(2);
  });

  test("a success refunds its last retry's cost, or 1 without retries, never above capacity", () => {
    const policy = budgeted();
    const op = policy.startOperation();
    expect(op.tryAcquireRetry('throttle')).toBe(true);
    expect(op.tryAcquireRetry('transient')).toBe(true);
    expect(policy.availableTokens).toBe(485);
    op.onSuccess(); // last retry was transient: 10 back
    expect(policy.availableTokens).toBe(495);
    policy.startOperation().onSuccess(); // no retry: 1 back
    expect(policy.availableTokens).toBe(496);
    for (let i = 0; i < 10; i++) policy.onSuccess('transient');
    expect(policy.availableTokens).toBe(500);
  });

  test('the budget is shared by every operation of the client', () => {
    const policy = budgeted({ capacity: 10, retryCost: 5, timeoutCost: 10, successRefund: 1 });
    expect(policy.startOperation().tryAcquireRetry('throttle')).toBe(true);
    expect(policy.startOperation().tryAcquireRetry('throttle')).toBe(true);
    expect(policy.startOperation().tryAcquireRetry('throttle')).toBe(false);
  });

  test('historic reset-to-full mode (util-retry May 2023 – 4.3.0) refills the whole budget on a success', () => {
    const policy = budgeted({ ...BUDGET, refundMode: 'reset-to-full' });
    for (let i = 0; i < 60; i++) policy.tryAcquireRetry('throttle');
    expect(policy.availableTokens).toBe(200);
    policy.onSuccess();
    expect(policy.availableTokens).toBe(500);
  });

  test('without a budget retries are limited by maxAttempts alone', () => {
    const policy = createRetryPolicy({ policy: 'immediate', maxAttempts: 3 }, () => 0);
    let granted = 0;
    for (let i = 0; i < 10_000; i++) if (policy.tryAcquireRetry('transient')) granted++;
    expect(granted).toBe(10_000);
    expect(policy.availableTokens).toBe(Infinity);
  });

  test('the retry loop stops with reason "budget" once tokens run out', async () => {
    const clock = new ManualClock();
    const policy = budgeted({ capacity: 12, retryCost: 5, timeoutCost: 10, successRefund: 1 }, 10);
    const first = await runWithRetry(throttle, policy, clock);
    // 12 tokens pay for two throttle retries (10); the third is refused: 3 attempts, not 10.
    expect(first).toMatchObject({ ok: false, attempts: 3, reason: 'budget' });
    const second = await runWithRetry(throttle, policy, clock);
    expect(second).toMatchObject({ ok: false, attempts: 1, reason: 'budget' });
    // A success refunds 1 (no retries), not enough for a 5-token retry.
    await runWithRetry(() => 'ok', policy, clock);
    expect(policy.availableTokens).toBe(3);
  });
});
