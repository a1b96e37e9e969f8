/**
 * The variant table: a run's variants side by side, one metric per row — the same rows in the terminal table,
 * summary.md and report.html. A run with several fleets gets the total, then one block per fleet (fleet-rows.ts).
 * (Comparing a run against a baseline run is baseline-diff.ts.)
 */
import type { CacheSummary } from '../metrics/index.js';
import { backlogCell, int, ms, pct, rate, type VariantTableRow } from './cells.js';
import { anyGrowingBacklog, fleetRows, hasSeveralFleets } from './fleet-rows.js';
import type { RunResult, VariantResult } from './result.js';
import { formatNumber, formatUsd } from './text.js';

interface RowSpec {
  readonly label: string;
  readonly value: (variant: VariantResult) => string;
  readonly detail?: boolean;
}

const ROWS: readonly RowSpec[] = [
  { label: 'offered', value: (v) => int(v.metrics.total.offered) },
  { label: 'succeeded', value: (v) => int(v.metrics.total.succeeded) },
  { label: 'offered /s', value: (v) => rate(v.metrics.total.offeredPerSec) },
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

/** Successes after the scheduled end: in `succeeded` but not in the goodput rate (see metrics/rates.ts). */
const DRAIN_ROW: RowSpec = { label: 'after the scheduled end', value: (v) => int(v.metrics.total.succeededAfterEnd), detail: true };
const BACKLOG_ROW: RowSpec = { label: 'backlog at end', value: (v) => backlogCell(v.metrics.total.backlog) };

const COST_ROWS: readonly RowSpec[] = [
  // A cost the run cannot support is 'n/a' (formatUsd(null)), its reason printed under the table: never a false $0.
  { label: 'cost $/month', value: (v) => (v.cost === undefined ? '–' : formatUsd(v.cost.costUsdPerMonth)) },
  { label: 'keys', value: (v) => (v.cost === undefined ? '–' : formatUsd(v.cost.keysUsdPerMonth)), detail: true },
  { label: 'requests', value: (v) => (v.cost === undefined ? '–' : formatUsd(v.cost.requestsUsdPerMonth)), detail: true },
  {
    label: 'KMS requests /s (steady)',
    value: (v) =>
      v.cost === undefined ? '–' : v.cost.unavailable !== undefined ? 'n/a' : rate(v.cost.requests.reduce((sum, r) => sum + r.ratePerSec, 0)),
    detail: true,
  },
];

/** A fleet's envelope (data-key) summary: summed over the variant's fleets that have one. */
function cacheOf(v: VariantResult): CacheSummary[] {
  return Object.values(v.metrics.fleets).flatMap((f) => (f.cache === undefined ? [] : [f.cache]));
}
const sumOf = (v: VariantResult, read: (c: CacheSummary) => number): number => cacheOf(v).reduce((s, c) => s + read(c), 0);
/** A figure of each of the variant's caches, or `null` (unknown) when any did not observe it (an esdk fleet's cache). */
function observedOf(v: VariantResult, read: (c: CacheSummary) => number | null): number[] | null {
  const values: number[] = [];
  for (const c of cacheOf(v)) {
    const n = read(c);
    if (n === null) return null;
    values.push(n);
  }
  return values;
}
const sumOrNull = (v: VariantResult, read: (c: CacheSummary) => number | null): number | null =>
  observedOf(v, read)?.reduce((s, n) => s + n, 0) ?? null;
const maxOrNull = (v: VariantResult, read: (c: CacheSummary) => number | null): number | null => {
  const values = observedOf(v, read);
  return values === null ? null : Math.max(0, ...values);
};
/** An integer, or "n/a" for a figure not observed: never a false 0. */
const intOrNa = (n: number | null): string => (n === null ? 'n/a' : int(n));
const cachedText = (v: VariantResult, text: () => string): string => (cacheOf(v).some((c) => c.cached) ? text() : '–');

/** Envelope operations: the cache's effect (KMS calls, hits) and the security side (exposure of each data key). */
const CACHE_ROWS: readonly RowSpec[] = [
  { label: 'envelope KMS calls', value: (v) => int(sumOf(v, (c) => c.kmsCalls)) },
  {
    label: 'KMS calls per op',
    value: (v) => {
      const ops = sumOf(v, (c) => c.envelopeOps);
      return (ops === 0 ? 0 : sumOf(v, (c) => c.kmsCalls) / ops).toFixed(3);
    },
    detail: true,
  },
  { label: 'KMS calls saved', value: (v) => int(sumOf(v, (c) => c.kmsCallsSaved)), detail: true },
  {
    label: 'saved vs uncached variant',
    value: (v) => (v.cacheSavings === undefined ? '–' : int(v.cacheSavings.reduce((s, x) => s + x.kmsCallsSaved, 0))),
    detail: true,
  },
  {
    label: 'cache hit rate',
    value: (v) =>
      cachedText(v, () => {
        const served = sumOf(v, (c) => c.encryptHits + c.encryptJoined + c.decryptHits + c.decryptJoined);
        const misses = sumOf(v, (c) => c.encryptMisses + c.decryptMisses);
        return pct(served + misses === 0 ? 0 : served / (served + misses));
      }),
  },
  { label: 'hits / misses / joined', value: (v) => cachedText(v, () => `${int(sumOf(v, (c) => c.encryptHits + c.decryptHits))} / ${int(sumOf(v, (c) => c.encryptMisses + c.decryptMisses))} / ${int(sumOf(v, (c) => c.encryptJoined + c.decryptJoined))}`), detail: true },
  {
    label: 'evictions',
    value: (v) => cachedText(v, () => intOrNa(sumOrNull(v, (c) => (c.evictions === null ? null : Object.values(c.evictions).reduce((s, n) => s + n, 0))))),
    detail: true,
  },
  { label: 'data keys (encrypt)', value: (v) => int(sumOf(v, (c) => c.dataKeys)) },
  {
    label: 'messages per key mean / max',
    value: (v) => {
      const keys = sumOf(v, (c) => c.dataKeys);
      const mean = keys === 0 ? 0 : sumOf(v, (c) => c.messagesPerKeyMean * c.dataKeys) / keys;
      return `${rate(mean)} / ${intOrNa(maxOrNull(v, (c) => c.messagesPerKeyMax))}`;
    },
    detail: true,
  },
  { label: 'bytes per key max', value: (v) => intOrNa(maxOrNull(v, (c) => c.bytesPerKeyMax)), detail: true },
  { label: 'max key age ms', value: (v) => intOrNa(maxOrNull(v, (c) => c.maxKeyAgeMs)), detail: true },
];

/**
 * The comparison rows of a result: the variant total (failures by error name under `failed (final)`, the drain under
 * `succeeded` when there was one), then one block per fleet when there are several, then the data-key cache and the
 * cost when recorded.
 */
export function variantTableRows(result: RunResult): VariantTableRow[] {
  const variants = result.variants;
  const failures = [...new Set(variants.flatMap((v) => Object.keys(v.metrics.total.failed)))].sort();
  const drained = variants.some((v) => v.metrics.total.succeededAfterEnd > 0);
  const specs: RowSpec[] = [];
  for (const row of ROWS) {
    specs.push(row);
    if (row.label === 'succeeded' && drained) specs.push(DRAIN_ROW);
    if (row.label === 'failed (final)') {
      for (const name of failures) specs.push({ label: name, value: (v) => int(v.metrics.total.failed[name] ?? 0), detail: true });
    }
  }
  if (anyGrowingBacklog(result)) specs.push(BACKLOG_ROW);
  const toRow = (spec: RowSpec): VariantTableRow => ({ label: spec.label, cells: variants.map(spec.value), detail: spec.detail === true, heading: false });
  const several = hasSeveralFleets(result);
  const rows: VariantTableRow[] = [
    ...(several ? [{ label: 'all fleets', cells: variants.map(() => ''), detail: false, heading: true }] : []),
    ...specs.map(toRow),
    ...fleetRows(result),
  ];
  // After the fleet blocks, a heading puts the variant-wide rows that follow back outside the last fleet's block.
  const tail: RowSpec[] = [];
  if (variants.some((v) => cacheOf(v).length > 0)) tail.push(...CACHE_ROWS);
  if (variants.some((v) => v.cost !== undefined)) tail.push(...COST_ROWS);
  if (several && tail.length > 0) rows.push({ label: 'all fleets', cells: variants.map(() => ''), detail: false, heading: true });
  rows.push(...tail.map(toRow));
  return rows;
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

/**
 * The spread across seeds of a `--repeat` run, one line per (variant, metric): mean, min–max and standard deviation,
 * so a reader can tell a real difference between variants from seed noise.
 */
export function repeatLines(result: RunResult): string[] {
  return result.variants.flatMap((v) => {
    if (v.repeats === undefined) return [];
    const seeds = `seeds ${v.repeats.seeds.join(', ')}`;
    return Object.entries(v.repeats.metrics).map(
      ([metric, spread]) =>
        `${v.name}: ${metric} mean ${formatNumber(spread.mean)}, ${formatNumber(spread.min)}–${formatNumber(spread.max)}, ` +
        `sd ${formatNumber(spread.stddev)} (${seeds})`,
    );
  });
}

/**
 * How the run kept time: worker threads on the wall clock (noisy), or simulated seconds (deterministic), and whether
 * ciphers ran. Simulated seconds include the retries that ran past the schedule.
 */
export function clockText(result: RunResult): string {
  // Latency figures rest on the service latency: say when it was assumed rather than measured by the user.
  const assumed = result.scenario.serviceLatencyAssumed;
  const latency = assumed === undefined ? '' : `, service latency assumed (${assumed}; set serviceLatency to your own)`;
  if (result.scenario.clock !== 'virtual') return `wall clock (noisy), ${result.environment.workers} workers${latency}`;
  // 0, not -Infinity, when no variant finished (every simulation failed).
  const simulated = Math.max(0, ...result.variants.map((v) => v.simulatedSeconds ?? 0));
  const crypto = result.variants.some((v) => v.crypto === 'off') ? ', crypto off' : '';
  return `virtual clock (deterministic), ${formatNumber(simulated)} simulated s per variant${crypto}${latency}`;
}

/** The run's status: `completed`, or `INCOMPLETE: reason`. */
export function statusText(result: RunResult): string {
  return result.state === 'completed' ? 'completed' : `${result.state.toUpperCase()}: ${result.reason ?? ''}`;
}
