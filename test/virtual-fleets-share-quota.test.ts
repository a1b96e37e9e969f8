/**
 * Fleets that share one (account, region) quota interleave in simulated time as real callers do: no fleet runs its
 * schedule ahead of the others, on either simulation driver, and swapping the fleets' order changes nothing beyond
 * sampling noise. The wall clock, where the fleets really run side by side, is the reference.
 */
import { describe, expect, test } from 'vitest';
import { runVariants } from '../src/engine/run.js';
import { simulateVariant } from '../src/engine/simulate-variant.js';
import type { EngineDriver, FleetPlan, VariantPlan } from '../src/engine/wire.js';
import { mergeMetrics, summarize, type MetricsSummary } from '../src/metrics/index.js';
import { REGION, smallPlan } from './support/small-plan.js';

const jitter = { policy: 'full-jitter', baseMs: 50, capMs: 2000, maxAttempts: 4 } as const;

/** The two fleets: 50/s Decrypt and 70/s GenerateDataKey + Decrypt against a 100/s symmetric quota. */
function twoFleets(durationMs: number, order: 'reader-first' | 'writer-first' = 'reader-first', latency = true): VariantPlan {
  const base = smallPlan({ durationMs, quotas: { profile: 'kms-current', overrides: { [REGION]: { symmetric: 100 } } } });
  const web = base.fleets[0] as FleetPlan;
  const reader: FleetPlan = {
    ...web,
    name: 'reader',
    workload: { model: 'open', arrivalRatePerSec: 50, poisson: true },
    mix: [{ op: 'Decrypt', weight: 1, key: 'app', payloadBytes: 64 }],
    retry: jitter,
  };
  const writer: FleetPlan = {
    ...web,
    name: 'writer',
    workload: { model: 'open', arrivalRatePerSec: 70, poisson: true },
    mix: [
      { op: 'GenerateDataKey', weight: 1, key: 'app' },
      { op: 'Decrypt', weight: 1, key: 'app', payloadBytes: 64 },
    ],
    retry: jitter,
  };
  return {
    ...base,
    serviceLatency: latency ? { default: { distribution: 'lognormal', medianMs: 5, p99Ms: 30 } } : {},
    fleets: order === 'reader-first' ? [reader, writer] : [writer, reader],
  };
}

async function simulate(plan: VariantPlan, driver: EngineDriver): Promise<MetricsSummary> {
  const result = await simulateVariant({ plan, crypto: 'off', driver });
  expect(result.driver).toBe(driver);
  return summarize(mergeMetrics([result.metrics]), { durationSec: plan.durationMs / 1000 });
}

const throttleRate = (summary: MetricsSummary, fleet: string): number => summary.fleets[fleet]?.total.throttleRate ?? Number.NaN;

describe('fleets sharing one quota on the virtual clock', () => {
  test.each(['events', 'promises'] as const)('%s driver: both fleets see about the same throttle rate, in either order', async (driver) => {
    const readerFirst = await simulate(twoFleets(20_000), driver);
    const writerFirst = await simulate(twoFleets(20_000, 'writer-first'), driver);
    for (const summary of [readerFirst, writerFirst]) {
      const reader = throttleRate(summary, 'reader');
      const writer = throttleRate(summary, 'writer');
      expect(reader).toBeGreaterThan(0.2);
      expect(writer).toBeGreaterThan(0.2);
      expect(Math.abs(reader - writer)).toBeLessThan(0.08);
    }
    // Swapping the fleets' order only changes which seeded streams they draw: sampling noise.
    for (const fleet of ['reader', 'writer']) {
      expect(Math.abs(throttleRate(readerFirst, fleet) - throttleRate(writerFirst, fleet))).toBeLessThan(0.08);
    }
  });

  test.each(['events', 'promises'] as const)('%s driver: a fleet that never queues an event does not run ahead', async (driver) => {
    // No service latency, no in-flight limit and no throttle: the first fleet's operations queue nothing. Two 400/s
    // fleets under a 1,000/s quota must never be throttled, and each must be admitted through the whole run.
    const plan = twoFleets(5000, 'reader-first', false);
    const fleets = plan.fleets.map((fleet) => ({ ...fleet, workload: { model: 'open', arrivalRatePerSec: 400 } as const, retry: { policy: 'none', maxAttempts: 1 } as const }));
    const summary = await simulate({ ...plan, quotas: { profile: 'kms-current', overrides: { [REGION]: { symmetric: 1000 } } }, fleets }, driver);
    expect(summary.total.throttled).toBe(0);
    expect(summary.total.failedTotal).toBe(0);
    for (const name of ['reader', 'writer']) {
      const admitted = summary.fleets[name]?.timelines['symmetric']?.admitted ?? [];
      // About 400 in each of the five seconds (arrival k is at k/400 s): spread over the run, not bunched at an end.
      expect(admitted.reduce((a, b) => a + b, 0)).toBe(2000);
      for (const second of admitted.slice(0, 5)) expect(Math.abs(second - 400)).toBeLessThanOrEqual(1);
    }
  });

  test.each(['events', 'promises'] as const)('%s driver: a closed fleet after an open one in the same region runs', async (driver) => {
    const plan = twoFleets(3000, 'reader-first', false);
    const [open, closed] = plan.fleets as [FleetPlan, FleetPlan];
    const closedFleet: FleetPlan = { ...closed, workload: { model: 'closed', clients: 2, thinkTimeMs: 100 } };
    const summary = await simulate({ ...plan, fleets: [{ ...open, workload: { model: 'open', arrivalRatePerSec: 20 } }, closedFleet] }, driver);
    // Two clients, one operation per 100 ms think time (answers take no simulated time): 30 each over 3 s.
    expect(summary.fleets['writer']?.total.offered).toBe(60);
    expect(summary.fleets['reader']?.total.offered).toBe(60);
  });
});

describe('fleets sharing one quota on the wall clock', () => {
  test('per-fleet throttle rates match the virtual clock within sampling noise', async () => {
    const plan = twoFleets(6000);
    const wall = await runVariants([plan], { runId: 'engine-test', workers: 2 });
    expect(wall.state).toBe('completed');
    const wallSummary = wall.variants[0]?.metrics;
    if (wallSummary === undefined) throw new Error('no wall variant');
    const virtual = await simulate(plan, 'events');
    for (const fleet of ['reader', 'writer']) {
      expect(throttleRate(wallSummary, fleet)).toBeGreaterThan(0.2);
      expect(Math.abs(throttleRate(wallSummary, fleet) - throttleRate(virtual, fleet))).toBeLessThan(0.12);
    }
  });
});
