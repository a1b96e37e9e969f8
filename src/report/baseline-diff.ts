/**
 * A run against a baseline run, metric by metric (`kms-bench compare`); the variants of one run side by side are
 * variant-table.ts. Direction-aware: a metric moves in its worse direction (higher latency or throttles, lower
 * goodput) by more than its tolerance → regression.
 *
 * Tolerances follow how noisy a figure is. Virtual-clock results are deterministic: a rerun gives the same numbers,
 * so they must match exactly by default. Wall-clock results are not, and their defaults depend on the kind of metric
 * ({@link WALL_TOLERANCES}). Harness-health metrics (late, dropped, lateOrDroppedRate) describe the load generator,
 * not KMS: they are listed, and gated only when asked (`gateHarness`).
 */
import { metricInfo, summaryMetric } from '../metrics/metric-catalog.js';
import type { Better } from '../metrics/metric-catalog.js';
import { determinismOf, resultPoints } from './metric-values.js';
import type { Determinism } from './metric-values.js';
import type { RunResult } from './result.js';
import { ms } from './cells.js';
import { formatNumber } from './text.js';

/** Relative tolerances, as fractions (0.05 = 5%). */
export interface CompareOptions {
  /** One tolerance for every noisy (wall-clock) metric, replacing the defaults by kind ({@link WALL_TOLERANCES}). */
  readonly tolerance?: number;
  /** For deterministic (virtual-clock) metrics. Default 0. */
  readonly toleranceDeterministic?: number;
  /** Gate harness-health metrics (late, dropped, lateOrDroppedRate) like the others. Default false: list them only. */
  readonly gateHarness?: boolean;
}

/** How a wall-clock metric varies between identical runs, which decides its default tolerance. */
export type NoiseKind = 'counts' | 'latency' | 'latencyTail';

/**
 * Default tolerances of wall-clock metrics, by kind. Measured on `scenarios/default.yaml` (identical 5–10 s runs on a
 * 2-core machine shared with other work):
 * - counts, rates, ratios and cost moved by up to 4% for a whole variant and 8% for one operation (a count n has
 *   sampling noise of about √n: 4% at n = 500, and which requests land in which one-second quota window depends on
 *   thread scheduling) → 10%;
 * - latency p50, p90 and mean moved by up to 20% (mean 29% for one operation): GC pauses, timer coalescing and CPU
 *   contention delay many requests a little → 30%;
 * - p99, p999 and max rest on a handful of the slowest requests (p999 of 10,000 is the 10th slowest), so one stall
 *   moves them a lot: up to 2.5× between identical runs whose generator fell behind, 30–70% otherwise → 100%: a tail
 *   more than doubled is still a regression.
 * Finer gates belong on the virtual clock, which is exact. An explicit tolerance replaces all three.
 */
export const WALL_TOLERANCES: Readonly<Record<NoiseKind, number>> = { counts: 0.1, latency: 0.3, latencyTail: 1 };
export const DEFAULT_TOLERANCE_DETERMINISTIC = 0;

const TAIL_STATS = new Set(['p99', 'p999', 'max']);

/** The noise kind of a metric name (`latencyUs.p99` → `latencyTail`, `throttleRate` → `counts`). */
export function noiseKind(metric: string): NoiseKind {
  if (!metric.startsWith('latencyUs.') || metric === 'latencyUs.count') return 'counts';
  return TAIL_STATS.has(metric.slice('latencyUs.'.length)) ? 'latencyTail' : 'latency';
}

/** The tolerances a comparison applied. */
export interface Tolerances {
  /** Wall-clock metrics by kind (all equal when one tolerance was given). */
  readonly wall: Readonly<Record<NoiseKind, number>>;
  /** Whether `wall` is one tolerance given explicitly rather than the defaults by kind. */
  readonly explicit: boolean;
  readonly deterministic: number;
}

/** What happened to one metric. `changed`: it moved, but is not judged (no direction, or a harness metric not gated). */
export type Verdict = 'regression' | 'improvement' | 'within' | 'same' | 'changed';

export interface ComparisonEntry {
  readonly variant: string;
  readonly path: string;
  readonly unit: string;
  readonly better: Better;
  readonly determinism: Determinism;
  /** Whether the metric measures the load generator rather than KMS (late, dropped, lateOrDroppedRate). */
  readonly harness: boolean;
  /** Whether a move beyond `tolerance` can be a regression: not without a direction, nor for harness metrics unless asked. */
  readonly gated: boolean;
  /** The relative tolerance this metric was judged with. */
  readonly tolerance: number;
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
  readonly tolerances: Tolerances;
  readonly gateHarness: boolean;
}

/** Parses a tolerance such as `5%`, `0.5%` or `0.05`. */
export function parseTolerance(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(text);
  if (match === null) return undefined;
  const value = Number(match[1]);
  return match[2] === '%' ? value / 100 : value;
}

function verdictOf(better: Better, baseline: number, candidate: number, tolerance: number, gated: boolean): { change: number | null; verdict: Verdict } {
  const delta = candidate - baseline;
  if (delta === 0) return { change: 0, verdict: 'same' };
  const change = baseline === 0 ? null : delta / Math.abs(baseline);
  if (!gated) return { change, verdict: 'changed' };
  const magnitude = change === null ? Infinity : Math.abs(change);
  if (magnitude <= tolerance) return { change, verdict: 'within' };
  const worse = better === 'lower' ? delta > 0 : delta < 0;
  return { change, verdict: worse ? 'regression' : 'improvement' };
}

