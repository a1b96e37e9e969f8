/**
 * Rows and cell formats of the variant table (variant-table.ts), shared by the variant total and the per-fleet rows
 * (fleet-rows.ts) so the same figure reads the same wherever it appears (terminal, summary.md, report.html).
 */
import type { OperationSummary } from '../metrics/index.js';

/** One row of the variant table: a label and one cell per variant. */
export interface VariantTableRow {
  readonly label: string;
  readonly cells: readonly string[];
  /** Rows indented under the previous top-level row (failures by name, cost parts, a fleet's figures). */
  readonly detail: boolean;
  /** A block's heading (a fleet, or the total of all fleets): rendered bold; its cells say where, not how much. */
  readonly heading: boolean;
}

/** An integer with thousands separators. */
export const int = (n: number): string => Math.round(n).toLocaleString('en-US');
/** A ratio as a percentage with two decimals. */
export const pct = (n: number): string => `${(n * 100).toFixed(2)}%`;
/** Microseconds as milliseconds: two decimals below 10 ms, one above. */
export const ms = (us: number): string => (us / 1000).toFixed(us < 10_000 ? 2 : 1);
/** Failed / completed operations (0 when none completed): what share of finished operations the caller saw fail. */
export const failureRate = (s: Pick<OperationSummary, 'failedTotal' | 'completed'>): number => (s.completed === 0 ? 0 : s.failedTotal / s.completed);
/** A latency's mean ± standard deviation in ms; the mean alone for an older result without `stdev`. */
export const meanSd = (latency: OperationSummary['latencyUs']): string =>
  latency.stdev === undefined ? ms(latency.mean) : `${ms(latency.mean)} ± ${ms(latency.stdev)}`;
/** A per-second rate with one decimal. */
export const rate = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

/**
 * Operations waiting at the end of the run, flagged when the queue grew through it: a growing backlog means the
 * demand is not being served and nothing measured is a steady state, so the cell must not read like a plain count.
 */
export function backlogCell(backlog: OperationSummary['backlog']): string {
  return backlog.growing ? `${int(backlog.atEnd)} ⚠ growing +${rate(backlog.growthPerSec)}/s` : int(backlog.atEnd);
}
