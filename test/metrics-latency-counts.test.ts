/**
 * The fast latency counts file every value in the slot HdrHistogram itself would: flushed, they give the very histogram
 * that recording value by value gives, for any values up to the one-hour ceiling.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createRecordingHistogram, encodeHistogram, LATENCY_HIGHEST_US, LATENCY_SIGNIFICANT_DIGITS } from '../src/metrics/histogram.js';
import { LatencyCounts } from '../src/metrics/latency-counts.js';

function both(values: readonly number[]): { direct: string; counted: string } {
  const direct = createRecordingHistogram();
  const counts = new LatencyCounts(createRecordingHistogram(), LATENCY_SIGNIFICANT_DIGITS);
  for (const value of values) {
    direct.recordValue(value);
    counts.record(value);
  }
  return { direct: encodeHistogram(direct), counted: encodeHistogram(counts.flush()) };
}

describe('LatencyCounts', () => {
  test('slot edges of every bucket, zero, and values past the fast range match HdrHistogram', () => {
    const values = [0, 1, 2, 2047, 2048, 2049, 4095, 4096, 4097, 65_535, 65_536, 1_000_003, 2 ** 30, 2 ** 31 - 1, 2 ** 31, LATENCY_HIGHEST_US];
    for (let shift = 11; shift < 31; shift++) values.push(2 ** shift - 1, 2 ** shift, 2 ** shift + 1, 3 * 2 ** (shift - 1));
    const { direct, counted } = both(values);
    expect(counted).toBe(direct);
  });

  test('any values up to one hour give the same histogram as recording them one by one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: LATENCY_HIGHEST_US }), { minLength: 1, maxLength: 400 }), (values) => {
        const { direct, counted } = both(values);
        expect(counted).toBe(direct);
      }),
      { numRuns: 200 },
    );
  });

  test('a second flush adds only what was recorded since the first', () => {
    const counts = new LatencyCounts(createRecordingHistogram(), LATENCY_SIGNIFICANT_DIGITS);
    counts.record(5);
    counts.record(5000);
    expect(counts.flush().totalCount).toBe(2);
    expect(counts.flush().totalCount).toBe(2);
    counts.record(7);
    expect(encodeHistogram(counts.flush())).toBe(both([5, 5000, 7]).direct);
  });
});
