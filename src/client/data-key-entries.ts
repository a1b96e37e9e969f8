/**
 * The entries of a data-key cache (data-key-cache.ts, whose header states the rules): LRU by entry count, maxAge and
 * the encrypt limits checked as a lookup counts its message, replacement by a newer fetch, the eviction counts and key
 * usage of what leaves, and the zero-filling of a key that leaves. Apart from the cache so that the cache file holds
 * the lookup and fetch protocol (entry ids, hits and misses, fetches in flight) and this one the entries' lifecycle.
 */
import type { TimeSource } from '../base/time.js';
import { NS_PER_MS } from '../base/time.js';
import { recordKeyUsage, type CacheStats, type EvictionCounts } from '../metrics/cache-stats.js';
import type { DataKeyMaterial } from './data-key-lease.js';

export interface Entry {
  readonly kind: 'encrypt' | 'decrypt';
  readonly material: DataKeyMaterial;
  readonly createdNs: number;
  lastUseNs: number;
  messages: number;
  bytes: number;
}

/** The cache's limits as the entries apply them (validated by the cache). */
export interface EntryLimits {
  readonly capacity: number;
  readonly maxAgeNs: number;
  readonly maxMessages: number;
  readonly maxBytes: number;
  /** Zero-fill a key leaving the cache at once (see `DataKeyCacheOptions.keysUsedAtOnce`). */
  readonly zeroAtOnce: boolean;
  readonly clock: TimeSource;
}

type Reason = keyof EvictionCounts | 'clear';

export class DataKeyEntries {
  readonly #limits: EntryLimits;
  /** The cache's counters: evictions and retired keys' usage are counted here. */
  readonly #stats: CacheStats;
  /** Insertion order is recency: the first entry is the least recently used. */
  readonly #entries = new Map<string, Entry>();
  /** The id of the entry last in recency order, if known. */
  #mru: string | undefined;

  constructor(limits: EntryLimits, stats: CacheStats) {
    this.#limits = limits;
    this.#stats = stats;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The usable entry for `id` (counting this message when `plaintextLength` is given), or undefined. */
  lookup(id: string, plaintextLength: number | undefined): Entry | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    const limits = this.#limits;
    const now = limits.clock.nowNs();
    if (now - entry.createdNs > limits.maxAgeNs) {
      this.#remove(id, 'expired');
      return undefined;
    }
    if (plaintextLength !== undefined) {
      entry.messages++;
      entry.bytes += plaintextLength;
      if (entry.messages > limits.maxMessages || entry.bytes > limits.maxBytes) {
        // This message was counted but not encrypted under the key.
        entry.messages--;
        entry.bytes -= plaintextLength;
        this.#remove(id, 'limits');
        return undefined;
      }
    }
    entry.lastUseNs = now;
    // Most recently used goes last (already there when it was the last one used: a warm cache's common case).
    if (this.#mru !== id) {
      this.#entries.delete(id);
      this.#entries.set(id, entry);
      this.#mru = id;
    }
    return entry;
  }

  /**
   * Caches `entry` as the most recently used. When another request cached one for the same id while this one was
   * fetching (concurrent misses without dedupe), the last put wins, as in the SDK (`@aws-crypto/cache-material`
   * 5.0.2): after a miss, `getEncryptionMaterials` / `decryptMaterials` (src/caching_cryptographic_materials_decorators.ts)
   * put what they fetched without looking again, and `putEncryptionMaterial` / `putDecryptionMaterial`
   * (src/get_local_cryptographic_materials_cache.ts) call `cache.set` on lru-cache 6, which on an existing key
   * disposes the old value — the cache's `dispose` zero-fills its unencrypted data key — stores the new one with a
   * fresh age and counters (1 message and this one's bytes, or 0 for decrypt) and makes it the most recently used,
   * evicting nothing else.
   * The replaced key is counted as a `replaced` eviction and zero-filled once nothing can be using it (see
   * {@link #remove}).
   */
  put(id: string, entry: Entry): void {
    if (this.#entries.has(id)) this.#remove(id, 'replaced');
    while (this.#entries.size >= this.#limits.capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#remove(oldest.value, 'capacity');
    }
    this.#entries.set(id, entry);
    this.#mru = id;
  }

  /** Adds the usage of the keys still cached to `stats`, as if they retired now. */
  addLiveKeyUsage(stats: CacheStats): void {
    for (const entry of this.#entries.values()) {
      if (entry.kind === 'encrypt') recordKeyUsage(stats, entry.messages, entry.bytes, (entry.lastUseNs - entry.createdNs) / NS_PER_MS);
    }
  }

  /** Drops every entry, zero-filling its key (shutdown). */
  clear(): void {
    for (const id of [...this.#entries.keys()]) this.#remove(id, 'clear');
  }

  #remove(id: string, reason: Reason): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    this.#entries.delete(id);
    if (this.#mru === id) this.#mru = undefined;
    if (reason !== 'clear') this.#stats.evictions[reason]++;
    if (entry.kind === 'encrypt') {
      recordKeyUsage(this.#stats, entry.messages, entry.bytes, (entry.lastUseNs - entry.createdNs) / NS_PER_MS);
    }
    // A request handed this key earlier in the same turn of the event loop may not have used it yet (its continuation
    // is still queued): zero the key once the turn is over. That covers a replaced key too: the request that fetched
    // it, and any that hit it while the replacing fetch was in flight, use it synchronously once handed it (the SDK
    // hands out clones instead, so it can zero at once). clear() is the owner's, at the end: zero at once.
    const key = entry.material.plaintext;
    if (reason === 'clear' || this.#limits.zeroAtOnce) key.fill(0);
    else setImmediate(() => key.fill(0));
  }
}
