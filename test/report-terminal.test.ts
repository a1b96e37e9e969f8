/**
 * The terminal summary: the headline first, what makes the numbers unsafe next, then the table with one block per
 * fleet beside the total, then why a cost is n/a and each fleet's retry policy in words; bold only when asked (a
 * terminal); every line within the terminal's width, a wide table split into column groups with a legend.
 */
import { describe, expect, test } from 'vitest';
import { headline } from '../src/report/headline.js';
import { formatSummaryTable, PIPED_WIDTH } from '../src/report/summary-table.js';
import { simpleScenario, syntheticResult, twoFleetScenario, type SyntheticVariant } from './support/report-fixture.js';

const twoFleets = syntheticResult({
  seconds: 6,
  variants: [
    {
      name: 'calm',
      values: { retry: 'calm' },
      scenario: twoFleetScenario({ policy: 'none', maxAttempts: 1 }),
      ops: [
        { fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 100 },
        { fleet: 'batch', op: 'Decrypt', bucket: 'symmetric', admittedPerSec: 20, pendingPerSec: 5 },
      ],
    },
    {
      name: 'cut',
      values: { retry: 'cut' },
      state: 'incomplete',
      scenario: twoFleetScenario(),
      ops: [
        { fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 100, throttledPerSec: 100 },
        { fleet: 'batch', op: 'Decrypt', bucket: 'symmetric', admittedPerSec: 20 },
      ],
    },
  ],
  thresholds: { throttleRate: ['< 0.5'] },
});

describe('terminal summary', () => {
  const text = formatSummaryTable(twoFleets, { width: 120 });
  const lines = text.split('\n');
  const meta = lines.findIndex((line) => line.startsWith('kms-bench · fixture · seed 1'));

  test('opens with the headline, wrapped to the width, then the run line', () => {
    const sentences = headline(twoFleets);
    expect(meta).toBeGreaterThan(1); // the run line exists, below at least one headline line
    expect(sentences[0]).toMatch(/^Incomplete \(.*\): only calm finished/);
    expect(lines.slice(0, meta - 1).join(' ')).toBe(sentences.join(' '));
    expect(lines[meta - 1]).toBe('');
  });

  test('warns of a growing backlog before the thresholds and the table', () => {
    const warning = lines.findIndex((line) => line.startsWith('⚠ calm: backlog grows: batch is offered 25.0/s but completes 20.0/s'));
    expect(warning).toBe(meta + 1);
    expect(text.indexOf('thresholds:')).toBeGreaterThan(text.indexOf('⚠ calm'));
  });

  test('shows each fleet with its region and figures for every variant', () => {
    const web = lines.findIndex((line) => line.startsWith('fleet web · region'));
    expect(lines[web]).toMatch(/us-east-1 +us-east-1$/);
    expect(lines[web + 1]).toMatch(/^ {2}offered \/s +100\.0 +200\.0$/);
    expect(lines[web + 2]).toMatch(/^ {2}goodput \/s +100\.0 +100\.0$/);
    expect(lines[web + 3]).toMatch(/^ {2}throttle rate +0\.00% +50\.00%$/);
    const batch = lines.findIndex((line) => line.startsWith('fleet batch · region'));
    expect(lines[batch]).toMatch(/eu-west-1 +eu-west-1$/);
    expect(lines.slice(batch)).toContainEqual(expect.stringMatching(/^ {2}backlog at end +30 ⚠ growing \+5\.0\/s +0$/));
  });

  test('prints a cost the run cannot support as n/a, with the reason under the table', () => {
    expect(lines.find((line) => line.startsWith('cost $/month'))).toMatch(/\$[\d,.]+ +n\/a$/);
    expect(text).toContain('cost n/a:\n  cut: incomplete run: no steady state to extrapolate');
  });

  test("says each fleet's retry policy in words", () => {
    expect(text).toContain(
      'retry policies:\n' +
        '  web (us-east-1) in calm: none (no retry: one attempt)\n' +
        '  web (us-east-1) in cut: full-jitter, base 50 ms, cap 2 s, up to 4 attempts\n' +
        '  batch (eu-west-1): none (no retry: one attempt)',
    );
  });

  test('bolds warnings and fleet headings only when asked, for a terminal', () => {
    expect(text).not.toContain('\x1b[');
    const [on, off] = ['\x1b[1m', '\x1b[22m'];
    const bold = formatSummaryTable(twoFleets, { ansi: true, width: 120 }).split('\n');
    for (const line of bold.slice(0, meta - 1)) expect(line.startsWith(on) && line.endsWith(off)).toBe(true);
    expect(bold[meta + 1]?.startsWith(`${on}⚠ calm: backlog grows: `)).toBe(true);
    expect(bold[meta + 1]?.endsWith(off)).toBe(true);
    const heading = bold.find((line) => line.includes('fleet web · region')) ?? '';
    expect(heading.startsWith(`${on}fleet web · region`) && heading.endsWith(`us-east-1${off}`)).toBe(true);
  });

  test('a single fleet has no block repeating the total', () => {
    const single = formatSummaryTable(
      syntheticResult({ variants: [{ name: 'one', scenario: simpleScenario(), ops: [{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 5 }] }] }),
    );
    expect(single).not.toMatch(/fleet web|all fleets/);
    expect(single).toContain('offered /s');
  });
});

