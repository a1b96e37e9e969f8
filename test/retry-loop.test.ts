import { describe, expect, test } from 'vitest';
import { classifyKmsError, runWithRetry } from '../src/client/retry-loop.js';
import type { AttemptOutcome } from '../src/client/retry-loop.js';
import { RetryPolicyOptionsError, createRetryPolicy } from '../src/client/retry-policy.js';
import type { RetryPolicyOptions } from '../src/client/retry-policy.js';
import type { Clock } from '../src/base/time.js';
import { ManualClock, NS_PER_MS } from '../src/base/time.js';
import { KmsError } from '../src/kms/errors.js';
import { seededRandom } from '../src/base/random.js';

const named = (name: string, extra: Record<string, unknown> = {}): Error => Object.assign(new Error(name), { name }, extra);

function failing(errors: unknown[], value = 'done'): { attempt: (n: number) => string; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    attempt: (n) => {
      calls.push(n);
      const error = errors[calls.length - 1];
      if (error !== undefined) throw error;
      return value;
    },
  };
}

describe('classifyKmsError', () => {
  test.each([
    [named('ThrottlingException'), 'throttle'],
    [named('LimitExceededException'), 'throttle'],
    [new KmsError('ThrottlingException', 'rate exceeded'), 'throttle'],
    [named('SomeThrottle', { $retryable: { throttling: true } }), 'throttle'],
    [named('DependencyTimeoutException'), 'transient'],
    [named('KMSInternalException'), 'transient'],
    [named('KeyUnavailableException'), 'transient'],
    [new KmsError('KMSInternalException', 'oops'), 'transient'],
    [named('Unknown', { $metadata: { httpStatusCode: 500 } }), 'transient'],
    [named('Unknown', { $metadata: { httpStatusCode: 502 } }), 'transient'],
    [named('Unknown', { $metadata: { httpStatusCode: 503 } }), 'transient'],
    [named('Unknown', { $metadata: { httpStatusCode: 504 } }), 'transient'],
    [named('Unknown', { $metadata: { httpStatusCode: 501 } }), 'fatal'],
    [named('ValidationException', { $metadata: { httpStatusCode: 400 } }), 'fatal'],
    [new KmsError('NotFoundException', 'no key'), 'fatal'],
    [named('AbortError'), 'fatal'],
    ['a string', 'fatal'],
    [undefined, 'fatal'],
  ])('%s → %s', (error, expected) => {
    expect(classifyKmsError(error)).toBe(expected);
  });
});

