/**
 * Comparing two results metric by metric (`kms-bench compare`). Direction-aware: a metric moves in its worse
 * direction (higher latency or throttles, lower goodput) by more than its tolerance → regression. Deterministic
 * (virtual-clock) metrics get their own tolerance, 0 by default: they must match exactly.
 */
import { metricInfo } from './metric-catalog.js';
import type { Better } from './metric-catalog.js';
import { determinismOf, resultPoints } from './metric-values.js';
import type { Determinism } from './metric-values.js';
import type { RunResult } from './result.js';
import { formatNumber } from './text.js';

/** Relative tolerances, as fractions (0.05 = 5%). */
export interface CompareOptions {
  /** For noisy (wall-clock) metrics. Default 0.05. */
  readonly tolerance?: number;
  /** For deterministic (virtual-clock) metrics. Default 0. */
  readonly toleranceDeterministic?: number;
}

export const DEFAULT_TOLERANCE = 0.05;
export const DEFAULT_TOLERANCE_DETERMINISTIC = 0;

/** What happened to one metric. */
export type Verdict = 'regression' | 'improvement' | 'within' | 'same' | 'changed';

export interface ComparisonEntry {
  readonly variant: string;
  readonly path: string;
  readonly unit: string;
  readonly better: Better;
  readonly determinism: Determinism;
  readonly baseline: number;
  readonly candidate: number;
  /** (candidate − baseline) / |baseline|; `null` when the baseline is 0 and the candidate is not. */
  readonly change: number | null;
  readonly verdict: Verdict;
}

export interface Comparison {
  /** Problems that make the inputs incomparable (exit 2); when any, `entries` is empty. */
  readonly errors: string[];
  /** Differences worth knowing that do not stop the comparison (another scenario hash, an incomplete run). */
  readonly warnings: string[];
  readonly entries: ComparisonEntry[];
  readonly regressions: number;
  readonly improvements: number;
  readonly tolerance: number;
  readonly toleranceDeterministic: number;
}

/** Parses a tolerance such as `5%`, `0.5%` or `0.05`. */
export function parseTolerance(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(text);
  if (match === null) return undefined;
  const value = Number(match[1]);
  return match[2] === '%' ? value / 100 : value;
}

function verdictOf(better: Better, baseline: number, candidate: number, tolerance: number): { change: number | null; verdict: Verdict } {
  const delta = candidate - baseline;
  if (delta === 0) return { change: 0, verdict: 'same' };
  const change = baseline === 0 ? null : delta / Math.abs(baseline);
  if (better === 'none') return { change, verdict: 'changed' };
  const magnitude = change === null ? Infinity : Math.abs(change);
  if (magnitude <= tolerance) return { change, verdict: 'within' };
  const worse = better === 'lower' ? delta > 0 : delta < 0;
  return { change, verdict: worse ? 'regression' : 'improvement' };
}

/**
 * Compares every metric the two results share, variant by variant (variants are matched by name). Scopes that only
 * repeat their parent's numbers (the one fleet of a variant, the one operation of a fleet) are left out.
 */
