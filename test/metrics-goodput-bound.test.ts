/**
 * Goodput is defined once for both clocks — successes counted in the second they finished, over the run's whole
 * seconds — so it never exceeds what the quota admits, however many requests drain after the scheduled end. Also the
 * rate window's edge cases and the growing-backlog signal.
 */
import { describe, expect, test } from 'vitest';
import { runVariants } from '../src/engine/run.js';
import { simulateVariant } from '../src/engine/simulate-variant.js';
import type { VariantPlan } from '../src/engine/wire.js';
import { mergeMetrics, summarize } from '../src/metrics/index.js';
import { backlogOf, goodputOf, rateWindow } from '../src/metrics/rates.js';
import { REGION, smallPlan } from './support/small-plan.js';

const QUOTA = 100;

/** Closed clients far beyond the quota, retrying with jitter: many requests are still in flight at the end. */
function overloaded(durationMs: number): VariantPlan {
  return {
    ...smallPlan({
      durationMs,
      quotas: { profile: 'kms-current', overrides: { [REGION]: { symmetric: QUOTA } } },
      fleet: {
        workload: { model: 'closed', clients: 60, thinkTimeMs: 5 },
        retry: { policy: 'full-jitter', baseMs: 50, capMs: 2000, maxAttempts: 6 },
      },
    }),
    serviceLatency: { default: { distribution: 'lognormal', medianMs: 4, p99Ms: 25 } },
  };
}

describe('goodput never exceeds what the quota admits', () => {
  test('virtual clock: the drain after the scheduled end is not spread over the run', async () => {
    const plan = overloaded(10_000);
    const result = await simulateVariant({ plan, crypto: 'off' });
    const summary = summarize(mergeMetrics([result.metrics]), { durationSec: 10 });
    const total = summary.total;
    // Requests in flight at the end kept succeeding after it: dividing every success by 10 s would exceed the quota.
    expect(total.succeededAfterEnd).toBeGreaterThan(0);
    expect(total.succeeded / 10).toBeGreaterThan(QUOTA);
    expect(total.goodputPerSec).toBeLessThanOrEqual(QUOTA);
    expect(total.goodputPerSec).toBeGreaterThan(0.95 * QUOTA);
    expect(summary.rateWindow).toEqual({ wholeSeconds: 10, seconds: 10, whole: true });
  });

  test('wall clock: timeline seconds are the quota windows, and goodput is at most the quota', async () => {
    const plan = overloaded(3000);
    const run = await runVariants([plan], { runId: 'engine-test', workers: 2 });
    expect(run.state).toBe('completed');
    const summary = run.variants[0]?.metrics;
    if (summary === undefined) throw new Error('no variant');
    const admitted = summary.timelines['symmetric']?.admitted ?? [];
    // Each of the three whole seconds is one quota window: never more than the quota admitted in it. (An attempt is
    // stamped just after the limiter's decision: one admitted a hair before a window's end may land in the next.)
    for (const second of admitted.slice(0, 3)) expect(second).toBeLessThanOrEqual(QUOTA + 1);
    expect(summary.total.goodputPerSec).toBeLessThanOrEqual(QUOTA);
    expect(summary.total.goodputPerSec).toBeGreaterThan(0);
  });
});

describe('a batch: goodput over its makespan', () => {
  test('closed clients with iterations: the work ends early, goodput is over the seconds it took, at most the quota', async () => {
    const plan = overloaded(60_000);
    const batch = { ...plan, fleets: plan.fleets.map((f) => ({ ...f, workload: { model: 'closed', clients: 20, thinkTimeMs: 0, iterations: 50 } as const })) };
    const result = await simulateVariant({ plan: batch, crypto: 'off' });
    const summary = summarize(mergeMetrics([result.metrics]), { durationSec: 60, batch: true });
    const total = summary.total;
    // 1,000 operations (some failing after their 6 attempts) against 100/s: seconds of work in a 60 s schedule.
    expect(total.completed).toBe(1000);
    expect(total.makespanSec).toBeGreaterThan(5);
    expect(total.makespanSec).toBeLessThan(20);
    expect(summary.rateWindow.wholeSeconds).toBe(Math.ceil(total.makespanSec));
    expect(total.goodputPerSec).toBeLessThanOrEqual(QUOTA);
    expect(total.goodputPerSec).toBeGreaterThan(0.5 * QUOTA);
    // Over the 60 scheduled seconds it would read as a sixth of that.
    const diluted = summarize(mergeMetrics([result.metrics]), { durationSec: 60 });
    expect(diluted.total.goodputPerSec).toBeLessThan(total.goodputPerSec / 3);
  });
});

describe('the rate window and the backlog', () => {
  const line = (offered: number[], succeeded: number[], ended = succeeded) => ({ offered, succeeded, ended });

  test.each([
    [10, 11, { wholeSeconds: 10, seconds: 10, whole: true }],
    [4.5, 6, { wholeSeconds: 4, seconds: 4, whole: true }],
    [59.9999999999, 61, { wholeSeconds: 60, seconds: 60, whole: true }],
    [0.5, 2, { wholeSeconds: 0, seconds: 0.5, whole: false }],
  ])('a run of %s s with %i timeline slots', (durationSec, slots, expected) => {
    expect(rateWindow(durationSec, slots)).toEqual(expected);
  });

  test('a batch that ended early is measured in whole seconds up to its last operation', () => {
    expect(rateWindow(60, 61, 12.3)).toEqual({ wholeSeconds: 13, seconds: 13, whole: true });
    expect(rateWindow(60, 61, 75)).toEqual({ wholeSeconds: 60, seconds: 60, whole: true });
  });

  test('goodput counts whole seconds only; a sub-second run counts all it measured', () => {
    const timeline = line([100, 100, 100, 0], [90, 100, 100, 40]);
    expect(goodputOf(timeline, rateWindow(3, 4))).toBe(290 / 3);
    expect(goodputOf(line([10, 0], [8, 2]), rateWindow(0.5, 2))).toBe(20);
  });

  test('a queue that grows through the run is flagged; a steady one is not', () => {
    const seconds = 10;
    const offered = new Array<number>(seconds + 1).fill(100);
    const growing = backlogOf(line(offered, new Array<number>(seconds + 1).fill(50)), rateWindow(seconds, seconds + 1));
    expect(growing.growing).toBe(true);
    expect(growing.atEnd).toBe(500);
    expect(growing.growthPerSec).toBe(50);
    const steady = backlogOf(line(offered, [90, ...new Array<number>(seconds).fill(100)]), rateWindow(seconds, seconds + 1));
    expect(steady.growing).toBe(false);
    expect(steady.atEnd).toBe(10);
    // Too short to tell a trend from noise.
    expect(backlogOf(line([100, 100, 100], [0, 0, 0]), rateWindow(2, 3)).growing).toBe(false);
  });
});
