/**
 * `report.html`: one self-contained page per run — the charting library, its stylesheet, the data and the drawing
 * script are all inlined, so it opens from disk or a CI artifact with no network. Tables are plain HTML (readable
 * without script); charts are drawn by html-client.ts from the specs of html-charts.ts.
 */
import type { ChartLibrary } from './chart-library.js';
import { clockText, instanceText, variantTableRows, harnessWarnings, repeatNote, statusText, throttledBucketLines } from './variant-table.js';
import { REQUEST_CLASSES } from './cost.js';
import { headline } from './headline.js';
import { drawnCharts } from './html-chart-spec.js';
import type { ChartSpec } from './html-chart-spec.js';
import { reportCharts } from './html-charts.js';
import { CLIENT_SCRIPT } from './html-client.js';
import { DEFAULT_PRICES, PRICE_ROWS } from '../scenario/prices.js';
import type { RunResult } from './result.js';
import { costUnavailableLines, fleetPolicies, loudWarnings, quotaStoreLines, startDelayLines } from './run-notes.js';
import { formatNumber, formatUsd } from './text.js';
import { describeObserved, describeThreshold, thresholdTally } from './thresholds.js';
import { variantColumns } from './variant-columns.js';
import { servicesTables } from './services-report.js';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** JSON safe inside a `<script>` element: no `</script>`, no `<!--`, no line separators that end a JS string. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Library code safe inside a `<script>` element. */
function scriptText(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const STYLE = `
:root { --fg: #111827; --muted: #6b7280; --line: #e5e7eb; --ok: #15803d; --bad: #b91c1c; --bg-soft: #f9fafb; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: var(--fg); background: #fff; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 14px; margin: 0 0 2px; }
.meta, .sub, .note { color: var(--muted); }
.sub { font-size: 12px; margin: 0 0 6px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; vertical-align: 2px; }
.badge.ok { background: #dcfce7; color: var(--ok); } .badge.bad { background: #fee2e2; color: var(--bad); }
.warn { background: #fff7ed; border-left: 4px solid #ea580c; padding: 8px 12px; margin: 12px 0; }
.warn.loud { background: #fef2f2; border-left-color: var(--bad); font-weight: 600; }
table { border-collapse: collapse; margin: 6px 0; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { background: var(--bg-soft); font-weight: 600; }
td.detail { padding-left: 26px; color: var(--muted); }
tr.heading td { font-weight: 700; background: var(--bg-soft); border-top: 2px solid var(--line); }
td.pass { color: var(--ok); font-weight: 700; text-align: center; } td.fail { color: var(--bad); font-weight: 700; text-align: center; }
td.left, th.left { text-align: left; white-space: normal; }
.headline { font-size: 17px; line-height: 1.5; font-weight: 600; margin: 14px 0 10px; padding: 10px 14px; border-left: 4px solid #0072B2; background: #f0f7fc; }
.scroll { overflow-x: auto; max-width: 100%; }
/* The comparison table scrolls inside its own box, so its horizontal scrollbar is on screen however long the table
   is, with the header row and the metric column pinned while it scrolls. */
.scroll.variants { max-height: 85vh; overflow: auto; width: fit-content; border: 1px solid var(--line); }
.variants table { margin: 0; }
.variants th, .variants td { padding: 4px 8px; } .variants td.detail { padding-left: 24px; }
.variants thead th { position: sticky; top: 0; z-index: 2; white-space: normal; vertical-align: bottom; min-width: 5em; }
.variants th:first-child, .variants td:first-child { position: sticky; left: 0; z-index: 1; background: #fff; }
.variants thead th:first-child { z-index: 3; background: var(--bg-soft); }
.variants tr.heading td:first-child { background: var(--bg-soft); }
.legend { margin: 4px 0 8px; padding-left: 20px; color: var(--muted); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 18px 24px; }
.card { min-width: 0; }
.chart { width: 100%; min-height: 260px; }
.empty-chart { min-height: 80px; display: flex; align-items: center; padding: 12px 16px; border: 1px dashed var(--line); color: var(--muted); }
details { margin: 8px 0; } summary { cursor: pointer; color: #1d4ed8; }
pre { background: var(--bg-soft); padding: 10px; overflow-x: auto; font-size: 12px; }
.u-legend { font-size: 12px; } .u-legend .u-marker { width: 10px; height: 10px; }
`;

function table(header: readonly string[], rows: readonly (readonly string[])[], options: { rawCells?: boolean; leftHeads?: boolean } = {}): string {
  const th = options.leftHeads === true ? '<th class="left">' : '<th>';
  const head = `<thead><tr>${header.map((h) => `${th}${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = rows.map((row) => `<tr>${row.map((c) => (options.rawCells === true ? c : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table>${head}<tbody>${body}</tbody></table></div>`;
}

/** A chart's card: its title, the chart (or, with nothing to plot, the sentence saying so) and its note. */
function chartCard(spec: ChartSpec): string {
  const body =
    spec.kind === 'empty'
      ? `<p class="empty-chart" id="${escapeHtml(spec.id)}">${escapeHtml(spec.empty)}</p>`
      : `<div class="chart" id="${escapeHtml(spec.id)}" role="img" aria-label="${escapeHtml(spec.title)}"></div>`;
  return (
    `<div class="card"><h3>${escapeHtml(spec.title)}</h3>` +
    (spec.subtitle === undefined ? '' : `<p class="sub">${escapeHtml(spec.subtitle)}</p>`) +
    body +
    (spec.note === undefined ? '' : `<p class="sub note">${escapeHtml(spec.note)}</p>`) +
    '</div>'
  );
}

function chartSection(title: string, specs: readonly ChartSpec[], note?: string): string {
  if (specs.length === 0) return '';
  const grid = specs.length > 1 ? `<div class="grid">${specs.map(chartCard).join('\n')}</div>` : specs.map(chartCard).join('');
  return `<section><h2>${escapeHtml(title)}</h2>${note === undefined ? '' : `<p class="note">${escapeHtml(note)}</p>`}${grid}</section>`;
}

/** The AWS services: who used the KMS quota, the services' requests and quotas (services-report.ts). */
function servicesSection(result: RunResult): string {
  const tables = result.variants.flatMap((v) => servicesTables(v, result.variants.length > 1));
  if (tables.length === 0) return '';
  const body = tables
    .map((t) => `<h3>${escapeHtml(t.title)}</h3>${t.note === undefined ? '' : `<p class="note">${escapeHtml(t.note)}</p>`}${table(t.header, t.rows)}`)
    .join('\n');
  return `<section><h2>AWS services and KMS attribution</h2>${body}</section>`;
}

function thresholdSection(result: RunResult): string {
  const outcomes = result.thresholds ?? [];
  if (outcomes.length === 0) return '';
  const { passed, failed } = thresholdTally(outcomes);
  const multi = result.variants.length > 1;
  const rows = outcomes.map((o) =>
    [
      `<td class="${o.ok ? 'pass' : 'fail'}">${o.ok ? '✓' : '✗'}</td>`,
      `<td class="left"><code>${escapeHtml(describeThreshold(o))}</code></td>`,
      ...(multi ? [`<td class="left">${escapeHtml(o.variant)}</td>`] : []),
      `<td>${escapeHtml(describeObserved(o))}</td>`,
    ].join(''),
  );
  const header = ['', 'threshold', ...(multi ? ['variant'] : []), 'observed'];
  return (
    `<section><h2>Thresholds <span class="badge ${failed === 0 ? 'ok' : 'bad'}">${passed} passed, ${failed} failed</span></h2>` +
    table(header, rows.map((r) => [r]), { rawCells: true }) +
    '</section>'
  );
}

function variantsSection(result: RunResult): string {
  const rows = variantTableRows(result).map(
    (row) =>
      `<tr${row.heading ? ' class="heading"' : ''}><td class="${row.detail ? 'detail' : ''}">${escapeHtml(row.label)}</td>` +
      `${row.cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`,
  );
  // Columns headed by what differs between the variants (as the chart legends name them), the full name on hover
  // and in a legend: full names made five variants wider than any page.
  const columns = variantColumns(result, 'short');
  const heads = result.variants.map((v, i) => `<th title="${escapeHtml(v.name)}">${escapeHtml(columns.headers[i] ?? v.name)}</th>`);
  const head = `<thead><tr><th>metric</th>${heads.join('')}</tr></thead>`;
  const legend =
    columns.legend.length === 0
      ? ''
      : `<ul class="legend">${columns.legend.map((e) => `<li><b>${escapeHtml(e.header)}</b>: ${escapeHtml(e.name)}</li>`).join('')}</ul>`;
  const unavailable = costUnavailableLines(result);
  return (
    `<section><h2>Variants side by side</h2>${legend}${repeatNote(result).map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('')}` +
    `<div class="scroll variants"><table>${head}<tbody>${rows.join('\n')}</tbody></table></div>` +
    (unavailable.length === 0 ? '' : `<p class="note">Cost n/a — ${unavailable.map(escapeHtml).join('; ')}.</p>`) +
    '</section>'
  );
}

/** Each fleet: where it calls and its retry policy in words, per variant when the matrix changed it. */
function fleetsSection(result: RunResult): string {
  const fleets = fleetPolicies(result);
  if (fleets.length === 0) return '';
  // Words, not figures: left-aligned, unlike the numeric tables.
  const rows = fleets.flatMap(({ fleet, region, policies }) =>
    policies.map(({ text, variants }) =>
      [fleet, region, variants === undefined ? 'every variant' : variants.join(', '), text].map((c) => `<td class="left">${escapeHtml(c)}</td>`),
    ),
  );
  return `<section><h2>Fleets and retry policies</h2>${table(['fleet', 'region', 'variants', 'retry policy'], rows, { rawCells: true, leftHeads: true })}</section>`;
}

function costDetails(result: RunResult): string {
  const variants = result.variants.filter((v) => v.cost !== undefined);
  if (variants.length === 0) return '';
  const rows: string[][] = [];
  for (const variant of variants) {
    const cost = variant.cost;
    if (cost === undefined) continue;
    rows.push([variant.name, 'keys', `${cost.billedKeys} key(s)`, '', formatUsd(cost.keysUsdPerMonth)]);
    // No steady state, no request figures: say why in the row a reader looks at, never a blank that reads as $0.
    if (cost.unavailable !== undefined) rows.push([variant.name, 'requests', 'n/a', 'n/a', `n/a — ${cost.unavailable}`]);
    for (const cls of REQUEST_CLASSES) {
      const request = cost.requests.find((r) => r.class === cls);
      if (request === undefined) continue;
      rows.push([variant.name, `${cls} requests`, `${formatNumber(request.ratePerSec)}/s`, formatNumber(Math.round(request.billablePerMonth)), formatUsd(request.usdPerMonth)]);
    }
  }
  const first = variants[0]?.cost;
  const prices = PRICE_ROWS.map((row) => {
    const value = first?.prices[row.name] ?? row.value;
    const overridden = value !== DEFAULT_PRICES[row.name];
    return [row.name, `${formatNumber(value)}${overridden ? ' (scenario)' : ''}`, row.unit, row.source];
  });
  const window = first?.steadyState;
  return (
    table(['variant', 'item', 'steady rate', 'billable / month', 'USD / month'], rows) +
    `<p class="note">Requests are extrapolated to a ${formatNumber(first?.prices.hoursPerMonth ?? 730)}-hour month from the steady-state rate` +
    (window === undefined ? '' : ` (seconds ${window.fromSec}–${window.toSec} of the run)`) +
    '; throttled requests are not billed; the free tier covers symmetric and management requests.</p>' +
    variants
      .flatMap((v) => (v.cost?.warnings ?? []).map((w) => `<p class="warn loud">⚠ ${escapeHtml(`${v.name}: ${w}`)}</p>`))
      .join('') +
    `<details><summary>Price table and sources</summary>${table(['name', 'value', 'unit', 'source'], prices)}</details>`
  );
}

/** Renders report.html. `library` is the charting library to inline ({@link loadChartLibrary}). */
export function renderHtmlReport(result: RunResult, library: ChartLibrary): string {
  const charts = reportCharts(result);
  const specs = [...charts.overTime, ...charts.buckets, ...charts.latency, ...charts.retries, ...charts.cache, ...charts.cost];
  const scenario = result.scenario;
  const env = result.environment;
  const title = `kms-bench · ${scenario.name}`;
  const outcomes = result.thresholds ?? [];
  const failed = outcomes.filter((o) => !o.ok).length;
  const badge =
    result.state !== 'completed'
      ? `<span class="badge bad">${escapeHtml(result.state)}</span>`
      : outcomes.length === 0
        ? '<span class="badge ok">completed</span>'
        : `<span class="badge ${failed === 0 ? 'ok' : 'bad'}">${failed === 0 ? 'thresholds passed' : `${failed} threshold(s) failed`}</span>`;
  const warnings = [
    ...(result.state === 'completed' ? [] : [`This run is ${statusText(result)} — the figures cover what was measured before it stopped.`]),
    ...harnessWarnings(result),
  ];
  const loud = loudWarnings(result);
  const throttled = throttledBucketLines(result);
  const delays = startDelayLines(result);
  const store = quotaStoreLines(result);
  const body = [
    `<header><h1>${escapeHtml(title)} ${badge}</h1>`,
    // The answer first, before the run's particulars: what a reader opening the page came for.
    `<p class="headline">${escapeHtml(headline(result).join(' '))}</p>`,
    `<div class="meta">${escapeHtml(
      `seed ${scenario.seed} · ${clockText(result)} · ${formatNumber(scenario.durationMs / 1000)} s scheduled per variant · ` +
        `${result.variants.length} variant(s) · started ${env.startedAt} · hash ${scenario.hash.slice(0, 12)}${instanceText(result)}`,
    )}</div></header>`,
    ...warnings.map((w) => `<div class="warn">${escapeHtml(w)}</div>`),
    ...loud.map((w) => `<div class="warn loud">⚠ ${escapeHtml(w)}</div>`),
    thresholdSection(result),
    variantsSection(result),
    fleetsSection(result),
    delays.length > 0
      ? `<section><h2>Start delay (harness)</h2><ul>${delays.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul></section>`
      : '',
    store.length > 0
      ? `<section><h2>Shared quota store</h2><ul>${store.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul></section>`
      : '',
    chartSection(
      'Offered, goodput and KMS calls per second',
      charts.overTime,
      "Whole seconds of the run only: each is one of the quota's one-second windows. What finished after the scheduled end (the drain) is in the totals and noted under a chart, never plotted as one more second.",
    ),
    chartSection(
      'Quota buckets: admitted vs throttled per second',
      charts.buckets,
      'Green: requests the quota admitted; red band: throttled; dashed: the quota. Each second of the run is one quota window.',
    ),
    charts.latency.length + charts.retries.length > 0
      ? `<section><h2>Latency and retries</h2><div class="grid">${[...charts.latency, ...charts.retries].map(chartCard).join('\n')}</div></section>`
      : '',
    chartSection('Data-key cache', charts.cache),
    charts.cost.length > 0 ? `<section><h2>Cost</h2>${charts.cost.map(chartCard).join('')}${costDetails(result)}</section>` : '',
    servicesSection(result),
    throttled.length > 0 ? `<section><h2>Throttled buckets</h2><ul>${throttled.map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ul></section>` : '',
    '<section><h2>Run</h2>',
    `<p class="meta">${escapeHtml(
      [
        `kms-bench ${env.tool}`,
        `Node ${env.node}`,
        env.platform,
        `${env.cpus} CPUs`,
        ...Object.entries(env.dependencies).map(([name, version]) => `${name} ${version}`),
        `charts: ${library.name} ${library.version}`,
      ].join(' · '),
    )}</p>`,
    `<details><summary>Scenario as run</summary><pre>${escapeHtml(JSON.stringify(scenario.document, null, 2))}</pre></details>`,
    '</section>',
  ].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${library.css}</style>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
<script type="application/json" id="kms-bench-charts">${scriptJson(drawnCharts(specs))}</script>
<script>${scriptText(library.script)}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
