/**
 * The charts of report.html as data: what each chart plots, built here (typed, testable) and drawn in the page by a
 * small generic script (html-client.ts) with the inlined charting library. The per-second charts are in
 * html-charts-time.ts, the latency charts in html-charts-latency.ts; the spec types in html-chart-spec.ts; how variants are told apart in chart-style.ts.
 */
import { shortVariantLabels, variantStyle } from './chart-style.js';
import { REQUEST_CLASSES } from './cost.js';
import { orEmpty } from './html-chart-spec.js';
import type { ChartSpec } from './html-chart-spec.js';
import { bucketChart, overTimeCharts } from './html-charts-time.js';
import { latencyCharts } from './html-charts-latency.js';
import type { BucketLine } from './html-charts-time.js';
import type { RunResult, VariantResult } from './result.js';
import { isQuotaBucket } from '../quota/index.js';

export type { BarChartSpec, ChartSpec, EmptyChartSpec, LineChartSpec, SeriesSpec } from './html-chart-spec.js';
export { PALETTE, variantColor } from './chart-style.js';

/** Charts by report section. */
export interface ReportCharts {
  readonly overTime: ChartSpec[];
  readonly buckets: ChartSpec[];
  /** Latency percentiles per variant, and the latency distribution (per variant, or per fleet of one variant). */
  readonly latency: ChartSpec[];
  readonly retries: ChartSpec[];
  readonly cost: ChartSpec[];
  /** Data-key cache hit rate, when a fleet has a cache. */
  readonly cache: ChartSpec[];
}

