/**
 * What a merged histogram says, as plain numbers for `result.json`: the latency statistics (percentiles, mean,
 * standard deviation, min, max), the start-delay statistics that say whether the generator kept up, and the latency
 * distribution in fixed buckets for the report's histogram chart. Every figure is read from a merged distribution;
 * none is averaged across workers, fleets or operations.
 */
import { JsHistogram } from 'hdr-histogram-js';
import type { Histogram } from './histogram.js';

/**
 * Latency of completed logical operations from their intended start, in integer microseconds. `min`, `p025`, `p95`,
 * `p975` and `stdev` were added after result schema version 1 was first written: absent in older results.
 */
export interface LatencySummaryUs {
  /** Operations measured; every other field is 0 when this is. */
  readonly count: number;
  readonly min?: number;
  /** The 2.5th percentile (autocannon's low end: what the fastest requests see). */
  readonly p025?: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95?: number;
  /** The 97.5th percentile. */
  readonly p975?: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
  /** Population standard deviation of the merged distribution. */
  readonly stdev?: number;
}

/**
 * How late open-workload operations started: µs from each one's intended start to its actual start (dropped ones
 * never started and are not in it). On the virtual clock every start is on time (all 0).
 */
export interface StartDelaySummaryUs {
  /** Starts measured (open workloads only: a closed client starts when it means to). */
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/**
 * A latency distribution in fixed buckets: `counts[i]` operations took more than `upperUs[i − 1]` and at most
 * `upperUs[i]` µs (the first bucket: at most `upperUs[0]`). Empty buckets before the first and after the last
 * non-empty one are left out, so `upperUs` says where the distribution lies.
 */
export interface LatencyBucketsUs {
  readonly upperUs: number[];
  readonly counts: number[];
}

/** Bucket bounds in µs: the 1-2-5 series from 10 µs to one hour, so every run's and variant's bars line up. */
export const LATENCY_BUCKET_BOUNDS_US: readonly number[] = (() => {
  const bounds: number[] = [];
  for (let decade = 10; decade < 3_600_000_000; decade *= 10) for (const step of [1, 2, 5]) bounds.push(step * decade);
  bounds.push(3_600_000_000);
  return bounds;
})();

const EMPTY_LATENCY: LatencySummaryUs = { count: 0, min: 0, p025: 0, p50: 0, p90: 0, p95: 0, p975: 0, p99: 0, p999: 0, max: 0, mean: 0, stdev: 0 };

/** The latency statistics of a merged histogram (all 0 when it is empty). */
export function latencyStats(histogram: Histogram): LatencySummaryUs {
  const count = histogram.totalCount;
  if (count === 0) return EMPTY_LATENCY;
  return {
    count,
    // minNonZeroValue: a latency is at least 1 µs (clampLatencyUs rounds up a sub-µs answer to 1), so nothing is 0.
    min: histogram.minNonZeroValue,
    p025: histogram.getValueAtPercentile(2.5),
    p50: histogram.getValueAtPercentile(50),
    p90: histogram.getValueAtPercentile(90),
    p95: histogram.getValueAtPercentile(95),
    p975: histogram.getValueAtPercentile(97.5),
    p99: histogram.getValueAtPercentile(99),
    p999: histogram.getValueAtPercentile(99.9),
    max: histogram.maxValue,
    mean: histogram.mean,
    stdev: histogram.stdDeviation,
  };
}

/** The start-delay statistics of a merged start-delay histogram (all 0 when it is empty). */
export function startDelayStats(histogram: Histogram): StartDelaySummaryUs {
  const count = histogram.totalCount;
  if (count === 0) return { count: 0, p50: 0, p99: 0, max: 0, mean: 0 };
  return {
    count,
    p50: histogram.getValueAtPercentile(50),
    p99: histogram.getValueAtPercentile(99),
    max: histogram.maxValue,
    mean: histogram.mean,
  };
}

/** The first bound at or above `value` (binary search over {@link LATENCY_BUCKET_BOUNDS_US}). */
function bucketOf(value: number): number {
  let low = 0;
  let high = LATENCY_BUCKET_BOUNDS_US.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((LATENCY_BUCKET_BOUNDS_US[mid] as number) >= value) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * The histogram's counts in {@link LATENCY_BUCKET_BOUNDS_US} buckets, walking its recorded values (each HDR bin once,
 * filed by its lowest equivalent value: at 3 significant digits a bin is at most 0.1% wide, so a bar is off by no more).
 */
export function latencyBuckets(histogram: Histogram): LatencyBucketsUs {
  const counts = new Array<number>(LATENCY_BUCKET_BOUNDS_US.length).fill(0);
  if (histogram.totalCount > 0) {
    if (!(histogram instanceof JsHistogram)) throw new TypeError('latencyBuckets reads a JavaScript HdrHistogram');
    const values = histogram.recordedValuesIterator;
    values.reset();
    while (values.hasNext()) {
      const step = values.next();
      const index = bucketOf(histogram.lowestEquivalentValue(step.valueIteratedTo));
      counts[index] = (counts[index] ?? 0) + step.countAtValueIteratedTo;
    }
  }
  const first = counts.findIndex((n) => n > 0);
  if (first < 0) return { upperUs: [], counts: [] };
  let last = counts.length - 1;
  while (counts[last] === 0) last--;
  return { upperUs: LATENCY_BUCKET_BOUNDS_US.slice(first, last + 1), counts: counts.slice(first, last + 1) };
}
