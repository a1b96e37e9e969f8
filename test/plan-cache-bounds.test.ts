/**
 * `--find cache`: the grid stays inside the scenario's security limits (plan.cache), every probe's measured exposure
 * does too, the choice meets the objectives with the fewest KMS calls (within the tolerance; least exposure among
 * those), and the Pareto front holds only passing settings no other passing one beats on calls and exposure at once.
 * Bad bounds are refused before any probe.
 */
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../src/api/load-scenario.js';
import { ScenarioError } from '../src/scenario/errors.js';
import { cacheGrid, messageSteps } from '../src/plan/cache-search.js';
import { PlanInputError } from '../src/plan/plan-errors.js';
import { runPlan } from '../src/plan/run-plan.js';
import { worstOf } from '../src/plan/probe-table.js';

const SCENARIO = (planBlock: string, mix = '[{ op: envelopeEncrypt, key: app, payloadBytes: 256, contexts: 2 }]') => ({
  name: 'cache.yaml',
  text: [
    'name: cache-plan',
    'seed: 9',
    'duration: 4s',
    'clock: virtual',
    'model: { crypto: off }',
    'quotas: { overrides: { us-east-1: { symmetric: 20 } } }',
    'keys:',
    '  - { name: app, region: us-east-1 }',
    'serviceLatency: { default: { distribution: lognormal, medianMs: 2, p99Ms: 10 } }',
    'fleets:',
    '  - name: producer',
    '    region: us-east-1',
    '    workload: { model: open, arrivalRate: 60, poisson: true, maxInFlight: 10000 }',
    `    mix: ${mix}`,
    '    retry: { policy: none }',
    '    cache: { maxMessagesEncrypted: 5, partition: fleet }',
    planBlock,
    '',
  ].join('\n'),
});

describe('plan --find cache', () => {
  test('chooses inside the security limits, the fewest KMS calls that meet the objectives', async () => {
    const plan = await runPlan(SCENARIO('plan: { cache: { maxMessagesPerKey: 20, maxKeyAge: 2s } }'), {
      goal: 'cache',
      fleet: 'producer',
      objectives: ['throttleRate < 0.01'],
      workers: 2,
    });
    expect(plan.outcome).toBe('found');
    for (const probe of plan.probes) {
      expect(probe.cache?.maxMessagesEncrypted).toBeLessThanOrEqual(20);
      expect(probe.cache?.maxAgeMs).toBeLessThanOrEqual(2000);
      expect(worstOf(probe, (s) => s.messagesPerKeyMax)).toBeLessThanOrEqual(20);
      expect(worstOf(probe, (s) => s.maxKeyAgeMs)).toBeLessThanOrEqual(2000);
    }
    const chosen = plan.probes.find((p) => p.value === plan.answer?.value);
    if (chosen === undefined) throw new Error('no chosen probe');
    expect(chosen.ok).toBe(true);
    const calls = (p: (typeof plan.probes)[number]): number => worstOf(p, (s) => s.kmsCallsPerSec);
    const fewest = Math.min(...plan.probes.filter((p) => p.ok).map(calls));
    expect(calls(chosen)).toBeLessThanOrEqual(fewest * (1 + plan.tolerance));
    // A 20/s quota against 60 messages/s: one data key per message (maxMessagesEncrypted 1) is throttled.
    expect(plan.probes.find((p) => p.cache?.maxMessagesEncrypted === 1)?.ok).toBe(false);
    const front = plan.probes.filter((p) => plan.paretoValues?.includes(p.value));
    expect(front.length).toBeGreaterThan(0);
    expect(front.every((p) => p.ok)).toBe(true);
    expect(plan.answer?.sentence).toMatch(/^producer meets its objectives with the fewest KMS calls .* inside the limits of 20 messages and 2 s$/);
  }, 180_000);

  test('the grid is the 1-2-5 steps of maxMessagesEncrypted and the maxAge steps, each up to its limit', () => {
    expect(messageSteps(1000)).toEqual([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]);
    expect(messageSteps(1)).toEqual([1]);
    const grid = cacheGrid({ kind: 'cache', target: 'p', field: 'f', fleet: 'p', maxMessagesPerKey: 7, maxKeyAgeMs: 30_000, capacities: [10, 100], kept: {}, region: 'us-east-1' });
    expect(grid).toHaveLength(4 * 3 * 2);
    expect(grid.every((s) => s.maxMessagesEncrypted <= 7 && s.maxAgeMs <= 30_000)).toBe(true);
  });

  test.each([
    ['no plan.cache block', '', 'cache', /plan.cache: --find cache needs the security limits/],
    ['a fleet without envelopeEncrypt', 'plan: { cache: { maxMessagesPerKey: 20, maxKeyAge: 2s } }', 'cache-mix', /its mix has no envelopeEncrypt/],
  ])('%s is refused before any probe', async (_, block, kind, message) => {
    const base = kind === 'cache-mix' ? SCENARIO(block, '[{ op: Encrypt, key: app }]') : SCENARIO(block);
    // A fleet without envelope operations may not have a cache at all (the scenario refuses it).
    const source = kind === 'cache-mix' ? { ...base, text: base.text.replace('    cache: { maxMessagesEncrypted: 5, partition: fleet }\n', '') } : base;
    await expect(runPlan(source, { goal: 'cache', fleet: 'producer', objectives: ['throttleRate < 0.01'] })).rejects.toSatisfy(
      (error: unknown) => error instanceof PlanInputError && error.problems.some((p) => message.test(p)),
    );
  });

  test('impossible bounds in the plan block are scenario errors with their paths', async () => {
    const text = SCENARIO('plan: { rate: { min: 500, max: 100 }, cache: { maxMessagesPerKey: 0, maxKeyAge: 0s, extra: 1 } }');
    const error = await loadScenario(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    const message = (error as ScenarioError).format();
    expect(message).toMatch(/plan\.rate\.max: min must be below max/);
    expect(message).toMatch(/plan\.cache\.maxMessagesPerKey/);
    expect(message).toMatch(/plan\.cache\.maxKeyAge: must be > 0/);
    expect(message).toMatch(/plan\.cache.*extra/);
  });
});
