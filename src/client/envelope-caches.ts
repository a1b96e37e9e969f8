/**
 * One fleet's data-key caches by partition, and its key usage without a cache: shared by the promise-driven envelope
 * client (envelope-client.ts) and the event-driven simulator's envelope operations (src/engine/sim-envelope.ts), so
 * partitioning and what a fleet reports of its data keys exist once.
 *
 * Partitions: `fleet` shares one cache among the fleet's clients in this thread (each wall-clock worker thread holds
 * its own, as separate hosts would); `client` gives each client of a closed workload its own cache.
 */
import type { TimeSource } from '../base/time.js';
import { addCacheStats, emptyCacheStats, recordKeyUsage } from '../metrics/cache-stats.js';
import type { CacheReport } from './bench-client.js';
import { DataKeyCache, type DataKeyCacheOptions } from './data-key-cache.js';

/** A fleet's cache settings as the engine passes them. */
export interface EnvelopeCacheSetup extends Omit<DataKeyCacheOptions, 'clock' | 'keysUsedAtOnce'> {
  readonly partition: 'fleet' | 'client';
}

export class EnvelopeCaches {
  readonly #setup: EnvelopeCacheSetup | undefined;
  readonly #clock: TimeSource;
  readonly #keysUsedAtOnce: boolean;
  readonly #caches = new Map<number, DataKeyCache>();
  /** Without a cache every data key protects one message: its usage is recorded here. */
  readonly #uncached = emptyCacheStats();

  /**
   * @param setup the fleet's cache; none when absent (one KMS call per envelope operation).
   * @param keysUsedAtOnce see {@link DataKeyCacheOptions.keysUsedAtOnce}.
   */
  constructor(setup: EnvelopeCacheSetup | undefined, clock: TimeSource, keysUsedAtOnce = false) {
    this.#setup = setup;
    this.#clock = clock;
    this.#keysUsedAtOnce = keysUsedAtOnce;
  }

  /** The cache of `client` (a closed workload's client number; unset in open workloads), or none without a cache. */
  cacheFor(client: number | undefined): DataKeyCache | undefined {
    const setup = this.#setup;
    if (setup === undefined) return undefined;
    const index = setup.partition === 'client' ? (client ?? 0) : 0;
    let cache = this.#caches.get(index);
    if (cache === undefined) {
      cache = new DataKeyCache({ ...setup, clock: this.#clock, keysUsedAtOnce: this.#keysUsedAtOnce });
      this.#caches.set(index, cache);
    }
    return cache;
  }

  /** An uncached fleet encrypted one message of `bytes` under a fresh data key. */
  recordUncachedMessage(bytes: number): void {
    recordKeyUsage(this.#uncached, 1, bytes, 0);
  }

  /** The counters to report: every partition's cache added up, or the uncached key usage. */
  report(): CacheReport {
    if (this.#setup === undefined) return { cached: false, stats: structuredClone(this.#uncached) };
    const stats = emptyCacheStats();
    for (const cache of this.#caches.values()) addCacheStats(stats, cache.snapshot());
    return { cached: true, stats };
  }

  /** Empties every cache, zero-filling its keys. */
  clear(): void {
    for (const cache of this.#caches.values()) cache.clear();
  }
}
