/**
 * The virtual-clock engine. One variant is one simulation in one thread: every fleet at its full rate (the fleet
 * runner sees "worker 0 of 1", so random streams are those of a one-worker wall run), one quota board read on
 * simulated time, the same clients, retry policies and model as the wall engine. Independent simulations — matrix
 * variants, `--repeat` seeds, and the regions of a variant (quotas are per account and region, so fleets in different
 * regions never share one) — run in parallel on a Piscina pool, one simulation per thread at a time.
 */
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { recordCacheReport, sealEnvelopeFixtures } from '../client/envelope-fleet.js';
import { warmUpSdk } from '../client/sdk-client.js';
import { KmsModel } from '../kms/model.js';
import type { CryptoMode } from '../kms/symmetric-crypto.js';
import { MetricsRecorder, mergeMetrics, mergedToWire, summarize, type MetricsSummary, type WorkerMetrics } from '../metrics/index.js';
import { QuotaBoard, type QuotaSlotSnapshot } from '../quota/index.js';
import { seededRandom } from '../workload/random.js';
import { RequestMix } from '../workload/request-mix.js';
import { NS_PER_SEC, wallClock } from './clock.js';
import { runFleetShare } from './fleet-runner.js';
import type { EngineRun, VariantRun } from './run.js';
import { installSimTimers, VirtualClock } from './virtual-clock.js';
import type { FleetPlan, VariantPlan } from './wire.js';
import { makeClient } from './worker.js';

/** One simulation for a sim worker: structured-cloneable. */
export interface SimulationTask {
  readonly plan: VariantPlan;
  /** The fleets (indices into `plan.fleets`) this simulation runs; all of them when absent. */
  readonly fleetIndices?: readonly number[];
  readonly crypto: CryptoMode;
  /** Int32 flag 0 → 1 when the run is told to stop (Ctrl-C): no new requests start, in-flight ones finish. */
  readonly stop?: SharedArrayBuffer;
}

/** What one simulation returns. Everything but `wallSeconds` is a function of the task. */
export interface SimulationResult {
  readonly name: string;
  readonly seed: number;
  readonly crypto: CryptoMode;
  readonly stoppedEarly: boolean;
  readonly metrics: WorkerMetrics;
  readonly quota: QuotaSlotSnapshot[];
  /** Simulated time from the start until the last request finished (retries included). */
  readonly simulatedSeconds: number;
  /** Simulated instants stepped to, and sleeps woken: the simulator's own work. */
  readonly steps: number;
  readonly events: number;
  readonly wallSeconds: number;
}

/** Runs one variant as one simulation in this thread. */
export async function simulateVariant(task: SimulationTask): Promise<SimulationResult> {
  const { plan, crypto } = task;
  const started = wallClock.nowNs();
  const clock = new VirtualClock();
  const stopFlag = task.stop === undefined ? undefined : new Int32Array(task.stop);
  const stopped = (): boolean => stopFlag !== undefined && Atomics.load(stopFlag, 0) !== 0;
  const model = new KmsModel({
    accountId: plan.accountId,
    seed: plan.seed,
    keys: plan.keySeeds,
    quotaBoard: new QuotaBoard(plan.quotas, () => clock.nowNs()),
    clock,
    crypto,
  });
  // Ciphertexts to decrypt are made by a model without quotas, in the same crypto mode the simulated model reads.
  const prepareModel = new KmsModel({ accountId: plan.accountId, seed: plan.seed, keys: plan.keySeeds, clock, crypto });
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const keys = new Map(Object.entries(plan.keys));
  const setupRandom = seededRandom(plan.seed, 'setup/0');
  const selected = task.fleetIndices ?? plan.fleets.map((_, index) => index);
  const planFleets = selected.map((index) => ({ fleet: plan.fleets[index] as FleetPlan, index }));
  const fleets = planFleets.map(({ fleet, index }) => {
    const context = { region: fleet.region, ...(fleet.accountId === undefined ? {} : { accountId: fleet.accountId }) };
    const mix = new RequestMix(fleet.mix, keys, (op, input) => prepareModel.callSync(op, input, context), setupRandom);
    const client = makeClient(fleet, plan, model, clock, abort.signal, `${index}/0`);
    return { fleet, mix, client, random: seededRandom(plan.seed, `fleet/${index}/worker/0`) };
  });
  // As the wall worker does: envelope ciphertexts to open are sealed before the run (no quota, no simulated time).
  for (const { fleet, mix } of fleets) await sealEnvelopeFixtures(fleet, mix, prepareModel);
  // The SDK loads parts of itself on its first calls, awaiting real I/O. Inside the simulation that I/O would be
  // invisible to the scheduler, which would move time on without the waiting request: so the first calls happen here.
  for (const region of new Set(fleets.filter((f) => f.fleet.client !== 'direct').map((f) => f.fleet.region))) {
    await warmUpSdk(prepareModel, region);
  }
  const startNs = 0;
  const recorder = new MetricsRecorder({ startNs, timelineSeconds: Math.max(1, Math.ceil(plan.durationMs / 1000)) + 1 });
  // Only the SDK (the sdk client, and the KMSClient under the Encryption SDK) sleeps through the global setTimeout,
  // inside @smithy/core's retry strategy; the direct client sleeps only through `clock`.
  const usesSdk = fleets.some((f) => f.fleet.client !== 'direct');
  const restoreTimers = usesSdk ? installSimTimers(clock, seededRandom(plan.seed, 'sdk/math-random')) : undefined;
  // Throttles are thrown KmsErrors: capturing a stack for each costs more than the model's decision, and no result
  // reads it. Restored when the simulation ends.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let stats;
  try {
    const runAll = (): Promise<void[]> =>
      Promise.all(
        fleets.map(({ fleet, mix, client, random }) =>
          runFleetShare({
            fleet: fleet.name,
            workload: fleet.workload,
            worker: 0,
            workers: 1,
            durationMs: plan.durationMs,
            startNs,
            clock,
            client,
            mix,
            recorder,
            random,
            stopped,
          }),
        ),
      );
    // The SDK's middleware may use process.nextTick itself: step on full macrotask turns then.
    ({ stats } = await clock.run(runAll, { drain: usesSdk ? 'immediate' : 'tick' }));
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    restoreTimers?.();
    for (const { fleet, client } of fleets) {
      recordCacheReport(recorder, fleet.name, client);
      client.destroy();
    }
  }
  return {
    name: plan.name,
    seed: plan.seed,
    crypto,
    stoppedEarly: stopped(),
    metrics: recorder.toWire(),
    quota: model.quotaState().filter((slot) => slot.admitted > 0 || slot.throttled > 0),
    simulatedSeconds: (stats.endNs - startNs) / NS_PER_SEC,
    steps: stats.steps,
    events: stats.events,
    wallSeconds: (wallClock.nowNs() - started) / NS_PER_SEC,
  };
}

