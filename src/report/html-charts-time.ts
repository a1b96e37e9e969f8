/**
 * The per-second charts of report.html: offered vs goodput, KMS calls, and each quota bucket's admitted vs throttled
 * against its quota. They plot the run's whole seconds only — the quota's one-second windows, the seconds every rate
 * is taken over (metrics/rates.ts). The timelines' last slot holds everything after the scheduled end (the drain);
 * plotted as one more second it drew a fake ramp-down, or a fake spike above the quota line when retries piled up,
 * so it goes in a note instead.
 */
import type { BucketTimeline } from '../metrics/index.js';
import { shortVariantLabels, variantStyle } from './chart-style.js';
import { orEmpty } from './html-chart-spec.js';
import type { ChartSpec, LineChartSpec, SeriesSpec } from './html-chart-spec.js';
import type { RunResult, VariantResult } from './result.js';
import { formatNumber } from './text.js';
import { isQuotaBucket } from '../quota/index.js';

const ADMITTED = '#16a34a';
const THROTTLED = '#dc2626';
const QUOTA = '#111827';
const OFFERED = '#374151';
/** A quota more than this many times a bucket's peak second is not drawn (see bucketChart). */
const OFF_SCALE = 4;

function seconds(length: number): number[] {
  return Array.from({ length }, (_, i) => i);
}

