/**
 * The virtual-clock engine. One variant is one simulation in one thread (see simulate-variant.ts). Independent
 * simulations — matrix variants, `--repeat` seeds, and the regions of a variant (quotas are per account and region, so
 * fleets in different regions never share one) — run in parallel on a Piscina pool, one simulation per thread at a time.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { CryptoMode } from '../kms/symmetric-crypto.js';
import { mergeMetrics, mergedToWire } from '../metrics/index.js';
import type { SimulationResult, SimulationTask } from './simulate-variant.js';
import { collectedRows, createLiveBoard, LiveReader, type SecondRow } from './live-board.js';
import { abortReason, liveFigures, type AbortRule, type LiveFigures } from './live-figures.js';
import { padTimelines } from './timeline-length.js';
import { toVariantRun } from './simulated-run.js';
import type { EngineRun, SimulatedVariantRun } from './variant-run.js';
import type { EngineDriver, VariantPlan } from './wire.js';

export type { RepeatSummary, SeedSpread, SimulatedVariantRun } from './variant-run.js';

/** Options of {@link runSimulations}. */
export interface SimulateOptions {
  /** Threads: simulations run in parallel, one per thread. */
  readonly workers: number;
  /** Seeds per variant: the scenario's seed, then seed + 1, … (default 1). */
  readonly repeat?: number;
  /** Crypto mode per variant name; default `real`. */
  readonly crypto?: (variant: string) => CryptoMode;
  readonly signal?: AbortSignal;
  /** Called as each simulation finishes and every {@link PROGRESS_INTERVAL_MS} while they run. */
  readonly onProgress?: (progress: SimulationProgress) => void;
  /** Forces a driver for every simulation (see simulate-variant.ts); by default each picks the fastest that fits. */
  readonly driver?: EngineDriver;
  /**
   * Each variant's seconds (its first seed's), each fleet's counts in each, the drain after the scheduled end in slot
   * `drainSecond`: called once per variant when every simulation has finished, in plan order (simulated seconds go by
   * far faster than a reader could follow).
   */
  readonly onSeconds?: (variant: string, rows: readonly SecondRow[], drainSecond: number) => void;
  /** `abortOnFail` thresholds per variant, checked inside each simulation as its simulated seconds end. */
  readonly abortRules?: (variant: string) => readonly AbortRule[];
}

/** How far the simulations have got. */
export interface SimulationProgress {
  readonly done: number;
  readonly total: number;
  /** Simulated seconds reached, summed over every simulation (finished ones count their whole schedule). */
  readonly simulatedSeconds: number;
  /** Simulated seconds scheduled, summed over every simulation (retries may run a little past). */
  readonly plannedSeconds: number;
  /** Simulated seconds per wall second since the run started, summed over the simulations running in parallel. */
  readonly simulatedPerWallSecond: number;
  /** The first simulation still running: its variant and live figures (its latest finished second, its totals). */
  readonly live?: { readonly variant: string; readonly figures: LiveFigures };
}

