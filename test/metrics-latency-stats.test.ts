/**
 * The fuller latency statistics (min, p2.5, p95, p97.5, mean, stdev) and the bucketed distribution are read from the
 * merged histogram: workers' distributions are added, never their percentiles averaged.
 */
import { describe, expect, test } from 'vitest';
import { createMergeHistogram } from '../src/metrics/histogram.js';
import { mergeMetrics, MetricsRecorder, summarize } from '../src/metrics/index.js';
import { LATENCY_BUCKET_BOUNDS_US, latencyBuckets, latencyStats } from '../src/metrics/latency-stats.js';

/** A worker's recorder with one operation per given latency (µs), each admitted at once. */
function worker(latenciesUs: readonly number[]): MetricsRecorder {
  const recorder = new MetricsRecorder({ startNs: 0, timelineSeconds: 2 });
  const handle = recorder.handle('web', 'Encrypt');
  for (const latency of latenciesUs) {
    handle.offered(0);
    handle.attempt('symmetric', 'admitted', 1);
    handle.completed(true, undefined, latency, 1, 1);
  }
  return recorder;
}

const repeat = (value: number, times: number): number[] => new Array<number>(times).fill(value);

describe('latency statistics', () => {
  test('two workers merge as one distribution: p99 is the merged tail, not the mean of two p99s', () => {
    // Worker A: 99 fast answers and one 100 ms outlier; worker B: 100 answers at 2 ms.
    const a = worker([...repeat(1000, 99), 100_000]);
    const b = worker(repeat(2000, 100));
    const latency = summarize(mergeMetrics([a.toWire(), b.toWire()]), { durationSec: 1 }).total.latencyUs;
    expect(latency.count).toBe(200);
    // 198 of 200 values are ≤ 2 ms: the merged p99 is 2 ms (averaging A's p99 1 ms and B's 2 ms would say 1.5 ms).
    expect(latency.p99).toBe(2000);
    // HdrHistogram reports the highest value equivalent to the largest recorded one: within 0.1% (3 digits).
    expect(Math.abs(latency.max - 100_000)).toBeLessThanOrEqual(100);
    expect(latency.min).toBe(1000);
    expect(latency.p025).toBe(1000);
    expect(latency.p95).toBe(2000);
    expect(latency.p975).toBe(2000);
    const values = [...repeat(1000, 99), 100_000, ...repeat(2000, 100)];
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(latency.mean).toBeCloseTo(mean, 6);
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    expect(latency.stdev).toBeCloseTo(sd, 3);
  });

  test('an empty histogram has every statistic 0, never NaN', () => {
    const stats = latencyStats(createMergeHistogram());
    expect(stats.count).toBe(0);
    for (const value of Object.values(stats)) expect(value).toBe(0);
  });

  test('buckets: each value falls in the first 1-2-5 bound at or above it; empty ends are trimmed', () => {
    const histogram = createMergeHistogram();
    for (const [value, count] of [[15, 3], [20, 1], [21, 2], [4_999, 5], [1_500_000, 1]] as const) histogram.recordValueWithCount(value, count);
    const buckets = latencyBuckets(histogram);
    expect(buckets.upperUs[0]).toBe(20);
    expect(buckets.upperUs.at(-1)).toBe(2_000_000);
    const at = (bound: number): number => buckets.counts[buckets.upperUs.indexOf(bound)] ?? NaN;
    expect(at(20)).toBe(4);
    expect(at(50)).toBe(2);
    expect(at(5000)).toBe(5);
    expect(at(2_000_000)).toBe(1);
    expect(buckets.counts.reduce((s, n) => s + n, 0)).toBe(histogram.totalCount);
  });

  test('an empty histogram has no buckets; the bounds are one shared 1-2-5 series up to an hour', () => {
    expect(latencyBuckets(createMergeHistogram())).toEqual({ upperUs: [], counts: [] });
    expect(LATENCY_BUCKET_BOUNDS_US.slice(0, 4)).toEqual([10, 20, 50, 100]);
    expect(LATENCY_BUCKET_BOUNDS_US.at(-1)).toBe(3_600_000_000);
  });

  test('the summary carries the buckets per fleet and for the whole variant, counting every completed operation', () => {
    const recorder = worker(repeat(3000, 10));
    const other = recorder.handle('batch', 'Decrypt');
    other.offered(0);
    other.attempt('symmetric', 'admitted', 1);
    other.completed(true, undefined, 80_000, 1, 1);
    const summary = summarize(mergeMetrics([recorder.toWire()]), { durationSec: 1 });
    expect(summary.fleets['web']?.latencyBucketsUs).toEqual({ upperUs: [5000], counts: [10] });
    expect(summary.fleets['batch']?.latencyBucketsUs).toEqual({ upperUs: [100_000], counts: [1] });
    expect(summary.latencyBucketsUs?.counts.reduce((s, n) => s + n, 0)).toBe(11);
  });
});
