/**
 * The plan's charts as inline SVG: drawn when plan.html is written, so the page shows its curves with no script, no
 * network and nothing to load — and the answer's marker and the objective lines sit exactly where the numbers say.
 * One function draws every chart: lines (or dots) over a numeric x axis, horizontal reference lines, and vertical
 * markers.
 */
import { formatNumber } from '../base/text.js';
import { escapeHtml as esc } from '../report/html.js';

/** One series: points in data units; `dots` draws markers only (a scatter). */
export interface SvgSeries {
  readonly label: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dots?: boolean;
  /** Points to ring (the Pareto front, the answer). */
  readonly highlight?: readonly (readonly [number, number])[];
}

/** A labelled line across the chart: an objective (`y`) or the answer (`x`). */
export interface SvgRule {
  readonly axis: 'x' | 'y';
  readonly value: number;
  readonly label: string;
  readonly color: string;
}

/** A chart to draw. */
export interface SvgChart {
  readonly id: string;
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly SvgSeries[];
  readonly rules?: readonly SvgRule[];
  /** A logarithmic x axis, for a search that spanned more than 20×. */
  readonly logX?: boolean;
}

const W = 640;
const H = 300;
const PAD = { left: 64, right: 16, top: 28, bottom: 44 };

function extent(values: readonly number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return lo === hi ? [lo === 0 ? 0 : lo * 0.9, hi === 0 ? 1 : hi * 1.1] : [lo, hi];
}

/** The chart as an `<svg>` element with a title, axes, ticks, series, rules and a legend. */
export function svgChart(chart: SvgChart): string {
  const xs = [...chart.series.flatMap((s) => s.points.map((p) => p[0])), ...(chart.rules ?? []).filter((r) => r.axis === 'x').map((r) => r.value)];
  const ys = [...chart.series.flatMap((s) => s.points.map((p) => p[1])), ...(chart.rules ?? []).filter((r) => r.axis === 'y').map((r) => r.value), 0];
  const logX = chart.logX === true && xs.every((x) => x > 0);
  const [x0, x1] = extent(logX ? xs.map(Math.log10) : xs);
  const [y0, y1raw] = extent(ys);
  const y1 = y1raw * 1.05;
  const px = (x: number): number => PAD.left + (((logX ? Math.log10(x) : x) - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
  const py = (y: number): number => H - PAD.bottom - ((y - y0) / (y1 - y0 || 1)) * (H - PAD.top - PAD.bottom);
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const yv = y0 + ((y1 - y0) * i) / 4;
    const xv = logX ? 10 ** (x0 + ((x1 - x0) * i) / 4) : x0 + ((x1 - x0) * i) / 4;
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${py(yv)}" y2="${py(yv)}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${py(yv) + 4}" text-anchor="end" font-size="11">${esc(formatNumber(Number(yv.toPrecision(3))))}</text>`);
    parts.push(`<text x="${px(xv)}" y="${H - PAD.bottom + 16}" text-anchor="middle" font-size="11">${esc(formatNumber(Number(xv.toPrecision(3))))}</text>`);
  }
  for (const rule of chart.rules ?? []) {
    const line =
      rule.axis === 'y'
        ? `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${py(rule.value)}" y2="${py(rule.value)}"`
        : `<line x1="${px(rule.value)}" x2="${px(rule.value)}" y1="${PAD.top}" y2="${H - PAD.bottom}"`;
    const [tx, ty, anchor] = rule.axis === 'y' ? [W - PAD.right - 4, py(rule.value) - 4, 'end'] : [px(rule.value) + 4, PAD.top + 12, 'start'];
    parts.push(`<g class="rule rule-${rule.axis}" data-value="${rule.value}">${line} stroke="${rule.color}" stroke-dasharray="6 4" stroke-width="1.5"/>` +
      `<text x="${tx}" y="${ty}" text-anchor="${anchor}" font-size="11" fill="${rule.color}">${esc(rule.label)}</text></g>`);
  }
  chart.series.forEach((series, index) => {
    const pts = series.points.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
    if (series.dots !== true && pts.length > 1) {
      parts.push(`<polyline fill="none" stroke="${series.color}" stroke-width="2" points="${pts.map((p) => `${px(p[0])},${py(p[1])}`).join(' ')}"/>`);
    }
    for (const p of pts) parts.push(`<circle cx="${px(p[0])}" cy="${py(p[1])}" r="3" fill="${series.color}"/>`);
    for (const p of series.highlight ?? []) parts.push(`<circle class="highlight" cx="${px(p[0])}" cy="${py(p[1])}" r="6" fill="none" stroke="${series.color}" stroke-width="2"/>`);
    parts.push(`<rect x="${PAD.left + 8 + index * 150}" y="8" width="10" height="10" fill="${series.color}"/><text x="${PAD.left + 22 + index * 150}" y="17" font-size="11">${esc(series.label)}</text>`);
  });
  parts.push(`<text x="${(W + PAD.left) / 2}" y="${H - 6}" text-anchor="middle" font-size="12">${esc(chart.xLabel)}${logX ? ' (log scale)' : ''}</text>`);
  parts.push(`<text transform="translate(14 ${(H - PAD.bottom + PAD.top) / 2}) rotate(-90)" text-anchor="middle" font-size="12">${esc(chart.yLabel)}</text>`);
  return (
    `<figure id="${esc(chart.id)}"><figcaption>${esc(chart.title)}</figcaption>` +
    `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(chart.title)}" font-family="system-ui, sans-serif">${parts.join('')}</svg></figure>`
  );
}
