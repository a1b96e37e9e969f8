/**
 * The variant table: a run's variants side by side, one metric per row — the same rows in the terminal table,
 * summary.md and report.html. A run with several fleets gets the total, then one block per fleet (fleet-rows.ts).
 * (Comparing a run against a baseline run is baseline-diff.ts.)
 */
import type { CacheSummary } from '../metrics/index.js';
import { backlogCell, failureRate, int, meanSd, ms, pct, rate, type VariantTableRow } from './cells.js';
import { anyDenied, anyGrowingBacklog, fleetRows, hasSeveralFleets } from './fleet-rows.js';
import { deniedOf, deniedRateOf } from '../metrics/metric-catalog.js';
import { lateText } from './run-notes.js';
import type { RunResult, VariantResult } from './result.js';
import { formatNumber, formatUsd } from './text.js';

interface RowSpec {
  readonly label: string;
  readonly value: (variant: VariantResult) => string;
  readonly detail?: boolean;
  /** The `--repeat` metric (engine/simulate.ts's headline names) this row shows, and how to write it in the row's units. */
  readonly spread?: { readonly metric: string; readonly format: (n: number) => string };
}

const total = (v: VariantResult): VariantResult['metrics']['total'] => v.metrics.total;
/** An optional statistic (added after result schema 1 was first written): '–' when an older result lacks it. */
const optionalMs = (us: number | undefined): string => (us === undefined ? '–' : ms(us));
const perOp = (n: number): string => n.toFixed(3);

/**
 * The latency rows follow autocannon's table (2.5%, 50%, 97.5%, 99%, mean ± stdev, max): the low end, the middle,
 * the tail and the spread, each read from the merged distribution. p90 and p99.9 stay in result.json and the chart.
 */
const ROWS: readonly RowSpec[] = [
  { label: 'offered', value: (v) => int(total(v).offered), spread: { metric: 'offered', format: int } },
  { label: 'succeeded', value: (v) => int(total(v).succeeded), spread: { metric: 'succeeded', format: int } },
  { label: 'offered /s', value: (v) => rate(total(v).offeredPerSec) },
  { label: 'goodput /s', value: (v) => rate(total(v).goodputPerSec), spread: { metric: 'goodputPerSec', format: rate } },
  { label: 'attempts', value: (v) => int(total(v).attempts), spread: { metric: 'attempts', format: int } },
  { label: 'throttled (responses)', value: (v) => int(total(v).throttled), spread: { metric: 'throttled', format: int } },
  { label: 'throttle rate', value: (v) => pct(total(v).throttleRate), spread: { metric: 'throttleRate', format: pct } },
  { label: 'retries', value: (v) => int(total(v).retries), spread: { metric: 'retries', format: int } },
  { label: 'attempts per op', value: (v) => perOp(total(v).attemptsPerOp), spread: { metric: 'attemptsPerOp', format: perOp } },
  { label: 'failed (final)', value: (v) => int(total(v).failedTotal), spread: { metric: 'failed', format: int } },
  { label: 'failure rate', value: (v) => pct(failureRate(total(v))) },
  { label: 'late / dropped', value: (v) => `${int(total(v).late)} / ${int(total(v).dropped)}` },
  { label: 'latency p2.5 ms', value: (v) => optionalMs(total(v).latencyUs.p025) },
  { label: 'latency p50 ms', value: (v) => ms(total(v).latencyUs.p50), spread: { metric: 'latencyP50Us', format: ms } },
  { label: 'latency p97.5 ms', value: (v) => optionalMs(total(v).latencyUs.p975) },
  { label: 'latency p99 ms', value: (v) => ms(total(v).latencyUs.p99), spread: { metric: 'latencyP99Us', format: ms } },
  { label: 'latency mean ± sd ms', value: (v) => meanSd(total(v).latencyUs) },
  { label: 'latency max ms', value: (v) => ms(total(v).latencyUs.max) },
];

/** With `--repeat`: the simulated time until the last answer of each seed (its spread is `completionSeconds`). */
const COMPLETION_ROW: RowSpec = {
  label: 'simulated s to last answer',
  value: (v) => (v.simulatedSeconds === undefined ? '–' : formatNumber(v.simulatedSeconds)),
  spread: { metric: 'completionSeconds', format: formatNumber },
};

