/**
 * `plan.html`: one self-contained page — the answer first, then the curve it comes from (offered rate against
 * goodput, throttle rate, p99 latency, each with its objective line and the answer marked; for a cache plan the Pareto
 * front of KMS calls against data-key exposure), then every probe. The charts are inline SVG (plan-svg.ts): nothing to
 * load, nothing to run.
 */
import { formatNumber } from '../base/text.js';
import { escapeHtml } from '../report/html.js';
import { compileThresholds } from '../scenario/threshold-grammar.js';
import { headlineOf, probeTable, searchLine, worstOf } from './probe-table.js';
import { svgChart, type SvgChart, type SvgRule } from './plan-svg.js';
import type { PlanResult, Probe } from './plan-types.js';

const OBJECTIVE_COLOR = '#b91c1c';
const ANSWER_COLOR = '#15803d';

/** The objective bounds on one metric (`throttleRate`, `latencyUs.p99`), as horizontal rules in the chart's unit. */
function objectiveRules(plan: PlanResult, metrics: readonly string[], scale: number): SvgRule[] {
  return plan.objectives.flatMap((line) => {
    const match = /^\s*(\S+)\s+(.*)$/s.exec(line);
    if (match === null) return [];
    try {
      return compileThresholds({ [match[1] ?? '']: [match[2] ?? ''] })
        .filter((t) => metrics.includes(t.ref.metric))
        .map((t) => ({ axis: 'y' as const, value: t.value * scale * (t.ref.metric.startsWith('latency.') ? 1000 : 1), label: `objective ${line}`, color: OBJECTIVE_COLOR }));
    } catch {
      return [];
    }
  });
}

function numericCharts(plan: PlanResult): SvgChart[] {
  const probes = plan.probes;
  const xLabel = `${plan.field} (${plan.unit})`;
  const values = probes.map((p) => p.value);
  const logX = values.length > 1 && Math.max(...values) / Math.max(Math.min(...values), 1e-9) > 20;
  const answerRule: SvgRule[] = plan.answer === undefined ? [] : [{ axis: 'x', value: plan.answer.value, label: `answer ${plan.answer.value}`, color: ANSWER_COLOR }];
  // A probe from the step that ended the search is drawn, but marked: its figures may measure a stopped run.
  const untrusted: SvgRule[] = probes.filter((p) => p.untrusted !== undefined).map((p) => ({ axis: 'x', value: p.value, label: `untrusted ${formatNumber(p.value)}`, color: '#dc2626' }));
  const answer: SvgRule[] = [...answerRule, ...untrusted];
  const series = (label: string, color: string, pick: (p: Probe) => number) => ({ label, color, points: probes.map((p) => [p.value, pick(p)] as const) });
  return [
    {
      id: 'chart-goodput',
      title: 'Offered rate against goodput (worst seed)',
      xLabel,
      yLabel: 'operations per second',
      logX,
      series: [series('offered/s', '#6b7280', (p) => worstOf(p, (s) => s.offeredPerSec, true)), series('goodput/s', '#2563eb', (p) => worstOf(p, (s) => s.goodputPerSec, true))],
      rules: answer,
    },
    {
      id: 'chart-throttle',
      title: 'Throttle rate (worst seed)',
      xLabel,
      yLabel: 'throttled / attempts (%)',
      logX,
      series: [series('throttle rate %', '#ea580c', (p) => worstOf(p, (s) => s.throttleRate) * 100)],
      rules: [...objectiveRules(plan, ['throttleRate'], 100), ...answer],
    },
    {
      id: 'chart-latency',
      title: 'p99 latency (worst seed)',
      xLabel,
      yLabel: 'ms',
      logX,
      series: [series('p99 ms', '#7c3aed', (p) => worstOf(p, (s) => s.latencyP99Us) / 1000)],
      rules: [...objectiveRules(plan, ['latencyUs.p99', 'latency.p99'], 1 / 1000), ...answer],
    },
  ];
}

