/**
 * `--find quota`: the smallest quota for a bucket at which the scenario meets its objectives, on the hand-computable
 * case (Poisson λ = 200/s, no retries, fixed windows): the answer's probe passes, the probe just below it fails, no
 * smaller probe passes, and the answer is near the smallest Q with E[max(N − Q, 0)] / λ < 1%. The same seed gives the
 * same plan; `--growth` scales the load first.
 */
import { describe, expect, test } from 'vitest';
import { runPlan } from '../src/plan/run-plan.js';
import { PlanInputError } from '../src/plan/plan-errors.js';
import { poissonScenario, quotaForThrottle } from './support/plan-scenarios.js';

const RATE = 200;
const scenario = (plan?: string, duration = '150s') => ({ text: poissonScenario({ rate: RATE, quota: 1000, duration, ...(plan === undefined ? {} : { plan }) }), name: 'quota.yaml' });
const OPTIONS = { goal: 'quota' as const, bucket: 'us-east-1/symmetric', objectives: ['throttleRate < 0.01'], workers: 2 };

describe('plan --find quota', () => {
  test('returns the smallest passing quota, whose next-lower probe fails', async () => {
    const plan = await runPlan(scenario(), OPTIONS);
    expect(plan.outcome).toBe('found');
    const answer = plan.answer;
    if (answer?.failingValue === undefined) throw new Error('no failing probe below the answer');
    const at = plan.probes.find((p) => p.value === answer.value);
    const below = plan.probes.find((p) => p.value === answer.failingValue);
    expect(at?.ok).toBe(true);
    expect(below?.ok).toBe(false);
    expect(answer.failingValue).toBeLessThan(answer.value);
    expect(answer.value - answer.failingValue).toBeLessThanOrEqual(Math.max(1, plan.tolerance * answer.value));
    // Nothing smaller passed: the answer is the smallest passing quota probed.
    expect(plan.probes.filter((p) => p.ok && p.value < answer.value)).toEqual([]);
    const expected = quotaForThrottle(RATE, 0.01);
    expect(Math.abs(answer.value - expected) / expected).toBeLessThanOrEqual(plan.tolerance + 0.03);
    expect(answer.sentence).toMatch(/^us-east-1\/symmetric needs a quota of [\d,]+ req\/s .*; below it throttleRate/);
  }, 120_000);

  test('the same seed gives the same probes and answer; --growth 2x needs more quota', async () => {
    const bounded = scenario('plan: { quota: { min: 150, max: 400 } }', '30s');
    const [first, second, grown] = await Promise.all([
      runPlan(bounded, { ...OPTIONS, repeat: 2, tolerance: 0.05 }),
      runPlan(bounded, { ...OPTIONS, repeat: 2, tolerance: 0.05 }),
      runPlan(scenario('plan: { quota: { min: 300, max: 800 } }', '30s'), { ...OPTIONS, tolerance: 0.05, growth: 2 }),
    ]);
    expect(second.probes).toEqual(first.probes);
    expect(second.answer).toEqual(first.answer);
    expect(first.seeds).toEqual([3, 4]);
    expect(first.probes.every((p) => p.seeds.length === 2 && p.ok === p.seeds.every((s) => s.ok))).toBe(true);
    expect(grown.growth).toBe(2);
    expect(grown.answer?.value).toBeGreaterThan((first.answer?.value ?? Infinity) * 1.6);
  }, 180_000);

  test.each([
    ['an unknown bucket', { bucket: 'us-east-1/symetric' }, /unknown quota bucket "symetric" \(did you mean "symmetric"\?\)/],
    ['a region no fleet calls from', { bucket: 'eu-west-1/symmetric' }, /no fleet calls from region "eu-west-1"/],
    ['no region', { bucket: 'symmetric' }, /expected region\/bucket/],
  ])('%s is refused before any probe', async (_, change, message) => {
    await expect(runPlan(scenario(), { ...OPTIONS, ...change })).rejects.toSatisfy(
      (error: unknown) => error instanceof PlanInputError && error.problems.some((p) => message.test(p)),
    );
  });
});
