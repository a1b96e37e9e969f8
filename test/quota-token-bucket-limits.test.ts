/** Token-bucket (GCRA) enforcement on an injected clock: at most `burst + rate·t` over any interval. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { QuotaBoard } from '../src/quota/index.js';

const SEC = 1e9;
const REGION = 'ap-south-1';

/** Offers requests at `times` (sorted, ns) to a fresh token-bucket board; returns the admitted flags. */
function offer(quota: number, burstSeconds: number, times: readonly number[]): boolean[] {
  let now = 0;
  const board = new QuotaBoard(
    { enforcement: 'token-bucket', burstSeconds, capacity: 16, overrides: { [REGION]: { symmetric: quota } } },
    () => now,
  );
  const partition = board.partition('111122223333', REGION);
  return times.map((t) => {
    now = t;
    return partition.admit('symmetric');
  });
}

const timesArb = (maxGapNs: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: 10 * SEC }), fc.array(fc.integer({ min: 0, max: maxGapNs }), { maxLength: 300 }))
    .map(([start, gaps]) => {
      let t = start;
      return gaps.map((gap) => (t += gap));
    });

const quotaArb = fc.oneof(fc.integer({ min: 1, max: 60 }), fc.constantFrom(0.1, 0.5, 2.5));
const burstArb = fc.constantFrom(0.05, 0.5, 1, 2, 3);

describe('token bucket', () => {
  test('admits at most burst + rate·t over any interval', () => {
    fc.assert(
      fc.property(quotaArb, burstArb, timesArb(80_000_000), (quota, burstSeconds, times) => {
        const decisions = offer(quota, burstSeconds, times);
        const admitted = times.filter((_, i) => decisions[i]);
        const burst = Math.max(1, burstSeconds * quota);
        for (let i = 0; i < admitted.length; i++) {
          for (let j = i; j < admitted.length; j++) {
            const intervalSec = ((admitted[j] ?? 0) - (admitted[i] ?? 0)) / SEC;
            expect(j - i + 1).toBeLessThanOrEqual(burst + quota * intervalSec + 1e-9);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  test('requests spaced at the rate or slower are never throttled', () => {
    fc.assert(
      fc.property(quotaArb, burstArb, fc.array(fc.integer({ min: 0, max: 3 * SEC }), { maxLength: 100 }), (quota, burstSeconds, extra) => {
        const intervalNs = Math.ceil(SEC / quota);
        let t = 0;
        const times = extra.map((gap) => (t += intervalNs + gap));
        expect(offer(quota, burstSeconds, times).every(Boolean)).toBe(true);
      }),
    );
  });

  test.each([
    [100, 1, 100],
    [100, 0.25, 25],
    [10, 3, 30],
    [0.1, 1, 1],
  ])('from idle, quota %d/s with burstSeconds %d admits a burst of %d at once', (quota, burstSeconds, burst) => {
    const admitted = offer(quota, burstSeconds, Array.from({ length: 3 * burst + 5 }, () => 50 * SEC));
    expect(admitted.filter(Boolean).length).toBe(burst);
    expect(admitted.slice(0, burst).every(Boolean)).toBe(true);
  });

  // With a burst below 2 the tolerance is under one interval, so GCRA throttles any request arriving even 1 ns
  // before its slot (and the interval is rounded up to whole ns): liveness is only promised with some burst.
  test('offered at 2× the rate for a while with a burst of 2 or more, admits the burst plus the rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), burstArb, fc.integer({ min: 1, max: 5 }), (quota, burstSeconds, seconds) => {
        const burst = Math.max(1, burstSeconds * quota);
        fc.pre(burst >= 2);
        const gapNs = SEC / (2 * quota);
        const times = Array.from({ length: 2 * quota * seconds }, (_, k) => SEC + k * gapNs);
        const count = offer(quota, burstSeconds, times).filter(Boolean).length;
        const span = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / SEC;
        expect(count).toBeLessThanOrEqual(burst + quota * span + 1e-9);
        expect(count).toBeGreaterThanOrEqual(Math.min(times.length, Math.floor(burst + quota * span) - 1));
      }),
    );
  });

  test('fractional quota 0.1/s without burst admits one request per 10 s', () => {
    const times = Array.from({ length: 600 }, (_, k) => 7 * SEC + k * 100_000_000);
    const admitted = offer(0.1, 1, times);
    expect(times.filter((_, i) => admitted[i])).toEqual([7, 17, 27, 37, 47, 57].map((s) => s * SEC));
  });
});
