/**
 * The latency charts of report.html: the percentiles per variant (a line over p50 … max), and the distribution itself
 * as bars, bucketed from the merged histogram (metrics/latency-stats.ts). The distribution shows what percentiles
 * hide: two modes (answers at once vs answers after a backoff), a tail that is one slow second, a floor of retries.
 */
import { variantStyle } from './chart-style.js';
import { orEmpty, type ChartSpec, type SeriesSpec } from './html-chart-spec.js';
import type { RunResult } from './result.js';
import { LATENCY_BUCKET_BOUNDS_US, type LatencyBucketsUs } from '../metrics/index.js';

const LATENCY_POINTS = [
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p99', 'p99'],
  ['p999', 'p99.9'],
  ['max', 'max'],
] as const;

function percentileChart(result: RunResult, labels: readonly string[]): ChartSpec {
  const spec: ChartSpec = {
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
      label: labels[v] ?? variant.name,
      ...variantStyle(v),
      width: 2,
      values: LATENCY_POINTS.map(([stat]) => {
        const us = variant.metrics.total.latencyUs[stat];
        return variant.metrics.total.latencyUs.count > 0 && us > 0 ? us / 1000 : null;
      }),
    })),
  };
  return orEmpty(spec, 'No operation completed in this run: there is no latency to show.');
}

/** A bucket's upper bound as the axis says it: `≤ 50 µs`, `≤ 2 ms`, `≤ 1 s`. */
export function bucketLabel(upperUs: number): string {
  if (upperUs < 1000) return `≤ ${upperUs} µs`;
  if (upperUs < 1_000_000) return `≤ ${upperUs / 1000} ms`;
  return `≤ ${upperUs / 1_000_000} s`;
}

/** One distribution to draw: a series label and its buckets. */
interface Distribution {
  readonly label: string;
  readonly buckets: LatencyBucketsUs;
  /** Its variant's (or fleet's) place, which picks its colour: the same as in every other chart. */
  readonly index: number;
}

/**
 * Which distributions the chart compares: one per variant when there are several (each variant's fleets together),
 * else one per fleet of the one variant when it has several, else the variant's own. Results written before the
 * buckets were recorded have none, and are left out.
 */
function distributions(result: RunResult, labels: readonly string[]): Distribution[] {
  const [only] = result.variants;
  if (result.variants.length === 1 && only !== undefined && Object.keys(only.metrics.fleets).length > 1) {
    return Object.entries(only.metrics.fleets).flatMap(([name, fleet], index) =>
      fleet.latencyBucketsUs === undefined ? [] : [{ label: `fleet ${name}`, buckets: fleet.latencyBucketsUs, index }],
    );
  }
  return result.variants.flatMap((variant, v) => {
    const buckets = variant.metrics.latencyBucketsUs;
    return buckets === undefined ? [] : [{ label: labels[v] ?? variant.name, buckets, index: v }];
  });
}

/**
 * The latency distribution as grouped bars: one group per bucket of the 1-2-5 series the distributions span, one bar
 * per variant (or fleet), each the share of its operations in that bucket, so runs of different sizes compare. `null`
 * when the result records no buckets (an older result): the chart is left out rather than drawn empty.
 */
function histogramChart(result: RunResult, labels: readonly string[]): ChartSpec | null {
  const shown = distributions(result, labels).filter((d) => d.buckets.upperUs.length > 0);
  if (shown.length === 0) return null;
  // Every distribution's bounds are a run of one shared series: the groups are that series from the lowest bound any
  // distribution reaches to the highest, empty buckets between included (a gap on the axis must read as a gap).
  const used = shown.flatMap((d) => d.buckets.upperUs);
  const bounds = LATENCY_BUCKET_BOUNDS_US.filter((bound) => bound >= Math.min(...used) && bound <= Math.max(...used));
  const series: SeriesSpec[] = shown.map((d) => {
    const count = d.buckets.counts.reduce((sum, n) => sum + n, 0);
    return {
      label: d.label,
      color: variantStyle(d.index).color,
      values: bounds.map((bound) => {
        const at = d.buckets.upperUs.indexOf(bound);
        return count === 0 ? null : ((at < 0 ? 0 : (d.buckets.counts[at] ?? 0)) / count) * 100;
      }),
    };
  });
  const spec: ChartSpec = {
    kind: 'bars',
    id: 'latency-histogram',
    title: 'Latency distribution',
    subtitle: '% of completed operations per latency bucket (1-2-5 steps), from the merged histogram; retries included',
    yLabel: '% of operations',
    groups: bounds.map(bucketLabel),
    series,
  };
  return orEmpty(spec, 'No operation completed in this run: there is no latency to show.');
}

/** The latency charts of a result: the percentiles, then the distribution (when the result records it). */
export function latencyCharts(result: RunResult, labels: readonly string[]): ChartSpec[] {
  if (result.variants.length === 0) return [];
  const histogram = histogramChart(result, labels);
  return histogram === null ? [percentileChart(result, labels)] : [percentileChart(result, labels), histogram];
}
