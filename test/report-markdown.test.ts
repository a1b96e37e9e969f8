/**
 * summary.md: thresholds first (✓/✗ with observed values), then the variants side by side, cost, throttled buckets;
 * valid GitHub-flavoured Markdown tables.
 */
import { describe, expect, test } from 'vitest';
import { headline } from '../src/report/headline.js';
import { markdownText, renderMarkdownSummary } from '../src/report/markdown.js';
import { simpleScenario, slot, syntheticResult, twoFleetScenario } from './support/report-fixture.js';

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
  test('says when the service latency was assumed, and which; says nothing when the scenario set it', () => {
    const assumed = { ...result, scenario: { ...result.scenario, serviceLatencyAssumed: 'lognormal, median 4 ms, p99 25 ms' } };
    expect(renderMarkdownSummary(assumed)).toContain('service latency assumed (lognormal, median 4 ms, p99 25 ms; set serviceLatency to your own)');
    expect(renderMarkdownSummary(result)).not.toContain('service latency assumed');
  });

  const markdown = renderMarkdownSummary(result);
  const lines = markdown.split('\n');

  test('opens with the verdict and the headline in bold, then thresholds before the variants', () => {
    expect(lines[0]).toBe('## kms-bench · md — ✗ 1 of 4 thresholds failed');
    expect(lines[2]).toBe(`**${markdownText(headline(result).join(' '))}**`);
    // Escaped: a label's `|` or `*` must not end the bold or start a table.
    expect(lines[2]).toMatch(/^\*\*a\\\|b fails no operation; none fails 100 \(17%\)\. /);
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
    // Headed by what differs, as the chart legends name variants: `none` for `retry=none`.
    expect(table[0]).toBe('| metric | none | a\\|b |');
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

  test('a --repeat run shows the spread in the table, under each metric, in its units; a single run has no spread rows', () => {
    const [first, ...rest] = result.variants;
    if (first === undefined) throw new Error('no variant');
    const repeats = {
      seeds: [5, 6, 7],
      metrics: {
        throttleRate: { mean: 0.452, min: 0.259, max: 0.636, stddev: 0.189 },
        latencyP99Us: { mean: 12_500, min: 10_000, max: 15_000, stddev: 2_500 },
        completionSeconds: { mean: 10.5, min: 10.2, max: 10.9, stddev: 0.35 },
      },
    };
    const repeated = renderMarkdownSummary({ ...result, variants: [{ ...first, repeats }, ...rest] });
    const rows = repeated.split('\n');
    const under = (label: string): string | undefined => rows[rows.findIndex((row) => row.startsWith(`| ${label} |`)) + 1];
    // The variant without repeats (a single run) gets '–' in the spread rows.
    expect(under('throttle rate')).toBe('|   ↳ ± seeds: mean ± sd (min–max) | 45.20% ± 18.90% (25.90%–63.60%) | – |');
    expect(under('latency p99 ms')).toBe('|   ↳ ± seeds: mean ± sd (min–max) | 12.5 ± 2.50 (10.0–15.0) | – |');
    expect(repeated).toContain('|   ↳ ± seeds: mean ± sd (min–max) | 10.5 ± 0.35 (10.2–10.9) | – |');
    expect(repeated).toContain('cells are seed 5');
    expect(repeated).toContain('across seeds 5, 6, 7');
    // No separate section of one line per metric any more.
    expect(repeated).not.toContain('Spread across seeds');
    expect(markdown).not.toContain('± seeds');
  });
});

/** Two fleets in two regions, two variants differing in web's retry policy; batch's backlog grows in the first. */
const twoFleets = syntheticResult({
  name: 'fleets',
  seconds: 6,
  variants: [
    {
      name: 'retry=none',
      values: { retry: 'none' },
      scenario: twoFleetScenario({ policy: 'none', maxAttempts: 1 }),
      ops: [
        { fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 100, throttledPerSec: 50 },
        { fleet: 'batch', op: 'Decrypt', bucket: 'symmetric', admittedPerSec: 20, pendingPerSec: 5, latencyUs: 40_000 },
      ],
    },
    {
      name: 'retry=full-jitter',
      values: { retry: 'full-jitter' },
      scenario: twoFleetScenario(),
      ops: [
        { fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 100, retriedPerSec: 50 },
        { fleet: 'batch', op: 'Decrypt', bucket: 'symmetric', admittedPerSec: 20, latencyUs: 40_000 },
      ],
    },
  ],
});

/** The lines of the Variants table: header, rule and one per row. */
function variantRows(markdown: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf('### Variants') + 2;
  return lines.slice(start, lines.indexOf('', start));
}

