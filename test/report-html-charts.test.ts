/**
 * What report.html plots, checked on the chart specs (the browser test checks that they are drawn): buckets per
 * (region, bucket) against their own quota, offered vs goodput and KMS calls per second over the run's whole seconds
 * only (the drain in a note), latency percentiles, retries per operation, cache hit rate, cost; variants told apart
 * by colour, dash and marker; a sentence instead of an empty chart; and data embedded so that no value can end the
 * script element.
 */
import { describe, expect, test } from 'vitest';
import { headline } from '../src/report/headline.js';
import { escapeHtml, renderHtmlReport, scriptJson } from '../src/report/html.js';
import { reportCharts } from '../src/report/html-charts.js';
import type { BarChartSpec, LineChartSpec } from '../src/report/html-charts.js';
import type { RunResult, VariantScenario } from '../src/report/result.js';
import { simpleScenario, slot, syntheticResult, twoFleetScenario } from './support/report-fixture.js';

const TWO_REGIONS: VariantScenario = {
  keys: [
    { name: 'east', keySpec: 'SYMMETRIC_DEFAULT' },
    { name: 'west', keySpec: 'SYMMETRIC_DEFAULT' },
  ],
  fleets: [
    { name: 'web', region: 'us-east-1', account: '111122223333', mix: [{ op: 'Encrypt', weight: 1, key: 'east' }] },
    { name: 'batch', region: 'eu-west-1', account: '111122223333', mix: [{ op: 'Decrypt', weight: 1, key: 'west' }] },
  ],
};

function result(): RunResult {
  return syntheticResult({
    seconds: 4,
    variants: [
      {
        name: 'default',
        scenario: TWO_REGIONS,
        ops: [
          {
            fleet: 'web',
            op: 'Encrypt',
            bucket: 'symmetric',
            admittedPerSec: 100,
            throttledPerSec: 30,
            retriedPerSec: 10,
            latencyUs: 2_000,
            drainSucceeded: 25,
          },
          { fleet: 'batch', op: 'Decrypt', bucket: 'symmetric', admittedPerSec: 20 },
        ],
        quota: [slot('symmetric', 110, 440, 160, 'us-east-1'), slot('symmetric', Infinity, 80, 0, 'eu-west-1')],
      },
    ],
  });
}

function line(spec: unknown): LineChartSpec {
  const chart = spec as LineChartSpec;
  expect(chart.kind).toBe('line');
  return chart;
}

describe('report.html charts', () => {
  test('one bucket chart per (region, bucket), each against its own quota', () => {
    const charts = reportCharts(result());
    expect(charts.buckets.map((c) => c.title)).toEqual(['us-east-1 · symmetric', 'eu-west-1 · symmetric']);
    const east = line(charts.buckets[0]);
    expect(east.series.map((s) => s.label)).toEqual(['admitted', 'admitted + throttled', 'quota']);
    // Per second: 100 + 10 retried admitted; 30 + 10 throttled.
    expect(east.series[0]?.values).toEqual([110, 110, 110, 110]);
    expect(east.series[1]?.values).toEqual([150, 150, 150, 150]);
    expect(east.series[2]?.values).toEqual([110, 110, 110, 110]);
    expect(east.subtitle).toContain('quota 110/s');
    // An unlimited quota draws no line.
    const west = line(charts.buckets[1]);
    expect(west.series.map((s) => s.label)).toEqual(['admitted', 'admitted + throttled']);
    expect(west.subtitle).toContain('no quota');
  });

  test('per-second charts plot the whole seconds only; the drain after the scheduled end is a note', () => {
    const summary = result().variants[0]?.metrics;
    expect(summary?.rateWindow.wholeSeconds).toBe(4);
    expect(summary?.timelineSeconds).toBe(5);
    const charts = reportCharts(result());
    for (const chart of [...charts.overTime, ...charts.buckets]) {
      const spec = line(chart);
      expect(spec.x, spec.id).toHaveLength(4);
      for (const series of spec.series) expect(series.values, `${spec.id} ${series.label}`).toHaveLength(4);
    }
    // 25 operations offered in the last second were admitted, and succeeded, after the scheduled end.
    expect(line(charts.buckets[0]).note).toBe('Not plotted: 25 admitted and 0 throttled after the scheduled end.');
    expect(line(charts.overTime[0]).note).toBe('Not plotted as a rate: 25 successes after the scheduled end.');
    expect(line(charts.overTime[1]).note).toBe('Not plotted as a rate: 25 KMS calls after the scheduled end.');
    expect(line(charts.buckets[1]).note).toBe('No throttles in this bucket.');
  });

  test('offered beside goodput, summed over fleets; KMS calls add up every bucket', () => {
    const [offeredGoodput, calls] = reportCharts(result()).overTime.map(line);
    expect(offeredGoodput?.series.map((s) => s.label)).toEqual(['offered', 'goodput']);
    // offered: web 100 + 30 + 10 (+25 in the last second), batch 20; goodput: web 100 + 10, batch 20.
    expect(offeredGoodput?.series[0]?.values).toEqual([160, 160, 160, 185]);
    expect(offeredGoodput?.series[1]?.values).toEqual([130, 130, 130, 130]);
    expect(calls?.series.map((s) => s.label)).toEqual(['KMS calls']);
    expect(calls?.series[0]?.values).toEqual([170, 170, 170, 170]);
  });

  test('latency percentiles per variant are in milliseconds on a log scale', () => {
    const latency = line(reportCharts(result()).latency[0]);
    expect(latency.logY).toBe(true);
    expect(latency.xLabels).toEqual(['p50', 'p90', 'p99', 'p99.9', 'max']);
    expect(latency.series[0]?.values[0]).toBe(2);
  });

  test('retries per operation are retries per completed operation, fleet by fleet', () => {
    const retries = reportCharts(result()).retries[0] as BarChartSpec;
    expect(retries.groups).toEqual(['web · Encrypt', 'batch · Decrypt']);
    // web: 10 retries for 140 operations in each of 4 seconds, and 25 operations of the drain without one
    expect(retries.series[0]?.values[0]).toBeCloseTo(40 / (4 * 140 + 25), 12);
    expect(retries.series[0]?.values[1]).toBe(0);
  });

  test('a cache hit-rate chart appears only when a fleet has a data-key cache', () => {
    const plain = result();
    expect(reportCharts(plain).cache).toEqual([]);
    const variant = plain.variants[0];
    if (variant === undefined) throw new Error('no variant');
    const web = variant.metrics.fleets['web'];
    if (web === undefined) throw new Error('no fleet');
    const cached = {
      ...plain,
      variants: [{ ...variant, metrics: { ...variant.metrics, fleets: { ...variant.metrics.fleets, web: { ...web, cache: { cached: true, hitRate: 0.9 } } } } }],
    } as unknown as RunResult;
    const chart = reportCharts(cached).cache[0] as BarChartSpec;
    expect(chart.groups).toEqual(['web']);
    expect(chart.series[0]?.values).toEqual([0.9]);
  });

  test('the embedded data cannot close its script element', () => {
    expect(scriptJson({ name: '</script><script>alert(1)</script>' })).not.toContain('</script');
    expect(escapeHtml('<b a="1">&\'')).toBe('&lt;b a=&quot;1&quot;&gt;&amp;&#39;');
    const html = renderHtmlReport(syntheticResult({ name: 'x', variants: [{ name: '</script>', ops: [] }] }), {
      name: 'lib',
      version: '0',
      script: 'var uPlot = function () {}; // </script> inside the library',
      css: '',
    });
    // Only the three script elements of the page close.
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });
});

