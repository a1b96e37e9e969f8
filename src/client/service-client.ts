/**
 * A {@link BenchClient} for fleets whose mix has AWS service operations (src/services): each service operation is one
 * request to the thread's service model at a time, with the fleet's retry policy around it — a service answer of retry
 * class `throttle` or `transient` (Secrets Manager's ThrottlingException, S3's 503 SlowDown) is retried as a KMS
 * throttle or fault would be — and the service latency waited out per attempt. Reads a client-side secret cache may
 * answer go through it (services/secret-cache.ts): a hit makes no request; a refresh may make two (DescribeSecret, then
 * GetSecretValue), each retried on its own. Other operations pass straight through to the fleet's KMS client.
 */
import type { Clock } from '../base/time.js';
import {
  isServiceOperationName,
  READ_CALL,
  SecretRead,
  serviceOperation,
  serviceRetryClass,
  type SecretCaches,
  type ServiceCaller,
  type ServiceInput,
  type ServiceOutcome,
  type ServiceOutput,
} from '../services/index.js';
import type { AttemptOutcomeKind } from '../metrics/recorder.js';
import { errorNameOf, type AttemptListener, type BenchClient, type SendResult } from './bench-client.js';
import { classifyKmsError, runWithRetry, type ErrorClass } from './retry-loop.js';
import type { RetryPolicy } from './retry-policy.js';

/** What the client asks of the thread's services: one attempt, and counting a cache hit. */
export interface ServiceEndpoint {
  attempt(operation: string, input: ServiceInput, caller: ServiceCaller): ServiceOutcome;
  cacheHit(operation: string, input: ServiceInput, caller: ServiceCaller): void;
}

export interface ServiceClientOptions {
  /** The fleet's KMS client, for the mix's KMS operations. */
  readonly inner: BenchClient;
  readonly services: ServiceEndpoint;
  readonly caller: ServiceCaller;
  /** The fleet's harness retry policy (the one its KMS client uses). */
  readonly policy: RetryPolicy;
  readonly clock: Clock;
  readonly latencyMs?: () => number;
  readonly signal?: AbortSignal;
  /** The fleet's secret caches, when it has one. */
  readonly caches?: SecretCaches;
}

/** How a service error is retried: its own retry class; anything else (an unexpected throw) as a KMS error. */
export function classifyServiceError(error: unknown): ErrorClass {
  return serviceRetryClass(error) ?? classifyKmsError(error);
}

/** The outcome of one service attempt as the metrics count it: a throttle is any answer of retry class `throttle`. */
export function serviceAttemptKind(outcome: ServiceOutcome): AttemptOutcomeKind {
  if (outcome.ok) return 'admitted';
  return outcome.error.retry === 'throttle' ? 'throttled' : 'error';
}

type CallResult = { readonly ok: true; readonly output: ServiceOutput } | { readonly ok: false; readonly errorName: string };

export function createServiceClient(options: ServiceClientOptions): BenchClient {
  const { inner, services, caller, policy, clock, latencyMs, signal, caches } = options;

  /** One service request with the fleet's retries; every attempt reported. */
  const call = async (operation: string, input: ServiceInput, onAttempt: AttemptListener): Promise<CallResult> => {
    const result = await runWithRetry(
      async () => {
        const outcome = services.attempt(operation, input, caller);
        onAttempt(serviceAttemptKind(outcome));
        if (latencyMs !== undefined) await clock.sleep(latencyMs(), signal);
        if (!outcome.ok) throw outcome.error;
        return outcome.output;
      },
      policy,
      clock,
      classifyServiceError,
      undefined,
      signal,
    );
    return result.ok ? { ok: true, output: result.value } : { ok: false, errorName: errorNameOf(result.error) };
  };

  return {
    async send(request, onAttempt): Promise<SendResult> {
      if (!isServiceOperationName(request.operation)) return inner.send(request, onAttempt);
      let attempts = 0;
      const listener: AttemptListener = (outcome) => {
        attempts++;
        onAttempt(outcome);
      };
      const input = request.input as ServiceInput;
      if (caches !== undefined && serviceOperation(request.operation)?.cacheable === true) {
        const read = new SecretRead();
        let step = read.start(caches.cacheFor(request.client), String(input['SecretId']));
        while (step === READ_CALL) {
          const result = await call(read.callOperation, read.callInput, listener);
          step = result.ok ? read.succeeded(result.output) : read.failed(result.errorName);
        }
        if (read.hit) services.cacheHit(request.operation, input, caller);
        return read.ok ? { ok: true, attempts } : { ok: false, errorName: read.errorName ?? 'Error', attempts };
      }
      const result = await call(request.operation, input, listener);
      return result.ok ? { ok: true, attempts, output: result.output } : { ok: false, errorName: result.errorName, attempts };
    },
    cacheStats: () => inner.cacheStats?.(),
    destroy() {
      inner.destroy();
    },
  };
}
