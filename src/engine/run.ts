/**
 * Runs variants on the wall clock with a Piscina pool: every worker thread takes its share of every fleet for the whole
 * run and draws from one quota budget shared through SharedArrayBuffers; the main thread releases them together,
 * reports progress, merges their metrics and turns a Ctrl-C or a crashed worker into an incomplete result.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { MetricsRecorder, mergeMetrics, mergedToWire, summarize } from '../metrics/index.js';
import type { WorkerMetrics } from '../metrics/wire.js';
import { QuotaBoard, RateBoard } from '../quota/index.js';
import { ServiceQuotas, SERVICE_DEFINITIONS } from '../services/index.js';
import { hasServices } from './thread-setup.js';
import { NS_PER_MS, wallClock } from '../base/time.js';
import { createLiveBoard, LiveReader, type SecondRow } from './live-board.js';
import { abortReason, failingRule, liveFigures, type AbortInfo, type AbortRule, type LiveFigures } from './live-figures.js';
import { padTimelines } from './timeline-length.js';
import type { EngineRun, VariantRun, WallVariantRun } from './variant-run.js';
import { CONTROL, createControl, isBatch, readStartNs, writeStartNs, type EngineDriver, type VariantPlan, type WorkerResult, type WorkerTask } from './wire.js';

/** How far the variant being run has got, a few times a second. */
export interface RunProgress {
  /** The variant being run, its 0-based index and the number of variants. */
  readonly variant: string;
  readonly variantIndex: number;
  readonly variants: number;
  /** Time since the variant started, and its duration. */
  readonly elapsedMs: number;
  readonly durationMs: number;
  /** Operations finished so far in this variant, across every worker. */
  readonly completedOps: number;
  /**
   * The latest second every worker has finished and the running totals. There is no live latency percentile:
   * percentiles cannot be added up across workers from counts, so p99 is in the report only.
   */
  readonly live: LiveFigures;
}

export interface RunOptions {
  /** Worker threads (default: available cores). */
  readonly workers: number;
  /** Aborting stops the run: workers finish what is in flight and the result is marked incomplete. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RunProgress) => void;
  /**
   * Called as seconds of a variant end (every worker past them), with each fleet's counts in each; after the variant,
   * once more with the rest (the drain after the scheduled end in the last slot, `drainSecond`).
   */
  readonly onSeconds?: (variant: string, rows: readonly SecondRow[], drainSecond: number) => void;
  /** `abortOnFail` thresholds per variant: the first to fail stops the run (live-figures.ts). */
  readonly abortRules?: (variant: string) => readonly AbortRule[];
  /**
   * Names the run's budgets in a shared quota store (`quotas.store`): processes that give the same id draw from one
   * quota. Each later variant's budgets are apart: `<runId>/v<index>` from the second (`/` is outside the run id rule,
   * so no user id names another run's variant). Required: the caller's default (`defaultRunId`, from the scenario) is
   * the one result.json records, and the engine has no scenario to derive it from.
   */
  readonly runId: string;
  /** Fault injection for testing the harness: worker `worker` crashes `afterMs` into every variant. */
  readonly crashWorker?: { readonly worker: number; readonly afterMs: number };
  /** Forces the promise driver for every fleet (to compare the drivers); by default direct fleets run event-driven. */
  readonly driver?: EngineDriver;
}

export type { EngineRun, VariantRun } from './variant-run.js';

/** How long after the last worker is ready the common start is set, so every worker sees it before it passes. */
const START_LEAD_MS = 20;
const PROGRESS_INTERVAL_MS = 250;

/**
 * The worker script. Piscina on Node 20 cannot load TypeScript, so when this module runs from source (tests), the
 * worker comes from the build in `dist/`.
 */
export function workerFilename(): string {
  const here = fileURLToPath(import.meta.url);
  const sibling = here.replace(/run\.(ts|js)$/, 'worker.js');
  if (here.endsWith('.js') && existsSync(sibling)) return sibling;
  const built = fileURLToPath(new URL('../../dist/src/engine/worker.js', import.meta.url));
  if (!existsSync(built)) throw new Error(`worker script not found at ${built}: run \`npm run build\` first`);
  return built;
}

