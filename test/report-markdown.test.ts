/**
 * summary.md: thresholds first (✓/✗ with observed values), then the variants side by side, cost, throttled buckets;
 * valid GitHub-flavoured Markdown tables.
 */
import { describe, expect, test } from 'vitest';
import { renderMarkdownSummary } from '../src/report/markdown.js';
import { simpleScenario, slot, syntheticResult } from './support/report-fixture.js';

const result = syntheticResult({
  name: 'md',
  variants: [
    {
      name: 'retry=none',
      values: { retry: 'none' },
      scenario: simpleScenario(),
      ops: [{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 100, throttledPerSec: 20 }],
      quota: [slot('symmetric', 100, 500, 100)],
    },
    {
      name: 'retry=a|b',
      values: { retry: 'a|b' },
      scenario: simpleScenario(),
      ops: [{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 100, retriedPerSec: 20 }],
      quota: [slot('symmetric', 100, 600, 100)],
    },
  ],
  thresholds: { throttleRate: ['< 0.15'], 'latencyUs.p99': ['< 50000'] },
});

describe('summary.md', () => {
  const markdown = renderMarkdownSummary(result);
  const lines = markdown.split('\n');

  test('opens with the verdict, then thresholds before the variants', () => {
    expect(lines[0]).toBe('## kms-bench · md — ✗ 1 of 4 thresholds failed');
    const thresholds = markdown.indexOf('### Thresholds: 3 passed, 1 failed');
    expect(thresholds).toBeGreaterThan(0);
    expect(thresholds).toBeLessThan(markdown.indexOf('### Variants'));
    expect(markdown.indexOf('### Variants')).toBeLessThan(markdown.indexOf('### Cost'));
  });

  test('lists each threshold with ✓ or ✗, the variant and the observed value', () => {
    expect(markdown).toContain('| ✗ | `throttleRate < 0.15` | retry=none | 0.167 |');
    expect(markdown).toContain('| ✓ | `throttleRate < 0.15` | retry=a\\|b | 0.143 |');
    expect(markdown).toContain('| ✓ | `latencyUs.p99 < 50000` | retry=none | 1,000 |');
  });

  test('puts the variants side by side in a table whose every row has one cell per column', () => {
    const start = lines.indexOf('### Variants') + 2;
    const table = lines.slice(start, lines.indexOf('', start));
    expect(table[0]).toBe('| metric | retry=none | retry=a\\|b |');
    expect(table[1]).toBe('| :-- | --: | --: |');
    const cells = (line: string): number => line.replace(/\\\|/g, '').split('|').length;
    for (const row of table) expect(cells(row)).toBe(cells(table[0] ?? ''));
    expect(table.some((row) => row.startsWith('| throttle rate | 16.67% | 14.29% |'))).toBe(true);
  });

  test('shows the monthly cost with its parts and what it assumes', () => {
    expect(markdown).toContain('| **total $/month** |');
    expect(markdown).toContain('| symmetric requests |');
    expect(markdown).toContain('throttled requests are not billed');
    expect(markdown).toContain('- retry=none: us-east-1 symmetric quota 100/s — admitted 500, throttled 100');
  });

  test('a run without thresholds starts with the variants', () => {
    const plain = renderMarkdownSummary({ ...result, thresholds: undefined } as typeof result);
    expect(plain.split('\n')[0]).toBe('## kms-bench · md');
    expect(plain).not.toContain('### Thresholds');
  });

  test('a --repeat run lists the spread of each metric across seeds; a single run has no such section', () => {
    const [first, ...rest] = result.variants;
    if (first === undefined) throw new Error('no variant');
    const repeats = { seeds: [5, 6, 7], metrics: { throttleRate: { mean: 0.452, min: 0.259, max: 0.636, stddev: 0.189 } } };
    const repeated = renderMarkdownSummary({ ...result, variants: [{ ...first, repeats }, ...rest] });
    expect(repeated).toContain('### Spread across seeds');
    expect(repeated).toContain('- retry=none: throttleRate mean 0.452, 0.259–0.636, sd 0.189 (seeds 5, 6, 7)');
    expect(markdown).not.toContain('Spread across seeds');
  });
});
