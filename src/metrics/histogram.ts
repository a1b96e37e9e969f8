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
export const LATENCY_SIGNIFICANT_DIGITS = 3;

export type { Histogram };

function buildLatency(bitBucketSize: 32 | 64): Histogram {
  return build({
    bitBucketSize,
    autoResize: false,
    lowestDiscernibleValue: LATENCY_LOWEST_US,
    highestTrackableValue: LATENCY_HIGHEST_US,
    numberOfSignificantValueDigits: LATENCY_SIGNIFICANT_DIGITS,
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
