/**
 * A data-key cache with the AWS Encryption SDK's semantics (aws-kms-facts.md §5; `@aws-crypto/cache-material`
 * `getLocalCryptographicMaterialsCache` and `caching_cryptographic_materials_decorators`):
 * - LRU by entry count (`capacity`); encrypt and decrypt entries share it.
 * - Encrypt entries are keyed by the KMS key and encryption context, decrypt entries by the encrypted data key and
 *   context.
 * - A lookup first counts the current message against the entry (messages + 1, bytes + length), then checks the
 *   limits: it is used while age ≤ maxAge, messages ≤ maxMessagesEncrypted and bytes ≤ maxBytesEncrypted; otherwise
 *   it is dropped and fresh material is fetched. A fresh key starts at 1 message and the message's bytes, so with
 *   maxMessagesEncrypted = N one key serves N messages.
 * - The first use of a key is exempt from maxBytesEncrypted: a message bigger than the limit gets a fresh key once,
 *   which is not cached.
 * - Concurrent misses for one entry each fetch a key and each put it: the last put wins, replacing the entry (its
 *   counters restart with the new key, which becomes the most recently used) and zero-filling the replaced key.
 * - A plaintext key is zero-filled when its entry leaves the cache (LRU, expiry, limits, replacement, `clear`).
 *
 * One option the SDK lacks: `dedupeInFlight`. The SDK merges no concurrent misses (a cold start with K concurrent
 * requests makes K KMS calls, and K − 1 of the keys are replaced at once); with dedupe, a miss for an entry whose
 * fetch is already in flight waits for it and looks again, so there is one fetch and nothing to replace. Time comes
 * from the injected clock, so the virtual clock drives expiry.
 *
 * A key handed out is valid until the caller next yields (awaits): use it synchronously. The cache owns cached keys;
 * an uncached key (`cached: false`) belongs to the caller, who zero-fills it after use. Encryption context objects
 * are taken as immutable: their canonical encoding is remembered per object.
 */
import type { TimeSource } from '../base/time.js';
import { NS_PER_MS } from '../base/time.js';
import { emptyCacheStats, recordKeyUsage, type CacheStats, type EvictionCounts } from '../metrics/cache-stats.js';
import { contextId, type DataKeyMaterial, type DecryptKeyLease, type EncryptKeyLease } from './data-key-lease.js';

export { addCacheStats, emptyCacheStats, type CacheStats, type EvictionCounts } from '../metrics/cache-stats.js';
export { contextId, type CacheLookup, type DataKeyMaterial, type DecryptKeyLease, type EncryptKeyLease } from './data-key-lease.js';

/** The SDK's bounds (`@aws-crypto/serialize` `Maximum`): its defaults when a limit is not given. */
export const ESDK_MAX_MESSAGES_PER_KEY = 2 ** 32;
export const ESDK_MAX_BYTES_PER_KEY = Number.MAX_SAFE_INTEGER;

export interface DataKeyCacheOptions {
  /** Entries (encrypt and decrypt together); LRU beyond. ≥ 1. */
  readonly capacity: number;
  /** An entry older than this (ms since it was fetched) is not used. > 0. */
  readonly maxAgeMs: number;
  /** Messages one encrypt key may protect; default 2^32 (the SDK's maximum). */
  readonly maxMessagesEncrypted?: number;
  /** Bytes one encrypt key may protect; default 2^53 − 1. */
  readonly maxBytesEncrypted?: number;
  /** Concurrent misses for one entry make one fetch (default false, as in the SDK). */
  readonly dedupeInFlight?: boolean;
  /**
   * True when every key handed out is used before anything else runs (the event-driven simulator's state machines):
   * a key leaving the cache is then zero-filled at once rather than after the current turn of the event loop, which
   * a simulation that never yields would not reach until its end. Default false.
   */
  readonly keysUsedAtOnce?: boolean;
  /** Only read: a {@link Clock} or the event-driven simulator's queue. */
  readonly clock: TimeSource;
}

interface Entry {
  readonly kind: 'encrypt' | 'decrypt';
  readonly material: DataKeyMaterial;
  readonly createdNs: number;
  lastUseNs: number;
  messages: number;
  bytes: number;
}

