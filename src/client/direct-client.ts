/**
 * The direct client: calls the model in-process, retrying through the harness's retry loop. The quota decision is made
 * when the attempt is sent; the service latency (if any) is then waited out before the answer is seen, as a network
 * round trip would be.
 */
import type { Clock } from '../base/time.js';
import type { KmsModel } from '../kms/model.js';
import { callAwaitingLease } from '../kms/lease-wait.js';
import type { CallContext } from '../kms/types.js';
import { runWithRetry } from './retry-loop.js';
import type { RetryPolicy } from './retry-policy.js';
import { attemptOutcomeOf, errorNameOf, type BenchClient, type SendResult } from './bench-client.js';

export interface DirectClientOptions {
  readonly model: KmsModel;
  readonly context: CallContext;
  readonly policy: RetryPolicy;
  readonly clock: Clock;
  /** Service latency per attempt in ms, given the request's draw key and the attempt's number; none when absent. */
  readonly latencyMs?: (draw?: number, attempt?: number) => number;
  readonly signal?: AbortSignal;
}

export function createDirectClient(options: DirectClientOptions): BenchClient {
  const { model, context, policy, clock, latencyMs, signal } = options;
  // Decided once: the shared-memory store's path stays `callSync`, with nothing added per request.
  const remoteQuota = model.quotaBoard !== undefined && model.quotaBoard.options.store.kind !== 'memory';
  return {
    async send(request, onAttempt): Promise<SendResult> {
      let attempt = 0;
      const result = await runWithRetry(
        async () => {
          let output: unknown;
          let failure: unknown;
          try {
            // A lease miss of a shared quota store waits for the lease (a promise); anything else answers at once.
            if (!remoteQuota) output = model.callSync(request.operation, request.input, context);
            else output = await callAwaitingLease(model, request.operation, request.input, context);
          } catch (error) {
            failure = error;
          }
          onAttempt(attemptOutcomeOf(failure === undefined ? undefined : errorNameOf(failure)));
          attempt++;
          if (latencyMs !== undefined) await clock.sleep(latencyMs(request.draw, attempt), signal);
          if (failure !== undefined) throw failure;
          return output;
        },
        policy,
        clock,
        undefined,
        undefined,
        signal,
      );
      return result.ok
        ? { ok: true, attempts: result.attempts, output: result.value as Record<string, unknown> }
        : { ok: false, errorName: errorNameOf(result.error), attempts: result.attempts };
    },
    destroy() {},
  };
}