function cacheCharts(plan: PlanResult): SvgChart[] {
  const front = new Set(plan.paretoValues ?? []);
  const point = (p: Probe): readonly [number, number] => [worstOf(p, (s) => s.messagesPerKeyMax), worstOf(p, (s) => s.kmsCallsPerSec)];
  const chosen = plan.probes.find((p) => p.value === plan.answer?.value);
  return [
    {
      id: 'chart-pareto',
      title: 'KMS calls against data-key exposure: the Pareto front ringed',
      xLabel: 'most messages under one data key (measured, worst seed)',
      yLabel: 'KMS calls per second',
      logX: true,
      series: [
        { label: 'meets objectives', color: '#2563eb', dots: true, points: plan.probes.filter((p) => p.ok).map(point), highlight: plan.probes.filter((p) => front.has(p.value)).map(point) },
        { label: 'fails', color: '#9ca3af', dots: true, points: plan.probes.filter((p) => !p.ok).map(point) },
      ],
      rules: chosen === undefined ? [] : [{ axis: 'x', value: point(chosen)[0], label: 'answer', color: ANSWER_COLOR }],
    },
  ];
}

const STYLE = `
body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: #111827; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 22px; margin: 0 0 8px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #e5e7eb; }
.answer { font-size: 17px; font-weight: 600; margin: 8px 0 12px; } .meta { color: #6b7280; }
.warn { background: #fef2f2; border-left: 4px solid #b91c1c; padding: 8px 12px; margin: 12px 0; font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; } figure { margin: 0; } figcaption { font-weight: 600; margin: 4px 0; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e5e7eb; text-align: right; white-space: nowrap; }
th:first-child, td:first-child, td:last-child { text-align: left; } td:last-child { white-space: normal; }
tr.answer-row { background: #dcfce7; }
`;

/** The page. */
export function planHtml(plan: PlanResult): string {
  const { header, rows } = probeTable(plan);
  const charts = plan.goal === 'cache' ? cacheCharts(plan) : numericCharts(plan);
  const body = [
    `<h1>kms-bench plan: ${escapeHtml(plan.scenario.name)} — ${escapeHtml(plan.goal)} of ${escapeHtml(plan.target)}</h1>`,
    // The answer alone in #answer; the line under it (what the search step does not cover) after it.
    ...headlineOf(plan).split('\n').map((line, i) => (i === 0 ? `<p class="answer" id="answer">${escapeHtml(line)}</p>` : `<p class="noise">${escapeHtml(line)}</p>`)),
    ...(plan.state === 'incomplete' ? [`<p class="warn" id="incomplete">Incomplete: ${escapeHtml(plan.reason ?? 'stopped')}. The probes below are what was measured before it stopped.</p>`] : []),
    `<p class="meta">${escapeHtml(searchLine(plan))}</p>`,
    ...plan.notes.map((note) => `<p class="warn">${escapeHtml(note)}</p>`),
    '<h2>The curve</h2>',
    plan.probes.length === 0 ? '<p class="meta">No probe finished.</p>' : `<div class="charts">${charts.map(svgChart).join('')}</div>`,
    '<h2>Every probe</h2>',
    `<table id="probes"><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>`,
    ...rows.map((row, i) => `<tr${plan.probes[i]?.value === plan.answer?.value && plan.answer !== undefined ? ' class="answer-row"' : ''}>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`),
    '</tbody></table>',
    `<p class="meta">Scenario hash ${escapeHtml(plan.scenario.hash.slice(0, 12))}; kms-bench ${escapeHtml(plan.environment.tool)}; started ${escapeHtml(plan.environment.startedAt)}.</p>`,
  ];
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>kms-bench plan: ${escapeHtml(plan.scenario.name)}</title><style>${STYLE}</style></head><body><main>${body.join('\n')}</main></body></html>\n`;
}