export function compareResults(baseline: RunResult, candidate: RunResult, options: CompareOptions = {}): Comparison {
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const toleranceDeterministic = options.toleranceDeterministic ?? DEFAULT_TOLERANCE_DETERMINISTIC;
  const errors: string[] = [];
  const warnings: string[] = [];
  const empty = (): Comparison => ({ errors, warnings, entries: [], regressions: 0, improvements: 0, tolerance, toleranceDeterministic });
  if (baseline.schemaVersion !== candidate.schemaVersion) {
    errors.push(`result schema versions differ: baseline ${baseline.schemaVersion}, candidate ${candidate.schemaVersion}`);
    return empty();
  }
  if (baseline.scenario.hash !== candidate.scenario.hash) {
    warnings.push(
      `the scenarios differ (baseline ${baseline.scenario.name} ${baseline.scenario.hash.slice(0, 12)}, ` +
        `candidate ${candidate.scenario.name} ${candidate.scenario.hash.slice(0, 12)}): differences may come from the scenario, not the code`,
    );
  }
  if (baseline.scenario.clock !== candidate.scenario.clock) {
    warnings.push(`the clocks differ (baseline ${baseline.scenario.clock}, candidate ${candidate.scenario.clock}): every metric is compared as noisy`);
  }
  for (const [label, result] of [['baseline', baseline], ['candidate', candidate]] as const) {
    if (result.state !== 'completed') warnings.push(`the ${label} run is ${result.state}${result.reason === undefined ? '' : `: ${result.reason}`}`);
  }
  const candidateVariants = new Set(candidate.variants.map((v) => v.name));
  const shared = baseline.variants.filter((v) => candidateVariants.has(v.name)).map((v) => v.name);
  const only = (from: RunResult, other: Set<string>): string[] => from.variants.map((v) => v.name).filter((name) => !other.has(name));
  const baselineOnly = only(baseline, candidateVariants);
  const candidateOnly = only(candidate, new Set(baseline.variants.map((v) => v.name)));
  if (shared.length === 0) {
    errors.push('the results share no variant: nothing to compare');
    return empty();
  }
  if (baselineOnly.length > 0) warnings.push(`variants only in the baseline: ${baselineOnly.join(', ')}`);
  if (candidateOnly.length > 0) warnings.push(`variants only in the candidate: ${candidateOnly.join(', ')}`);

  const deterministic = determinismOf(baseline) === 'deterministic' && determinismOf(candidate) === 'deterministic';
  const determinism: Determinism = deterministic ? 'deterministic' : 'noisy';
  const candidatePoints = new Map(resultPoints(candidate, { distinct: true }).map((point) => [`${point.variant}\u0000${point.path}`, point]));
  const entries: ComparisonEntry[] = [];
  let missing = 0;
  for (const point of resultPoints(baseline, { distinct: true })) {
    const other = candidatePoints.get(`${point.variant}\u0000${point.path}`);
    if (other === undefined) {
      if (candidateVariants.has(point.variant)) missing++;
      continue;
    }
    const { change, verdict } = verdictOf(point.better, point.value, other.value, deterministic ? toleranceDeterministic : tolerance);
    entries.push({
      variant: point.variant,
      path: point.path,
      unit: metricInfo(point.metric)?.unit ?? point.unit,
      better: point.better,
      determinism,
      baseline: point.value,
      candidate: other.value,
      change,
      verdict,
    });
  }
  if (missing > 0) warnings.push(`${missing} metric(s) of the baseline are not in the candidate (a fleet or operation without data)`);
  return {
    errors,
    warnings,
    entries,
    regressions: entries.filter((e) => e.verdict === 'regression').length,
    improvements: entries.filter((e) => e.verdict === 'improvement').length,
    tolerance,
    toleranceDeterministic,
  };
}

const MARK: Readonly<Record<Verdict, string>> = { regression: '✗', improvement: '↑', within: '≈', same: '=', changed: '~' };

function changeText(entry: ComparisonEntry): string {
  if (entry.change === null) return 'new';
  if (entry.change === 0) return '0%';
  const pct = entry.change * 100;
  return `${pct > 0 ? '+' : ''}${Math.abs(pct) >= 10 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

/** The comparison as table rows: mark, variant, metric, baseline, candidate, change, verdict. */
export function comparisonTableRows(comparison: Comparison): string[][] {
  return comparison.entries.map((e) => [MARK[e.verdict], e.variant, e.path, formatNumber(e.baseline), formatNumber(e.candidate), changeText(e), e.verdict]);
}

export const COMPARISON_HEADER = ['', 'variant', 'metric', 'baseline', 'candidate', 'change', 'verdict'] as const;

/** A one-line tally: `2 regressions, 1 improvement, 40 unchanged or within tolerance`. */
export function comparisonTally(comparison: Comparison): string {
  const rest = comparison.entries.length - comparison.regressions - comparison.improvements;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(comparison.regressions, 'regression')}, ${plural(comparison.improvements, 'improvement')}, ${rest} unchanged or within tolerance`;
}

/** The comparison as aligned text for the terminal. */
export function formatComparisonText(comparison: Comparison): string {
  const rows = [COMPARISON_HEADER.slice(), ...comparisonTableRows(comparison)];
  const widths = COMPARISON_HEADER.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const right = new Set([3, 4, 5]);
  const lines = rows.map((row) => row.map((text, i) => (right.has(i) ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines.join('\n');
}