/** Warnings for variants whose generator fell behind: their latency and goodput measure the harness as much as KMS. */
function harnessWarnings(label: string, result: RunResult, shared: ReadonlySet<string>): string[] {
  return result.variants
    .filter((v) => v.harnessLimited && shared.has(v.name))
    .map(
      (v) =>
        `the ${label} run's generator fell behind in ${v.name} (${(v.metrics.total.lateOrDroppedRate * 100).toFixed(2)}% of requests ` +
        'late or dropped): its latency and goodput measure the harness as much as KMS',
    );
}

/**
 * Compares every metric the two results share, variant by variant (variants are matched by name). Scopes that only
 * repeat their parent's numbers (the one fleet of a variant, the one operation of a fleet) are left out.
 */
export function compareResults(baseline: RunResult, candidate: RunResult, options: CompareOptions = {}): Comparison {
  const tolerances: Tolerances = {
    wall: options.tolerance === undefined ? WALL_TOLERANCES : { counts: options.tolerance, latency: options.tolerance, latencyTail: options.tolerance },
    explicit: options.tolerance !== undefined,
    deterministic: options.toleranceDeterministic ?? DEFAULT_TOLERANCE_DETERMINISTIC,
  };
  const gateHarness = options.gateHarness ?? false;
  const errors: string[] = [];
  const warnings: string[] = [];
  const empty = (): Comparison => ({ errors, warnings, entries: [], regressions: 0, improvements: 0, tolerances, gateHarness });
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
  const sharedSet = new Set(shared);
  warnings.push(...harnessWarnings('baseline', baseline, sharedSet), ...harnessWarnings('candidate', candidate, sharedSet));

  // Only two virtual-clock results are exact: one wall-clock side brings its noise to every figure.
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
    const harness = summaryMetric(point.metric)?.harness === true;
    const gated = point.better !== 'none' && (!harness || gateHarness);
    const tolerance = deterministic ? tolerances.deterministic : tolerances.wall[noiseKind(point.metric)];
    const { change, verdict } = verdictOf(point.better, point.value, other.value, tolerance, gated);
    entries.push({
      variant: point.variant,
      path: point.path,
      unit: metricInfo(point.metric)?.unit ?? point.unit,
      better: point.better,
      determinism,
      harness,
      gated,
      tolerance,
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
    tolerances,
    gateHarness,
  };
}

const MARK: Readonly<Record<Verdict, string>> = { regression: '✗', improvement: '↑', within: '≈', same: '=', changed: '~' };

function changeText(entry: ComparisonEntry): string {
  if (entry.change === null) return 'new';
  if (entry.change === 0) return '0%';
  const pct = entry.change * 100;
  return `${pct > 0 ? '+' : ''}${Math.abs(pct) >= 10 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

/** The verdict as shown: a harness metric that moved says why it did not count. */
function verdictText(entry: ComparisonEntry): string {
  return entry.harness && !entry.gated && entry.verdict === 'changed' ? 'changed, not gated (harness)' : entry.verdict;
}

/**
 * The metric and its two values as a table shows them. Latency is recorded in µs (`latencyUs.p99`) but every other
 * report reads it in milliseconds, so the table names it `latency.p99 (ms)` — the threshold family of the same
 * figure — with the milliseconds the variant table prints (`latencyUs.count` is `latency.count`); `--format json`
 * keeps the recorded names and µs.
 */
function shownFigures(entry: ComparisonEntry): [string, string, string] {
  const latency = /^(.*?)latencyUs\.(\w+)$/.exec(entry.path);
  if (latency === null) return [entry.path, formatNumber(entry.baseline), formatNumber(entry.candidate)];
  if (entry.unit !== 'us') return [`${latency[1] ?? ''}latency.${latency[2] ?? ''}`, formatNumber(entry.baseline), formatNumber(entry.candidate)];
  return [`${latency[1] ?? ''}latency.${latency[2] ?? ''} (ms)`, ms(entry.baseline), ms(entry.candidate)];
}

/** The comparison as table rows: mark, variant, metric, baseline, candidate, change, verdict. */
export function comparisonTableRows(comparison: Comparison): string[][] {
  return comparison.entries.map((e) => [MARK[e.verdict], e.variant, ...shownFigures(e), changeText(e), verdictText(e)]);
}

export const COMPARISON_HEADER = ['', 'variant', 'metric', 'baseline', 'candidate', 'change', 'verdict'] as const;

/** A one-line tally: `2 regressions, 1 improvement, 40 unchanged or within tolerance`. */
export function comparisonTally(comparison: Comparison): string {
  const rest = comparison.entries.length - comparison.regressions - comparison.improvements;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(comparison.regressions, 'regression')}, ${plural(comparison.improvements, 'improvement')}, ${rest} unchanged or within tolerance`;
}

const percent = (fraction: number): string => `${formatNumber(fraction * 100)}%`;

/**
 * The tolerances applied, in one line: `tolerance: wall clock counts 10%, latency 30%, tail latency 100%; virtual
 * clock 0%; harness metrics not gated`.
 */
export function toleranceText(comparison: Pick<Comparison, 'tolerances' | 'gateHarness'>): string {
  const { wall, explicit, deterministic } = comparison.tolerances;
  const wallText = explicit
    ? `wall clock ${percent(wall.counts)}`
    : `wall clock counts ${percent(wall.counts)}, latency ${percent(wall.latency)}, tail latency (p99, p999, max) ${percent(wall.latencyTail)}`;
  const harness = comparison.gateHarness ? 'harness metrics gated' : 'harness metrics (late, dropped, lateOrDroppedRate) not gated';
  return `tolerance: ${wallText}; virtual clock ${percent(deterministic)}; ${harness}`;
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
