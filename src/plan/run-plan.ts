/**
 * `kms-bench plan`'s engine: checks the question, then runs the search step by step — each step one multi-variant
 * virtual-clock run (probe-run.ts) — and returns the {@link PlanResult}: every probe, the answer, and how sure it is.
 * Numeric questions (max-rate, quota) use the k-ary bracket search (bracket-search.ts); cache questions the grid of
 * cache-search.ts.
 */
import { availableParallelism } from 'node:os';
import { loadScenario, type ScenarioSource } from '../api/load-scenario.js';
import type { RunProgress } from '../api/run-events.js';
import { checkWorkers } from '../api/run-budget.js';
import { toolVersion } from '../engine/versions.js';
import { planBlockOf } from '../scenario/plan-block.js';
import { scenarioHash } from '../scenario/hash.js';
import { objectiveLines, resolveObjectives } from './objectives.js';
import { planQuestion, type PlanQuestionInput } from './plan-question.js';
import { runNumericSearch } from './numeric-plan.js';
import { runCacheSearch } from './cache-search.js';
import { PlanInputError } from './plan-errors.js';
import type { PlanResult } from './plan-types.js';
export type { PlanStep } from './search-settings.js';
import type { PlanStep, SearchSettings } from './search-settings.js';
import type { BatchTiming, ProbeContext } from './probe-run.js';

/** Default relative width of the final bracket. */
export const DEFAULT_TOLERANCE = 0.02;

/** Default values per step of a numeric search: fixed, not one per core, so a seed gives the same plan anywhere. */
export const DEFAULT_POINTS_PER_STEP = 4;

/** Options of {@link runPlan}. */
export interface PlanOptions extends PlanQuestionInput {
  /** `--objective` strings; none: the scenario's thresholds. */
  readonly objectives?: readonly string[];
  /** Relative tolerance of the answer; default 0.02. */
  readonly tolerance?: number;
  /** Seeds per probe (seed, seed+1, …); default 1. */
  readonly repeat?: number;
  /** Worker threads; default one per core. */
  readonly workers?: number;
  /** Values per numeric search step (≥ 2); default {@link DEFAULT_POINTS_PER_STEP}. */
  readonly pointsPerStep?: number;
  /** Allow more workers than cores, as `run`'s budget.oversubscribe does. */
  readonly oversubscribe?: boolean;
  /** `--set` overrides, `--duration` and `--seed`, as for `run`. */
  readonly overrides?: readonly string[];
  readonly duration?: string;
  readonly seed?: number;
  readonly signal?: AbortSignal;
  readonly onStep?: (step: PlanStep) => void;
  readonly onProgress?: (progress: RunProgress) => void;
}

/**
 * Runs a plan.
 * @throws ScenarioError for a scenario that does not load; PlanInputError for a bad question (both exit 2).
 */
export async function runPlan(source: ScenarioSource, options: PlanOptions): Promise<PlanResult> {
  const started = Date.now();
  const userSets = [...(options.overrides ?? [])];
  const loadOptions = {
    overrides: userSets,
    clock: 'virtual' as const,
    ...(options.duration === undefined ? {} : { duration: options.duration }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  };
  const scenario = await loadScenario(source, loadOptions);
  const objectives = resolveObjectives(options.objectives ?? [], scenario);
  const question = planQuestion(scenario, options, planBlockOf(scenario.document));
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const repeat = options.repeat ?? 1;
  const seeds = Array.from({ length: repeat }, (_, i) => scenario.seed + i);
  const cores = availableParallelism();
  const workers = options.workers ?? cores;
  // Checked here, before step 1, in plan's own words: the engine's refusal comes only after a step has started and
  // names budget.oversubscribe, a scenario field plan does not read.
  // Only a library caller can oversubscribe (the command has no option for it), so the command's refusal names none.
  if (workers > cores && options.oversubscribe !== true) {
    throw new PlanInputError([`--workers ${workers}: this machine has ${cores} core(s), and more plan workers than cores add start-up time and memory, not speed; use ${cores} or fewer`]);
  }
  const refusal = checkWorkers(workers, '--workers', cores, true, 'oversubscribe');
  if (refusal !== undefined) throw new PlanInputError([refusal]);
  const pointsPerStep = options.pointsPerStep ?? DEFAULT_POINTS_PER_STEP;
  if (!(Number.isInteger(pointsPerStep) && pointsPerStep >= 2)) throw new PlanInputError([`--points-per-step ${pointsPerStep}: expected a whole number of at least 2`]);
  // The probes' own thresholds are the objectives, judged here: the scenario's are dropped so none aborts a probe.
  const planSets = [
    ...userSets,
    ...(options.duration === undefined ? [] : [`duration=${options.duration}`]),
    `seed=${scenario.seed}`,
    'thresholds=',
    ...(question.kind === 'numeric' ? question.sets : []),
  ];
  const context: ProbeContext = {
    source,
    sets: planSets,
    objectives,
    seeds,
    workers,
    ...(options.oversubscribe === true ? { oversubscribe: true } : {}),
    fleet: question.fleet,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  };
  const fleetSpec = scenario.fleets.find((f) => f.name === question.fleet);
  const common = {
    scenario: { name: scenario.name, hash: scenarioHash(scenario), ...(typeof source === 'string' ? { file: source } : {}) },
    objectives: objectiveLines(objectives),
    tolerance,
    ...(question.kind === 'numeric' ? { pointsPerStep } : {}),
    seeds,
    simulatedSecondsPerProbe: scenario.durationMs / 1000,
    growth: options.growth ?? 1,
    retryPolicy: fleetSpec?.retry.policy,
  };
  const timings: BatchTiming[] = [];
  const settings: SearchSettings = { ...common, timings, workers, pointsPerStep, goal: options.goal, ...(options.onStep === undefined ? {} : { onStep: options.onStep }) };
  const body = question.kind === 'numeric' ? await runNumericSearch(question, context, settings) : await runCacheSearch(question, context, settings);
  return {
    schema: 'kms-bench/plan',
    schemaVersion: 1,
    ...body,
    environment: { workers, wallSeconds: (Date.now() - started) / 1000, startedAt: new Date(started).toISOString(), tool: toolVersion(), steps: timings },
  };
}
