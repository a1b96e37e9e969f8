/**
 * Evaluating thresholds at the end of a run: per variant by default, scoped by fleet, operation and matrix value; an
 * observed value for each; no data fails; the summary shows ✓/✗.
 */
import { describe, expect, test } from 'vitest';
import { formatSummaryTable } from '../src/report/summary-table.js';
import { evaluateThresholds, formatThresholdLines } from '../src/report/thresholds.js';
import { simpleScenario, syntheticResult } from './support/report-fixture.js';

// Two variants of one fleet, per second: `calm` makes 120 operations, never throttled; `busy` makes 130 operations in
// 140 attempts, 10 Encrypts being throttled once and retried.
const calm = {
  name: 'retry=calm',
  values: { retry: 'calm' },
  scenario: simpleScenario(['Encrypt', 'Decrypt']),
  ops: [
    { fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 100, latencyUs: 2_000 },
    { fleet: 'web', op: 'Decrypt', bucket: 'symmetric', admittedPerSec: 20, latencyUs: 1_000 },
  ],
};
const busy = {
  name: 'retry=busy',
  values: { retry: 'busy' },
  scenario: simpleScenario(['Encrypt', 'Decrypt']),
  ops: [
    { fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 100, retriedPerSec: 10, latencyUs: 30_000 },
    { fleet: 'web', op: 'Decrypt', bucket: 'symmetric', admittedPerSec: 20, latencyUs: 1_000 },
  ],
};