export async function runVariants(plans: readonly VariantPlan[], options: RunOptions): Promise<EngineRun> {
  const workers = options.workers;
  const pool = new Piscina<WorkerTask, WorkerResult>({
    filename: workerFilename(),
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 1_000,
    concurrentTasksPerWorker: 1,
  });
  const variants: VariantRun[] = [];
  try {
    for (const [index, plan] of plans.entries()) {
      if (options.signal?.aborted === true) break;
      let run: VariantRun;
      try {
        run = await runVariant(pool, plan, index, plans.length, options);
      } catch (error) {
        // Keep what the earlier variants measured.
        const why = error instanceof Error ? error.message : String(error);
        return { state: 'incomplete', reason: `harness failure in variant ${plan.name}: ${why}`, variants };
      }
      variants.push(run);
      if (run.state === 'incomplete') break;
    }
  } finally {
    await pool.destroy();
  }
  const abortedBy = variants.find((v) => v.abortedBy !== undefined)?.abortedBy;
  if (abortedBy !== undefined) return { state: 'incomplete', reason: abortReason(abortedBy), variants, abortedBy };
  const incomplete = variants.find((v) => v.state === 'incomplete');
  if (incomplete !== undefined) return { state: 'incomplete', reason: incomplete.reason ?? 'incomplete', variants };
  if (variants.length < plans.length) return { state: 'incomplete', reason: 'interrupted before every variant ran', variants };
  return { state: 'completed', variants };
}

