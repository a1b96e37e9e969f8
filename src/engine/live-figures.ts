/**
 * What the main thread makes of the live board (live-board.ts): the figures of the latest finished second and the
 * running totals for the progress line, and the evaluation of thresholds that abort the run (`abortOnFail`).
 * Evaluated a few times a second on the wall clock, and as each simulated second ends on the virtual one — never per
 * request.
 */
import { SECOND_FIELD, TOTAL_FIELD, TOTAL_FIELDS, type LiveSecondCounts } from '../metrics/live-fields.js';
import { comparisonHolds, formatObserved, type Comparator } from '../scenario/threshold-condition.js';
import { liveMetricValue, type LiveTotals } from '../scenario/threshold-aborts.js';
import type { SecondRow } from './live-board.js';

/** An `abortOnFail` threshold resolved for one variant: structured-cloneable, sent to simulations. */
export interface AbortRule {
  readonly key: string;
  readonly expression: string;
  /** Plan index of the fleet the threshold is scoped to; absent for the whole variant. */
  readonly fleet?: number;
  readonly metric: string;
  readonly comparator: Comparator;
  readonly value: number;
  /** Run time before the first evaluation. */
  readonly delayMs: number;
}

/** Which threshold stopped a variant, when, and what it saw. */
export interface AbortInfo {
  readonly key: string;
  readonly expression: string;
  readonly variant: string;
  /** Run time (simulated on the virtual clock) at which it failed, in seconds. */
  readonly atSeconds: number;
  readonly observed: number;
  /** With `--repeat`: the seed whose simulation failed it (the variant's metrics are its first seed's). */
  readonly seed?: number;
}

/**
 * The live view of a whole variant (what the progress line shows): its latest finished second, its running totals
 * and what is in flight.
 */
export interface LiveFigures {
  /**
   * The latest whole second of the schedule every worker has finished (0-based), counts added over fleets; absent
   * before the first one ends.
   */
  readonly latest?: { readonly second: number } & LiveSecondCounts;
  /** Running totals, added over fleets. */
  readonly totals: LiveTotals;
  /** Operations offered and not yet finished or dropped. */
  readonly inFlight: number;
}

/** Running totals of one fleet (`fleet`), or of every fleet added up, out of a board's totals rows. */
export function totalsOf(rows: Float64Array, fleets: number, fleet?: number): LiveTotals {
  const sum = (field: number): number => {
    if (fleet !== undefined) return rows[fleet * TOTAL_FIELDS + field] ?? 0;
    let total = 0;
    for (let f = 0; f < fleets; f++) total += rows[f * TOTAL_FIELDS + field] ?? 0;
    return total;
  };
  return {
    offered: sum(TOTAL_FIELD.offered),
    attempts: sum(TOTAL_FIELD.attempts),
    throttled: sum(TOTAL_FIELD.throttled),
    succeeded: sum(TOTAL_FIELD.succeeded),
    completed: sum(TOTAL_FIELD.completed),
    dropped: sum(TOTAL_FIELD.dropped),
    retries: sum(TOTAL_FIELD.retries),
    denied: sum(TOTAL_FIELD.denied),
  };
}

/** The first rule that fails on these totals at run time `elapsedMs`; a metric with nothing to divide by yet waits. */
export function failingRule(
  rules: readonly AbortRule[],
  rows: Float64Array,
  fleets: number,
  elapsedMs: number,
): { rule: AbortRule; observed: number } | undefined {
  for (const rule of rules) {
    if (elapsedMs < rule.delayMs) continue;
    const observed = liveMetricValue(rule.metric, totalsOf(rows, fleets, rule.fleet));
    if (observed !== undefined && !comparisonHolds(observed, rule.comparator, rule.value)) return { rule, observed };
  }
  return undefined;
}

/** Adds the fleets' rows of one second into one set of counts, field by field of the row layout. */
function addRows(rows: readonly SecondRow[]): LiveSecondCounts {
  const names = Object.keys(SECOND_FIELD) as (keyof typeof SECOND_FIELD)[];
  return Object.fromEntries(names.map((name) => [name, rows.reduce((sum, { counts }) => sum + counts[name], 0)])) as Record<keyof typeof SECOND_FIELD, number>;
}

/**
 * The live figures from the rows of the latest finished second(s) and the totals rows. `wholeSeconds` is the
 * schedule's whole seconds: the drain slot after it is never shown as a second's rate.
 */
export function liveFigures(latestRows: readonly SecondRow[], totals: Float64Array, fleets: number, wholeSeconds: number): LiveFigures {
  const whole = latestRows.filter((row) => row.second < wholeSeconds);
  const second = whole.reduce((latest, row) => Math.max(latest, row.second), -1);
  const sum = totalsOf(totals, fleets);
  return {
    ...(second < 0 ? {} : { latest: { second, ...addRows(whole.filter((row) => row.second === second)) } }),
    totals: sum,
    inFlight: Math.max(0, sum.offered - sum.completed - sum.dropped),
  };
}

/** The incomplete run's reason when a threshold stopped it: which one, what it saw, when. */
export function abortReason(info: AbortInfo): string {
  const at = info.atSeconds.toFixed(1);
  const seed = info.seed === undefined ? '' : ` in seed ${info.seed}`;
  return `aborted by threshold ${info.key}: ${info.expression.trim()} (abortOnFail; observed ${formatObserved(info.observed, info.expression)} at ${at}s${seed})`;
}
