/**
 * What a variant's simulations amount to: its {@link SimulatedVariantRun}, summarized from its first seed, and with
 * `--repeat N` how much the headline metrics move between its N seeds (mean ± standard deviation, min–max), so a planner
 * can tell a real difference between configurations from one seed's luck. The engine (simulate.ts) runs the
 * simulations on its pool; this is what is made of their results.
 */
import { mergeMetrics, summarize, type MetricsSummary } from '../metrics/index.js';
import { abortReason } from './live-figures.js';
import type { SimulationResult } from './simulate-variant.js';
import type { RepeatSummary, SeedSpread, SimulatedVariantRun } from './variant-run.js';
import { isBatch, type VariantPlan } from './wire.js';

/** The headline metrics whose spread across seeds `--repeat` reports. */
const HEADLINE: Readonly<Record<string, (m: MetricsSummary) => number>> = {
  offered: (m) => m.total.offered,
  succeeded: (m) => m.total.succeeded,
  throttled: (m) => m.total.throttled,
  failed: (m) => m.total.failedTotal,
  attempts: (m) => m.total.attempts,
  retries: (m) => m.total.retries,
  goodputPerSec: (m) => m.total.goodputPerSec,
  throttleRate: (m) => m.total.throttleRate,
  attemptsPerOp: (m) => m.total.attemptsPerOp,
  latencyP50Us: (m) => m.total.latencyUs.p50,
  latencyP99Us: (m) => m.total.latencyUs.p99,
};

/** Mean, min, max and sample standard deviation of one metric's values across seeds. */
export function spreadOf(values: readonly number[]): SeedSpread {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const min = Math.min(...values);
  const max = Math.max(...values);
  // Equal values have no spread; summing (v − mean)² for them would leave rounding noise (≈ 1e-17).
  const variance = n < 2 || min === max ? 0 : values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  return { mean: min === max ? min : mean, min, max, stddev: Math.sqrt(variance) };
}

/**
 * The spread of the headline metrics across seeds, and of `completionSeconds` (simulated time until the last request
 * of the seed finished, retries included) when each seed's is given.
 */
export function repeatSummary(seeds: readonly number[], summaries: readonly MetricsSummary[], completionSeconds?: readonly number[]): RepeatSummary {
  const metrics: Record<string, SeedSpread> = {};
  for (const [name, pick] of Object.entries(HEADLINE)) metrics[name] = spreadOf(summaries.map(pick));
  if (completionSeconds !== undefined) metrics['completionSeconds'] = spreadOf(completionSeconds);
  return { seeds: [...seeds], metrics };
}

/** One seed's metrics summary, its rates over the time it ran. */
function summaryOf(plan: VariantPlan, result: SimulationResult): MetricsSummary {
  // A stopped simulation's rates are over the simulated time it reached, as an interrupted wall run's are over its
  // wall time; a completed one's over its schedule.
  const scheduledSec = plan.durationMs / 1000;
  const durationSec = result.stoppedEarly ? Math.max(Math.min(result.simulatedSeconds, scheduledSec), 0.001) : scheduledSec;
  return summarize(mergeMetrics([result.metrics]), { durationSec, batch: isBatch(plan) });
}

/**
 * A variant's run from its seeds' simulation results (`seeds[0]` is `first`; an `undefined` seed failed): the first
 * seed's metrics, incomplete when any seed stopped early or failed, and with `repeat` > 1 the spread across seeds.
 */
export function toVariantRun(
  plan: VariantPlan,
  first: SimulationResult,
  seeds: readonly (SimulationResult | undefined)[],
  repeat: number,
): SimulatedVariantRun {
  const complete = seeds.filter((s): s is SimulationResult => s !== undefined);
  const stopped = complete.some((s) => s.stoppedEarly) || complete.length < seeds.length;
  // The seed that aborted: with several seeds the metrics shown are the first seed's, so name which one it was.
  const aborting = complete.find((s) => s.abortedBy !== undefined);
  const abortedBy = aborting?.abortedBy === undefined ? undefined : repeat > 1 ? { ...aborting.abortedBy, seed: aborting.seed } : aborting.abortedBy;
  return {
    clock: 'virtual',
    name: plan.name,
    state: stopped ? 'incomplete' : 'completed',
    ...(stopped ? { reason: abortedBy === undefined ? 'interrupted' : abortReason(abortedBy) } : {}),
    ...(abortedBy === undefined ? {} : { abortedBy }),
    wallSeconds: complete.reduce((a, s) => a + s.wallSeconds, 0),
    metrics: summaryOf(plan, first),
    wire: first.metrics,
    quota: first.quota,
    ...(first.serviceQuota === undefined ? {} : { serviceQuota: first.serviceQuota }),
    simulatedSeconds: first.simulatedSeconds,
    crypto: first.crypto,
    ...(repeat > 1
      ? {
          repeats: repeatSummary(
            complete.map((s) => s.seed),
            complete.map((s) => summaryOf(plan, s)),
            complete.map((s) => s.simulatedSeconds),
          ),
        }
      : {}),
  };
}