describe('runWithRetry with a ManualClock', () => {
  test('retries a throttle up to maxAttempts; the clock advances by exactly the sum of the delays', async () => {
    const clock = new ManualClock();
    const policy = createRetryPolicy({ policy: 'exponential', baseMs: 100, capMs: 1_000, maxAttempts: 6 }, () => 0);
    const outcomes: AttemptOutcome[] = [];
    const { attempt, calls } = failing(Array.from({ length: 10 }, () => named('ThrottlingException')));
    const result = await runWithRetry(attempt, policy, clock, classifyKmsError, (o) => outcomes.push(o));
    expect(result).toMatchObject({ ok: false, attempts: 6, reason: 'max-attempts' });
    expect(calls).toEqual([1, 2, 3, 4, 5, 6]);
    const delays = outcomes.map((o) => ('delayMs' in o ? o.delayMs : Number.NaN));
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 0]);
    expect(clock.nowNs()).toBe(2_500 * NS_PER_MS);
    expect(outcomes.map((o) => ('retry' in o ? o.retry : undefined))).toEqual([true, true, true, true, true, false]);
    expect(outcomes.at(-1)).toMatchObject({ result: 'throttle', stop: 'max-attempts' });
  });

  test('total slept time equals the sum of jittered delays', async () => {
    const clock = new ManualClock();
    const policy = createRetryPolicy(
      { policy: 'decorrelated-jitter', baseMs: 50, capMs: 5_000, maxAttempts: 8 },
      seededRandom(3, 'jitter'),
    );
    let slept = 0;
    const { attempt } = failing(Array.from({ length: 8 }, () => named('KMSInternalException')));
    await runWithRetry(attempt, policy, clock, classifyKmsError, (o) => {
      if ('delayMs' in o) slept += o.delayMs;
    });
    expect(slept).toBeGreaterThan(0);
    expect(clock.nowNs()).toBeCloseTo(slept * NS_PER_MS, 3);
  });

  test('succeeds after transient failures and reports the attempts', async () => {
    const clock = new ManualClock();
    const policy = createRetryPolicy({ policy: 'constant', baseMs: 20, maxAttempts: 5 }, () => 0);
    const { attempt } = failing([named('ThrottlingException'), named('DependencyTimeoutException')], 'plaintext');
    const outcomes: AttemptOutcome[] = [];
    const result = await runWithRetry(attempt, policy, clock, undefined, (o) => outcomes.push(o));
    expect(result).toEqual({ ok: true, value: 'plaintext', attempts: 3 });
    expect(outcomes.map((o) => o.result)).toEqual(['throttle', 'transient', 'success']);
    expect(clock.nowNs()).toBe(40 * NS_PER_MS);
  });

  test('awaits async attempts and catches their rejections', async () => {
    const clock = new ManualClock();
    const policy = createRetryPolicy({ policy: 'immediate', maxAttempts: 2 }, () => 0);
    let n = 0;
    const result = await runWithRetry(
      async () => {
        n++;
        await Promise.resolve();
        if (n === 1) throw named('ThrottlingException');
        return n;
      },
      policy,
      clock,
    );
    expect(result).toEqual({ ok: true, value: 2, attempts: 2 });
    expect(clock.nowNs()).toBe(0);
  });

  test('fatal errors are not retried', async () => {
    const clock = new ManualClock();
    const policy = createRetryPolicy({ policy: 'constant', baseMs: 20, maxAttempts: 5 }, () => 0);
    const error = new KmsError('ValidationException', 'bad input');
    const { attempt, calls } = failing([error]);
    const result = await runWithRetry(attempt, policy, clock);
    expect(result).toEqual({ ok: false, error, attempts: 1, reason: 'fatal' });
    expect(calls).toEqual([1]);
    expect(clock.nowNs()).toBe(0);
  });

  test('a custom classifier decides what is retried', async () => {
    const clock = new ManualClock();
    const policy = createRetryPolicy({ policy: 'immediate', maxAttempts: 4 }, () => 0);
    const { attempt } = failing([named('ValidationException'), named('ValidationException')]);
    const result = await runWithRetry(attempt, policy, clock, () => 'transient');
    expect(result).toMatchObject({ ok: true, attempts: 3 });
  });

  test('maxAttempts 1 never retries', async () => {
    const policy = createRetryPolicy({ policy: 'immediate', maxAttempts: 1 }, () => 0);
    const { attempt, calls } = failing([named('ThrottlingException')]);
    expect(await runWithRetry(attempt, policy, new ManualClock())).toMatchObject({ ok: false, attempts: 1, reason: 'max-attempts' });
    expect(calls).toEqual([1]);
  });

  test('an already-aborted signal makes no attempt', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const policy = createRetryPolicy({ policy: 'immediate', maxAttempts: 3 }, () => 0);
    const { attempt, calls } = failing([]);
    const result = await runWithRetry(attempt, policy, new ManualClock(), undefined, undefined, controller.signal);
    expect(result).toMatchObject({ ok: false, attempts: 0, reason: 'aborted' });
    expect(calls).toEqual([]);
  });

  test('abort after a failed attempt stops the loop without retrying', async () => {
    const controller = new AbortController();
    const policy = createRetryPolicy({ policy: 'constant', baseMs: 10, maxAttempts: 5 }, () => 0);
    const clock = new ManualClock();
    const { attempt, calls } = failing(Array.from({ length: 5 }, () => named('ThrottlingException')));
    const result = await runWithRetry(
      (n) => {
        if (n === 2) controller.abort(new Error('run ended'));
        return attempt(n);
      },
      policy,
      clock,
      undefined,
      undefined,
      controller.signal,
    );
    expect(result).toMatchObject({ ok: false, attempts: 2, reason: 'aborted' });
    expect(calls).toEqual([1, 2]);
    expect(clock.nowNs()).toBe(10 * NS_PER_MS);
  });

  test('abort during a backoff sleep ends the loop with the signal reason', async () => {
    const controller = new AbortController();
    const reason = new Error('Ctrl-C');
    // A clock whose sleeps never end on their own: only the abort can end this one.
    const clock: Clock = {
      nowNs: () => 0,
      nowEpochMs: () => 0,
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true })),
    };
    const policy = createRetryPolicy({ policy: 'constant', baseMs: 60_000, maxAttempts: 5 }, () => 0);
    const { attempt, calls } = failing(Array.from({ length: 5 }, () => named('ThrottlingException')));
    const running = runWithRetry(attempt, policy, clock, undefined, undefined, controller.signal);
    await Promise.resolve();
    controller.abort(reason);
    expect(await running).toEqual({ ok: false, error: reason, attempts: 1, reason: 'aborted' });
    expect(calls).toEqual([1]);
  });
});