async function runVariant(
  pool: Piscina<WorkerTask, WorkerResult>,
  plan: VariantPlan,
  variantIndex: number,
  variantCount: number,
  options: RunOptions,
): Promise<WallVariantRun> {
  const workers = options.workers;
  // The first variant's budgets are the run id's own, so a `serve` given the same id shares them.
  const runId = `${options.runId}${variantIndex === 0 ? '' : `/v${variantIndex}`}`;
  const board = new QuotaBoard({ ...plan.quotas, runId }, () => wallClock.nowNs());
  const { enforcement, burstSeconds } = plan.quotas;
  const serviceBoard = hasServices(plan)
    ? new RateBoard({ ...(enforcement === undefined ? {} : { enforcement }), ...(burstSeconds === undefined ? {} : { burstSeconds }) }, () => wallClock.nowNs())
    : undefined;
  const control = createControl(workers);
  const flags = new Int32Array(control.flags);
  let reason: string | undefined;
  /** Sets the common start (if not set yet) and releases every worker waiting for it. */
  const release = (startNs: number): void => {
    if (Atomics.load(flags, CONTROL.GO) !== 0) return;
    writeStartNs(control, startNs);
    Atomics.store(flags, CONTROL.GO, 1);
    Atomics.notify(flags, CONTROL.GO);
  };
  const stop = (why: string): void => {
    reason ??= why;
    Atomics.store(flags, CONTROL.STOP, 1);
    // Workers still preparing or waiting must all see the same start, or their metrics cannot be merged.
    release(wallClock.nowNs());
  };
  const onAbort = (): void => stop('interrupted');
  const fleets = plan.fleets.length;
  const rules = options.abortRules?.(plan.name) ?? [];
  const wholeSeconds = Math.max(1, Math.ceil(plan.durationMs / 1000));
  const live = createLiveBoard(workers, fleets);
  const reader = new LiveReader(live, Array.from({ length: workers }, (_, w) => w));
  let latest: readonly SecondRow[] = [];
  let abortedBy: AbortInfo | undefined;
  /** Takes the seconds every worker has finished: to `onSeconds`, and the newest kept for the progress line. */
  const takeSeconds = (): void => {
    const rows = reader.take();
    if (rows.length === 0) return;
    latest = rows;
    options.onSeconds?.(plan.name, rows, wholeSeconds);
  };
  options.signal?.addEventListener('abort', onAbort);

  const tasks = Array.from({ length: workers }, (_, worker) => {
    const task: WorkerTask = {
      plan,
      worker,
      workers,
      quota: board.share(),
      ...(serviceBoard === undefined ? {} : { serviceQuota: serviceBoard.share() }),
      control,
      live,
      ...(options.crashWorker?.worker === worker ? { crashAfterMs: options.crashWorker.afterMs } : {}),
      ...(options.driver === undefined ? {} : { driver: options.driver }),
    };
    return pool.run(task).catch((error: unknown) => {
      stop(`worker ${worker} failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
  });

  // Release every worker at once, when all are prepared (or as soon as one has failed).
  while (Atomics.load(flags, CONTROL.READY) < workers && Atomics.load(flags, CONTROL.STOP) === 0) {
    await wallClock.sleep(2);
  }
  release(wallClock.nowNs() + START_LEAD_MS * NS_PER_MS);
  const startNs = readStartNs(control);

  const progress = setInterval(() => {
    let completedOps = 0;
    for (let w = 0; w < workers; w++) completedOps += Atomics.load(flags, CONTROL.PROGRESS_BASE + w);
    const elapsedMs = Math.max(0, (wallClock.nowNs() - startNs) / NS_PER_MS);
    takeSeconds();
    const totals = reader.totals();
    // Checked only while the schedule runs and nothing else stopped it: past the end the thresholds judge the run.
    const checking = abortedBy === undefined && reason === undefined && rules.length > 0 && elapsedMs <= plan.durationMs;
    const failed = checking ? failingRule(rules, totals, fleets, elapsedMs) : undefined;
    if (failed !== undefined) {
      const { rule, observed } = failed;
      abortedBy = { key: rule.key, expression: rule.expression, variant: plan.name, atSeconds: elapsedMs / 1000, observed };
      stop(abortReason(abortedBy));
    }
    options.onProgress?.({
      variant: plan.name,
      variantIndex,
      variants: variantCount,
      elapsedMs,
      durationMs: plan.durationMs,
      completedOps,
      live: liveFigures(latest, totals, fleets, wholeSeconds),
    });
  }, PROGRESS_INTERVAL_MS);
  let results: (WorkerResult | undefined)[];
  try {
    results = await Promise.all(tasks);
  } finally {
    clearInterval(progress);
    options.signal?.removeEventListener('abort', onAbort);
  }
  // Every worker has published the rest of its seconds (the drain included) before returning.
  takeSeconds();
  const endNs = wallClock.nowNs();
  const wallSeconds = (endNs - startNs) / 1e9;
  // The epoch time of second 0, from the monotonic clock's distance to now: what lines up several hosts' seconds.
  const wallStartMs = Math.round(Date.now() - (endNs - startNs) / NS_PER_MS);
  const parts: WorkerMetrics[] = results.filter((r): r is WorkerResult => r !== undefined).map((r) => r.metrics);
  // Rates are over the seconds of the schedule (the drain after it is reported apart, as on the virtual clock); an
  // interrupted run counts only what it ran.
  const scheduledSec = plan.durationMs / 1000;
  const durationSec = reason === undefined ? scheduledSec : Math.max(Math.min(wallSeconds, scheduledSec), 0.001);
  // Every worker failed: nothing was measured, but the run (and earlier variants) is still reported, incomplete.
  // Workers that stopped a second apart return timelines a second apart in length (timeline-length.ts).
  const merged = mergeMetrics(parts.length > 0 ? padTimelines(parts) : [new MetricsRecorder({ startNs, timelineSeconds: 1 }).toWire()]);
  const metrics = summarize(merged, { durationSec, batch: isBatch(plan) });
  const quota = board.snapshot().filter((slot) => slot.admitted > 0 || slot.throttled > 0);
  const serviceQuota = serviceBoard === undefined ? undefined : new ServiceQuotas(serviceBoard, SERVICE_DEFINITIONS.flatMap((d) => d.quotas)).snapshot();
  return {
    clock: 'wall',
    name: plan.name,
    state: reason === undefined ? 'completed' : 'incomplete',
    ...(reason === undefined ? {} : { reason }),
    wallSeconds,
    wallStartMs,
    metrics,
    wire: mergedToWire(merged),
    quota,
    ...(plan.quotas.store === undefined ? {} : { quotaStore: board.storeReport() }),
    ...(serviceQuota === undefined ? {} : { serviceQuota }),
    ...(abortedBy === undefined ? {} : { abortedBy }),
  };
}