describe('summary.md of a run with several fleets', () => {
  const markdown = renderMarkdownSummary(twoFleets);
  const rows = variantRows(markdown);

  test('has one block per fleet, with its region, after the total, for every variant', () => {
    const web = rows.indexOf('| **fleet web · region** | us-east-1 | us-east-1 |');
    const batch = rows.indexOf('| **fleet batch · region** | eu-west-1 | eu-west-1 |');
    expect(rows.indexOf('| **all fleets** |  |  |')).toBe(2);
    expect(web).toBeGreaterThan(rows.findIndex((row) => row.startsWith('| latency max ms |')));
    expect(batch).toBeGreaterThan(web);
    // web: 150 offered and 100 goodput per second in one variant, 150 and 150 in the other (50 retried through).
    expect(rows.slice(web + 1, web + 4)).toEqual([
      '|   ↳ offered /s | 150.0 | 150.0 |',
      '|   ↳ goodput /s | 100.0 | 150.0 |',
      '|   ↳ throttle rate | 33.33% | 25.00% |',
    ]);
    expect(rows.slice(batch + 1)).toContain('|   ↳ latency p99 ms | 40.0 | 40.0 |');
    expect(rows.slice(batch + 1)).toContain('|   ↳ offered /s | 25.0 | 20.0 |');
  });

  test("says each fleet's retry policy in words, per variant where the matrix changed it", () => {
    const section = markdown.slice(markdown.indexOf('### Retry policies'), markdown.indexOf('### Cost'));
    expect(section).toContain('- web (us-east-1) in retry=none: none (no retry: one attempt)');
    expect(section).toContain('- web (us-east-1) in retry=full-jitter: full-jitter, base 50 ms, cap 2 s, up to 4 attempts');
    expect(section).toContain('- batch (eu-west-1): none (no retry: one attempt)');
  });

  test('flags a growing backlog in bold before the table, and in the fleet block', () => {
    const warning = markdown.indexOf('> **⚠ retry=none: backlog grows: batch is offered 25.0/s but completes 20.0/s');
    expect(warning).toBeGreaterThan(0);
    expect(warning).toBeLessThan(markdown.indexOf('### Variants'));
    expect(markdown).not.toContain('⚠ retry=full-jitter: backlog');
    expect(rows.at(rows.findIndex((row) => row.startsWith('| **fleet batch')) + 9)).toBe('|   ↳ backlog at end | 30 ⚠ growing +5.0/s | 0 |');
  });

  test('the backlog is flagged even without a cost estimate', () => {
    const withoutCost = { ...twoFleets, variants: twoFleets.variants.map(({ cost: _cost, ...v }) => v) };
    const text = renderMarkdownSummary(withoutCost);
    expect(text).not.toContain('### Cost');
    expect(text).toContain('> **⚠ retry=none: backlog grows: batch');
  });
});

describe('summary.md of a single fleet', () => {
  test('has no fleet block repeating the total, and still says the retry policy and region', () => {
    const single = syntheticResult({
      variants: [
        {
          name: 'default',
          scenario: simpleScenario(['Encrypt'], 'web', { policy: 'immediate', maxAttempts: 3 }),
          ops: [{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 10 }],
        },
      ],
    });
    const markdown = renderMarkdownSummary(single);
    expect(markdown).not.toContain('fleet web');
    expect(markdown).not.toContain('all fleets');
    expect(markdown).toContain('- web (us-east-1): immediate (retries at once, no backoff, up to 3 attempts)');
  });
});

describe('summary.md cost a run cannot support', () => {
  test('is n/a with the reason, never a figure', () => {
    const interrupted = syntheticResult({
      variants: [
        { name: 'whole', scenario: simpleScenario(), ops: [{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 10 }] },
        {
          name: 'cut',
          state: 'incomplete',
          scenario: simpleScenario(),
          ops: [{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 10 }],
        },
      ],
    });
    const markdown = renderMarkdownSummary(interrupted);
    expect(variantRows(markdown)).toContain('| cost $/month | $79.78 | n/a |');
    expect(variantRows(markdown)).toContain('|   ↳ KMS requests /s (steady) | 10.0 | n/a |');
    expect(markdown).toContain('| **total $/month** | **$79.78** | **n/a** |');
    expect(markdown).toContain('| symmetric requests | $78.78 (10/s) | n/a |');
    expect(markdown).toContain('- **cut: cost n/a** — incomplete run: no steady state to extrapolate.');
  });
});

describe('summary.md variant columns', () => {
  test('columns headed by short labels get a legend when a label does not say its variant name', () => {
    const ops = [{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 10 }];
    const twoAxes = syntheticResult({
      variants: [
        { name: 'retry=none,quotas.profile=a', values: { retry: 'none', 'quotas.profile': 'a' }, ops },
        { name: 'retry=none,quotas.profile=b', values: { retry: 'none', 'quotas.profile': 'b' }, ops },
      ],
    });
    const markdown = renderMarkdownSummary(twoAxes);
    expect(markdown).toContain('### Variants\n\n- **a**: retry=none,quotas.profile=a\n- **b**: retry=none,quotas.profile=b\n\n| metric | a | b |');
  });
});
