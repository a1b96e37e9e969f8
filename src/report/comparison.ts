/**
 * The side-by-side comparison of a run's variants, one metric per row: the same rows in the terminal table,
 * summary.md and report.html.
 */
import type { RunResult, VariantResult } from './result.js';
import { formatUsd } from './text.js';

/** One row: a label and one cell per variant. */
export interface ComparisonRow {
  readonly label: string;
  readonly cells: readonly string[];
  /** Rows indented under the previous top-level row (failures by name, cost parts). */
  readonly detail: boolean;
}

interface RowSpec {
  readonly label: string;
  readonly value: (variant: VariantResult) => string;
  readonly detail?: boolean;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const pct = (n: number): string => `${(n * 100).toFixed(2)}%`;
const ms = (us: number): string => (us / 1000).toFixed(us < 10_000 ? 2 : 1);
const rate = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

const ROWS: readonly RowSpec[] = [
  { label: 'offered', value: (v) => int(v.metrics.total.offered) },
  { label: 'succeeded', value: (v) => int(v.metrics.total.succeeded) },
  { label: 'goodput /s', value: (v) => rate(v.metrics.total.goodputPerSec) },
  { label: 'attempts', value: (v) => int(v.metrics.total.attempts) },
  { label: 'throttled (responses)', value: (v) => int(v.metrics.total.throttled) },
  { label: 'throttle rate', value: (v) => pct(v.metrics.total.throttleRate) },
  { label: 'retries', value: (v) => int(v.metrics.total.retries) },
  { label: 'attempts per op', value: (v) => v.metrics.total.attemptsPerOp.toFixed(3) },
  { label: 'failed (final)', value: (v) => int(v.metrics.total.failedTotal) },
  { label: 'late / dropped', value: (v) => `${int(v.metrics.total.late)} / ${int(v.metrics.total.dropped)}` },
  { label: 'latency p50 ms', value: (v) => ms(v.metrics.total.latencyUs.p50) },
  { label: 'latency p90 ms', value: (v) => ms(v.metrics.total.latencyUs.p90) },
  { label: 'latency p99 ms', value: (v) => ms(v.metrics.total.latencyUs.p99) },
  { label: 'latency p99.9 ms', value: (v) => ms(v.metrics.total.latencyUs.p999) },
  { label: 'latency max ms', value: (v) => ms(v.metrics.total.latencyUs.max) },
];

const COST_ROWS: readonly RowSpec[] = [
  { label: 'cost $/month', value: (v) => (v.cost === undefined ? '–' : formatUsd(v.cost.costUsdPerMonth)) },
  { label: 'keys', value: (v) => (v.cost === undefined ? '–' : formatUsd(v.cost.keysUsdPerMonth)), detail: true },
  { label: 'requests', value: (v) => (v.cost === undefined ? '–' : formatUsd(v.cost.requestsUsdPerMonth)), detail: true },
  {
    label: 'KMS requests /s (steady)',
    value: (v) => (v.cost === undefined ? '–' : rate(v.cost.requests.reduce((sum, r) => sum + r.ratePerSec, 0))),
    detail: true,
  },
];

/** The comparison rows of a result, failures by error name under `failed (final)`, cost last when recorded. */
export function comparisonRows(result: RunResult): ComparisonRow[] {
  const variants = result.variants;
  const failures = [...new Set(variants.flatMap((v) => Object.keys(v.metrics.total.failed)))].sort();
  const specs: RowSpec[] = [];
  for (const row of ROWS) {
    specs.push(row);
    if (row.label === 'failed (final)') {
      for (const name of failures) specs.push({ label: name, value: (v) => int(v.metrics.total.failed[name] ?? 0), detail: true });
    }
  }
  if (variants.some((v) => v.cost !== undefined)) specs.push(...COST_ROWS);
  return specs.map((spec) => ({ label: spec.label, cells: variants.map(spec.value), detail: spec.detail === true }));
}

/** The harness-limited warnings, one per variant the generator could not keep up in. */
export function harnessWarnings(result: RunResult): string[] {
  return result.variants
    .filter((v) => v.harnessLimited)
    .map(
      (v) =>
        `${v.name}: ${pct(v.metrics.total.lateOrDroppedRate)} of requests started late or were dropped — the harness, not KMS, was the limit`,
    );
}

/** The buckets that throttled, one line per (variant, region, bucket). */
export function throttledBucketLines(result: RunResult): string[] {
  return result.variants.flatMap((v) =>
    v.quota
      .filter((q) => q.throttled > 0)
      .map((q) => `${v.name}: ${q.region} ${q.bucket} quota ${int(q.quotaPerSec)}/s — admitted ${int(q.admitted)}, throttled ${int(q.throttled)}`),
  );
}

/** The run's status: `completed`, or `INCOMPLETE: reason`. */
export function statusText(result: RunResult): string {
  return result.state === 'completed' ? 'completed' : `${result.state.toUpperCase()}: ${result.reason ?? ''}`;
}
