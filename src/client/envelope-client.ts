/**
 * A {@link BenchClient} for envelope workloads on the `direct` or `sdk` client: `envelopeEncrypt` and
 * `envelopeDecrypt` requests run envelope encryption (envelope.ts) with the fleet's data-key cache, and their KMS
 * calls go through the fleet's own client, so quotas, retries and service latency apply as to any request. Every KMS
 * attempt is reported to the logical operation that caused it: a cache hit makes none, which is what
 * `kmsCallsPerOp` counts. Other operations pass straight through.
 * The caches by partition are envelope-caches.ts's, which the event-driven simulator uses too.
 */
import type { Clock } from '../base/time.js';
import { isEnvelopeOperation } from '../metrics/cache-summary.js';
import { errorNameOf, type AttemptListener, type BenchClient, type CacheReport, type SendResult } from './bench-client.js';
import { EnvelopeCaches, type EnvelopeCacheSetup } from './envelope-caches.js';
import { envelopeDecrypt, envelopeEncrypt, type KmsCall } from './envelope.js';

export type { EnvelopeCacheSetup } from './envelope-caches.js';

export interface EnvelopeClientOptions {
  /** The fleet's KMS client (direct or sdk). */
  readonly inner: BenchClient;
  readonly clock: Clock;
  /** No cache when absent: one KMS call per envelope operation. */
  readonly cache?: EnvelopeCacheSetup;
}

/** A KMS failure inside an envelope operation, carrying the KMS error name. */
class KmsCallError extends Error {
  constructor(name: string) {
    super(`KMS call failed: ${name}`);
    this.name = name;
  }
}

export function createEnvelopeClient(options: EnvelopeClientOptions): BenchClient {
  const { inner, clock, cache: setup } = options;
  const caches = new EnvelopeCaches(setup, clock);

  return {
    async send(request, onAttempt): Promise<SendResult> {
      if (!isEnvelopeOperation(request.operation)) return inner.send(request, onAttempt);
      let attempts = 0;
      const listener: AttemptListener = (outcome) => {
        attempts++;
        onAttempt(outcome);
      };
      const kms: KmsCall = async (operation, input) => {
        // The data-key call draws its service latency by the envelope operation's key: one call per operation at most.
        const call = request.draw === undefined ? { operation, input, bucket: request.bucket } : { operation, input, bucket: request.bucket, draw: request.draw };
        const result = await inner.send(call, listener);
        if (!result.ok) throw new KmsCallError(result.errorName ?? 'Error');
        return result.output ?? {};
      };
      const input = request.input as Record<string, unknown>;
      const keyArn = String(input['KeyId']);
      const context = input['EncryptionContext'] as Record<string, string> | undefined;
      const cache = caches.cacheFor(request.client);
      try {
        if (request.operation === 'envelopeEncrypt') {
          const plaintext = input['Plaintext'] as Uint8Array;
          await envelopeEncrypt({ kms, ...(cache === undefined ? {} : { cache }) }, keyArn, plaintext, context);
          if (cache === undefined) caches.recordUncachedMessage(plaintext.byteLength);
        } else {
          await envelopeDecrypt({ kms, ...(cache === undefined ? {} : { cache }) }, input['Message'] as Uint8Array, context, keyArn);
        }
        return { ok: true, attempts };
      } catch (error) {
        return { ok: false, errorName: errorNameOf(error), attempts };
      }
    },
    cacheStats(): CacheReport {
      return caches.report();
    },
    destroy() {
      caches.clear();
      inner.destroy();
    },
  };
}
