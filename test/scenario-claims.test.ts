/**
 * Every shipped scenario states in its comments what its run shows; this holds each statement to the scenario's own
 * virtual-clock result (deterministic for its seed), so a comment can never drift from what the tool prints.
 */
import { describe, expect, test } from 'vitest';
import { loadScenarioFile } from '../src/scenario/loader.js';
import { planVariant } from '../src/engine/plan.js';
import { simulateVariant } from '../src/engine/simulate-variant.js';
import { mergeMetrics, summarize, type MetricsSummary } from '../src/metrics/index.js';
import { estimateCost, type CostEstimate } from '../src/report/cost.js';
import { expandMatrix } from '../src/scenario/index.js';

interface VariantOutcome {
  readonly metrics: MetricsSummary;
  readonly cost: CostEstimate;
}

/** Runs every variant of a shipped scenario on the virtual clock, in this thread; keyed by variant name. */
async function simulateShipped(file: string, sets: readonly string[] = []): Promise<Map<string, VariantOutcome>> {
  const scenario = await loadScenarioFile(`scenarios/${file}`, { sets: ['clock=virtual', ...sets] });
  const outcomes = new Map<string, VariantOutcome>();
  for (const variant of expandMatrix(scenario)) {
    const plan = planVariant(variant.name, variant.scenario);
    const result = await simulateVariant({ plan, crypto: variant.scenario.model.crypto });
    const metrics = summarize(mergeMetrics([result.metrics]), { durationSec: plan.durationMs / 1000 });
    outcomes.set(variant.name, { metrics, cost: estimateCost(variant.scenario, metrics, { quota: result.quota }) });
  }
  return outcomes;
}

function variant(outcomes: Map<string, VariantOutcome>, name: string): VariantOutcome {
  const found = outcomes.get(name);
  if (found === undefined) throw new Error(`no variant ${name}: ${[...outcomes.keys()].join(', ')}`);
  return found;
}