describe('none makes no retry; immediate retries at once', () => {
  const throttles = () => failing(Array.from({ length: 10 }, () => named('ThrottlingException')));

  test('none makes one attempt at a retryable throttle and stops at max-attempts', async () => {
    const policy = createRetryPolicy({ policy: 'none', maxAttempts: 1 }, () => 0);
    const { attempt, calls } = throttles();
    const outcomes: AttemptOutcome[] = [];
    const result = await runWithRetry(attempt, policy, new ManualClock(), classifyKmsError, (o) => outcomes.push(o));
    expect(result).toMatchObject({ ok: false, attempts: 1, reason: 'max-attempts' });
    expect(calls).toEqual([1]);
    expect(outcomes).toMatchObject([{ result: 'throttle', retry: false, stop: 'max-attempts' }]);
    expect(policy.maxAttempts).toBe(1);
  });

  test('none given without maxAttempts (untyped input) is still one attempt', async () => {
    const policy = createRetryPolicy({ policy: 'none' } as unknown as RetryPolicyOptions, () => 0);
    const { attempt, calls } = throttles();
    expect(await runWithRetry(attempt, policy, new ManualClock())).toMatchObject({ ok: false, attempts: 1 });
    expect(calls).toEqual([1]);
  });

  test('none with maxAttempts above 1 is refused rather than silently run as one attempt', () => {
    const options = { policy: 'none', maxAttempts: 6 } as unknown as RetryPolicyOptions;
    expect(() => createRetryPolicy(options, () => 0, 'fleets[0].retry')).toThrow(RetryPolicyOptionsError);
    expect(() => createRetryPolicy(options, () => 0, 'fleets[0].retry')).toThrow(/fleets\[0\]\.retry\.maxAttempts .*use policy immediate/);
  });

  test('immediate retries a throttle at once up to maxAttempts: every attempt, no time passes', async () => {
    const clock = new ManualClock();
    const policy = createRetryPolicy({ policy: 'immediate', maxAttempts: 6 }, () => 0.5);
    const { attempt, calls } = throttles();
    const outcomes: AttemptOutcome[] = [];
    const result = await runWithRetry(attempt, policy, clock, classifyKmsError, (o) => outcomes.push(o));
    expect(result).toMatchObject({ ok: false, attempts: 6, reason: 'max-attempts' });
    expect(calls).toEqual([1, 2, 3, 4, 5, 6]);
    expect(outcomes.map((o) => ('delayMs' in o ? o.delayMs : Number.NaN))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(clock.nowNs()).toBe(0);
  });

  test('immediate honours its token budget', async () => {
    const budget = { capacity: 10, retryCost: 5, timeoutCost: 10, successRefund: 1 };
    const policy = createRetryPolicy({ policy: 'immediate', maxAttempts: 6, tokenBudget: budget }, () => 0);
    const { attempt, calls } = throttles();
    expect(await runWithRetry(attempt, policy, new ManualClock())).toMatchObject({ ok: false, attempts: 3, reason: 'budget' });
    expect(calls).toEqual([1, 2, 3]);
  });
});
