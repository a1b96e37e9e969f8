/**
 * A run is refused, before any work starts, when it cannot finish: past its request, wall-time, memory or report-size
 * budget (figures and reasons in src/engine/work-rates.ts), or with more worker threads than the machine has cores.
 * Each refusal states the estimate and the option that lifts the limit (`kms-bench run` exits 2). A wall-clock run
 * offering far more than its workers can drive is said up front.
 */
import { availableParallelism, totalmem } from 'node:os';
import { estimateWork, type EstimateOptions, type WorkEstimate } from '../engine/work-estimate.js';
import { BUDGET_DEFAULTS, BYTES, MAX_RESULT_JSON_BYTES, MAX_THREADS_PER_CORE, OVERLOAD_NOTE_RATIO, WORKER_START_CPU_SECONDS } from '../engine/work-rates.js';
import type { VariantPlan } from '../engine/wire.js';
import { CLI_OPTION_NAMES, type OptionNames } from './option-names.js';

/** What the user set about the budget. */
export interface BudgetOptions {
  /** The request budget (`--max-requests`; default {@link BUDGET_DEFAULTS.maxRequests}). */
  readonly maxRequests?: number;
  /** Lifts the request, wall-time and memory budgets (`--allow-large`). */
  readonly allowLarge?: boolean;
  /** The machine's memory (default `os.totalmem()`). */
  readonly totalMemoryBytes?: number;
  /** How the refusals name the settings that lift them (default the command line's flags). */
  readonly names?: Partial<OptionNames>;
}

/** The budget's verdict: refusals (exit 2, one line each) and notes to print before the run. */
export interface RunSizeVerdict {
  readonly refusals: string[];
  readonly notes: string[];
}

/** About: `~3.6e18`, `~120,000`. */
export function approx(n: number): string {
  if (!Number.isFinite(n)) return 'without end';
  return n < 1e6 ? `~${Number(n.toPrecision(2)).toLocaleString('en-US')}` : `~${exponent(n)}`;
}

/** A rate with an SI suffix: `1M`, `150k`, `4k`, `285`. */
export function rate(n: number): string {
  if (n >= 1e6) return `${Number((n / 1e6).toPrecision(2))}M`;
  if (n >= 1e3) return `${Number((n / 1e3).toPrecision(2))}k`;
  return `${Number(n.toPrecision(2))}`;
}

/** Two significant digits, in exponent form from 10,000 up: `~7.5`, `~1,200`, `~1.1e5`. */
function short(n: number): string {
  return n >= 1e4 ? `~${exponent(n)}` : `~${Number(n.toPrecision(2)).toLocaleString('en-US')}`;
}

/** `3.6e18`, `2e9`. */
function exponent(n: number): string {
  return n.toExponential(1).replace('e+', 'e').replace('.0e', 'e');
}

/** A duration in the largest unit that keeps it readable: `~40 s`, `~3 h`, `~36 h`, `~1.1e5 years`. */
export function span(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'forever';
  // Days and years from two of them on: "~36 h" reads better than "~1.5 days", "24 h" than "1 days".
  const units: [number, number, string][] = [[365.25 * 86400, 2, 'years'], [86400, 2, 'days'], [3600, 1, 'h'], [60, 1, 'min'], [1, 0, 's']];
  const [size, , unit] = units.find(([size, from]) => seconds >= from * size) ?? [1, 0, 's'];
  return `${short(seconds / size)} ${unit}`;
}