describe('shipped scenarios say only what their runs show', () => {
  test('backoff-comparison: immediate retries fail the most and call the least; backoff trades failures for latency', async () => {
    const runs = await simulateShipped('backoff-comparison.yaml');
    const immediate = variant(runs, 'retry=immediate').metrics.total;
    const backoffs = ['exponential', 'full-jitter', 'equal-jitter', 'decorrelated-jitter'].map((p) => variant(runs, `retry=${p}`).metrics.total);
    expect(immediate.failedTotal / immediate.offered).toBeGreaterThan(0.15); // "about a fifth"
    expect(immediate.failedTotal / immediate.offered).toBeLessThan(0.25);
    for (const total of backoffs) {
      expect(total.failedTotal).toBeLessThanOrEqual(immediate.failedTotal / 2);
      expect(total.attempts).toBeGreaterThan(immediate.attempts);
      expect(total.latencyUs.p99).toBeGreaterThan(1_000_000); // the slowest wait seconds
      expect(total.goodputPerSec).toBeLessThanOrEqual(100);
    }
    expect(immediate.latencyUs.p99).toBeLessThan(1_000_000);
    const exponential = variant(runs, 'retry=exponential').metrics.total;
    for (const total of backoffs) expect(exponential.failedTotal).toBeLessThanOrEqual(total.failedTotal);
  });

  test('caching-comparison: a cache removes the throttles and cuts KMS calls and cost; dedupe and maxAge as stated', async () => {
    const runs = await simulateShipped('caching-comparison.yaml');
    const off = variant(runs, 'fleets.app.cache=off');
    expect(off.metrics.total.throttleRate).toBeGreaterThan(0.5);
    expect(off.metrics.total.goodputPerSec).toBeLessThanOrEqual(100);
    expect(off.metrics.total.failedTotal / off.metrics.total.offered).toBeGreaterThan(0.5);
    const cached = [...runs].filter(([name]) => name !== 'fleets.app.cache=off');
    expect(cached).toHaveLength(4);
    for (const [, run] of cached) {
      expect(run.metrics.total.throttled).toBe(0);
      expect(run.metrics.total.succeeded).toBe(run.metrics.total.offered);
      expect(run.cost.unavailable).toBeUndefined(); // long enough for a steady state
      expect(run.cost.costUsdPerMonth ?? Infinity).toBeLessThan(off.cost.costUsdPerMonth ?? 0);
    }
    const callsPerOp = (name: string): number => variant(runs, name).metrics.fleets['app']?.cache?.kmsCallsPerOp ?? Number.NaN;
    for (const n of [10, 100]) {
      const perOp = callsPerOp(`fleets.app.cache=maxMessagesEncrypted:${n}`);
      expect(perOp).toBeGreaterThanOrEqual(1 / n / 1.25); // decrypts share the cache: about 1/N
      expect(perOp).toBeLessThan(2 / n);
    }
    const kmsCalls = (name: string): number => variant(runs, name).metrics.total.attempts;
    expect(kmsCalls('fleets.app.cache=maxMessagesEncrypted:10 dedupeInFlight:true')).toBeLessThan(kmsCalls('fleets.app.cache=maxMessagesEncrypted:10'));
    const byAge = variant(runs, 'fleets.app.cache=maxAge:500ms maxMessagesEncrypted:100').metrics.fleets['app']?.cache;
    const byCount = variant(runs, 'fleets.app.cache=maxMessagesEncrypted:100').metrics.fleets['app']?.cache;
    expect(byAge?.kmsCalls).toBeGreaterThan(byCount?.kmsCalls ?? Infinity);
    expect(byAge?.messagesPerKeyMax).toBeLessThan(byCount?.messagesPerKeyMax ?? 0);
    expect(byAge?.maxKeyAgeMs).toBeLessThan(byCount?.maxKeyAgeMs ?? 0);
  });

  test('fleet-hour (10 simulated s): the closed loop settles at the quota, goodput pinned there, a few % throttled', async () => {
    const runs = await simulateShipped('fleet-hour.yaml', ['duration=10s']);
    const [only] = [...runs.values()];
    if (only === undefined) throw new Error('no variant');
    const total = only.metrics.total;
    expect(Math.abs(total.offeredPerSec / 100_000 - 1)).toBeLessThan(0.01);
    expect(total.goodputPerSec).toBeLessThanOrEqual(100_000);
    expect(total.goodputPerSec).toBeGreaterThan(99_000);
    expect(total.throttleRate).toBeGreaterThan(0.01);
    expect(total.throttleRate).toBeLessThan(0.1);
    expect(total.failedTotal / total.completed).toBeLessThan(0.01);
    expect(total.latencyUs.p99).toBeGreaterThan(45_000); // tens of ms above the 25 ms answer
  }, 180_000);

  test('region-tiers-2019: the same 6,000/s throttles only in the 5,500/s tier', async () => {
    const runs = await simulateShipped('region-tiers-2019.yaml', ['duration=3s']);
    const [only] = [...runs.values()];
    const fleets = only?.metrics.fleets ?? {};
    expect(fleets['sao-paulo']?.total.throttled).toBeGreaterThan(0);
    expect(fleets['sao-paulo']?.total.goodputPerSec).toBeLessThanOrEqual(5_500);
    expect(fleets['frankfurt']?.total.throttled).toBe(0);
    expect(fleets['virginia']?.total.throttled).toBe(0);
  });

  test('default: about twice what the 200/s quota admits; goodput pinned at the quota', async () => {
    const runs = await simulateShipped('default.yaml');
    const [only] = [...runs.values()];
    const total = only?.metrics.total;
    expect((total?.offeredPerSec ?? 0) / 200).toBeGreaterThan(1.8);
    expect((total?.offeredPerSec ?? 0) / 200).toBeLessThan(2.2);
    expect(total?.goodputPerSec).toBeLessThanOrEqual(200);
    expect(total?.goodputPerSec).toBeGreaterThan(190);
  });
});
