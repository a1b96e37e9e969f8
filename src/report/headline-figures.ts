/**
 * The figures a headline quotes, and whether a run can support them. A number in a headline is read as the answer,
 * so each is worded at the precision its size needs (21%, 3.6%, 0.42%; 89 ms, 11.4 s) and is left out whenever the run
 * cannot stand behind it: no rate without a whole quota window or when the generator fell behind, no latency from a
 * generator that fell behind, no cost that the cost model marked n/a or warned about.
 */
import type { OperationSummary } from '../metrics/index.js';
import { int } from './cells.js';
import type { VariantResult } from './result.js';
import { formatNumber } from './text.js';

/**
 * A ratio as a percentage with the precision its size needs: two decimals under 1%, one under 10% and from 99%, none
 * between. Never rounded to 0% or 100% when it is not exactly that: "0%" would claim that nothing throttled.
 */
export function percentText(ratio: number): string {
  const p = ratio * 100;
  if (p === 0 || p === 100) return `${p}%`;
  if (p < 0.01) return '<0.01%';
  if (p > 99.99) return '>99.99%';
  const digits = p < 1 ? 2 : p < 10 ? 1 : p < 99 ? 0 : p < 99.9 ? 1 : 2;
  return `${p.toFixed(digits)}%`;
}

/** A latency or age in microseconds, in the unit a reader thinks in: 0.85 ms, 8.9 ms, 89 ms, 11.4 s. */
export function latencyText(us: number): string {
  if (us >= 100_000_000) return `${int(us / 1_000_000)} s`;
  if (us >= 1_000_000) return `${(us / 1_000_000).toFixed(1)} s`;
  if (us >= 10_000) return `${Math.round(us / 1000)} ms`;
  return `${(us / 1000).toFixed(us >= 1000 ? 1 : 2)} ms`;
}

/** A per-second rate: whole above 100 (200/s, 5,500/s), three significant digits below (80.3/s). */
export function rateText(perSec: number): string {
  return perSec >= 100 ? int(perSec) : formatNumber(Number(perSec.toPrecision(3)));
}

/** Names as prose: `a`, `a and b`, `a, b and c`. */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

/** True when the run measured per-second rates a reader can act on: a whole quota window, a generator that kept up. */
export function ratesQuotable(variant: VariantResult): boolean {
  return variant.metrics.rateWindow.whole && !variant.harnessLimited;
}

/** True when latency measures KMS and the client, not a generator that fell behind. */
export function latencyQuotable(variant: VariantResult): boolean {
  return !variant.harnessLimited && variant.metrics.total.latencyUs.count > 0;
}

/** True when a fleet's queue grew through the run: nothing measured is a steady state. */
export function backlogGrows(variant: VariantResult): boolean {
  return variant.metrics.total.backlog.growing || Object.values(variant.metrics.fleets).some((f) => f.total.backlog.growing);
}

/**
 * The monthly cost a headline may quote, or null: n/a in the cost model (too short, incomplete, warm cache), flagged
 * by one of its warnings, from a growing backlog, or from a generator that fell behind.
 */
export function quotableCost(variant: VariantResult): number | null {
  const cost = variant.cost;
  if (cost === undefined || cost.costUsdPerMonth === null || cost.unavailable !== undefined) return null;
  if (cost.warnings.length > 0 || backlogGrows(variant) || variant.harnessLimited) return null;
  return cost.costUsdPerMonth;
}

/** Failed operations out of those that finished, as "91 of 2,500, 3.6%". */
export function failedOfText(failed: number, completed: number): string {
  return `${int(failed)} of ${int(completed)}, ${percentText(completed === 0 ? 0 : failed / completed)}`;
}

/** Share of finished operations that failed (0 when none finished). */
export function failureRate(total: OperationSummary): number {
  return total.completed === 0 ? 0 : total.failedTotal / total.completed;
}
