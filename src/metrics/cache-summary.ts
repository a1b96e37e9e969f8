/**
 * The cache summary of one fleet's envelope operations: effectiveness (hits, misses, KMS calls saved) and the security
 * side (how much each data key was exposed). A figure the client could not observe is `null`, never a false 0.
 */
import type { CacheStats, EvictionCounts } from './cache-stats.js';
import type { OperationCounters } from './wire.js';

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/**
 * Envelope operations of one fleet: cache effectiveness, KMS calls, and how much each data key was exposed. Fields
 * typed `| null` are `null` when the fleet's client could not observe them: a `client: esdk` fleet with a cache (the
 * Encryption SDK's cache exposes no counters; see `CacheObservation`). Readers show `null` as unknown ("n/a").
 */
export interface CacheSummary {
  /** False for a fleet without a cache (every operation calls KMS; every data key protects one message). */
  readonly cached: boolean;
  readonly encryptHits: number;
  readonly encryptMisses: number;
  /** Waited for another request's in-flight fetch (dedupeInFlight), then used its key. */
  readonly encryptJoined: number;
  readonly decryptHits: number;
  readonly decryptMisses: number;
  readonly decryptJoined: number;
  /** (hits + joined) / lookups, encrypt and decrypt together (0 without lookups). */
  readonly hitRate: number;
  /** Entries that left the cache, by reason; `null` when not observed (esdk). */
  readonly evictions: EvictionCounts | null;
  /** Completed envelope operations and the KMS calls (attempts, retries included) they made. */
  readonly envelopeOps: number;
  readonly kmsCalls: number;
  readonly kmsCallsPerOp: number;
  /**
   * KMS calls saved against one call per envelope operation (what the fleet makes uncached and unthrottled):
   * envelopeOps − kmsCalls. Negative when retries add more calls than the cache saves. A paired uncached variant gives
   * the measured figure (result.json `cacheSavings`).
   */
  readonly kmsCallsSaved: number;
  /**
   * Encrypt data keys used (one GenerateDataKey each) and their exposure. The count and the means are always
   * observed (an esdk fleet counts one key per encrypt that called KMS); the maxima and key age need to know which
   * messages each key served and are `null` when not observed (esdk).
   */
  readonly dataKeys: number;
  readonly messagesPerKeyMean: number;
  readonly messagesPerKeyMax: number | null;
  readonly bytesPerKeyMean: number;
  readonly bytesPerKeyMax: number | null;
  /** Longest time from a data key's fetch to its last use, ms; `null` when not observed (esdk). */
  readonly maxKeyAgeMs: number | null;
}

/**
 * The envelope operations: a data key from KMS (or the cache), the payload encrypted locally. Harness operations, not
 * KMS's: a mix issues them (workload/), the envelope clients run them (client/), scenarios validate them (scenario/).
 * Declared once, here, in the lowest layer that reads them: the cache summary counts them by name.
 */
export const ENVELOPE_OPERATIONS = ['envelopeEncrypt', 'envelopeDecrypt'] as const;
export type EnvelopeOperation = (typeof ENVELOPE_OPERATIONS)[number];

/** Whether an operation name is an envelope operation. */
export function isEnvelopeOperation(operation: string): operation is EnvelopeOperation {
  return operation === 'envelopeEncrypt' || operation === 'envelopeDecrypt';
}

/** The cache summary of one fleet from its cache statistics and the counters of its operations by name. */
export function cacheSummary(cached: boolean, s: CacheStats, operations: ReadonlyMap<string, OperationCounters>): CacheSummary {
  let envelopeOps = 0;
  let kmsCalls = 0;
  for (const [name, counters] of operations) {
    if (!isEnvelopeOperation(name)) continue;
    envelopeOps += counters.completed;
    kmsCalls += counters.attempts;
  }
  const served = s.encryptHits + s.encryptJoined + s.decryptHits + s.decryptJoined;
  return {
    cached,
    encryptHits: s.encryptHits,
    encryptMisses: s.encryptMisses,
    encryptJoined: s.encryptJoined,
    decryptHits: s.decryptHits,
    decryptMisses: s.decryptMisses,
    decryptJoined: s.decryptJoined,
    hitRate: ratio(served, served + s.encryptMisses + s.decryptMisses),
    evictions: s.observed.evictions ? { ...s.evictions } : null,
    envelopeOps,
    kmsCalls,
    kmsCallsPerOp: ratio(kmsCalls, envelopeOps),
    kmsCallsSaved: envelopeOps - kmsCalls,
    dataKeys: s.dataKeys,
    messagesPerKeyMean: ratio(s.messages, s.dataKeys),
    messagesPerKeyMax: s.observed.keyMaxima ? s.maxMessagesPerKey : null,
    bytesPerKeyMean: ratio(s.bytes, s.dataKeys),
    bytesPerKeyMax: s.observed.keyMaxima ? s.maxBytesPerKey : null,
    maxKeyAgeMs: s.observed.keyMaxima ? s.maxKeyAgeMs : null,
  };
}

