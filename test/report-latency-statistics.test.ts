/**
 * What the reports show of latency and lateness: autocannon's latency rows (p2.5, p50, p97.5, p99, mean ± sd, max)
 * and the failure rate in the table, the latency distribution chart in report.html, and the start-delay notes of a
 * wall-clock run. An older result.json without the newer fields still renders, with '–' where a figure is missing.
 */
import { describe, expect, test } from 'vitest';
import { reportCharts, type BarChartSpec } from '../src/report/html-charts.js';
import { bucketLabel } from '../src/report/html-charts-latency.js';
import { checkResultDocument } from '../src/report/result-file.js';
import { parseResultJson, resultToJson, type RunResult } from '../src/report/result.js';
import { startDelayLines } from '../src/report/run-notes.js';
import { harnessWarnings, variantTableRows } from '../src/report/variant-table.js';
import { simpleScenario, syntheticResult, twoFleetScenario } from './support/report-fixture.js';

const result = syntheticResult({
  name: 'latency',
  variants: [
    {
      name: 'fast',
      ops: [{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 30, throttledPerSec: 10, latencyUs: 1000 }],
      scenario: simpleScenario(),
    },
    { name: 'slow', ops: [{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 40, latencyUs: 30_000 }], scenario: simpleScenario() },
  ],
});

const cells = (r: RunResult, label: string): readonly string[] | undefined => variantTableRows(r).find((row) => row.label === label)?.cells;

/** `r` as a result.json written before the fuller statistics, the buckets and the start delay were recorded. */
function olderResult(r: RunResult): RunResult {
  const document = parseResultJson(resultToJson(r)) as { variants: { lateThresholdMs?: number; metrics: Record<string, unknown> }[] };
  for (const variant of document.variants) {
    delete variant.lateThresholdMs;
    const metrics = variant.metrics as { latencyBucketsUs?: unknown; total: Record<string, unknown>; fleets: Record<string, Record<string, unknown>> };
    delete metrics.latencyBucketsUs;
    for (const fleet of Object.values(metrics.fleets)) delete fleet['latencyBucketsUs'];
    delete metrics.total['startDelayUs'];
    const latency = metrics.total['latencyUs'] as Record<string, unknown>;
    for (const field of ['min', 'p025', 'p95', 'p975', 'stdev']) delete latency[field];
  }
  return checkResultDocument(document, 'old.json');
}

describe('the latency rows follow autocannon', () => {
  test('p2.5, p50, p97.5, p99, mean ± sd and max, in ms, from the merged distribution', () => {
    expect(cells(result, 'latency p2.5 ms')).toEqual(['1.00', '30.0']);
    expect(cells(result, 'latency p50 ms')).toEqual(['1.00', '30.0']);
    expect(cells(result, 'latency p97.5 ms')).toEqual(['1.00', '30.0']);
    expect(cells(result, 'latency p99 ms')).toEqual(['1.00', '30.0']);
    expect(cells(result, 'latency mean ± sd ms')).toEqual(['1.00 ± 0.00', '30.0 ± 0.00']);
    expect(cells(result, 'latency max ms')?.[0]).toMatch(/^1\.00$/);
  });

  test('the failure rate is failed / completed operations, as a percentage', () => {
    // fast: 10 of 40 operations a second fail (throttled, no retry).
    expect(cells(result, 'failure rate')).toEqual(['25.00%', '0.00%']);
  });

  test('an older result without the fuller statistics renders "–" and the mean alone, never a false 0', () => {
    const older = olderResult(result);
    expect(cells(older, 'latency p2.5 ms')).toEqual(['–', '–']);
    expect(cells(older, 'latency p97.5 ms')).toEqual(['–', '–']);
    expect(cells(older, 'latency mean ± sd ms')).toEqual(['1.00', '30.0']);
    expect(reportCharts(older).latency.map((c) => c.id)).toEqual(['latency']);
    expect(startDelayLines(older)).toEqual([]);
  });
});

describe('the latency distribution chart', () => {
  test('one bar per variant in each 1-2-5 bucket, as the share of its operations', () => {
    const chart = reportCharts(result).latency.find((c) => c.id === 'latency-histogram') as BarChartSpec;
    expect(chart.kind).toBe('bars');
    expect(chart.series.map((s) => s.label)).toEqual(['fast', 'slow']);
    expect(chart.groups).toEqual(['≤ 1 ms', '≤ 2 ms', '≤ 5 ms', '≤ 10 ms', '≤ 20 ms', '≤ 50 ms']);
    expect(chart.series[0]?.values).toEqual([100, 0, 0, 0, 0, 0]);
    expect(chart.series[1]?.values).toEqual([0, 0, 0, 0, 0, 100]);
  });

  test('one variant with several fleets: one bar per fleet', () => {
    const fleets = syntheticResult({
      variants: [
        {
          name: 'only',
          ops: [
            { fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 10, latencyUs: 150 },
            { fleet: 'batch', op: 'Decrypt', bucket: 'symmetric', admittedPerSec: 10, latencyUs: 1_500_000 },
          ],
          scenario: twoFleetScenario(),
        },
      ],
    });
    const chart = reportCharts(fleets).latency.find((c) => c.id === 'latency-histogram') as BarChartSpec;
    expect(chart.series.map((s) => s.label).sort()).toEqual(['fleet batch', 'fleet web']);
    expect(chart.groups[0]).toBe('≤ 200 µs');
    expect(chart.groups.at(-1)).toBe('≤ 2 s');
  });

  test.each([
    [10, '≤ 10 µs'],
    [500, '≤ 500 µs'],
    [1000, '≤ 1 ms'],
    [200_000, '≤ 200 ms'],
    [5_000_000, '≤ 5 s'],
  ])('bucket bound %d µs is labelled %s', (us, label) => {
    expect(bucketLabel(us)).toBe(label);
  });
});

describe('start delay', () => {
  const delayed = (r: RunResult, late: number): RunResult => ({
    ...r,
    variants: r.variants.map((v) => ({
      ...v,
      lateThresholdMs: 10,
      harnessLimited: late / v.metrics.total.offered > 0.01,
      metrics: {
        ...v.metrics,
        total: {
          ...v.metrics.total,
          late,
          lateOrDroppedRate: late / v.metrics.total.offered,
          startDelayUs: { count: v.metrics.total.offered, p50: 150, p99: 42_000, max: 130_000, mean: 900 },
        },
      },
    })),
  });

  test('a wall-clock run states the distribution and the late count against its threshold', () => {
    const lines = startDelayLines(delayed(result, 20));
    expect(lines[0]).toBe('fast: start delay p50 0.15 ms, p99 42.0 ms, max 130.0 ms over 200 starts; 20 (10.00%) more than 10 ms late');
    expect(lines).toHaveLength(2);
  });

  test('the harness warning names the threshold and the start-delay tail', () => {
    const [warning] = harnessWarnings(delayed(result, 20));
    expect(warning).toBe(
      'fast: 10.00% of requests started more than 10 ms late or were dropped (start delay p99 42.0 ms, max 130.0 ms) — the harness, not KMS, was the limit',
    );
  });

  test('the virtual clock starts every request on time: no start-delay lines', () => {
    const virtual = delayed({ ...result, scenario: { ...result.scenario, clock: 'virtual' } }, 0);
    expect(startDelayLines(virtual)).toEqual([]);
  });
});
