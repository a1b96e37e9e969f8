/**
 * A generic retry loop over a {@link RetryPolicy}. It waits only through the injected `Clock`, so under a virtual
 * clock backoff sleeps cost no real time and runs stay deterministic.
 */
import type { Clock } from '../base/time.js';
import { decideRetry, type ErrorClass, type RetryStopReason } from './retry-decision.js';
import type { RetryPolicy } from './retry-policy.js';

export type { ErrorClass, RetryStopReason } from './retry-decision.js';

/**
 * Throttling error names. The SDK's list (`@smithy/service-error-classification` `THROTTLING_ERROR_CODES`) includes
 * `LimitExceededException`; KMS's only request-rate error is `ThrottlingException`.
 */
const THROTTLE_NAMES: ReadonlySet<string> = new Set(['ThrottlingException', 'LimitExceededException']);
/** KMS's server-side faults (aws-kms-facts.md §2): HTTP 500 or 503, worth retrying. */
const TRANSIENT_NAMES: ReadonlySet<string> = new Set([
  'DependencyTimeoutException',
  'KMSInternalException',
  'KeyUnavailableException',
]);
/** The SDK retries these statuses as transient server errors (`TRANSIENT_ERROR_STATUS_CODES` plus 500). */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Classifies an error thrown by a KMS client (the model's `KmsError` or an SDK service exception) by its `name`, then
 * by the SDK's `$retryable.throttling` flag and `$metadata.httpStatusCode`: throttles, transient server faults, and
 * everything else (validation, not found, access denied, aborts) as fatal.
 */
export function classifyKmsError(error: unknown): ErrorClass {
  const name = field(error, 'name');
  if (typeof name === 'string') {
    if (THROTTLE_NAMES.has(name)) return 'throttle';
    if (TRANSIENT_NAMES.has(name)) return 'transient';
    if (name === 'AbortError') return 'fatal';
  }
  if (field(field(error, '$retryable'), 'throttling') === true) return 'throttle';
  const status = field(field(error, '$metadata'), 'httpStatusCode');
  if (typeof status === 'number' && TRANSIENT_STATUSES.has(status)) return 'transient';
  return 'fatal';
}

// A function rather than an inline test: TypeScript narrows `signal.aborted` after one check and would consider a later
// check (after an await, when it may have changed) impossible.
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** One attempt's outcome, reported to `onAttempt` as soon as it is known (before any backoff sleep). */
export type AttemptOutcome =
  | { readonly attempt: number; readonly result: 'success' }
  | {
      readonly attempt: number;
      readonly result: ErrorClass;
      readonly error: unknown;
      /** True when another attempt follows after `delayMs`. */
      readonly retry: boolean;
      /** The backoff before the next attempt, 0 when none follows. */
      readonly delayMs: number;
      /** Set when the loop gives up after this attempt. */
      readonly stop?: RetryStopReason;
    };

/** How a logical operation ended. `attempts` counts the attempts made, the first included. */
export type RetryResult<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: number }
  | { readonly ok: false; readonly error: unknown; readonly attempts: number; readonly reason: RetryStopReason };

/**
 * Runs `attempt` until it succeeds, fails fatally, runs out of attempts or retry tokens, or `signal` aborts. Between
 * attempts it sleeps the policy's backoff through `clock.sleep`. Never throws for the attempt's errors: they come back
 * in the result (errors thrown by `classify` or `onAttempt` propagate).
 *
 * @param attempt called with the 1-based attempt number.
 * @param classify decides whether an error is retried; default {@link classifyKmsError}.
 */
export async function runWithRetry<T>(
  attempt: (attemptNumber: number) => Promise<T> | T,
  policy: RetryPolicy,
  clock: Clock,
  classify: (error: unknown) => ErrorClass = classifyKmsError,
  onAttempt?: (outcome: AttemptOutcome) => void,
  signal?: AbortSignal,
): Promise<RetryResult<T>> {
  const operation = policy.startOperation();
  let attempts = 0;
  for (;;) {
    if (isAborted(signal)) return { ok: false, error: signal?.reason, attempts, reason: 'aborted' };
    attempts++;
    let value: T;
    try {
      value = await attempt(attempts);
    } catch (error: unknown) {
      const kind = classify(error);
      // The one retry decision (retry-decision.ts), shared with the event-driven simulator.
      const decision = decideRetry(operation, kind, isAborted(signal));
      if (decision.kind !== 'backoff') {
        onAttempt?.({ attempt: attempts, result: kind, error, retry: false, delayMs: 0, stop: decision.kind });
        return { ok: false, error, attempts, reason: decision.kind };
      }
      const delayMs = decision.delayMs;
      onAttempt?.({ attempt: attempts, result: kind, error, retry: true, delayMs });
      try {
        await clock.sleep(delayMs, signal);
      } catch (sleepError: unknown) {
        // Only an abort interrupts a clock's sleep; report the signal's reason when there is one.
        return { ok: false, error: isAborted(signal) ? signal?.reason : sleepError, attempts, reason: 'aborted' };
      }
      continue;
    }
    operation.onSuccess();
    onAttempt?.({ attempt: attempts, result: 'success' });
    return { ok: true, value, attempts };
  }
}
