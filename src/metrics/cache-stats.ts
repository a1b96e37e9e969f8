/**
 * Data-key cache counters as the metrics carry them: plain numbers that add up across workers (maxima take the
 * maximum). The cache (src/client/data-key-cache.ts) fills them; the summary derives rates and savings from them.
 */

/** Why entries left the cache. */
export interface EvictionCounts {
  /** LRU: the cache was at capacity. */
  capacity: number;
  /** Older than maxAge when looked up. */
  expired: number;
  /** maxMessagesEncrypted or maxBytesEncrypted reached. */
  limits: number;
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
}

export function emptyCacheStats(): CacheStats {
  return {
    encryptHits: 0,
    encryptMisses: 0,
    encryptJoined: 0,
    decryptHits: 0,
    decryptMisses: 0,
    decryptJoined: 0,
    evictions: { capacity: 0, expired: 0, limits: 0 },
    dataKeys: 0,
    messages: 0,
    bytes: 0,
    maxMessagesPerKey: 0,
    maxBytesPerKey: 0,
    maxKeyAgeMs: 0,
  };
}

/** Adds `from` into `into` (sums, and maxima of the max fields). */
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
  into.dataKeys += from.dataKeys;
  into.messages += from.messages;
  into.bytes += from.bytes;
  into.maxMessagesPerKey = Math.max(into.maxMessagesPerKey, from.maxMessagesPerKey);
  into.maxBytesPerKey = Math.max(into.maxBytesPerKey, from.maxBytesPerKey);
  into.maxKeyAgeMs = Math.max(into.maxKeyAgeMs, from.maxKeyAgeMs);
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