/** Mean and spread of one metric across repeated seeds. */
export interface SeedSpread {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  /** Sample standard deviation (0 for one seed). */
  readonly stddev: number;
}

/** `--repeat N`: the seeds run and the spread of the headline metrics across them. */
export interface RepeatSummary {
  readonly seeds: number[];
  readonly metrics: Readonly<Record<string, SeedSpread>>;
}

/** The headline metrics whose spread across seeds `--repeat` reports. */
const HEADLINE: Readonly<Record<string, (m: MetricsSummary) => number>> = {
  offered: (m) => m.total.offered,
  succeeded: (m) => m.total.succeeded,
  throttled: (m) => m.total.throttled,
  failed: (m) => m.total.failedTotal,
  retries: (m) => m.total.retries,
  goodputPerSec: (m) => m.total.goodputPerSec,
  throttleRate: (m) => m.total.throttleRate,
  attemptsPerOp: (m) => m.total.attemptsPerOp,
  latencyP50Us: (m) => m.total.latencyUs.p50,
  latencyP99Us: (m) => m.total.latencyUs.p99,
};

export function spreadOf(values: readonly number[]): SeedSpread {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const min = Math.min(...values);
  const max = Math.max(...values);
  // Equal values have no spread; summing (v − mean)² for them would leave rounding noise (≈ 1e-17).
  const variance = n < 2 || min === max ? 0 : values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  return { mean: min === max ? min : mean, min, max, stddev: Math.sqrt(variance) };
}

export function repeatSummary(seeds: readonly number[], summaries: readonly MetricsSummary[]): RepeatSummary {
  const metrics: Record<string, SeedSpread> = {};
  for (const [name, pick] of Object.entries(HEADLINE)) metrics[name] = spreadOf(summaries.map(pick));
  return { seeds: [...seeds], metrics };
}

/** A variant run by the simulator: what the wall engine reports, plus simulated time, crypto mode and seed spread. */
export interface SimulatedVariantRun extends VariantRun {
  readonly simulatedSeconds: number;
  readonly crypto: CryptoMode;
  readonly repeats?: RepeatSummary;
}

export interface SimulateOptions {
  /** Threads: simulations run in parallel, one per thread. */
  readonly workers: number;
  /** Seeds per variant: the scenario's seed, then seed + 1, … (default 1). */
  readonly repeat?: number;
  /** Crypto mode per variant name; default `real`. */
  readonly crypto?: (variant: string) => CryptoMode;
  readonly signal?: AbortSignal;
  /** Called as each simulation finishes. */
  readonly onSimulationDone?: (done: number, total: number) => void;
}

/** The sim worker script; from source (tests), the build in `dist/`. */
export function simWorkerFilename(): string {
  const here = fileURLToPath(import.meta.url);
  const sibling = here.replace(/simulate\.(ts|js)$/, 'sim-worker.js');
  if (here.endsWith('.js') && existsSync(sibling)) return sibling;
  const built = fileURLToPath(new URL('../../dist/src/engine/sim-worker.js', import.meta.url));
  if (!existsSync(built)) throw new Error(`sim worker script not found at ${built}: run \`npm run build\` first`);
  return built;
}