describe('threshold evaluation', () => {
  test('each threshold is checked against every variant, with the observed value', () => {
    const result = syntheticResult({ variants: [calm, busy] });
    const outcomes = evaluateThresholds({ throttleRate: ['< 0.01'] }, result.variants);
    expect(outcomes.map((o) => [o.variant, o.ok])).toEqual([
      ['retry=calm', true],
      ['retry=busy', false],
    ]);
    expect(outcomes[0]?.observed).toBe(0);
    // busy: 10 throttled of 140 attempts per second
    expect(outcomes[1]?.observed).toBeCloseTo(10 / 140, 12);
  });

  test('fleet and operation scopes read their own summaries', () => {
    const result = syntheticResult({ variants: [calm] });
    const outcomes = evaluateThresholds(
      {
        'fleets.web.ops.Encrypt.goodputPerSec': ['> 99', '< 101'],
        'fleets.web.ops.Decrypt.goodputPerSec': ['> 99'],
        'fleets.web.goodputPerSec': ['== 120'],
      },
      result.variants,
    );
    expect(outcomes.map((o) => [o.metric, o.expression, o.observed, o.ok])).toEqual([
      ['fleets.web.ops.Encrypt.goodputPerSec', '> 99', 100, true],
      ['fleets.web.ops.Encrypt.goodputPerSec', '< 101', 100, true],
      ['fleets.web.ops.Decrypt.goodputPerSec', '> 99', 20, false],
      ['fleets.web.goodputPerSec', '== 120', 120, true],
    ]);
  });

  test('latency statistics in the key or in the expression are the same metric', () => {
    const result = syntheticResult({ variants: [busy] });
    const outcomes = evaluateThresholds({ 'latencyUs.p99': ['< 50000'], latencyUs: ['p99 < 50000', 'p(50) < 40000'] }, result.variants);
    expect(outcomes.map((o) => o.metric)).toEqual(['latencyUs.p99', 'latencyUs.p99', 'latencyUs.p50']);
    expect(outcomes[0]?.observed).toBe(outcomes[1]?.observed);
    // Per second 20 Decrypts take 1 ms, 100 Encrypts 30 ms and 10 retried Encrypts 60 ms: p99 is 60 ms, p50 30 ms.
    expect(outcomes[0]?.observed).toBeGreaterThan(50_000);
    expect(outcomes.map((o) => o.ok)).toEqual([false, false, true]);
  });

  test('latency bounds with a time unit convert to the metric\'s unit; the latency family reads in ms', () => {
    const result = syntheticResult({ variants: [busy] });
    const outcomes = evaluateThresholds(
      {
        'latencyUs.p99': ['< 50ms', '< 0.1s'],
        'latency.p99': ['< 50', '< 100', '< 100000us'],
        latency: ['p50 < 40', 'p(50) < 20ms'],
      },
      result.variants,
    );
    const p99Us = result.variants[0]?.metrics.total.latencyUs.p99 ?? Number.NaN;
    const p50Us = result.variants[0]?.metrics.total.latencyUs.p50 ?? Number.NaN;
    expect(outcomes.map((o) => [o.metric, o.expression, o.ok])).toEqual([
      ['latencyUs.p99', '< 50ms', false],
      ['latencyUs.p99', '< 0.1s', true],
      ['latency.p99', '< 50', false],
      ['latency.p99', '< 100', true],
      ['latency.p99', '< 100000us', true],
      ['latency.p50', 'p50 < 40', true],
      ['latency.p50', 'p(50) < 20ms', false],
    ]);
    // The ms family observes the very same figure as the µs one, scaled: p99 is ~60 ms, p50 ~30 ms.
    expect(outcomes[0]?.observed).toBe(p99Us);
    expect(outcomes[2]?.observed).toBe(p99Us / 1000);
    expect(outcomes[5]?.observed).toBe(p50Us / 1000);
    expect(outcomes[2]?.observed).toBeGreaterThan(50);
    expect(outcomes[2]?.observed).toBeLessThan(100);
  });

  test('a unit on a metric that is not a time cannot be evaluated', () => {
    const result = syntheticResult({ variants: [busy] });
    expect(() => evaluateThresholds({ throttleRate: ['< 5ms'] }, result.variants)).toThrow(
      /throttleRate.*ms is a time unit, and throttleRate is not a time/,
    );
  });

  test('kmsCallsPerOp is KMS calls per logical operation: the same figure as attemptsPerOp', () => {
    const result = syntheticResult({ variants: [busy] });
    const [outcome] = evaluateThresholds({ kmsCallsPerOp: ['<= 1.05'] }, result.variants);
    // 140 attempts for 130 operations each second
    expect(outcome?.observed).toBeCloseTo(140 / 130, 12);
    expect(outcome?.observed).toBe(result.variants[0]?.metrics.total.attemptsPerOp);
    expect(outcome?.ok).toBe(false);
  });

  test('costUsdPerMonth gates the monthly estimate', () => {
    const result = syntheticResult({ variants: [calm] });
    const [outcome] = evaluateThresholds({ costUsdPerMonth: ['< 200'] }, result.variants);
    // 120/s symmetric: 315,360,000 − 20,000 free → $946.02, plus $1 for the key
    expect(outcome?.observed).toBeCloseTo(947.02, 6);
    expect(outcome?.ok).toBe(false);
  });

  test('a selector limits a threshold to the variants with that matrix value', () => {
    const result = syntheticResult({ variants: [calm, busy] });
    const outcomes = evaluateThresholds({ 'throttleRate{retry=calm}': ['< 0.01'], 'retries{retry=b*}': ['> 0'] }, result.variants);
    expect(outcomes.map((o) => [o.key, o.variant, o.ok])).toEqual([
      ['throttleRate{retry=calm}', 'retry=calm', true],
      ['retries{retry=b*}', 'retry=busy', true],
    ]);
  });

  test('a scope without data fails, saying so, rather than passing silently', () => {
    const result = syntheticResult({ variants: [calm] });
    const [outcome] = evaluateThresholds({ 'fleets.web.ops.Sign.throttleRate': ['< 0.01'] }, result.variants);
    expect(outcome).toMatchObject({ ok: false, observed: null, note: 'no data for fleets.web.ops.Sign' });
  });

  test('run results carry the outcomes, and the terminal summary prints them first with ✓ and ✗', () => {
    const result = syntheticResult({ variants: [calm, busy], thresholds: { throttleRate: ['< 0.01'] } });
    expect(result.thresholds).toHaveLength(2);
    const lines = formatThresholdLines(result.thresholds ?? [], true);
    expect(lines[0]).toBe('thresholds: 1 passed, 1 failed');
    expect(lines[1]).toMatch(/^ {2}✓ throttleRate < 0\.01 +observed 0 +\[retry=calm\]$/);
    expect(lines[2]).toMatch(/^ {2}✗ throttleRate < 0\.01 +observed 0\.0714 +\[retry=busy\]$/);
    const table = formatSummaryTable(result);
    expect(table.indexOf('thresholds: 1 passed')).toBeLessThan(table.indexOf('offered'));
    expect(table).toContain('cost $/month');
  });

  test('a result without thresholds has no outcomes', () => {
    expect(syntheticResult({ variants: [calm] }).thresholds).toBeUndefined();
  });
});