/** Operations a policy refused, shown when any variant has one (a denial is a configuration error, not load). */
const DENIED_ROWS: readonly RowSpec[] = [
  { label: 'denied (policy)', value: (v) => int(deniedOf(total(v))) },
  { label: 'denied rate', value: (v) => pct(deniedRateOf(total(v))) },
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
  const repeated = variants.some((v) => v.repeats !== undefined);
  const specs: RowSpec[] = [];
  for (const row of ROWS) {
    specs.push(row);
    if (row.spread !== undefined && repeated) specs.push(spreadRow(row.spread.metric, row.spread.format));
    if (row.label === 'succeeded' && drained) specs.push(DRAIN_ROW);
    if (row.label === 'failed (final)') {
      for (const name of failures) specs.push({ label: name, value: (v) => int(v.metrics.total.failed[name] ?? 0), detail: true });
      if (anyDenied(result)) specs.push(...DENIED_ROWS);
    }
  }
  if (repeated) specs.push(...extraSpreadRows(variants));
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

/** The label of every spread row: what its cells say, in the units of the row above. */
export const SPREAD_LABEL = '± seeds: mean ± sd (min–max)';

/**
 * The detail row under a metric of a `--repeat` run: mean ± standard deviation and min–max across the seeds, in the
 * row's own units ('–' for a variant without that spread).
 */
function spreadRow(metric: string, format: (n: number) => string): RowSpec {
  return {
    label: SPREAD_LABEL,
    detail: true,
    value: (v) => {
      const spread = v.repeats?.metrics[metric];
      return spread === undefined ? '–' : `${format(spread.mean)} ± ${format(spread.stddev)} (${format(spread.min)}–${format(spread.max)})`;
    },
  };
}

/**
 * Rows for the spreads no table row shows: the completion time, and any metric a newer engine adds (as a plain
 * number, under its own name), so a `--repeat` figure is never dropped from the table.
 */
function extraSpreadRows(variants: readonly VariantResult[]): RowSpec[] {
  const shown = new Set(ROWS.flatMap((row) => (row.spread === undefined ? [] : [row.spread.metric])));
  const metrics = [...new Set(variants.flatMap((v) => Object.keys(v.repeats?.metrics ?? {})))].filter((m) => !shown.has(m));
  return metrics.flatMap((metric) =>
    metric === COMPLETION_ROW.spread?.metric
      ? [COMPLETION_ROW, spreadRow(metric, formatNumber)]
      : [{ label: metric, value: () => '–' }, spreadRow(metric, formatNumber)],
  );
}

/** The harness-limited warnings, one per variant the generator could not keep up in. */
export function harnessWarnings(result: RunResult): string[] {
  return result.variants
    .filter((v) => v.harnessLimited)
    .map(
      (v) =>
        `${v.name}: ${pct(v.metrics.total.lateOrDroppedRate)} of requests started ${lateText(v)} or were dropped` +
        `${delayText(v)} — the harness, not KMS, was the limit`,
    );
}

/** ", start delay p99 40.0 ms" when the result records the distribution, else nothing. */
function delayText(v: VariantResult): string {
  const delay = v.metrics.total.startDelayUs;
  return delay === undefined || delay.count === 0 ? '' : ` (start delay p99 ${ms(delay.p99)} ms, max ${ms(delay.max)} ms)`;
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
 * What the table's cells are in a `--repeat` run, in one line: the spread across seeds is in the table itself (the
 * `±` rows under each metric that has one); the other cells are the first seed's. Empty for a single run.
 */
export function repeatNote(result: RunResult): string[] {
  const seeds = [...new Set(result.variants.flatMap((v) => v.repeats?.seeds ?? []))].sort((a, b) => a - b);
  if (seeds.length === 0) return [];
  return [
    `--repeat: cells are seed ${seeds[0]}; the "${SPREAD_LABEL}" rows are across seeds ${seeds.join(', ')}, in the units of the row above`,
  ];
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

/**
 * Which instance ran the result, for the header: ` · run R · instance I · shard k/n`, or for a merged result
 * ` · run R · merged from N instances: a (shard 0/2), b (shard 1/2)`; empty when the result names none.
 */
export function instanceText(result: RunResult): string {
  const shard = (s: { index: number; count: number } | undefined): string => (s === undefined ? '' : ` (shard ${s.index}/${s.count})`);
  const parts = [
    ...(result.runId === undefined ? [] : [`run ${result.runId}`]),
    ...(result.instances === undefined
      ? [
          ...(result.environment.instanceId === undefined ? [] : [`instance ${result.environment.instanceId}`]),
          ...(result.shard === undefined ? [] : [`shard ${result.shard.index}/${result.shard.count}`]),
        ]
      : [`merged from ${result.instances.length} instance(s): ${result.instances.map((i) => `${i.id}${shard(i.shard)}`).join(', ')}`]),
  ];
  return parts.map((part) => ` · ${part}`).join('');
}

/** The run's status: `completed`, or `INCOMPLETE: reason`. */
export function statusText(result: RunResult): string {
  return result.state === 'completed' ? 'completed' : `${result.state.toUpperCase()}: ${result.reason ?? ''}`;
}
