/**
 * Running probes: several values of the searched field, each with every seed, as ONE virtual-clock run whose matrix is
 * (searched field × seed). The engine runs a matrix's simulations in parallel on its worker pool, so a search step
 * keeps every core busy, and each (value, seed) comes back as a whole variant result — its own metrics, judged
 * against the objectives seed by seed, so an answer holds for every seed rather than for their mean.
 */
import { loadScenario, type ScenarioSource } from '../api/load-scenario.js';
import { RunRefusedError, type RunProgress } from '../api/run-events.js';
import { runScenario } from '../api/run-scenario.js';
import type { RunResult, VariantResult } from '../report/result-types.js';
import { evaluateObjectives, type Objectives } from './objectives.js';
import { PlanInputError } from './plan-errors.js';
import type { SeedMeasure } from './plan-types.js';

/** What every probe of a plan shares. */
export interface ProbeContext {
  readonly source: ScenarioSource;
  /** Overrides applied to every probe (the user's `--set`, growth, the plan's own settings), in order. */
  readonly sets: readonly string[];
  readonly objectives: Objectives;
  readonly seeds: readonly number[];
  readonly workers: number;
  /** More workers than cores (`plan --oversubscribe`), checked by runPlan before step 1. */
  readonly oversubscribe?: boolean;
  /** The fleet whose figures a probe records; undefined: the whole variant. */
  readonly fleet: string | undefined;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RunProgress) => void;
}

/** One batch of probes: per value (in the order given) its seeds' measures, or why the batch cannot be trusted. */
export type ProbeBatch =
  | { readonly ok: true; readonly measures: readonly (readonly SeedMeasure[])[]; readonly timing: BatchTiming }
  | { readonly ok: false; readonly reason: string; readonly measures: readonly (readonly SeedMeasure[])[]; readonly timing: BatchTiming };

/** What a batch cost: its wall time, and the wall time of its simulations added up (what one core would have taken). */
export interface BatchTiming {
  readonly wallSeconds: number;
  readonly simulationWallSeconds: number;
}

/** The flow-YAML text of an axis: JSON is valid YAML, so strings and objects keep their types. */
function axisText(values: readonly unknown[]): string {
  return JSON.stringify(values);
}

function measure(variant: VariantResult, seed: number, context: ProbeContext): SeedMeasure {
  const metrics = variant.metrics;
  const fleet = context.fleet === undefined ? undefined : metrics.fleets[context.fleet];
  const total = fleet?.total ?? metrics.total;
  const outcomes = evaluateObjectives(context.objectives, variant);
  const cache = fleet?.cache;
  return {
    seed,
    ok: outcomes.every((outcome) => outcome.ok),
    offeredPerSec: total.offeredPerSec,
    goodputPerSec: total.goodputPerSec,
    throttleRate: total.throttleRate,
    latencyP50Us: total.latencyUs.p50,
    latencyP99Us: total.latencyUs.p99,
    kmsCallsPerSec: metrics.durationSec > 0 ? total.attempts / metrics.durationSec : 0,
    costUsdPerMonth: variant.cost?.costUsdPerMonth ?? null,
    ...(cache === undefined ? {} : { messagesPerKeyMax: cache.messagesPerKeyMax, maxKeyAgeMs: cache.maxKeyAgeMs }),
    objectives: outcomes.map((outcome) => ({ ...outcome, variant: '' })),
  };
}

/** Why a probe's figures cannot be trusted, or undefined when they can. */
function distrust(variant: VariantResult, label: string): string | undefined {
  if (variant.state !== 'completed') return `the probe at ${label} did not complete (${variant.reason ?? 'incomplete'})`;
  if (variant.harnessLimited) {
    return (
      `the probe at ${label} is harness-limited: more than 1% of its requests started late or were dropped ` +
      '(a full maxInFlight), so its figures measure the load generator, not KMS; raise the fleet\'s maxInFlight or narrow the plan: bounds'
    );
  }
  return undefined;
}

/**
 * Runs `values` of the field at `axis` (a matrix path such as `fleets.web.workload.arrivalRate`), each with every seed.
 * `label(i)` names value i in messages.
 * @throws PlanInputError when the scenario, with these values, is invalid or the run is refused before it starts.
 */
export async function runProbes(context: ProbeContext, axis: string, values: readonly unknown[], label: (index: number) => string): Promise<ProbeBatch> {
  const sets = [...context.sets, `matrix.${axis}=${axisText(values)}`, `matrix.seed=${axisText(context.seeds)}`];
  const scenario = await loadScenario(context.source, { overrides: sets, clock: 'virtual' });
  let result: RunResult;
  const started = process.hrtime.bigint();
  try {
    result = await runScenario(scenario, {
      workers: Math.max(1, Math.min(context.workers, values.length * context.seeds.length)),
      ...(context.oversubscribe === true ? { budget: { oversubscribe: true } } : {}),
      ...(context.signal === undefined ? {} : { signal: context.signal }),
      ...(context.onProgress === undefined ? {} : { onProgress: context.onProgress }),
      onWarning: () => undefined,
    });
  } catch (error) {
    if (error instanceof RunRefusedError) throw new PlanInputError([...error.refusals, ...error.notes]);
    throw error;
  }
  const keyOf = (value: unknown): string => JSON.stringify(value);
  const measures: SeedMeasure[][] = values.map(() => []);
  let reason: string | undefined;
  for (const variant of result.variants) {
    const index = values.findIndex((value) => keyOf(value) === keyOf(variant.values[axis]));
    const seed = Number(variant.values['seed']);
    if (index < 0) continue;
    reason ??= distrust(variant, `${label(index)} (seed ${seed})`);
    measures[index]?.push(measure(variant, seed, context));
  }
  for (const list of measures) list.sort((a, b) => a.seed - b.seed);
  if (result.state !== 'completed') reason = result.reason === 'interrupted' ? 'interrupted' : `the run stopped: ${result.reason ?? 'incomplete'}`;
  const missing = measures.findIndex((list) => list.length < context.seeds.length);
  if (reason === undefined && missing >= 0) reason = `the probe at ${label(missing)} returned no result for some seeds`;
  const timing = {
    wallSeconds: Number(process.hrtime.bigint() - started) / 1e9,
    simulationWallSeconds: Object.values(result.environment.variantWallSeconds ?? {}).reduce((a, b) => a + b, 0),
  };
  return reason === undefined ? { ok: true, measures, timing } : { ok: false, reason, measures, timing };
}
