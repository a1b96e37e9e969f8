/**
 * The charts of report.html as data: what each chart plots, built here (typed, testable) and drawn in the page by a
 * small generic script (html-client.ts) with the inlined charting library.
 */
import type { BucketTimeline } from '../metrics/index.js';
import { REQUEST_CLASSES } from './cost.js';
import type { RunResult, VariantResult } from './result.js';

/** One plotted series. Values line up with the chart's x values (or groups); `null` is a gap. */
export interface SeriesSpec {
  readonly label: string;
  readonly color: string;
  readonly values: readonly (number | null)[];
  /** Fill under a line, or the bar colour (defaults to `color`). */
  readonly fill?: string;
  readonly dash?: readonly number[];
  readonly width?: number;
}

/** A line chart over numeric x (seconds), or over categories when `xLabels` is given (x = 0, 1, …). */
export interface LineChartSpec {
  readonly kind: 'line';
  readonly id: string;
  readonly title: string;
  readonly subtitle?: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly x: readonly number[];
  readonly xLabels?: readonly string[];
  readonly logY?: boolean;
  readonly points?: boolean;
  readonly series: readonly SeriesSpec[];
  /** Fills between two series (indexes into `series`): `[upper, lower, fill]`. */
  readonly bands?: readonly (readonly [number, number, string])[];
}

/** Grouped bars: one group per category, one bar per series in each group. */
export interface BarChartSpec {
  readonly kind: 'bars';
  readonly id: string;
  readonly title: string;
  readonly subtitle?: string;
  readonly yLabel: string;
  readonly groups: readonly string[];
  readonly series: readonly SeriesSpec[];
}

export type ChartSpec = LineChartSpec | BarChartSpec;

/** Charts by report section. */
export interface ReportCharts {
  readonly overTime: ChartSpec[];
  readonly buckets: ChartSpec[];
  readonly latency: ChartSpec[];
  readonly retries: ChartSpec[];
  readonly cost: ChartSpec[];
  /** Data-key cache hit rate, when a fleet has a cache. */
  readonly cache: ChartSpec[];
}

/** Distinguishable colours for variants (blue, orange, green, purple, …), readable on white. */
export const PALETTE = ['#2563eb', '#ea580c', '#059669', '#9333ea', '#db2777', '#0891b2', '#ca8a04', '#4b5563'] as const;
const ADMITTED = '#16a34a';
const THROTTLED = '#dc2626';
const QUOTA = '#111827';

export function variantColor(index: number): string {
  return PALETTE[index % PALETTE.length] ?? '#2563eb';
}

function seconds(length: number): number[] {
  return Array.from({ length }, (_, i) => i);
}