/** Bytes in binary units: `~1.2 GiB`. */
export function bytes(n: number): string {
  const units: [number, string][] = [[2 ** 40, 'TiB'], [2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB'], [1, 'B']];
  const [size, unit] = units.find(([size]) => n >= size) ?? [1, 'B'];
  return `${short(n / size)} ${unit}`;
}

/**
 * Threads beyond the cores add start-up time and memory, not throughput; 100,000 `--workers` left Ctrl-C unanswered
 * while they started and 200 took 3.5 GB, then timed out starting. Returns the refusal, or undefined when `threads` is
 * within the bound.
 */
export function checkWorkers(threads: number, option: string, cores: number, oversubscribe: boolean, oversubscribeName = CLI_OPTION_NAMES.oversubscribe): string | undefined {
  const most = MAX_THREADS_PER_CORE * cores;
  const cost = `each thread takes ${bytes(BYTES.workerThread)} and ~${WORKER_START_CPU_SECONDS} s of CPU to start`;
  if (threads > most) {
    return `${option} ${threads} is more than ${oversubscribeName} allows on this machine: ${MAX_THREADS_PER_CORE} threads per core, ${most} here (${cost})`;
  }
  if (threads > cores && !oversubscribe) {
    return `${option} ${threads} is more than this machine's ${cores} core(s): extra threads add start-up and memory, not throughput (${cost}); use ${cores} or fewer, or add ${oversubscribeName} (up to ${most})`;
  }
  return undefined;
}

/** The budgets in force. */
export function budgetOf(options: BudgetOptions): { maxRequests: number; maxWallSeconds: number; maxMemoryBytes: number } {
  const machine = options.totalMemoryBytes ?? totalmem();
  return {
    maxRequests: options.maxRequests ?? BUDGET_DEFAULTS.maxRequests,
    maxWallSeconds: BUDGET_DEFAULTS.maxWallSeconds,
    maxMemoryBytes: Math.min(BUDGET_DEFAULTS.maxMemoryBytes, machine * BUDGET_DEFAULTS.memoryShare),
  };
}

/** Compares an estimate with the budget. */
export function judgeRunSize(estimate: WorkEstimate, options: BudgetOptions): RunSizeVerdict {
  const budget = budgetOf(options);
  const names = { ...CLI_OPTION_NAMES, ...options.names };
  const lift = options.allowLarge === true;
  const refusals: string[] = [];
  const notes: string[] = [];
  const virtual = estimate.clock === 'virtual';
  const perCore = `at ~${rate(estimate.ratePerCorePerSec)}/s per ${virtual ? 'core' : 'worker'}`;
  const requestLimit = options.maxRequests !== undefined || !lift ? budget.maxRequests : Infinity;
  if (!(estimate.requests <= requestLimit)) {
    refusals.push(
      `this run would ${virtual ? 'simulate' : 'send'} ${approx(estimate.requests)} requests (${span(estimate.wallSeconds)} ${perCore}); ` +
        `the limit is ${approx(requestLimit).slice(1)} (${names.maxRequests} to raise it)`,
    );
  } else if (!lift && estimate.wallSeconds > budget.maxWallSeconds) {
    refusals.push(
      `this run would take ${span(estimate.wallSeconds)} (${approx(estimate.requests)} requests ${perCore}); ` +
        `the limit is ${span(budget.maxWallSeconds).slice(1)} (${names.allowLarge} to lift it)`,
    );
  }
  if (!lift && estimate.memoryBytes > budget.maxMemoryBytes) {
    const m = estimate.memory;
    refusals.push(
      `this run would need ${bytes(estimate.memoryBytes)} of memory (clients and requests in flight ${bytes(m.clients)}, ` +
        `timelines and report ${bytes(m.timelines)}, ${estimate.threads} thread(s) ${bytes(m.threads)}); the limit is ` +
        `${bytes(budget.maxMemoryBytes).slice(1)}, half this machine's memory and at most 4 GiB (${names.allowLarge} to lift it)`,
    );
  }
  if (estimate.resultJsonBytes > MAX_RESULT_JSON_BYTES) {
    const seconds = estimate.variants.reduce((most, v) => Math.max(most, v.timelineSeconds), 0);
    refusals.push(
      `this run's result.json would be ${bytes(estimate.resultJsonBytes)} (${approx(seconds).slice(1)} s of per-second timelines): ` +
        `more than the 512 MiB a report can be written in — shorten the duration`,
    );
  }
  const load = estimate.load;
  if (load !== undefined && load.ratio >= OVERLOAD_NOTE_RATIO) {
    notes.push(
      `the offered rate (${approx(load.offeredPerSec)}/s) is ${approx(load.ratio)}× what ${estimate.threads} worker(s) can drive ` +
        `(${approx(load.capacityPerSec)}/s): requests will start late, and the run will take ${span(estimate.wallSeconds)}`,
    );
  }
  if (refusals.length === 0 && estimate.wallSeconds >= 60) {
    notes.push(`estimate: ${approx(estimate.requests)} requests, ${span(estimate.wallSeconds)}, ${bytes(estimate.memoryBytes)} of memory`);
  }
  return { refusals, notes };
}

/** Everything {@link checkRunSize} needs from the command line and the scenario. */
export interface RunSizeInput extends Omit<EstimateOptions, 'cores'>, BudgetOptions {
  /** How the worker count was given, for the message: `--workers` or `the scenario's workers:`. */
  readonly workersOption: string;
  /** More threads than cores (`--oversubscribe`; up to {@link MAX_THREADS_PER_CORE} per core). */
  readonly oversubscribe?: boolean;
  /** Default `os.availableParallelism()`. */
  readonly cores?: number;
}

/** The threads bound and every budget, before any work; see the module comment. */
export function checkRunSize(plans: readonly VariantPlan[], input: RunSizeInput): RunSizeVerdict {
  const cores = input.cores ?? availableParallelism();
  const estimate = estimateWork(plans, { ...input, cores });
  const oversubscribeName = input.names?.oversubscribe ?? CLI_OPTION_NAMES.oversubscribe;
  const threads = checkWorkers(estimate.threads, input.workersOption, cores, input.oversubscribe === true, oversubscribeName);
  const verdict = judgeRunSize(estimate, input);
  return threads === undefined ? verdict : { refusals: [threads, ...verdict.refusals], notes: verdict.notes };
}