const POLICIES = ['none', 'exponential', 'full-jitter', 'equal-jitter', 'decorrelated-jitter'] as const;

/** Five variants of one fleet, differing only in the matrix's retry value; none retries, none throttles. */
function fiveVariants(): RunResult {
  return syntheticResult({
    seconds: 3,
    variants: POLICIES.map((policy) => ({
      name: `retry=${policy},quotas.profile=kms-current`,
      values: { retry: policy, 'quotas.profile': 'kms-current' },
      scenario: simpleScenario(),
      ops: [{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 10, drainSucceeded: 1 }],
      quota: [slot('symmetric', 100, 30, 0)],
    })),
  });
}

describe('report.html with five overlapping variants', () => {
  test('gives each variant its own colour, dash pattern and marker', () => {
    const goodput = line(reportCharts(fiveVariants()).overTime[0]).series.slice(1);
    expect(goodput).toHaveLength(5);
    expect(new Set(goodput.map((s) => s.color)).size).toBe(5);
    expect(new Set(goodput.map((s) => JSON.stringify(s.dash))).size).toBe(5);
    expect(new Set(goodput.map((s) => s.marker)).size).toBe(5);
  });

  test('names variants in legends by the matrix value that differs, and draws one shared offered line', () => {
    const charts = reportCharts(fiveVariants());
    const overTime = line(charts.overTime[0]);
    expect(overTime.series.map((s) => s.label)).toEqual(['offered (every variant)', ...POLICIES]);
    expect(line(charts.latency[0]).series.map((s) => s.label)).toEqual([...POLICIES]);
    expect(overTime.note).toBe(
      'Not plotted as a rate: successes after the scheduled end: none 1, exponential 1, full-jitter 1, equal-jitter 1, decorrelated-jitter 1.',
    );
  });

  test('labels an object-valued axis as variant names do: by its policy', () => {
    const ops = [{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 10 }];
    const result = syntheticResult({
      variants: [
        { name: 'fleets.web.retry=none', values: { 'fleets.web.retry': 'none' }, ops },
        { name: 'fleets.web.retry=exponential', values: { 'fleets.web.retry': { policy: 'exponential', base: '10ms' } }, ops },
      ],
    });
    expect(line(reportCharts(result).latency[0]).series.map((s) => s.label)).toEqual(['none', 'exponential']);
  });

  test('a chart with nothing to plot is a sentence, and the page draws no frame for it', () => {
    const result = fiveVariants();
    const retries = reportCharts(result).retries[0];
    expect(retries).toMatchObject({ kind: 'empty', id: 'retries', empty: 'No retries in this run.' });
    const html = renderHtmlReport(result, { name: 'lib', version: '0', script: '', css: '' });
    expect(html).toContain('<p class="empty-chart" id="retries">No retries in this run.</p>');
    expect(html).not.toContain('<div class="chart" id="retries"');
    const embedded = JSON.parse(html.match(/id="kms-bench-charts">(.*?)<\/script>/s)?.[1] ?? '[]') as { id: string }[];
    expect(embedded.map((c) => c.id)).not.toContain('retries');
    expect(embedded.map((c) => c.id)).toContain('over-time');
  });
});

