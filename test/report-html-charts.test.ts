/**
 * What report.html plots, checked on the chart specs (the browser test checks that they are drawn): buckets per
 * (region, bucket) against their own quota, goodput and KMS calls per second, latency percentiles, retries per
 * operation, cache hit rate; and data embedded so that no value can end the script element.
 */
import { describe, expect, test } from 'vitest';
import { escapeHtml, renderHtmlReport, scriptJson } from '../src/report/html.js';
import { reportCharts } from '../src/report/html-charts.js';
import type { BarChartSpec, LineChartSpec } from '../src/report/html-charts.js';
import type { RunResult, VariantScenario } from '../src/report/result.js';
import { slot, syntheticResult } from './support/report-fixture.js';

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
          { fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 100, throttledPerSec: 30, retriedPerSec: 10, latencyUs: 2_000 },
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
    // Per second: 100 + 10 retried admitted; 30 + 10 throttled. The drain second after the run is empty.
    expect(east.series[0]?.values).toEqual([110, 110, 110, 110, 0]);
    expect(east.series[1]?.values).toEqual([150, 150, 150, 150, 0]);
    expect(east.series[2]?.values).toEqual([110, 110, 110, 110, 110]);
    expect(east.subtitle).toContain('quota 110/s');
    // An unlimited quota draws no line.
    const west = line(charts.buckets[1]);
    expect(west.series.map((s) => s.label)).toEqual(['admitted', 'admitted + throttled']);
    expect(west.subtitle).toContain('no quota');
  });

  test('goodput and KMS calls per second add up every bucket', () => {
    const overTime = line(reportCharts(result()).overTime[0]);
    expect(overTime.series.map((s) => s.label)).toEqual(['goodput', 'KMS calls']);
    expect(overTime.series[0]?.values.slice(0, 4)).toEqual([130, 130, 130, 130]);
    expect(overTime.series[1]?.values.slice(0, 4)).toEqual([170, 170, 170, 170]);
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
    // web: 10 retries for 140 operations each second
    expect(retries.series[0]?.values[0]).toBeCloseTo(10 / 140, 12);
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
