/**
 * The sdk client: a real `KMSClient` from `@aws-sdk/client-kms` whose request handler is the model. With `sdk-standard`
 * or `sdk-adaptive` the SDK's own retry strategy decides (its numbers are those of the installed `@smithy/core`, which
 * the report records with the retry table it runs: sdk-retry-table.ts); with a harness policy the SDK makes one
 * attempt and the harness loop retries.
 * Every HTTP attempt is reported to the request that made it through AsyncLocalStorage, since the SDK's retries happen
 * inside `send()`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as KmsModule from '@aws-sdk/client-kms';
import type { HttpHandlerOptions, HttpRequest } from '@smithy/types';
import type { Clock } from '../base/time.js';
import type { KmsModel } from '../kms/model.js';
import { createKmsRequestHandler, type KmsRequestHandler } from '../protocol/index.js';
import { runWithRetry } from './retry-loop.js';
import type { RetryPolicy } from './retry-policy.js';
import { attemptOutcomeOf, errorNameOf, type AttemptListener, type BenchClient, type SendResult } from './bench-client.js';

export type SdkRetry =
  | { readonly mode: 'standard' | 'adaptive'; readonly maxAttempts: number }
  | { readonly mode: 'harness'; readonly policy: RetryPolicy };

export interface SdkClientOptions {
  readonly model: KmsModel;
  readonly region: string;
  readonly accountId?: string;
  /** The principal ARN the client signs as (its own access key id); absent: the account root. */
  readonly principal?: string;
  readonly retry: SdkRetry;
  readonly clock: Clock;
  readonly latencyMs?: () => number;
  readonly signal?: AbortSignal;
}

// The SDK loads when a fleet first uses it, not with this module: the engine imports this module for every run (and
// the budget check for every plan), and `@aws-sdk/client-kms` costs ~150–200 ms that direct fleets never need. Its
// package resolves `import` and `require` to the same CommonJS build, so this is the copy an `import` would give.
const require = createRequire(import.meta.url);
let kmsModule: typeof KmsModule | undefined;
function sdk(): typeof KmsModule {
  kmsModule ??= require('@aws-sdk/client-kms') as typeof KmsModule;
  return kmsModule;
}

type CommandConstructor = new (input: object) => Parameters<KmsModule.KMSClient['send']>[0];

function commandFor(operation: string): CommandConstructor {
  const found = (sdk() as unknown as Record<string, unknown>)[`${operation}Command`];
  if (typeof found !== 'function') throw new Error(`@aws-sdk/client-kms has no ${operation}Command`);
  return found as CommandConstructor;
}

/**
 * Access key ids are per account, and per principal when there is one, so the handler can tell callers apart as KMS
 * tells them apart by their credentials: one `KMSClient` per principal is all a fleet needs. A principal's key is
 * `AKID` and 16 hex digits of its ARN's SHA-256 (20 characters, the length of an AWS access key id).
 */
export function accessKeyIdFor(accountId: string | undefined, principal?: string): string {
  if (principal !== undefined) return `AKID${createHash('sha256').update(principal).digest('hex').slice(0, 16).toUpperCase()}`;
  return accountId === undefined ? 'AKIDKMSBENCH' : `AKID${accountId}`;
}

export interface InstrumentedHandlerOptions {
  readonly model: KmsModel;
  readonly accountId?: string;
  /** The principal ARN whose access key id ({@link accessKeyIdFor}) the handler maps back to it. */
  readonly principal?: string;
  /** Told each attempt's outcome; the request that made it is found through this AsyncLocalStorage. */
  readonly attempts: AsyncLocalStorage<AttemptListener>;
  readonly clock?: Clock;
  readonly latencyMs?: () => number;
  readonly signal?: AbortSignal;
}

/**
 * The model's request handler, wrapped so that every HTTP attempt the SDK makes (its own retries included) is reported
 * to the logical operation that made it, and answered after the service latency.
 */
