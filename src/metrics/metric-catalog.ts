/**
 * The named metrics of a result: what thresholds gate on, what `compare` compares and what the CI formats export.
 * One catalog, so a name means the same in all three.
 *
 * A metric is named like a path: `throttleRate` (the whole variant), `fleets.web.throttleRate` (one fleet),
 * `fleets.web.ops.Encrypt.latencyUs.p99` (one operation of one fleet). `costUsdPerMonth` exists for the whole variant
 * only. This module is a leaf apart from types, so the scenario validator can check names against it.
 */
import type { OperationSummary } from './summary.js';
import { DENIED_ERROR } from './wire.js';

/** Which direction is better; `none` for inputs such as `offered` that are not a result. */
export type Better = 'lower' | 'higher' | 'none';

/** A metric of an operation summary (available at every scope). */
export interface SummaryMetric {
  readonly name: string;
  readonly unit: string;
  readonly better: Better;
  readonly description: string;
  readonly read: (summary: OperationSummary) => number;
  /**
   * Another name for the same figure (possibly in another unit: `latency.p99` is `latencyUs.p99` in ms); left out of
   * comparisons and CI exports, which use the canonical name.
   */
  readonly aliasOf?: string;
  /**
   * True for figures about the load generator rather than KMS (how many requests it started late or dropped): they
   * tell whether the other numbers can be trusted, and `compare` reports them without gating on them by default.
   */
  readonly harness?: true;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Operations a policy refused; from `failed` for results written before `denied` was counted. */
export function deniedOf(summary: OperationSummary): number {
  return summary.denied ?? summary.failed[DENIED_ERROR] ?? 0;
}

/** denied / completed (0 when nothing completed), whatever version wrote the summary. */
export function deniedRateOf(summary: OperationSummary): number {
  return summary.deniedRate ?? ratio(deniedOf(summary), summary.completed);
}

/** Latency statistics, as metric name suffixes (`latencyUs.p99`) and as threshold aggregations (`p99`, `p(99)`). */
export const LATENCY_STATS = ['p50', 'p90', 'p99', 'p999', 'max', 'mean', 'count'] as const;
export type LatencyStat = (typeof LATENCY_STATS)[number];

/**
 * The latency metric families: `latencyUs` (µs, canonical: what results record, compare and CI formats use) and
 * `latency` (the same statistics in ms, for thresholds: `latency.p99 < 50` reads as people speak of latency).
 */
export const LATENCY_FAMILIES = ['latencyUs', 'latency'] as const;
export type LatencyFamily = (typeof LATENCY_FAMILIES)[number];

/** Whether a metric name is a latency family without its statistic (`latencyUs`, `latency`). */
export function isLatencyFamily(name: string): name is LatencyFamily {
  return (LATENCY_FAMILIES as readonly string[]).includes(name);
}

/** The metrics of every scope. */
export const SUMMARY_METRICS: readonly SummaryMetric[] = [
  { name: 'offered', unit: 'ops', better: 'none', description: 'logical operations the workload offered', read: (s) => s.offered },
  { name: 'completed', unit: 'ops', better: 'none', description: 'logical operations that finished (succeeded or failed)', read: (s) => s.completed },
  { name: 'succeeded', unit: 'ops', better: 'higher', description: 'logical operations that succeeded', read: (s) => s.succeeded },
  { name: 'attempts', unit: 'calls', better: 'lower', description: 'KMS calls made, retries included', read: (s) => s.attempts },
  { name: 'throttled', unit: 'calls', better: 'lower', description: 'attempts answered with ThrottlingException', read: (s) => s.throttled },
  { name: 'retries', unit: 'calls', better: 'lower', description: 'attempts after the first of an operation', read: (s) => s.retries },
  { name: 'failedTotal', unit: 'ops', better: 'lower', description: 'logical operations that finally failed', read: (s) => s.failedTotal },
  {
    name: 'denied',
    unit: 'ops',
    better: 'lower',
    description: 'logical operations a policy refused (AccessDeniedException: never retried, never goodput)',
    read: deniedOf,
  },
  { name: 'late', unit: 'ops', better: 'lower', description: 'operations the generator started late', read: (s) => s.late, harness: true },
  { name: 'dropped', unit: 'ops', better: 'lower', description: 'operations the generator dropped', read: (s) => s.dropped, harness: true },
  {
    name: 'goodputPerSec',
    unit: 'ops/s',
    better: 'higher',
    description: 'succeeded operations per second over the whole seconds of the run (the drain apart)',
    read: (s) => s.goodputPerSec,
  },
  { name: 'offeredPerSec', unit: 'ops/s', better: 'none', description: 'operations offered per second over the same seconds', read: (s) => s.offeredPerSec },
  {
    name: 'makespanSec',
    unit: 's',
    better: 'lower',
    description: 'seconds until the last operation finished: the completion time of a batch (closed clients with iterations)',
    read: (s) => s.makespanSec,
  },
  { name: 'attemptsPerOp', unit: 'calls/op', better: 'lower', description: 'KMS attempts per completed operation', read: (s) => s.attemptsPerOp },
  {
    name: 'kmsCallsPerOp',
    unit: 'calls/op',
    better: 'lower',
    // Every KMS call a logical operation caused is one of its attempts: an envelope operation's GenerateDataKey or
    // Decrypt (retries included) and none for a data-key cache hit. So it is attemptsPerOp by another name, kept as an
    // alias so comparisons and CI exports do not list the same figure twice.
    description: 'KMS calls per logical operation, retries included; a data-key cache hit makes none',
    read: (s) => s.kmsCallsPerOp,
    aliasOf: 'attemptsPerOp',
  },
  { name: 'throttleRate', unit: 'ratio', better: 'lower', description: 'throttled attempts / attempts', read: (s) => s.throttleRate },
  { name: 'failureRate', unit: 'ratio', better: 'lower', description: 'failed operations / completed operations', read: (s) => ratio(s.failedTotal, s.completed) },
  {
    name: 'deniedRate',
    unit: 'ratio',
    better: 'lower',
    description: 'denied operations / completed operations: the share a policy refused (a configuration error, not load)',
    read: deniedRateOf,
  },
  {
    name: 'lateOrDroppedRate',
    unit: 'ratio',
    better: 'lower',
    description: '(late + dropped) / offered: above 1% the harness was the limit',
    read: (s) => s.lateOrDroppedRate,
    harness: true,
  },
  ...LATENCY_STATS.map(
    (stat): SummaryMetric => ({
      name: `latencyUs.${stat}`,
      unit: stat === 'count' ? 'ops' : 'us',
      better: stat === 'count' ? 'none' : 'lower',
      description: stat === 'count' ? 'operations with a measured latency' : `latency ${stat} from the intended start, µs`,
      read: (s) => s.latencyUs[stat],
    }),
  ),
  ...LATENCY_STATS.map(
    (stat): SummaryMetric => ({
      name: `latency.${stat}`,
      unit: stat === 'count' ? 'ops' : 'ms',
      better: stat === 'count' ? 'none' : 'lower',
      description: stat === 'count' ? 'operations with a measured latency' : `latency ${stat} from the intended start, ms`,
      read: (s) => (stat === 'count' ? s.latencyUs.count : s.latencyUs[stat] / 1000),
      aliasOf: `latencyUs.${stat}`,
    }),
  ),
];

/** Metrics of a whole variant only. */
export const VARIANT_METRICS = [
  { name: 'costUsdPerMonth', unit: 'USD/month', better: 'lower', description: 'keys and requests extrapolated to a month' },
] as const satisfies readonly { name: string; unit: string; better: Better; description: string }[];

/** Every metric name, in catalog order. */
export const METRIC_NAMES: readonly string[] = [...SUMMARY_METRICS.map((m) => m.name), ...VARIANT_METRICS.map((m) => m.name)];

const SUMMARY_BY_NAME = new Map(SUMMARY_METRICS.map((m) => [m.name, m]));

export function summaryMetric(name: string): SummaryMetric | undefined {
  return SUMMARY_BY_NAME.get(name);
}

export function isVariantMetric(name: string): boolean {
  return VARIANT_METRICS.some((m) => m.name === name);
}

/** A metric's unit and direction, whatever its scope. */
export function metricInfo(name: string): { unit: string; better: Better } | undefined {
  const summary = SUMMARY_BY_NAME.get(name);
  if (summary !== undefined) return summary;
  return VARIANT_METRICS.find((m) => m.name === name);
}

/** Microseconds per unit of each time unit a metric is measured in. */
const TIME_UNIT_US: Readonly<Record<string, number>> = { us: 1, ms: 1000 };

/** A metric's time unit in µs (1 for `latencyUs.p99`, 1000 for `latency.p99`); undefined when it is not a time. */
export function timeUnitUs(name: string): number | undefined {
  const unit = SUMMARY_BY_NAME.get(name)?.unit;
  return unit === undefined ? undefined : TIME_UNIT_US[unit];
}

/** Where a metric is measured: a whole variant, one fleet, or one operation of a fleet. */
export interface MetricScope {
  readonly fleet?: string;
  readonly operation?: string;
}

/** A metric at a scope: `{ fleet: 'web', operation: 'Encrypt', metric: 'latencyUs.p99' }`. */
export interface MetricRef extends MetricScope {
  readonly metric: string;
}

/** The path of a metric: `fleets.web.ops.Encrypt.latencyUs.p99`. */
export function metricPath(ref: MetricRef): string {
  if (ref.fleet === undefined) return ref.metric;
  if (ref.operation === undefined) return `fleets.${ref.fleet}.${ref.metric}`;
  return `fleets.${ref.fleet}.ops.${ref.operation}.${ref.metric}`;
}

/**
 * Splits a metric path into its scope and metric name (without checking the names). Fleet names contain no dots
 * (the scenario schema forbids them), which makes the split unambiguous.
 */
export function splitMetricPath(path: string): MetricRef {
  const parts = path.split('.');
  if (parts[0] === 'fleets' && parts.length >= 3) {
    const fleet = parts[1] ?? '';
    if (parts[2] === 'ops' && parts.length >= 5) return { fleet, operation: parts[3] ?? '', metric: parts.slice(4).join('.') };
    return { fleet, metric: parts.slice(2).join('.') };
  }
  return { metric: path };
}