test('a quota far above the traffic is named but not drawn, so the traffic is not squashed flat', () => {
  const result = syntheticResult({
    variants: [
      {
        name: 'calm',
        scenario: simpleScenario(),
        ops: [{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 20 }],
        quota: [slot('symmetric', 100_000, 100, 0)],
      },
    ],
  });
  const bucket = line(reportCharts(result).buckets[0]);
  expect(bucket.series.map((s) => s.label)).toEqual(['admitted', 'admitted + throttled']);
  expect(bucket.subtitle).toBe('quota 100,000/s (not drawn: over 4× the peak of 20/s) · account 111122223333');
});

describe('report.html cost and warnings', () => {
  const LIB = { name: 'lib', version: '0', script: '', css: '' };

  test('a variant without a cost estimate is named with its reason, not drawn as a cheap bar', () => {
    const ops = [{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 10 }];
    const mixed = syntheticResult({
      variants: [
        { name: 'whole', scenario: simpleScenario(), ops },
        { name: 'cut', state: 'incomplete', scenario: simpleScenario(), ops },
      ],
    });
    const cost = reportCharts(mixed).cost[0] as BarChartSpec;
    expect(cost.groups).toEqual(['whole']);
    expect(cost.note).toBe('n/a, not drawn: cut: incomplete run: no steady state to extrapolate.');
    const html = renderHtmlReport(mixed, LIB);
    expect(html).toContain('<td>cut</td><td>requests</td><td>n/a</td><td>n/a</td><td>n/a — incomplete run: no steady state to extrapolate</td>');

    const none = syntheticResult({ variants: [{ name: 'cut', state: 'incomplete', scenario: simpleScenario(), ops }] });
    expect(reportCharts(none).cost[0]).toMatchObject({ kind: 'empty', empty: 'No cost estimate (n/a) — cut: incomplete run: no steady state to extrapolate.' });
  });

  test('shows a row block per fleet, the retry policies, and a growing backlog loudly before the tables', () => {
    const result = syntheticResult({
      seconds: 6,
      variants: [
        {
          name: 'default',
          scenario: twoFleetScenario(),
          ops: [
            { fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 100 },
            { fleet: 'batch', op: 'Decrypt', bucket: 'symmetric', admittedPerSec: 20, pendingPerSec: 5 },
          ],
        },
      ],
    });
    const html = renderHtmlReport(result, LIB);
    const warning = html.indexOf('<div class="warn loud">⚠ default: backlog grows: batch is offered 25.0/s but completes 20.0/s');
    expect(warning).toBeGreaterThan(0);
    expect(warning).toBeLessThan(html.indexOf('Variants side by side'));
    expect(html).toContain('<tr class="heading"><td class="">fleet batch · region</td><td>eu-west-1</td></tr>');
    expect(html).toContain('<td class="detail">goodput /s</td><td>20.0</td>');
    expect(html).toMatch(/<td class="left">web<\/td><td class="left">us-east-1<\/td><td class="left">every variant<\/td><td class="left">full-jitter, base 50 ms, cap 2 s, up to 4 attempts<\/td>/);
  });
});

describe('report.html first screen', () => {
  const LIB = { name: 'lib', version: '0', script: '', css: '' };
  const html = renderHtmlReport(fiveVariants(), LIB);

  test('opens with the headline under the title, before the run details and every table', () => {
    const at = html.indexOf(`<p class="headline">${escapeHtml(headline(fiveVariants()).join(' '))}</p>`);
    expect(at).toBeGreaterThan(html.indexOf('<h1>'));
    expect(at).toBeLessThan(html.indexOf('<div class="meta">'));
    expect(at).toBeLessThan(html.indexOf('Variants side by side'));
  });

  test('the variants table scrolls sideways in its own box, headed by short labels with a legend of full names', () => {
    expect(html).toMatch(/<h2>Variants side by side<\/h2><ul class="legend">.*?<\/ul><div class="scroll variants"><table>/);
    // The box scrolls both ways and is at most most of a screen tall, so its horizontal scrollbar is on screen.
    expect(html).toMatch(/\.scroll \{ overflow-x: auto;/);
    expect(html).toMatch(/\.scroll\.variants \{ max-height: 85vh; overflow: auto;/);
    for (const policy of POLICIES) {
      const name = `retry=${policy},quotas.profile=kms-current`;
      expect(html).toContain(`<th title="${name}">${policy}</th>`);
      expect(html).toContain(`<li><b>${policy}</b>: ${name}</li>`);
    }
  });
});
