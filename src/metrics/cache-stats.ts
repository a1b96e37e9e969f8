/**
 * Data-key cache counters as the metrics carry them: plain numbers that add up across workers (maxima take the
 * maximum), and flags saying which of them the client could observe. The cache (src/client/data-key-cache.ts) and
 * the Encryption SDK client (src/client/esdk-client.ts) fill them; the summary derives rates and savings from them.
 */

/** Why entries left the cache. */
export interface EvictionCounts {
  /** LRU: the cache was at capacity. */
  capacity: number;
  /** Older than maxAge when looked up. */
  expired: number;
  /** maxMessagesEncrypted or maxBytesEncrypted reached. */
  limits: number;
  /**
   * Replaced by a newer key for the same entry: concurrent misses each fetched one and the last put wins, as in the
   * Encryption SDK's cache. Not with `dedupeInFlight`, where one fetch serves concurrent misses.
   */
  replaced: number;
}

/**
 * Which counters a client could observe. The built-in cache sees everything. The Encryption SDK's cache exposes no
 * counters: hits, misses and data keys are inferred from the KMS calls each message made (none means a hit; each
 * encrypt miss is one GenerateDataKey), so per-key means follow, but which messages each key served, how long it
 * lived and why entries left stay unknown. A field not observed is reported as unknown (`null` in the cache summary),
 * never as 0.
 */
export interface CacheObservation {
  /** `maxMessagesPerKey`, `maxBytesPerKey` and `maxKeyAgeMs`. */
  keyMaxima: boolean;
  /** `evictions`, by reason. */
  evictions: boolean;
}

/**
 * Counters of one cache, plain data so they add up across workers. Key usage covers encrypt keys only (a data key's
 * exposure): each key is counted when it retires (leaves the cache, or is used once uncached) or at `DataKeyCache.snapshot()`.
 */
export interface CacheStats {
  encryptHits: number;
  encryptMisses: number;
  encryptJoined: number;
  decryptHits: number;
  decryptMisses: number;
  decryptJoined: number;
  evictions: EvictionCounts;
  /** Encrypt data keys used (each from one GenerateDataKey). */
  dataKeys: number;
  /** Messages encrypted, summed over keys (mean per key = messages / dataKeys). */
  messages: number;
  bytes: number;
  maxMessagesPerKey: number;
  maxBytesPerKey: number;
  /** The longest time from a key's fetch to its last use, ms. */
  maxKeyAgeMs: number;
  /** What the counters above cover; a field not observed holds 0, which means unknown. Merged: observed by all. */
  observed: CacheObservation;
}

/** Zeroed counters, all observed (an esdk client clears the flags of what its cache hides). */
export function emptyCacheStats(): CacheStats {
  return {
    encryptHits: 0,
    encryptMisses: 0,
    encryptJoined: 0,
    decryptHits: 0,
    decryptMisses: 0,
    decryptJoined: 0,
    evictions: { capacity: 0, expired: 0, limits: 0, replaced: 0 },
    dataKeys: 0,
    messages: 0,
    bytes: 0,
    maxMessagesPerKey: 0,
    maxBytesPerKey: 0,
    maxKeyAgeMs: 0,
    observed: { keyMaxima: true, evictions: true },
  };
}

/** Adds `from` into `into` (sums, maxima of the max fields; a field is observed when both observed it). */
export function addCacheStats(into: CacheStats, from: CacheStats): void {
  into.encryptHits += from.encryptHits;
  into.encryptMisses += from.encryptMisses;
  into.encryptJoined += from.encryptJoined;
  into.decryptHits += from.decryptHits;
  into.decryptMisses += from.decryptMisses;
  into.decryptJoined += from.decryptJoined;
  into.evictions.capacity += from.evictions.capacity;
  into.evictions.expired += from.evictions.expired;
  into.evictions.limits += from.evictions.limits;
  into.evictions.replaced += from.evictions.replaced;
  into.dataKeys += from.dataKeys;
  into.messages += from.messages;
  into.bytes += from.bytes;
  into.maxMessagesPerKey = Math.max(into.maxMessagesPerKey, from.maxMessagesPerKey);
  into.maxBytesPerKey = Math.max(into.maxBytesPerKey, from.maxBytesPerKey);
  into.maxKeyAgeMs = Math.max(into.maxKeyAgeMs, from.maxKeyAgeMs);
  into.observed.keyMaxima &&= from.observed.keyMaxima;
  into.observed.evictions &&= from.observed.evictions;
}

/** Records an encrypt data key's exposure when it retires. */
export function recordKeyUsage(stats: CacheStats, messages: number, bytes: number, ageMs: number): void {
  stats.dataKeys++;
  stats.messages += messages;
  stats.bytes += bytes;
  if (messages > stats.maxMessagesPerKey) stats.maxMessagesPerKey = messages;
  if (bytes > stats.maxBytesPerKey) stats.maxBytesPerKey = bytes;
  if (ageMs > stats.maxKeyAgeMs) stats.maxKeyAgeMs = ageMs;
}

