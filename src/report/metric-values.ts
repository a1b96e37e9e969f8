/**
 * Reading named metrics (src/metrics/metric-catalog.ts) out of a result: one metric at a scope for thresholds, and
 * every metric of a variant for `compare` and the CI formats.
 */
import type { OperationSummary } from '../metrics/index.js';
import { metricPath, SUMMARY_METRICS, summaryMetric, VARIANT_METRICS } from '../metrics/metric-catalog.js';
import type { Better, MetricRef } from '../metrics/metric-catalog.js';
import type { RunResult, VariantResult } from './result-types.js';

/** Whether a figure repeats exactly on a rerun: virtual-clock results are deterministic, wall-clock ones noisy. */
export type Determinism = 'deterministic' | 'noisy';

/** One named figure of one variant. */
export interface MetricPoint {
  readonly variant: string;
  /** The metric path: `throttleRate`, `fleets.web.ops.Encrypt.latencyUs.p99`. */
  readonly path: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly better: Better;
  readonly determinism: Determinism;
}

/**
 * Whether a result's figures are deterministic. Only the virtual clock makes them so: on the wall clock even counts
 * depend on scheduling. (`wallSeconds` and other environment figures are never metrics.)
 */
export function determinismOf(result: Pick<RunResult, 'scenario'>): Determinism {
  return result.scenario.clock === 'virtual' ? 'deterministic' : 'noisy';
}

function summaryAt(variant: VariantResult, ref: MetricRef): OperationSummary | undefined {
  if (ref.fleet === undefined) return variant.metrics.total;
  const fleet = variant.metrics.fleets[ref.fleet];
  if (ref.operation === undefined) return fleet?.total;
  return fleet?.operations[ref.operation];
}

/**
 * The value of a metric in a variant, or `undefined` when the variant has no data for it (a fleet or operation that
 * made no request, or a cost in a result written without one).
 */
export function readMetric(variant: VariantResult, ref: MetricRef): number | undefined {
  if (ref.metric === 'costUsdPerMonth') return ref.fleet === undefined ? (variant.cost?.costUsdPerMonth ?? undefined) : undefined;
  const metric = summaryMetric(ref.metric);
  if (metric === undefined) return undefined;
  const summary = summaryAt(variant, ref);
  return summary === undefined ? undefined : metric.read(summary);
}

function pointsOf(variant: VariantResult, scope: Omit<MetricRef, 'metric'>, summary: OperationSummary, determinism: Determinism): MetricPoint[] {
  return SUMMARY_METRICS.filter((metric) => metric.aliasOf === undefined).map((metric) => ({
    variant: variant.name,
    path: metricPath({ ...scope, metric: metric.name }),
    metric: metric.name,
    value: metric.read(summary),
    unit: metric.unit,
    better: metric.better,
    determinism,
  }));
}

/** Every metric of a variant: the variant as a whole, each fleet, each operation of each fleet (aliases left out). */
export function variantPoints(variant: VariantResult, determinism: Determinism): MetricPoint[] {
  const points = pointsOf(variant, {}, variant.metrics.total, determinism);
  if (variant.cost !== undefined && variant.cost.costUsdPerMonth !== null) {
    const [cost] = VARIANT_METRICS;
    points.push({ variant: variant.name, path: cost.name, metric: cost.name, value: variant.cost.costUsdPerMonth, unit: cost.unit, better: cost.better, determinism });
  }
  for (const [fleetName, fleet] of Object.entries(variant.metrics.fleets)) {
    points.push(...pointsOf(variant, { fleet: fleetName }, fleet.total, determinism));
    for (const [operation, summary] of Object.entries(fleet.operations)) {
      points.push(...pointsOf(variant, { fleet: fleetName, operation }, summary, determinism));
    }
  }
  return points;
}

/**
 * Whether a metric path's scope tells something its parent does not: a fleet scope when the variant has several
 * fleets, an operation scope when its fleet calls several operations (otherwise the numbers repeat the parent's).
 */
export function distinctScopes(variant: VariantResult): (path: string) => boolean {
  const fleets = Object.entries(variant.metrics.fleets);
  const multiFleet = fleets.length > 1;
  const multiOp = new Set(fleets.filter(([, fleet]) => Object.keys(fleet.operations).length > 1).map(([name]) => name));
  return (path) => {
    if (!path.startsWith('fleets.')) return true;
    const [, fleet, next] = path.split('.');
    if (next === 'ops') return fleet !== undefined && multiOp.has(fleet);
    return multiFleet;
  };
}

/** Every metric of every variant of a result; with `distinct`, only scopes that do not repeat their parent. */
export function resultPoints(result: RunResult, options: { distinct?: boolean } = {}): MetricPoint[] {
  const determinism = determinismOf(result);
  return result.variants.flatMap((variant) => {
    const points = variantPoints(variant, determinism);
    if (options.distinct !== true) return points;
    const keep = distinctScopes(variant);
    return points.filter((point) => keep(point.path));
  });
}
