/**
 * The chart specs of report.html: what a chart plots, as typed data built in html-charts*.ts and drawn in the page by
 * html-client.ts. A chart with nothing to plot becomes an {@link EmptyChartSpec}, a sentence in its place: an empty
 * frame reads as a broken report, or worse as "zero" where nothing was measured.
 */
import type { MarkerShape } from './chart-style.js';

/** One plotted series. Values line up with the chart's x values (or groups); `null` is a gap. */
export interface SeriesSpec {
  readonly label: string;
  readonly color: string;
  readonly values: readonly (number | null)[];
  /** Fill under a line, or the bar colour (defaults to `color`). */
  readonly fill?: string;
  readonly dash?: readonly number[];
  readonly width?: number;
  /** A point marker at each value, drawn where points are not too dense to read (line charts). */
  readonly marker?: MarkerShape;
  /** A reference line (the quota), not data: a chart whose only non-zero series are guides has nothing to show. */
  readonly guide?: boolean;
}

/** Fields every chart has. */
interface ChartBase {
  readonly id: string;
  readonly title: string;
  readonly subtitle?: string;
  /** A sentence under the chart: what it leaves out (the drain after the scheduled end, variants without a figure). */
  readonly note?: string;
}

/** A line chart over numeric x (seconds), or over categories when `xLabels` is given (x = 0, 1, …). */
export interface LineChartSpec extends ChartBase {
  readonly kind: 'line';
  readonly xLabel: string;
  readonly yLabel: string;
  readonly x: readonly number[];
  readonly xLabels?: readonly string[];
  readonly logY?: boolean;
  /** Markers at every point, however dense (few categorical points). */
  readonly points?: boolean;
  readonly series: readonly SeriesSpec[];
  /** Fills between two series (indexes into `series`): `[upper, lower, fill]`. */
  readonly bands?: readonly (readonly [number, number, string])[];
}

/** Grouped bars: one group per category, one bar per series in each group. */
export interface BarChartSpec extends ChartBase {
  readonly kind: 'bars';
  readonly yLabel: string;
  readonly groups: readonly string[];
  readonly series: readonly SeriesSpec[];
}

/** A chart with nothing to plot: the page shows `empty`, a sentence saying why, instead of an empty frame. */
export interface EmptyChartSpec extends ChartBase {
  readonly kind: 'empty';
  readonly empty: string;
}

export type ChartSpec = LineChartSpec | BarChartSpec | EmptyChartSpec;

/** True when a chart plots anything: some data series (not a guide) has a value other than 0. */
export function hasData(spec: LineChartSpec | BarChartSpec): boolean {
  return spec.series.some((s) => s.guide !== true && s.values.some((v) => v !== null && v !== 0 && Number.isFinite(v)));
}

/** `spec` when it has data ({@link hasData}); otherwise the same chart as a sentence. */
export function orEmpty(spec: LineChartSpec | BarChartSpec, sentence: string): ChartSpec {
  if (hasData(spec)) return spec;
  return {
    kind: 'empty',
    id: spec.id,
    title: spec.title,
    ...(spec.subtitle === undefined ? {} : { subtitle: spec.subtitle }),
    ...(spec.note === undefined ? {} : { note: spec.note }),
    empty: sentence,
  };
}

/** The charts the page draws: every spec that is not a sentence. */
export function drawnCharts(specs: readonly ChartSpec[]): (LineChartSpec | BarChartSpec)[] {
  return specs.filter((spec): spec is LineChartSpec | BarChartSpec => spec.kind !== 'empty');
}
