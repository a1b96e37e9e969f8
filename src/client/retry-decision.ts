/**
 * The retry decision after a failed attempt, written once for every driver: the promise-driven retry loop
 * (retry-loop.ts) and the event-driven state machines of the simulator (src/engine/sim-operation.ts) both ask it, so
 * the order of the checks — fatal → no attempts left → aborted → no retry tokens → back off — cannot drift between
 * them. Synchronous and side-effect free except for what a retry itself takes (its tokens and its place in the
 * backoff sequence, drawn only when the answer is `backoff`).
 */
import type { RetryKind, RetryOperation } from './retry-policy.js';

/** What an attempt's error is: retried as a throttle, retried as a transient fault, or never retried. */
export type ErrorClass = RetryKind | 'fatal';

/** Why an operation gives up after a failed attempt. */
export type RetryStopReason = 'fatal' | 'max-attempts' | 'budget' | 'aborted';

/**
 * The decision: stop for a reason, or back off `delayMs` and attempt again. Stops are shared frozen objects (nothing
 * allocates on the throttled hot path but a backoff).
 */
export type RetryDecision =
  | { readonly kind: RetryStopReason; readonly delayMs: 0 }
  | { readonly kind: 'backoff'; readonly delayMs: number };

const STOP: { readonly [K in RetryStopReason]: RetryDecision } = Object.freeze({
  fatal: Object.freeze({ kind: 'fatal', delayMs: 0 }),
  'max-attempts': Object.freeze({ kind: 'max-attempts', delayMs: 0 }),
  aborted: Object.freeze({ kind: 'aborted', delayMs: 0 }),
  budget: Object.freeze({ kind: 'budget', delayMs: 0 }),
});

/**
 * Decides what follows a failed attempt of `operation` whose error is of class `errorClass`. The checks, in order:
 * a fatal error stops; an operation with no attempts left (`maxAttempts`) stops; a run told to stop (`aborted`)
 * stops; a retry the token budget cannot pay for stops (drawing nothing); otherwise the retry's tokens are drawn and
 * the next delay of the policy's backoff sequence is returned. The abort check comes before the budget so that a
 * stopped run never spends tokens on a retry it will not make.
 */
export function decideRetry(operation: RetryOperation, errorClass: ErrorClass, aborted = false): RetryDecision {
  if (errorClass === 'fatal') return STOP.fatal;
  if (!operation.canRetry) return STOP['max-attempts'];
  if (aborted) return STOP.aborted;
  if (!operation.tryAcquireRetry(errorClass)) return STOP.budget;
  return { kind: 'backoff', delayMs: operation.nextDelayMs() };
}