function addInto(into: number[], from: readonly number[]): void {
  for (let i = 0; i < from.length; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
}

/** The per-second admitted and throttled lines of one variant, per (account, region, bucket). */
function bucketLines(variant: VariantResult): BucketLine[] {
  const placement = variant.fleetPlacement;
  if (placement === undefined) {
    return Object.entries(variant.metrics.timelines)
      .filter(([bucket]) => isQuotaBucket(bucket))
      .map(([bucket, line]) => ({ account: undefined, region: undefined, bucket, line }));
  }
  const lines = new Map<string, { account: string; region: string; bucket: string; line: { admitted: number[]; throttled: number[] } }>();
  for (const [fleetName, fleet] of Object.entries(variant.metrics.fleets)) {
    const where = placement[fleetName];
    if (where === undefined) continue;
    for (const [bucket, line] of Object.entries(fleet.timelines)) {
      // A service's line counts requests to the service, not calls in a KMS quota bucket (src/services).
      if (!isQuotaBucket(bucket)) continue;
      const key = `${where.accountId}\u0000${where.region}\u0000${bucket}`;
      let entry = lines.get(key);
      if (entry === undefined) {
        entry = { account: where.accountId, region: where.region, bucket, line: { admitted: [], throttled: [] } };
        lines.set(key, entry);
      }
      addInto(entry.line.admitted, line.admitted);
      addInto(entry.line.throttled, line.throttled);
    }
  }
  return [...lines.values()];
}

function quotaFor(variant: VariantResult, account: string | undefined, region: string | undefined, bucket: string): number | undefined {
  const slots = variant.quota.filter(
    (q) => q.bucket === bucket && (region === undefined || q.region === region) && (account === undefined || q.accountId === account),
  );
  // Without placement, a bucket used in several regions has several quotas and no single line to draw.
  if (slots.length !== 1) return undefined;
  const quota = slots[0]?.quotaPerSec;
  return quota === undefined || !Number.isFinite(quota) ? undefined : quota;
}

function bucketCharts(result: RunResult): ChartSpec[] {
  const multi = result.variants.length > 1;
  return result.variants.flatMap((variant, v) =>
    bucketLines(variant).map((where, b) => {
      const quota = quotaFor(variant, where.account, where.region, where.bucket);
      const place = [where.region, where.bucket].filter((part) => part !== undefined).join(' · ');
      return bucketChart(variant, `bucket-${v}-${b}`, multi ? `${place} — ${variant.name}` : place, where, quota);
    }),
  );
}

function retryCharts(result: RunResult, labels: readonly string[]): ChartSpec[] {
  const groups: string[] = [];
  for (const variant of result.variants) {
    for (const [fleet, summary] of Object.entries(variant.metrics.fleets)) {
      for (const op of Object.keys(summary.operations)) if (!groups.includes(`${fleet} · ${op}`)) groups.push(`${fleet} · ${op}`);
    }
  }
  if (groups.length === 0) return [];
  const spec: ChartSpec = {
    kind: 'bars',
    id: 'retries',
    title: 'Retries per operation',
    subtitle: 'retries per completed operation, by fleet and operation',
    yLabel: 'retries / op',
    groups,
    series: result.variants.map((variant, v) => ({
      label: labels[v] ?? variant.name,
      color: variantStyle(v).color,
      values: groups.map((group) => {
        const [fleet = '', op = ''] = group.split(' · ');
        const summary = variant.metrics.fleets[fleet]?.operations[op];
        if (summary === undefined) return null;
        return summary.completed === 0 ? 0 : summary.retries / summary.completed;
      }),
    })),
  };
  return [orEmpty(spec, 'No retries in this run.')];
}

const COST_SHADES = ['#0072B2', '#CC79A7', '#D55E00', '#E69F00', '#009E73', '#56B4E9'];

function costCharts(result: RunResult, labels: readonly string[]): ChartSpec[] {
  const estimated = result.variants.flatMap((variant, v) => (variant.cost === undefined ? [] : [{ variant, label: labels[v] ?? variant.name }]));
  if (estimated.length === 0) return [];
  // A variant whose run cannot support a cost is left out of the bars (a keys-only bar would read as cheap) and named.
  const shown = estimated.filter(({ variant }) => variant.cost?.costUsdPerMonth !== null);
  const missing = estimated.filter(({ variant }) => variant.cost?.costUsdPerMonth === null);
  const reasons = missing.map(({ variant }) => `${variant.name}: ${variant.cost?.unavailable ?? 'no estimate'}`).join('; ');
  const title = 'Cost per month';
  if (shown.length === 0) return [{ kind: 'empty', id: 'cost', title, empty: `No cost estimate (n/a) — ${reasons}.` }];
  const classes = REQUEST_CLASSES.filter((cls) => shown.some(({ variant }) => variant.cost?.requests.some((r) => r.class === cls)));
  const spec: ChartSpec = {
    kind: 'bars',
    id: 'cost',
    title,
    subtitle: 'USD, extrapolated from the steady-state request rate; keys and each request class',
    ...(missing.length === 0 ? {} : { note: `n/a, not drawn: ${reasons}.` }),
    yLabel: 'USD / month',
    groups: shown.map(({ label }) => label),
    series: [
      { label: 'keys', color: '#6b7280', values: shown.map(({ variant }) => variant.cost?.keysUsdPerMonth ?? 0) },
      ...classes.map((cls, i) => ({
        label: `${cls} requests`,
        color: COST_SHADES[i % COST_SHADES.length] ?? '#0072B2',
        values: shown.map(({ variant }) => variant.cost?.requests.find((r) => r.class === cls)?.usdPerMonth ?? 0),
      })),
    ],
  };
  return [orEmpty(spec, 'Every estimate is $0.00 a month: no billed key, and requests within the free tier.')];
}

function cacheCharts(result: RunResult, labels: readonly string[]): ChartSpec[] {
  const fleets: string[] = [];
  for (const variant of result.variants) {
    for (const [name, fleet] of Object.entries(variant.metrics.fleets)) {
      if (fleet.cache?.cached === true && !fleets.includes(name)) fleets.push(name);
    }
  }
  if (fleets.length === 0) return [];
  const spec: ChartSpec = {
    kind: 'bars',
    id: 'cache',
    title: 'Data-key cache hit rate',
    subtitle: '(hits + joined in-flight fetches) / lookups, encrypt and decrypt together, per fleet',
    yLabel: 'hit rate',
    groups: fleets,
    series: result.variants.map((variant, v) => ({
      label: labels[v] ?? variant.name,
      color: variantStyle(v).color,
      values: fleets.map((name) => {
        const cache = variant.metrics.fleets[name]?.cache;
        return cache === undefined ? null : cache.cached ? cache.hitRate : 0;
      }),
    })),
  };
  return [orEmpty(spec, 'No data-key cache hit in this run.')];
}

/** Every chart of a result's report; a chart with nothing to plot is a sentence (`kind: 'empty'`). */
export function reportCharts(result: RunResult): ReportCharts {
  const labels = shortVariantLabels(result);
  return {
    overTime: overTimeCharts(result),
    buckets: bucketCharts(result),
    latency: latencyCharts(result, labels),
    retries: retryCharts(result, labels),
    cost: costCharts(result, labels),
    cache: cacheCharts(result, labels),
  };
}
