/**
 * A probe from the step that stopped the search (did not complete, harness-limited) is kept in plan.json but must not
 * read like a normal one: the table marks it and says why, and the charts draw a marker at its value.
 */
import { describe, expect, test } from 'vitest';
import { probeTable } from '../src/plan/probe-table.js';
import { planHtml } from '../src/plan/plan-html.js';
import type { PlanResult, Probe, SeedMeasure } from '../src/plan/plan-types.js';

const seed: SeedMeasure = {
  seed: 1, ok: true, offeredPerSec: 100, goodputPerSec: 99, throttleRate: 0, latencyP50Us: 1000, latencyP99Us: 2000,
  kmsCallsPerSec: 100, costUsdPerMonth: null, objectives: [],
};
const probe = (value: number, untrusted?: string): Probe => ({ value, step: 1, ok: true, ...(untrusted === undefined ? {} : { untrusted }), seeds: [{ ...seed, offeredPerSec: value }] });
const plan: PlanResult = {
  schema: 'kms-bench/plan', schemaVersion: 1, state: 'incomplete', reason: 'harness-limited', outcome: 'stopped', goal: 'max-rate',
  scenario: { name: 's', hash: 'h' }, target: 'web', field: 'fleets.web.workload.arrivalRate', unit: 'req/s', objectives: ['throttleRate < 1%'],
  tolerance: 0.02, seeds: [1], simulatedSecondsPerProbe: 10, growth: 1, bounds: { min: 1, max: 1000 },
  probes: [probe(50), probe(200, 'the probe at 200 req/s (seed 1) is harness-limited')], notes: [],
  environment: { workers: 1, wallSeconds: 1, startedAt: '2026-01-01T00:00:00.000Z', tool: 't', steps: [] },
};

describe('untrusted probes', () => {
  test('the table marks an untrusted probe and gives its reason; a trusted one reads as before', () => {
    const { rows } = probeTable(plan);
    expect(rows[0]?.[1]).toBe('✓');
    expect(rows[0]?.at(-1)).toBe('');
    expect(rows[1]?.[1]).toBe('✓ (untrusted)');
    expect(rows[1]?.at(-1)).toBe('untrusted: the probe at 200 req/s (seed 1) is harness-limited');
  });

  test('the charts draw a marker at the untrusted probe', () => {
    const html = planHtml(plan);
    expect(html).toContain('untrusted 200');
    expect(html).toContain('data-value="200"');
    expect(html).not.toContain('untrusted 50');
  });
});