/** How often a long simulation's progress is reported. */
export const PROGRESS_INTERVAL_MS = 500;

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
  // A variant with thresholds that abort runs as one simulation: a whole-variant one must see every fleet, and a
  // fleet's abort must stop the other regions' fleets at the same simulated time (deterministic), not whenever their
  // threads notice.
  const groups = plans.map((plan) => ((options.abortRules?.(plan.name) ?? []).length > 0 ? [plan.fleets.map((_, i) => i)] : regionGroups(plan)));
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
  // Each simulation writes the simulated time it has reached into its own slot.
  const progressBuffer = new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT * total);
  const reached = new Float64Array(progressBuffer);
  const plannedSeconds = plans.reduce((sum, plan, p) => sum + (plan.durationMs / 1000) * (groups[p]?.length ?? 0), 0) * repeat;
  const fleets = Math.max(1, ...plans.map((plan) => plan.fleets.length));
  const board = createLiveBoard(total, fleets);
  const slots: { variant: string; wholeSeconds: number; done: boolean }[] = [];
  const readers = new Map<number, LiveReader>();
  const latestRows = new Map<number, readonly SecondRow[]>();
  const startedNs = process.hrtime.bigint();
  /** The live figures of the first simulation still running (a reader per slot, reading what it published). */
  const liveOf = (): SimulationProgress['live'] => {
    const slotIndex = slots.findIndex((s, i) => !s.done && (reached[i] ?? 0) > 0);
    const slotInfo = slots[slotIndex];
    if (slotInfo === undefined) return undefined;
    let reader = readers.get(slotIndex);
    if (reader === undefined) readers.set(slotIndex, (reader = new LiveReader(board, [slotIndex])));
    const rows = reader.take();
    if (rows.length > 0) latestRows.set(slotIndex, rows.slice(-fleets));
    const figures = liveFigures(latestRows.get(slotIndex) ?? [], reader.totals(), fleets, slotInfo.wholeSeconds);
    return { variant: slotInfo.variant, figures };
  };
  const report = (): void => {
    if (options.onProgress === undefined) return;
    const simulatedSeconds = reached.reduce((sum, seconds) => sum + seconds, 0);
    const wallSeconds = Number(process.hrtime.bigint() - startedNs) / 1e9;
    const live = liveOf();
    options.onProgress({
      done,
      total,
      plannedSeconds,
      simulatedSeconds,
      simulatedPerWallSecond: wallSeconds > 0 ? simulatedSeconds / wallSeconds : 0,
      ...(live === undefined ? {} : { live }),
    });
  };
  const ticker = options.onProgress === undefined ? undefined : setInterval(report, PROGRESS_INTERVAL_MS);
  let slot = 0;
  // One flag per variant: an abortOnFail in any of its simulations stops all of them (simulate-variant.ts).
  const variantStops = plans.map(() => new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  try {
    const runs = plans.map((plan, p) =>
      Array.from({ length: repeat }, async (_, r) => {
        const rules = options.abortRules?.(plan.name) ?? [];
        const variantStop = variantStops[p];
        const parts = await Promise.all(
          (groups[p] ?? []).map((fleetIndices) => {
            const index = slot++;
            slots[index] = { variant: plan.name, wholeSeconds: Math.max(1, Math.ceil(plan.durationMs / 1000)), done: false };
            const groupRules = rules.filter((rule) => rule.fleet === undefined || fleetIndices.includes(rule.fleet));
            return pool
              .run({
                plan: { ...plan, seed: plan.seed + r },
                fleetIndices,
                crypto: options.crypto?.(plan.name) ?? 'real',
                stop,
                ...(rules.length === 0 || variantStop === undefined ? {} : { variantStop }),
                progress: { buffer: progressBuffer, index },
                live: { board, source: index, collect: options.onSeconds !== undefined && r === 0 },
                ...(groupRules.length === 0 ? {} : { abortRules: groupRules }),
                ...(options.driver === undefined ? {} : { driver: options.driver }),
              })
              .then((result) => {
                done++;
                (slots[index] ?? { done: true }).done = true;
                report();
                return result;
              })
              .catch((error: unknown) => {
                failure ??= `simulation of ${plan.name} (seed ${plan.seed + r}) failed: ${error instanceof Error ? error.message : String(error)}`;
                onAbort();
                return undefined;
              });
          }),
        );
        const result = parts.every((part): part is SimulationResult => part !== undefined) ? combine(parts) : undefined;
        // The variant's lines as soon as its (first seed's) simulations finish, not after every variant.
        if (result?.seconds !== undefined && r === 0) {
          options.onSeconds?.(plan.name, collectedRows(result.seconds, plan.fleets.length), Math.max(1, Math.ceil(plan.durationMs / 1000)));
        }
        return result;
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
    const abortedBy = variants.find((v) => v.abortedBy !== undefined)?.abortedBy;
    const incomplete = variants.find((v) => v.state === 'incomplete');
    // A failure or an interrupt is the run's reason even when a threshold aborted too (exit 3 wins over 1): the abort
    // is kept for the record, and the reason says what really ended the run.
    const kept = abortedBy === undefined ? {} : { abortedBy };
    if (failure !== undefined) return { state: 'incomplete', reason: failure, variants, ...kept };
    if (options.signal?.aborted === true) return { state: 'incomplete', reason: 'interrupted', variants, ...kept };
    if (abortedBy !== undefined) return { state: 'incomplete', reason: abortReason(abortedBy), variants, abortedBy };
    if (incomplete !== undefined) return { state: 'incomplete', reason: incomplete.reason ?? 'incomplete', variants };
    return { state: 'completed', variants };
  } finally {
    clearInterval(ticker);
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
    ...(parts.find((part) => part.abortedBy !== undefined)?.abortedBy === undefined
      ? {}
      : { abortedBy: parts.find((part) => part.abortedBy !== undefined)?.abortedBy }),
    ...(parts.every((part) => part.seconds === undefined) ? {} : { seconds: addSeconds(parts.map((part) => part.seconds ?? [])) }),
    // Regions stopped at different simulated times have timelines of different lengths.
    metrics: mergedToWire(mergeMetrics(padTimelines(parts.map((part) => part.metrics)))),
    quota: parts
      .flatMap((part) => part.quota)
      .sort((a, b) => compareText(a.accountId, b.accountId) || compareText(a.region, b.region) || compareText(a.bucket, b.bucket)),
    ...(parts.some((part) => part.serviceQuota !== undefined)
      ? {
          serviceQuota: parts
            .flatMap((part) => part.serviceQuota ?? [])
            .sort((a, b) => compareText(a.accountId, b.accountId) || compareText(a.region, b.region) || compareText(a.quota, b.quota) || compareText(a.resourceKey ?? '', b.resourceKey ?? '')),
        }
      : {}),
    simulatedSeconds: Math.max(...parts.map((part) => part.simulatedSeconds)),
    events: parts.reduce((sum, part) => sum + part.events, 0),
    wallSeconds: Math.max(...parts.map((part) => part.wallSeconds)),
  };
}

/** The regions' collected seconds added up, slot by slot (regions that stopped apart differ in length). */
function addSeconds(parts: readonly number[][]): number[] {
  const out = new Array<number>(Math.max(...parts.map((part) => part.length))).fill(0);
  for (const part of parts) part.forEach((value, i) => (out[i] = (out[i] ?? 0) + value));
  return out;
}
