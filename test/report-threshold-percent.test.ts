/**
 * A threshold written as a percentage (`< 1%`) shows its observed value as a percentage, in the terminal, summary.md
 * and report.html alike (they share `describeObserved`); one written as a ratio keeps the ratio.
 */
import { describe, expect, test } from 'vitest';
import { renderMarkdownSummary } from '../src/report/markdown.js';
import { describeObserved, formatThresholdLines } from '../src/report/thresholds.js';
import { simpleScenario, syntheticResult } from './support/report-fixture.js';

// 140 admitted attempts and 10 throttled ones per second: a throttle rate of 10 / 150 = 6.667%.
const busy = {
  name: 'default',
  scenario: simpleScenario(['Encrypt']),
  ops: [{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 130, retriedPerSec: 10, latencyUs: 3_000 }],
};

describe('threshold observed values', () => {
  test('a percentage bound shows the observed ratio as a percentage; a ratio bound as a ratio', () => {
    const result = syntheticResult({ variants: [busy], thresholds: { throttleRate: ['< 1%', '< 0.01'] } });
    const lines = formatThresholdLines(result.thresholds ?? [], false);
    expect(lines[1]).toMatch(/^ {2}✗ throttleRate < 1% +observed 6\.667%$/);
    expect(lines[2]).toMatch(/^ {2}✗ throttleRate < 0\.01 +observed 0\.0667$/);
    expect(renderMarkdownSummary(result)).toContain('| ✗ | `throttleRate < 1%` | 6.667% |');
  });

  test('whole percentages print without float noise, and no data is still said in words', () => {
    expect(describeObserved({ expression: '< 10%', observed: 0.07 })).toBe('7%');
    expect(describeObserved({ expression: '<= 0.5 %', observed: 0 })).toBe('0%');
    expect(describeObserved({ expression: '< 1%', observed: null, note: 'no data for fleets.web.ops.Sign' })).toBe('no data for fleets.web.ops.Sign');
  });

  test('an expression that does not parse (a hand-edited result) falls back to the plain number', () => {
    expect(describeObserved({ expression: 'less than 1%', observed: 0.0123 })).toBe('0.0123');
  });
});
