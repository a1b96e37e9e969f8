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
import { emptyCacheStats, recordKeyUsage, type CacheStats } from '../metrics/cache-stats.js';
import { DataKeyEntries } from './data-key-entries.js';
import { contextId, type CacheLookup, type DataKeyMaterial, type DecryptKeyLease, type EncryptKeyLease } from './data-key-lease.js';

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

export class DataKeyCache {
  readonly #maxBytes: number;
  readonly #dedupe: boolean;
  readonly #clock: TimeSource;
  readonly #stats = emptyCacheStats();
  /** The entries, their limits and evictions (data-key-entries.ts). */
  readonly #entries: DataKeyEntries;
  /** With dedupe: the entries whose fetch is in flight, each with the lookups waiting for it to settle. */
  readonly #inFlight = new Map<string, (() => void)[]>();
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
    this.#maxBytes = maxBytes;
    this.#dedupe = options.dedupeInFlight ?? false;
    this.#clock = options.clock;
    const zeroAtOnce = options.keysUsedAtOnce ?? false;
    const limits = { capacity, maxAgeNs: maxAgeMs * NS_PER_MS, maxMessages, maxBytes, zeroAtOnce, clock: options.clock };
    this.#entries = new DataKeyEntries(limits, this.#stats);
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
    const use = (joined: boolean): EncryptKeyLease | undefined => {
      const material = this.useEncryptKey(id, plaintextLength, joined);
      return material === undefined ? undefined : { material, lookup: lookupOf(joined), cached: true };
    };
    return this.#lookUpOrFetch('encrypt', id, use, fetch, (fetched) => this.completeEncryptFetch(id, fetched, plaintextLength));
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
    const use = (joined: boolean): DecryptKeyLease | undefined => {
      const plaintext = this.useDecryptKey(id, joined);
      return plaintext === undefined ? undefined : { plaintext, lookup: lookupOf(joined), cached: true };
    };
    return this.#lookUpOrFetch('decrypt', id, use, fetch, (fetched) => this.completeDecryptFetch(id, fetched, encrypted));
  }

  /** The async lookup both kinds share: use a cached key, or wait for a fetch in flight and look again, or fetch. */
  async #lookUpOrFetch<Fetched, Lease>(
    kind: 'encrypt' | 'decrypt',
    id: string,
    use: (joined: boolean) => Lease | undefined,
    fetch: () => Promise<Fetched>,
    complete: (fetched: Fetched) => Lease,
  ): Promise<Lease> {
    let joined = false;
    for (;;) {
      const lease = use(joined);
      if (lease !== undefined) return lease;
      if (!this.fetchInFlight(id)) break;
      joined = true;
      await new Promise<void>((resume) => this.joinFetch(id, resume));
    }
    this.beginFetch(kind, id);
    let fetched: Fetched;
    try {
      fetched = await fetch();
    } catch (error) {
      this.abandonFetch(id);
      throw error;
    }
    return complete(fetched);
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
    const entry = this.#entries.lookup(id, plaintextLength);
    if (entry === undefined) return undefined;
    if (joined) this.#stats.encryptJoined++;
    else this.#stats.encryptHits++;
    return entry.material;
  }

  /** The cached plaintext of decrypt entry `id`, counted as a hit (or joined); `undefined` when there is none. */
  useDecryptKey(id: string, joined: boolean): Uint8Array | undefined {
    const entry = this.#entries.lookup(id, undefined);
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

  /**
   * A miss that fetches: counted, and (with dedupe) marked in flight so concurrent misses join it. With a fetch for
   * `id` already in flight the caller must join it instead: starting another would drop its waiters, never resumed.
   */
  beginFetch(kind: 'encrypt' | 'decrypt', id: string): void {
    if (this.#inFlight.has(id)) throw new Error(`a fetch for cache entry ${id} is already in flight: join it (joinFetch) instead of beginning another`);
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
      this.#entries.put(id, { kind: 'encrypt', material, createdNs: now, lastUseNs: now, messages: 1, bytes: plaintextLength });
      lease = { material, lookup: 'miss', cached: true };
    }
    this.#settle(id);
    return lease;
  }

  /** The fetch for decrypt entry `id` returned `plaintext`: cached, then the lookups waiting for it resumed. */
  completeDecryptFetch(id: string, plaintext: Uint8Array, encrypted: Uint8Array): DecryptKeyLease {
    const now = this.#clock.nowNs();
    this.#entries.put(id, { kind: 'decrypt', material: { plaintext, encrypted, keyArn: '' }, createdNs: now, lastUseNs: now, messages: 0, bytes: 0 });
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
    this.#entries.addLiveKeyUsage(stats);
    return stats;
  }

  /** Drops every entry, zero-filling its key (shutdown). */
  clear(): void {
    this.#entries.clear();
  }

  #settle(id: string): void {
    const waiting = this.#inFlight.get(id);
    if (waiting === undefined) return;
    this.#inFlight.delete(id);
    for (const resume of waiting) resume();
  }
}

/** How a lookup that found a key was answered: after waiting for another request's fetch, or at once. */
function lookupOf(joined: boolean): CacheLookup {
  return joined ? 'joined' : 'hit';
}
