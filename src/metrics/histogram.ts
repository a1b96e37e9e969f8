/**
 * Latency histograms: HdrHistogram (hdr-histogram-js, pure-JS implementation, not the wasm one) over integer
 * microseconds. Workers record into 32-bit-count histograms (fast to record); the main thread decodes and adds into
 * 64-bit-count ones so merged counts cannot overflow. Distributions are added, never percentiles averaged.
 */
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

/** Smallest distinguishable latency: 1 µs. */
export const LATENCY_LOWEST_US = 1;
/** Largest trackable latency: one hour. Longer latencies are recorded as one hour. */
export const LATENCY_HIGHEST_US = 3_600_000_000;
/** Value resolution: 3 significant digits (0.1% relative error). */
export const LATENCY_SIGNIFICANT_DIGITS = 3 as const;

export type { Histogram };

/**
 * Resolution of start-delay histograms: 2 significant digits (1%). A start delay answers "did the generator keep up",
 * for which 1% is plenty, and the coarser layout keeps its hot-path counts (latency-counts.ts) at ~25 KB per
 * operation instead of the ~180 KB of a 3-digit one.
 */
export const START_DELAY_SIGNIFICANT_DIGITS = 2 as const;

function buildLatency(bitBucketSize: 32 | 64, digits: 1 | 2 | 3 | 4 | 5 = LATENCY_SIGNIFICANT_DIGITS): Histogram {
  return build({
    bitBucketSize,
    autoResize: false,
    lowestDiscernibleValue: LATENCY_LOWEST_US,
    highestTrackableValue: LATENCY_HIGHEST_US,
    numberOfSignificantValueDigits: digits,
    useWebAssembly: false,
  });
}

/** An empty histogram for recording on a worker (32-bit counts: about 95 KB, ~fast `recordValue`). */
export function createRecordingHistogram(): Histogram {
  return buildLatency(32);
}

/** An empty histogram for merging on the main thread (64-bit float counts: exact to 2^53 per value). */
export function createMergeHistogram(): Histogram {
  return buildLatency(64);
}

/**
 * An empty start-delay histogram (µs from a request's intended start to its actual start), at
 * {@link START_DELAY_SIGNIFICANT_DIGITS}: 32-bit counts to record on a worker, 64-bit to merge on the main thread.
 */
export function createStartDelayHistogram(bitBucketSize: 32 | 64): Histogram {
  return buildLatency(bitBucketSize, START_DELAY_SIGNIFICANT_DIGITS);
}

/** Rounds and clamps a latency into the trackable range: negatives and NaN become 0, beyond one hour one hour. */
export function clampLatencyUs(latencyUs: number): number {
  if (!(latencyUs > 0)) return 0;
  if (latencyUs >= LATENCY_HIGHEST_US) return LATENCY_HIGHEST_US;
  return Math.round(latencyUs);
}

/** HdrHistogram V2 compressed encoding, base64 (the format HdrHistogram's other ports read). */
export function encodeHistogram(histogram: Histogram): string {
  return encodeIntoCompressedBase64(histogram);
}

/** Decodes a {@link encodeHistogram} string into a 64-bit-count histogram. */
export function decodeHistogram(encoded: string): Histogram {
  return decodeFromCompressedBase64(encoded, 64, false);
}
