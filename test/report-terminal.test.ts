/**
 * The terminal summary: what makes the numbers unsafe first, then the table with one block per fleet beside the
 * total, then why a cost is n/a and each fleet's retry policy in words; bold only when asked (a terminal).
 */
import { describe, expect, test } from 'vitest';
import { formatSummaryTable } from '../src/report/summary-table.js';
import { simpleScenario, syntheticResult, twoFleetScenario } from './support/report-fixture.js';

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
  const text = formatSummaryTable(twoFleets);
  const lines = text.split('\n');

  test('warns of a growing backlog before the thresholds and the table', () => {
    const warning = lines.findIndex((line) => line.startsWith('⚠ calm: backlog grows: batch is offered 25.0/s but completes 20.0/s'));
    expect(warning).toBe(1);
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
    const bold = formatSummaryTable(twoFleets, { ansi: true }).split('\n');
    expect(bold[1]?.startsWith(`${on}⚠ calm: backlog grows: `)).toBe(true);
    expect(bold[1]?.endsWith(off)).toBe(true);
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
