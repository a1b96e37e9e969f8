/**
 * The wall-clock engine on real worker threads: every worker draws from one quota budget, counters add up, and an
 * interrupted or crashed run comes back incomplete with what was measured. Assertions are on counts, never on time.
 */
import { describe, expect, test } from 'vitest';
import { runVariants } from '../src/engine/run.js';
import type { VariantPlan } from '../src/engine/wire.js';
import { checkCounters } from '../src/metrics/index.js';
import { REGION, smallPlan } from './support/small-plan.js';

const QUOTA = 50;

function plan(overrides: Partial<VariantPlan> = {}): VariantPlan {
  const base = smallPlan({
    name: 'two-workers',
    quotas: { profile: 'kms-current', overrides: { [REGION]: { symmetric: QUOTA } } },
    fleet: { workload: { model: 'open', arrivalRatePerSec: 2 * QUOTA } },
  });
  return { ...base, ...overrides };
}

describe('the wall-clock engine with two workers on one quota', () => {
  test('admits at most the quota in every second, and the counters add up', async () => {
    const run = await runVariants([plan()], { runId: 'engine-test', workers: 2 });
    expect(run.state).toBe('completed');
    const variant = run.variants[0];
    if (variant === undefined) throw new Error('no variant');
    const total = variant.metrics.total;
    expect(total.offered).toBeGreaterThan(0);
    expect(checkCounters(total)).toEqual([]);
    expect(total.attempts).toBe(total.attemptOutcomes.admitted + total.attemptOutcomes.throttled + total.attemptOutcomes.errors);
    expect(total.succeeded + total.failedTotal).toBe(total.offered - total.dropped);
    expect(total.throttled).toBeGreaterThan(0);
    const timeline = variant.metrics.timelines['symmetric'];
    if (timeline === undefined) throw new Error('no symmetric timeline');
    // Timeline seconds are the quota's windows (both start at the run's start). An attempt is stamped just after the
    // limiter's decision, so one admitted a hair before a window's end may land in the next second.
    for (const admitted of timeline.admitted) expect(admitted).toBeLessThanOrEqual(QUOTA + 1);
    const admittedTotal = timeline.admitted.reduce((a, b) => a + b, 0);
    // Three seconds of run and the drain after them: at most four windows.
    expect(admittedTotal).toBeLessThanOrEqual(4 * QUOTA);
    expect(admittedTotal).toBe(total.succeeded);
    const slot = variant.quota.find((q) => q.bucket === 'symmetric' && q.region === REGION);
    expect(slot?.quotaPerSec).toBe(QUOTA);
    expect(slot?.admitted).toBe(admittedTotal);
    expect(slot?.throttled).toBe(total.throttled);
  });

  test('a retry policy turns throttles into retries', async () => {
    const retrying = plan({
      name: 'retrying',
      fleets: plan().fleets.map((f) => ({ ...f, retry: { policy: 'full-jitter', baseMs: 50, capMs: 400, maxAttempts: 4 } as const })),
    });
    const run = await runVariants([plan(), retrying], { runId: 'engine-test', workers: 2 });
    const [none, jitter] = run.variants;
    if (none === undefined || jitter === undefined) throw new Error('missing variants');
    expect(none.metrics.total.retries).toBe(0);
    expect(jitter.metrics.total.retries).toBeGreaterThan(0);
    expect(jitter.metrics.total.attemptsPerOp).toBeGreaterThan(1);
    expect(jitter.metrics.total.attempts).toBe(jitter.metrics.total.offered - jitter.metrics.total.dropped + jitter.metrics.total.retries);
    expect(none.metrics.total.failed['ThrottlingException']).toBe(none.metrics.total.throttled);
  });

  test('an aborted run returns what it measured, marked incomplete', async () => {
    const abort = new AbortController();
    const run = await runVariants([plan({ durationMs: 60_000 })], {
      runId: 'engine-test',
      workers: 2,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.completedOps > 20) abort.abort();
      },
    });
    expect(run.state).toBe('incomplete');
    expect(run.reason).toBe('interrupted');
    expect(run.variants[0]?.metrics.total.offered).toBeGreaterThan(20);
  });

  test('a crashed worker stops the run; the other worker still reports', async () => {
    const run = await runVariants([plan({ durationMs: 60_000 })], { runId: 'engine-test', workers: 2, crashWorker: { worker: 1, afterMs: 300 } });
    expect(run.state).toBe('incomplete');
    expect(run.reason).toContain('worker 1 failed: injected crash');
    expect(run.variants[0]?.metrics.total.offered).toBeGreaterThan(0);
  });
});