/** Five cache settings, as caching-comparison.yaml has: long variant names, each variant's own offered count. */
const fiveCaches: SyntheticVariant[] = [
  'off',
  'maxMessagesEncrypted:10',
  'maxMessagesEncrypted:10 dedupeInFlight:true',
  'maxMessagesEncrypted:100',
  'maxAge:500ms maxMessagesEncrypted:100',
].map((value, i) => ({
  name: `fleets.app.cache=${value}`,
  values: { 'fleets.app.cache': value },
  scenario: simpleScenario(['Encrypt'], 'app'),
  ops: [{ fleet: 'app', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 1000 + i, throttledPerSec: i === 0 ? 3000 : 0 }],
}));
const wide = syntheticResult({ variants: fiveCaches, thresholds: { throttleRate: ['< 0.01'] } });

describe('terminal summary at the terminal width', () => {
  test('a five-variant result at 80 columns has no longer line, and every variant keeps its column and name', () => {
    const lines = formatSummaryTable(wide, { width: 80 }).split('\n');
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(80);
    // Each variant's own figure (5 s × its rate) under a column, and its full name in the legend.
    const offered = lines.filter((line) => line.startsWith('offered ')).join(' ');
    for (const [i, variant] of fiveCaches.entries()) {
      expect(offered).toContain(((1000 + i) * 5 + (i === 0 ? 15_000 : 0)).toLocaleString('en-US'));
      expect(lines.some((line) => line.trim().endsWith(`  ${variant.name}`))).toBe(true);
    }
  });

  test('a table too wide is split into column groups, each under its own header row, the legend above them', () => {
    const lines = formatSummaryTable(wide, { width: 80 }).split('\n');
    const headers = lines.filter((line) => line.startsWith('metric'));
    expect(headers.length).toBeGreaterThan(1);
    expect(lines.indexOf('variants:')).toBeGreaterThanOrEqual(0);
    expect(lines.indexOf('variants:')).toBeLessThan(lines.findIndex((line) => line.startsWith('metric')));
    // Every group repeats the metric names.
    expect(lines.filter((line) => line.startsWith('throttle rate'))).toHaveLength(headers.length);
  });

  test('a table that fits keeps the variant names as headers, with no legend', () => {
    const lines = formatSummaryTable(wide, { width: Infinity }).split('\n');
    expect(lines.filter((line) => line.startsWith('metric'))).toHaveLength(1);
    expect(lines).not.toContain('variants:');
    // Headers wrap at spaces, so a long name heads a narrow column over two lines.
    const rule = lines.findIndex((line) => line.startsWith('------'));
    expect(lines[rule - 2]).toMatch(/ fleets\.app\.cache=maxAge:500ms$/);
    expect(lines[rule - 1]).toMatch(/^metric .* maxMessagesEncrypted:100$/);
  });

  test('piped, it fits COLUMNS when set, else the documented default', () => {
    const widest = (text: string): number => Math.max(...text.split('\n').map((line) => [...line].length));
    const saved = process.env['COLUMNS'];
    try {
      process.env['COLUMNS'] = '90';
      expect(widest(formatSummaryTable(wide))).toBeLessThanOrEqual(90);
      delete process.env['COLUMNS'];
      const piped = formatSummaryTable(wide);
      expect(widest(piped)).toBeLessThanOrEqual(PIPED_WIDTH);
      expect(widest(piped)).toBeGreaterThan(90);
    } finally {
      if (saved === undefined) delete process.env['COLUMNS'];
      else process.env['COLUMNS'] = saved;
    }
  });
});