function addInto(into: number[], from: readonly number[]): void {
  for (let i = 0; i < from.length; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
}

function sum(values: readonly number[], from = 0, to = values.length): number {
  let total = 0;
  for (let i = from; i < to; i++) total += values[i] ?? 0;
  return total;
}

/** A variant's whole seconds: the slots plotted. */
const wholeOf = (variant: VariantResult): number => variant.metrics.rateWindow.wholeSeconds;

/** The first `whole` slots of a timeline, padded with gaps to `length` (a variant that ran fewer whole seconds). */
function plotted(values: readonly number[], whole: number, length: number): (number | null)[] {
  return seconds(length).map((i) => (i < whole ? (values[i] ?? 0) : null));
}

/** What the slots after the whole seconds hold: the drain, and a partial last second when the run had one. */
function afterText(variant: VariantResult): string {
  const whole = wholeOf(variant);
  return Math.abs(variant.metrics.durationSec - whole) < 1e-9 ? 'after the scheduled end' : `after second ${whole} (a partial second and the drain)`;
}

/**
 * A note of what was left out, or undefined when nothing was: per variant (by legend label) the count of `noun`
 * ([singular, plural]) after the whole seconds, e.g. `Not plotted as a rate: 25 successes after the scheduled end.`
 */
function leftOutNote(result: RunResult, labels: readonly string[], noun: readonly [string, string], count: (v: VariantResult) => number): string | undefined {
  const multi = result.variants.length > 1;
  const groups = new Map<string, string[]>();
  let total = 0;
  result.variants.forEach((variant, v) => {
    const n = count(variant);
    if (n === 0) return;
    total += n;
    const after = afterText(variant);
    const part = multi ? `${labels[v] ?? variant.name} ${formatNumber(n)}` : formatNumber(n);
    groups.set(after, [...(groups.get(after) ?? []), part]);
  });
  if (groups.size === 0) return undefined;
  const word = total === 1 ? noun[0] : noun[1];
  const parts = [...groups].map(([after, counts]) => (multi ? `${word} ${after}: ${counts.join(', ')}` : `${counts.join('')} ${word} ${after}`));
  return `Not plotted as a rate: ${parts.join('; ')}.`;
}

/** Per variant, a timeline summed over its fleets. */
function fleetSum(variant: VariantResult, read: (line: { offered: number[]; succeeded: number[] }) => readonly number[]): number[] {
  const total: number[] = [];
  for (const fleet of Object.values(variant.metrics.fleets)) addInto(total, read(fleet.operationTimeline));
  return total;
}

function bucketSum(variant: VariantResult): number[] {
  const total: number[] = [];
  for (const [bucket, line] of Object.entries(variant.metrics.timelines)) {
    // A service's line counts requests to the service, not KMS calls (src/services).
    if (!isQuotaBucket(bucket)) continue;
    addInto(total, line.admitted);
    addInto(total, line.throttled);
  }
  return total;
}

function offeredGoodput(result: RunResult, labels: readonly string[], length: number): ChartSpec {
  const multi = result.variants.length > 1;
  const offered = result.variants.map((v) => plotted(fleetSum(v, (l) => l.offered), wholeOf(v), length));
  // An open workload offers the same schedule in every variant: one shared line instead of five on top of each other.
  const shared = offered.every((values) => JSON.stringify(values) === JSON.stringify(offered[0]));
  const offeredSeries: SeriesSpec[] = shared
    ? [{ label: multi ? 'offered (every variant)' : 'offered', color: OFFERED, dash: [6, 4], width: 1.5, values: offered[0] ?? [] }]
    : offered.map((values, v) => ({ label: `offered · ${labels[v]}`, color: variantStyle(v).color, dash: [2, 3], width: 1, values }));
  const goodput = result.variants.map((variant, v): SeriesSpec => ({
    label: !multi ? 'goodput' : shared ? (labels[v] ?? variant.name) : `goodput · ${labels[v]}`,
    ...variantStyle(v),
    width: 2,
    values: plotted(fleetSum(variant, (l) => l.succeeded), wholeOf(variant), length),
  }));
  const note = leftOutNote(result, labels, ['success', 'successes'], (v) => {
    const line = fleetSum(v, (l) => l.succeeded);
    return sum(line, wholeOf(v));
  });
  const spec: LineChartSpec = {
    kind: 'line',
    id: 'over-time',
    title: 'Offered and goodput per second',
    subtitle:
      'offered: logical operations due to start in each second; goodput: operations that succeeded in it' +
      (multi && shared ? ' — one line per variant; dashed grey: offered' : ''),
    ...(note === undefined ? {} : { note }),
    xLabel: 'second of run',
    yLabel: 'operations / s',
    x: seconds(length),
    series: [...offeredSeries, ...goodput],
  };
  return orEmpty(spec, 'No operation was offered in this run.');
}

function kmsCalls(result: RunResult, labels: readonly string[], length: number): ChartSpec {
  const note = leftOutNote(result, labels, ['KMS call', 'KMS calls'], (v) => sum(bucketSum(v), wholeOf(v)));
  const spec: LineChartSpec = {
    kind: 'line',
    id: 'kms-calls',
    title: 'KMS calls per second',
    subtitle: 'attempts that reached a quota, retries included (admitted + throttled)',
    ...(note === undefined ? {} : { note }),
    xLabel: 'second of run',
    yLabel: 'calls / s',
    x: seconds(length),
    series: result.variants.map((variant, v) => ({
      label: result.variants.length > 1 ? (labels[v] ?? variant.name) : 'KMS calls',
      ...variantStyle(v),
      width: 2,
      values: plotted(bucketSum(variant), wholeOf(variant), length),
    })),
  };
  return orEmpty(spec, 'No KMS call in this run (every operation was served without one).');
}

/** A sentence for a run with no whole second: it has no per-second rate to plot. */
function tooShort(result: RunResult): ChartSpec {
  const measured = Math.max(...result.variants.map((v) => v.metrics.durationSec));
  return {
    kind: 'empty',
    id: 'over-time',
    title: 'Offered and goodput per second',
    empty: `The run measured ${formatNumber(measured)} s, less than one quota window (1 s): there is no whole second to plot a rate over.`,
  };
}

/** Offered vs goodput and KMS calls per second, every variant in one chart each. */
export function overTimeCharts(result: RunResult): ChartSpec[] {
  if (result.variants.length === 0) return [];
  const length = Math.max(...result.variants.map(wholeOf));
  if (length === 0) return [tooShort(result)];
  const labels = shortVariantLabels(result);
  return [offeredGoodput(result, labels, length), kmsCalls(result, labels, length)];
}

/** Where a bucket's timeline was drawn from, and its per-second counts. */
export interface BucketLine {
  readonly account: string | undefined;
  readonly region: string | undefined;
  readonly bucket: string;
  readonly line: BucketTimeline;
}

/** A bucket chart of one variant over its whole seconds, against `quota` when it has a finite one. */
export function bucketChart(variant: VariantResult, id: string, title: string, where: BucketLine, quota: number | undefined): ChartSpec {
  const { line, account } = where;
  const whole = wholeOf(variant);
  const admitted = plotted(line.admitted, whole, whole);
  const attempts = seconds(whole).map((i) => (line.admitted[i] ?? 0) + (line.throttled[i] ?? 0));
  // A quota far above the traffic (an unthrottled region) would squash the data flat against the axis: named, not drawn.
  const peak = Math.max(0, ...attempts);
  const drawQuota = quota !== undefined && quota <= OFF_SCALE * peak;
  const drainAdmitted = sum(line.admitted, whole);
  const drainThrottled = sum(line.throttled, whole);
  const notes = [
    ...(sum(line.throttled, 0, whole) === 0 ? ['No throttles in this bucket.'] : []),
    ...(drainAdmitted + drainThrottled === 0
      ? []
      : [`Not plotted: ${formatNumber(drainAdmitted)} admitted and ${formatNumber(drainThrottled)} throttled ${afterText(variant)}.`]),
  ];
  const spec: LineChartSpec = {
    kind: 'line',
    id,
    title,
    subtitle:
      `${quota === undefined ? 'no quota' : `quota ${quota.toLocaleString('en-US')}/s`}` +
      `${quota !== undefined && !drawQuota ? ` (not drawn: over ${OFF_SCALE}× the peak of ${formatNumber(peak)}/s)` : ''}` +
      `${account === undefined ? '' : ` · account ${account}`}`,
    ...(notes.length === 0 ? {} : { note: notes.join(' ') }),
    xLabel: 'second of run',
    yLabel: 'requests / s',
    x: seconds(whole),
    series: [
      { label: 'admitted', color: ADMITTED, fill: 'rgba(22,163,74,0.22)', values: admitted },
      { label: 'admitted + throttled', color: THROTTLED, values: attempts },
      ...(quota === undefined || !drawQuota
        ? []
        : [{ label: 'quota', color: QUOTA, dash: [6, 4], width: 1.5, guide: true, values: seconds(whole).map(() => quota) }]),
    ],
    bands: [[1, 0, 'rgba(220,38,38,0.25)']],
  };
  return orEmpty(spec, whole === 0 ? 'The run had no whole second to plot.' : 'No request reached this bucket during the run.');
}