function addInto(into: number[], from: readonly number[]): void {
  for (let i = 0; i < from.length; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
}

/** The per-second admitted and throttled lines of one variant, per (account, region, bucket). */
function bucketLines(variant: VariantResult): { account: string | undefined; region: string | undefined; bucket: string; line: BucketTimeline }[] {
  const placement = variant.fleetPlacement;
  if (placement === undefined) {
    return Object.entries(variant.metrics.timelines).map(([bucket, line]) => ({ account: undefined, region: undefined, bucket, line }));
  }
  const lines = new Map<string, { account: string; region: string; bucket: string; line: { admitted: number[]; throttled: number[] } }>();
  for (const [fleetName, fleet] of Object.entries(variant.metrics.fleets)) {
    const where = placement[fleetName];
    if (where === undefined) continue;
    for (const [bucket, line] of Object.entries(fleet.timelines)) {
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
    bucketLines(variant).map(({ account, region, bucket, line }, b): ChartSpec => {
      const length = Math.max(line.admitted.length, line.throttled.length);
      const attempts = seconds(length).map((i) => (line.admitted[i] ?? 0) + (line.throttled[i] ?? 0));
      const quota = quotaFor(variant, account, region, bucket);
      const where = [region, bucket].filter((part) => part !== undefined).join(' · ');
      return {
        kind: 'line',
        id: `bucket-${v}-${b}`,
        title: multi ? `${where} — ${variant.name}` : where,
        subtitle: `${quota === undefined ? 'no quota' : `quota ${quota.toLocaleString('en-US')}/s`}${account === undefined ? '' : ` · account ${account}`}`,
        xLabel: 'second of run',
        yLabel: 'requests / s',
        x: seconds(length),
        series: [
          { label: 'admitted', color: ADMITTED, fill: 'rgba(22,163,74,0.22)', values: seconds(length).map((i) => line.admitted[i] ?? 0) },
          { label: 'admitted + throttled', color: THROTTLED, values: attempts },
          ...(quota === undefined ? [] : [{ label: 'quota', color: QUOTA, dash: [6, 4], width: 1.5, values: seconds(length).map(() => quota) }]),
        ],
        bands: [[1, 0, 'rgba(220,38,38,0.25)']],
      };
    }),
  );
}

function overTimeCharts(result: RunResult): ChartSpec[] {
  const length = Math.max(0, ...result.variants.map((v) => v.metrics.timelineSeconds));
  if (length === 0) return [];
  const series: SeriesSpec[] = result.variants.flatMap((variant, v) => {
    const admitted: number[] = new Array<number>(length).fill(0);
    const attempts: number[] = new Array<number>(length).fill(0);
    for (const line of Object.values(variant.metrics.timelines)) {
      addInto(admitted, line.admitted);
      addInto(attempts, line.admitted);
      addInto(attempts, line.throttled);
    }
    const prefix = result.variants.length > 1 ? `${variant.name}: ` : '';
    return [
      { label: `${prefix}goodput`, color: variantColor(v), values: admitted, width: 2 },
      { label: `${prefix}KMS calls`, color: variantColor(v), values: attempts, dash: [5, 4], width: 1.5 },
    ];
  });
  return [
    {
      kind: 'line',
      id: 'over-time',
      title: 'Goodput and KMS calls per second',
      subtitle: 'goodput: succeeded calls; KMS calls: attempts that reached a quota (admitted + throttled)',
      xLabel: 'second of run',
      yLabel: 'per second',
      x: seconds(length),
      series,
    },
  ];
}

const LATENCY_POINTS = [
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p99', 'p99'],
  ['p999', 'p99.9'],
  ['max', 'max'],
] as const;

function latencyCharts(result: RunResult): ChartSpec[] {
  const measured = result.variants.filter((v) => v.metrics.total.latencyUs.count > 0);
  if (measured.length === 0) return [];
  return [
    {
      kind: 'line',
      id: 'latency',
      title: 'Latency percentiles',
      subtitle: 'from the intended start of each operation, retries included; log scale',
      xLabel: 'percentile',
      yLabel: 'ms',
      x: LATENCY_POINTS.map((_, i) => i),
      xLabels: LATENCY_POINTS.map(([, label]) => label),
      logY: true,
      points: true,
      series: result.variants.map((variant, v) => ({
        label: variant.name,
        color: variantColor(v),
        width: 2,
        values: LATENCY_POINTS.map(([stat]) => {
          const us = variant.metrics.total.latencyUs[stat];
          return variant.metrics.total.latencyUs.count > 0 && us > 0 ? us / 1000 : null;
        }),
      })),
    },
  ];
}

function retryCharts(result: RunResult): ChartSpec[] {
  const groups: string[] = [];
  for (const variant of result.variants) {
    for (const [fleet, summary] of Object.entries(variant.metrics.fleets)) {
      for (const op of Object.keys(summary.operations)) if (!groups.includes(`${fleet} · ${op}`)) groups.push(`${fleet} · ${op}`);
    }
  }
  if (groups.length === 0) return [];
  return [
    {
      kind: 'bars',
      id: 'retries',
      title: 'Retries per operation',
      subtitle: 'retries per completed operation, by fleet and operation',
      yLabel: 'retries / op',
      groups,
      series: result.variants.map((variant, v) => ({
        label: variant.name,
        color: variantColor(v),
        values: groups.map((group) => {
          const [fleet = '', op = ''] = group.split(' · ');
          const summary = variant.metrics.fleets[fleet]?.operations[op];
          if (summary === undefined) return null;
          return summary.completed === 0 ? 0 : summary.retries / summary.completed;
        }),
      })),
    },
  ];
}

function costCharts(result: RunResult): ChartSpec[] {
  const variants = result.variants.filter((v) => v.cost !== undefined);
  if (variants.length === 0) return [];
  const classes = REQUEST_CLASSES.filter((cls) => variants.some((v) => v.cost?.requests.some((r) => r.class === cls)));
  const shades = ['#2563eb', '#7c3aed', '#db2777', '#ea580c', '#dc2626', '#0891b2'];
  return [
    {
      kind: 'bars',
      id: 'cost',
      title: 'Cost per month',
      subtitle: 'USD, extrapolated from the steady-state request rate; keys and each request class',
      yLabel: 'USD / month',
      groups: variants.map((v) => v.name),
      series: [
        { label: 'keys', color: '#6b7280', values: variants.map((v) => v.cost?.keysUsdPerMonth ?? 0) },
        ...classes.map((cls, i) => ({
          label: `${cls} requests`,
          color: shades[i % shades.length] ?? '#2563eb',
          values: variants.map((v) => v.cost?.requests.find((r) => r.class === cls)?.usdPerMonth ?? 0),
        })),
      ],
    },
  ];
}

function cacheCharts(result: RunResult): ChartSpec[] {
  const fleets: string[] = [];
  for (const variant of result.variants) {
    for (const [name, fleet] of Object.entries(variant.metrics.fleets)) {
      if (fleet.cache?.cached === true && !fleets.includes(name)) fleets.push(name);
    }
  }
  if (fleets.length === 0) return [];
  return [
    {
      kind: 'bars',
      id: 'cache',
      title: 'Data-key cache hit rate',
      subtitle: '(hits + joined in-flight fetches) / lookups, encrypt and decrypt together, per fleet',
      yLabel: 'hit rate',
      groups: fleets,
      series: result.variants.map((variant, v) => ({
        label: variant.name,
        color: variantColor(v),
        values: fleets.map((name) => {
          const cache = variant.metrics.fleets[name]?.cache;
          return cache === undefined ? null : cache.cached ? cache.hitRate : 0;
        }),
      })),
    },
  ];
}

/** Every chart of a result's report. */
export function reportCharts(result: RunResult): ReportCharts {
  return {
    overTime: overTimeCharts(result),
    buckets: bucketCharts(result),
    latency: latencyCharts(result),
    retries: retryCharts(result),
    cost: costCharts(result),
    cache: cacheCharts(result),
  };
}