/** Runs every variant × seed as an independent simulation on a Piscina pool and summarizes each variant. */
export async function runSimulations(plans: readonly VariantPlan[], options: SimulateOptions): Promise<EngineRun> {
  const repeat = options.repeat ?? 1;
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`repeat must be a whole number ≥ 1, got ${repeat}`);
  const groups = plans.map(regionGroups);
  const total = groups.reduce((sum, g) => sum + g.length, 0) * repeat;
  const pool = new Piscina<SimulationTask, SimulationResult>({
    filename: simWorkerFilename(),
    minThreads: Math.min(options.workers, total),
    maxThreads: Math.min(options.workers, total),
    idleTimeout: 1_000,
    concurrentTasksPerWorker: 1,
  });
  const stop = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const onAbort = (): void => {
    Atomics.store(new Int32Array(stop), 0, 1);
  };
  options.signal?.addEventListener('abort', onAbort);
  let done = 0;
  let failure: string | undefined;
  try {
    const runs = plans.map((plan, p) =>
      Array.from({ length: repeat }, async (_, r) => {
        const parts = await Promise.all(
          (groups[p] ?? []).map((fleetIndices) =>
            pool
              .run({ plan: { ...plan, seed: plan.seed + r }, fleetIndices, crypto: options.crypto?.(plan.name) ?? 'real', stop })
              .then((result) => {
                options.onSimulationDone?.(++done, total);
                return result;
              })
              .catch((error: unknown) => {
                failure ??= `simulation of ${plan.name} (seed ${plan.seed + r}) failed: ${error instanceof Error ? error.message : String(error)}`;
                onAbort();
                return undefined;
              }),
          ),
        );
        return parts.every((part): part is SimulationResult => part !== undefined) ? combine(parts) : undefined;
      }),
    );
    const results = await Promise.all(runs.map((seeds) => Promise.all(seeds)));
    const variants: SimulatedVariantRun[] = [];
    for (const [index, plan] of plans.entries()) {
      const seeds = results[index] ?? [];
      const first = seeds[0];
      if (first === undefined) continue;
      variants.push(toVariantRun(plan, first, seeds, repeat));
    }
    const incomplete = variants.find((v) => v.state === 'incomplete');
    if (failure !== undefined) return { state: 'incomplete', reason: failure, variants };
    if (incomplete !== undefined) return { state: 'incomplete', reason: incomplete.reason ?? 'incomplete', variants };
    return { state: 'completed', variants };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await pool.destroy();
  }
}

/** The variant's fleets grouped by region, in plan order: each group is an independent simulation. */
function regionGroups(plan: VariantPlan): number[][] {
  const byRegion = new Map<string, number[]>();
  plan.fleets.forEach((fleet, index) => {
    const group = byRegion.get(fleet.region) ?? [];
    group.push(index);
    byRegion.set(fleet.region, group);
  });
  return [...byRegion.values()];
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One variant's result from its regions' simulations: metrics merged, quota slots together, the longest time. */
function combine(parts: readonly SimulationResult[]): SimulationResult {
  const [first] = parts;
  if (first === undefined) throw new Error('combine needs at least one simulation');
  if (parts.length === 1) return first;
  return {
    ...first,
    stoppedEarly: parts.some((part) => part.stoppedEarly),
    metrics: mergedToWire(mergeMetrics(parts.map((part) => part.metrics))),
    quota: parts
      .flatMap((part) => part.quota)
      .sort((a, b) => compareText(a.accountId, b.accountId) || compareText(a.region, b.region) || compareText(a.bucket, b.bucket)),
    simulatedSeconds: Math.max(...parts.map((part) => part.simulatedSeconds)),
    steps: parts.reduce((sum, part) => sum + part.steps, 0),
    events: parts.reduce((sum, part) => sum + part.events, 0),
    wallSeconds: Math.max(...parts.map((part) => part.wallSeconds)),
  };
}

function summaryOf(plan: VariantPlan, result: SimulationResult): MetricsSummary {
  return summarize(mergeMetrics([result.metrics]), { durationSec: plan.durationMs / 1000 });
}

function toVariantRun(
  plan: VariantPlan,
  first: SimulationResult,
  seeds: readonly (SimulationResult | undefined)[],
  repeat: number,
): SimulatedVariantRun {
  const complete = seeds.filter((s): s is SimulationResult => s !== undefined);
  const stopped = complete.some((s) => s.stoppedEarly) || complete.length < seeds.length;
  return {
    name: plan.name,
    state: stopped ? 'incomplete' : 'completed',
    ...(stopped ? { reason: 'interrupted' } : {}),
    wallSeconds: complete.reduce((a, s) => a + s.wallSeconds, 0),
    metrics: summaryOf(plan, first),
    quota: first.quota,
    simulatedSeconds: first.simulatedSeconds,
    crypto: first.crypto,
    ...(repeat > 1
      ? {
          repeats: repeatSummary(
            complete.map((s) => s.seed),
            complete.map((s) => summaryOf(plan, s)),
          ),
        }
      : {}),
  };
}