export function instrumentedHandler(options: InstrumentedHandlerOptions): KmsRequestHandler {
  const { model, accountId, principal, attempts, clock, latencyMs, signal } = options;
  const akid = accessKeyIdFor(accountId, principal);
  const inner = createKmsRequestHandler(model, {
    accountForAccessKey: (given) => (accountId !== undefined && given === akid ? accountId : undefined),
    principalForAccessKey: (given) => (principal !== undefined && given === akid ? principal : undefined),
  });
  return {
    metadata: inner.metadata,
    async handle(request: HttpRequest, handlerOptions?: HttpHandlerOptions) {
      const answer = await inner.handle(request, handlerOptions);
      const status = answer.response.statusCode;
      const errorType = status === 200 ? undefined : (answer.response.headers['x-amzn-errortype'] ?? 'Error');
      attempts.getStore()?.(attemptOutcomeOf(errorType));
      if (latencyMs !== undefined && clock !== undefined) await clock.sleep(latencyMs(), signal);
      return answer;
    },
    updateHttpClientConfig: (key: string, value: unknown) => inner.updateHttpClientConfig(key, value),
    httpHandlerConfigs: () => inner.httpHandlerConfigs(),
    destroy: () => inner.destroy(),
  };
}

export function createSdkClient(options: SdkClientOptions): BenchClient {
  const { model, region, accountId, principal, retry, clock, latencyMs, signal } = options;
  const attemptListener = new AsyncLocalStorage<AttemptListener>();
  const requestHandler = instrumentedHandler({
    model,
    attempts: attemptListener,
    clock,
    ...(accountId === undefined ? {} : { accountId }),
    ...(principal === undefined ? {} : { principal }),
    ...(latencyMs === undefined ? {} : { latencyMs }),
    ...(signal === undefined ? {} : { signal }),
  });
  const client = new (sdk().KMSClient)({
    region,
    credentials: { accessKeyId: accessKeyIdFor(accountId, principal), secretAccessKey: 'kms-bench' },
    requestHandler,
    ...(retry.mode === 'harness' ? { maxAttempts: 1 } : { maxAttempts: retry.maxAttempts, retryMode: retry.mode }),
  });

  async function once(operation: string, input: object): Promise<{ attempts: number; output: Record<string, unknown> }> {
    const Command = commandFor(operation);
    const output = await client.send(new Command(input), signal === undefined ? undefined : { abortSignal: signal });
    return { attempts: output.$metadata.attempts ?? 1, output: output as unknown as Record<string, unknown> };
  }

  return {
    async send(request, onAttempt): Promise<SendResult> {
      return attemptListener.run(onAttempt, async () => {
        if (retry.mode !== 'harness') {
          try {
            const { attempts, output } = await once(request.operation, request.input);
            return { ok: true, attempts, output };
          } catch (error) {
            const attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
            return { ok: false, errorName: errorNameOf(error), attempts };
          }
        }
        const result = await runWithRetry(() => once(request.operation, request.input), retry.policy, clock, undefined, undefined, signal);
        return result.ok
          ? { ok: true, attempts: result.attempts, output: result.value.output }
          : { ok: false, errorName: errorNameOf(result.error), attempts: result.attempts };
      });
    },
    destroy() {
      client.destroy();
    },
  };
}

/**
 * Loads and exercises the SDK's code paths once before a run (credential resolution, middleware, serializers), so the
 * first measured requests do not pay for module loading and JIT warm-up. Uses a model without quotas.
 */
export async function warmUpSdk(model: KmsModel, region: string, calls = 20): Promise<void> {
  const { GenerateRandomCommand, KMSClient } = sdk();
  const client = new KMSClient({
    region,
    credentials: { accessKeyId: accessKeyIdFor(undefined), secretAccessKey: 'kms-bench' },
    requestHandler: createKmsRequestHandler(model),
    maxAttempts: 1,
  });
  try {
    for (let i = 0; i < calls; i++) await client.send(new GenerateRandomCommand({ NumberOfBytes: 16 }));
  } finally {
    client.destroy();
  }
}