type Reason = keyof EvictionCounts | 'clear';

export class DataKeyCache {
  readonly #capacity: number;
  readonly #maxAgeNs: number;
  readonly #maxMessages: number;
  readonly #maxBytes: number;
  readonly #dedupe: boolean;
  readonly #zeroAtOnce: boolean;
  readonly #clock: TimeSource;
  /** Insertion order is recency: the first entry is the least recently used. */
  readonly #entries = new Map<string, Entry>();
  /** With dedupe: the entries whose fetch is in flight, each with the lookups waiting for it to settle. */
  readonly #inFlight = new Map<string, (() => void)[]>();
  readonly #stats = emptyCacheStats();
  /** The id of the entry last in recency order, if known. */
  #mru: string | undefined;
  /**
   * Encrypt entry ids by key, then by context object (workloads reuse both): the same id string each time, whose hash
   * the engine keeps, so a lookup neither builds nor hashes a string.
   */
  readonly #encryptIds = new Map<string, { bare?: string; byContext: WeakMap<object, string> }>();

  constructor(options: DataKeyCacheOptions) {
    const { capacity, maxAgeMs } = options;
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`cache.capacity must be an integer ≥ 1, got ${String(capacity)}`);
    if (!(maxAgeMs > 0)) throw new RangeError(`cache.maxAge must be > 0 ms, got ${String(maxAgeMs)}`);
    const maxMessages = options.maxMessagesEncrypted ?? ESDK_MAX_MESSAGES_PER_KEY;
    const maxBytes = options.maxBytesEncrypted ?? ESDK_MAX_BYTES_PER_KEY;
    if (!Number.isInteger(maxMessages) || maxMessages < 1 || maxMessages > ESDK_MAX_MESSAGES_PER_KEY) {
      throw new RangeError(`cache.maxMessagesEncrypted must be an integer in 1..2^32, got ${String(maxMessages)}`);
    }
    if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new RangeError(`cache.maxBytesEncrypted must be an integer ≥ 1, got ${String(maxBytes)}`);
    this.#capacity = capacity;
    this.#maxAgeNs = maxAgeMs * NS_PER_MS;
    this.#maxMessages = maxMessages;
    this.#maxBytes = maxBytes;
    this.#dedupe = options.dedupeInFlight ?? false;
    this.#zeroAtOnce = options.keysUsedAtOnce ?? false;
    this.#clock = options.clock;
  }

  /** Entries held now. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * A cached encrypt key within its limits, counted as a hit, or `undefined` (nothing counted) — the synchronous fast
   * path of {@link encryptionKey}, which a caller tries first.
   */
  cachedEncryptionKey(keyArn: string, context: Readonly<Record<string, string>> | undefined, plaintextLength: number): EncryptKeyLease | undefined {
    const material = this.useEncryptKey(this.encryptEntryId(keyArn, context), plaintextLength, false);
    return material === undefined ? undefined : { material, lookup: 'hit', cached: true };
  }

  /**
   * The key to encrypt a message of `plaintextLength` bytes under `keyArn` and `context`: a cached one within its
   * limits, or fresh material from `fetch` (GenerateDataKey), cached unless its first use already exceeds a limit.
   * `fetch` errors propagate and leave nothing cached. Built on the synchronous steps below, which the event-driven
   * simulator drives itself: one set of rules for both.
   */
  async encryptionKey(
    keyArn: string,
    context: Readonly<Record<string, string>> | undefined,
    plaintextLength: number,
    fetch: () => Promise<DataKeyMaterial>,
  ): Promise<EncryptKeyLease> {
    if (!(plaintextLength >= 0)) throw new RangeError('plaintextLength must be ≥ 0');
    const id = this.encryptEntryId(keyArn, context);
    let joined = false;
    for (;;) {
      const material = this.useEncryptKey(id, plaintextLength, joined);
      if (material !== undefined) return { material, lookup: joined ? 'joined' : 'hit', cached: true };
      if (this.fetchInFlight(id)) {
        joined = true;
        await new Promise<void>((resume) => this.joinFetch(id, resume));
        continue;
      }
      this.beginFetch('encrypt', id);
      let fetched: DataKeyMaterial;
      try {
        fetched = await fetch();
      } catch (error) {
        this.abandonFetch(id);
        throw error;
      }
      return this.completeEncryptFetch(id, fetched, plaintextLength);
    }
  }

  /**
   * The plaintext of `encrypted` under `context`: cached, or from `fetch` (KMS Decrypt). Decrypt entries count no
   * messages or bytes; only maxAge and capacity end them (as in the SDK).
   */
  async decryptionKey(
    encrypted: Uint8Array,
    context: Readonly<Record<string, string>> | undefined,
    fetch: () => Promise<Uint8Array>,
  ): Promise<DecryptKeyLease> {
    const id = this.decryptEntryId(encrypted, context);
    let joined = false;
    for (;;) {
      const plaintext = this.useDecryptKey(id, joined);
      if (plaintext !== undefined) return { plaintext, lookup: joined ? 'joined' : 'hit', cached: true };
      if (this.fetchInFlight(id)) {
        joined = true;
        await new Promise<void>((resume) => this.joinFetch(id, resume));
        continue;
      }
      this.beginFetch('decrypt', id);
      let fetched: Uint8Array;
      try {
        fetched = await fetch();
      } catch (error) {
        this.abandonFetch(id);
        throw error;
      }
      return this.completeDecryptFetch(id, fetched, encrypted);
    }
  }

  // The synchronous steps of a lookup. A caller (the async methods above, or a state machine) looks up; on a miss it
  // either joins a fetch in flight (with dedupe) and looks up again, as `joined`, when it settles, or begins its own
  // fetch and completes or abandons it.

  /** The encrypt entry id of (key, context), remembered per key and context object. */
  encryptEntryId(keyArn: string, context: Readonly<Record<string, string>> | undefined): string {
    let ids = this.#encryptIds.get(keyArn);
    if (ids === undefined) {
      ids = { byContext: new WeakMap() };
      this.#encryptIds.set(keyArn, ids);
    }
    let id = context === undefined ? ids.bare : ids.byContext.get(context);
    if (id === undefined) {
      id = `e\u0000${keyArn}\u0000${contextId(context)}`;
      if (context === undefined) ids.bare = id;
      else ids.byContext.set(context, id);
    }
    return id;
  }

  /** The decrypt entry id of an encrypted data key under `context`. */
  decryptEntryId(encrypted: Uint8Array, context: Readonly<Record<string, string>> | undefined): string {
    return `d\u0000${Buffer.from(encrypted.buffer, encrypted.byteOffset, encrypted.byteLength).toString('base64')}\u0000${contextId(context)}`;
  }

  /**
   * The cached key of encrypt entry `id` for a message of `plaintextLength` bytes, counted against its limits and as
   * a hit (or as joined, after waiting for another request's fetch); `undefined`, nothing counted, when there is none
   * within its limits.
   */
  useEncryptKey(id: string, plaintextLength: number, joined: boolean): DataKeyMaterial | undefined {
    const entry = this.#lookup(id, plaintextLength);
    if (entry === undefined) return undefined;
    if (joined) this.#stats.encryptJoined++;
    else this.#stats.encryptHits++;
    return entry.material;
  }

  /** The cached plaintext of decrypt entry `id`, counted as a hit (or joined); `undefined` when there is none. */
  useDecryptKey(id: string, joined: boolean): Uint8Array | undefined {
    const entry = this.#lookup(id, undefined);
    if (entry === undefined) return undefined;
    if (joined) this.#stats.decryptJoined++;
    else this.#stats.decryptHits++;
    return entry.material.plaintext;
  }

  /** True when, with dedupe, a fetch for entry `id` is in flight: a miss then waits for it instead of fetching. */
  fetchInFlight(id: string): boolean {
    return this.#inFlight.has(id);
  }

  /** Waits for the fetch in flight for `id`: `resume` is called once it completes or is abandoned. */
  joinFetch(id: string, resume: () => void): void {
    const waiting = this.#inFlight.get(id);
    if (waiting === undefined) throw new Error(`no fetch in flight for cache entry ${id}`);
    waiting.push(resume);
  }

  /** A miss that fetches: counted, and (with dedupe) marked in flight so concurrent misses join it. */
  beginFetch(kind: 'encrypt' | 'decrypt', id: string): void {
    if (kind === 'encrypt') this.#stats.encryptMisses++;
    else this.#stats.decryptMisses++;
    if (this.#dedupe) this.#inFlight.set(id, []);
  }

  /**
   * The fetch for encrypt entry `id` returned `material`: cached for this message of `plaintextLength` bytes (unless
   * the message alone is over maxBytesEncrypted: the key is then the caller's, used once), then the lookups waiting
   * for it are resumed (they run after the caller, which uses its key first).
   */
  completeEncryptFetch(id: string, material: DataKeyMaterial, plaintextLength: number): EncryptKeyLease {
    let lease: EncryptKeyLease;
    // First use exempt: a fresh key whose first message is over a limit is used once and not cached (the SDK's
    // `testEntry` check with messages = 1 and bytes = this message).
    if (plaintextLength > this.#maxBytes) {
      recordKeyUsage(this.#stats, 1, plaintextLength, 0);
      lease = { material, lookup: 'miss', cached: false };
    } else {
      const now = this.#clock.nowNs();
      this.#put(id, { kind: 'encrypt', material, createdNs: now, lastUseNs: now, messages: 1, bytes: plaintextLength });
      lease = { material, lookup: 'miss', cached: true };
    }
    this.#settle(id);
    return lease;
  }

  /** The fetch for decrypt entry `id` returned `plaintext`: cached, then the lookups waiting for it resumed. */
  completeDecryptFetch(id: string, plaintext: Uint8Array, encrypted: Uint8Array): DecryptKeyLease {
    const now = this.#clock.nowNs();
    this.#put(id, { kind: 'decrypt', material: { plaintext, encrypted, keyArn: '' }, createdNs: now, lastUseNs: now, messages: 0, bytes: 0 });
    this.#settle(id);
    return { plaintext, lookup: 'miss', cached: true };
  }

  /** The fetch for `id` failed: nothing is cached; the lookups waiting for it look again (and one of them fetches). */
  abandonFetch(id: string): void {
    this.#settle(id);
  }

  /** Counters so far, with the keys still cached counted as if they retired now. A fresh object. */
  snapshot(): CacheStats {
    const stats = structuredClone(this.#stats);
    for (const entry of this.#entries.values()) {
      if (entry.kind === 'encrypt') recordKeyUsage(stats, entry.messages, entry.bytes, (entry.lastUseNs - entry.createdNs) / NS_PER_MS);
    }
    return stats;
  }

  /** Drops every entry, zero-filling its key (shutdown). */
  clear(): void {
    for (const id of [...this.#entries.keys()]) this.#remove(id, 'clear');
  }

  #settle(id: string): void {
    const waiting = this.#inFlight.get(id);
    if (waiting === undefined) return;
    this.#inFlight.delete(id);
    for (const resume of waiting) resume();
  }

  /** The usable entry for `id` (counting this message when `plaintextLength` is given), or undefined. */
  #lookup(id: string, plaintextLength: number | undefined): Entry | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    const now = this.#clock.nowNs();
    if (now - entry.createdNs > this.#maxAgeNs) {
      this.#remove(id, 'expired');
      return undefined;
    }
    if (plaintextLength !== undefined) {
      entry.messages++;
      entry.bytes += plaintextLength;
      if (entry.messages > this.#maxMessages || entry.bytes > this.#maxBytes) {
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
  #put(id: string, entry: Entry): void {
    if (this.#entries.has(id)) this.#remove(id, 'replaced');
    while (this.#entries.size >= this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#remove(oldest.value, 'capacity');
    }
    this.#entries.set(id, entry);
    this.#mru = id;
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
    if (reason === 'clear' || this.#zeroAtOnce) key.fill(0);
    else setImmediate(() => key.fill(0));
  }
}
