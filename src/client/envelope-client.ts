/**
 * A {@link BenchClient} for envelope workloads on the `direct` or `sdk` client: `envelopeEncrypt` and
 * `envelopeDecrypt` requests run envelope encryption (envelope.ts) with the fleet's data-key cache, and their KMS
 * calls go through the fleet's own client, so quotas, retries and service latency apply as to any request. Every KMS
 * attempt is reported to the logical operation that caused it: a cache hit makes none, which is what
 * `kmsCallsPerOp` counts. Other operations pass straight through.
 *
 * Partitions: `fleet` shares one cache among the fleet's clients in this worker (each wall-clock worker thread holds
 * its own, as separate hosts would); `client` gives each client of a closed workload its own cache.
 */
import type { Clock } from '../base/time.js';
import { addCacheStats, emptyCacheStats, recordKeyUsage } from '../metrics/cache-stats.js';
import { isEnvelopeOperation } from '../metrics/cache-summary.js';
import { errorNameOf, type AttemptListener, type BenchClient, type CacheReport, type SendResult } from './bench-client.js';
import { DataKeyCache, type DataKeyCacheOptions } from './data-key-cache.js';
import { envelopeDecrypt, envelopeEncrypt, type KmsCall } from './envelope.js';

/** A fleet's cache settings as the engine passes them. */
export interface EnvelopeCacheSetup extends Omit<DataKeyCacheOptions, 'clock'> {
  readonly partition: 'fleet' | 'client';
}

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
  const caches = new Map<number, DataKeyCache>();
  // Without a cache, every data key is used for one message: its usage is recorded here.
  const uncached = emptyCacheStats();
  const cacheFor = (client: number | undefined): DataKeyCache | undefined => {
    if (setup === undefined) return undefined;
    const index = setup.partition === 'client' ? (client ?? 0) : 0;
    let cache = caches.get(index);
    if (cache === undefined) {
      cache = new DataKeyCache({ ...setup, clock });
      caches.set(index, cache);
    }
    return cache;
  };

  return {
    async send(request, onAttempt): Promise<SendResult> {
      if (!isEnvelopeOperation(request.operation)) return inner.send(request, onAttempt);
      let attempts = 0;
      const listener: AttemptListener = (outcome) => {
        attempts++;
        onAttempt(outcome);
      };
      const kms: KmsCall = async (operation, input) => {
        const result = await inner.send({ operation, input, bucket: request.bucket }, listener);
        if (!result.ok) throw new KmsCallError(result.errorName ?? 'Error');
        return result.output ?? {};
      };
      const input = request.input as Record<string, unknown>;
      const keyArn = String(input['KeyId']);
      const context = input['EncryptionContext'] as Record<string, string> | undefined;
      const cache = cacheFor(request.client);
      try {
        if (request.operation === 'envelopeEncrypt') {
          const plaintext = input['Plaintext'] as Uint8Array;
          await envelopeEncrypt({ kms, ...(cache === undefined ? {} : { cache }) }, keyArn, plaintext, context);
          if (cache === undefined) recordKeyUsage(uncached, 1, plaintext.byteLength, 0);
        } else {
          await envelopeDecrypt({ kms, ...(cache === undefined ? {} : { cache }) }, input['Message'] as Uint8Array, context, keyArn);
        }
        return { ok: true, attempts };
      } catch (error) {
        return { ok: false, errorName: errorNameOf(error), attempts };
      }
    },
    cacheStats(): CacheReport {
      if (setup === undefined) return { cached: false, stats: structuredClone(uncached) };
      const stats = emptyCacheStats();
      for (const cache of caches.values()) addCacheStats(stats, cache.snapshot());
      return { cached: true, stats };
    },
    destroy() {
      for (const cache of caches.values()) cache.clear();
      inner.destroy();
    },
  };
}
