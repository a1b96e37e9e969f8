/**
 * What a numeric plan promises: the answer's sentence gives the bracket as it is (the failing value and the search
 * step, not a ±), says that one seed's noise is outside it, and with --repeat gives the seeds' spread; the values
 * probed do not depend on the worker count; the first step looks on both sides of the start; a one-sided plan: bound
 * leaves a range; more workers than cores are refused before step 1.
 */
import { availableParallelism } from 'node:os';
import { describe, expect, test } from 'vitest';
import { runPlan } from '../src/plan/run-plan.js';
import { firstValues, nextStep, type BracketOptions } from '../src/plan/bracket-search.js';
import { PlanInputError } from '../src/plan/plan-errors.js';
import { poissonScenario } from './support/plan-scenarios.js';

const source = (duration: string, plan?: string) => ({ text: poissonScenario({ rate: 50, quota: 100, duration, ...(plan === undefined ? {} : { plan }) }), name: 'p.yaml' });
const MAX_RATE = { goal: 'max-rate' as const, fleet: 'web', objectives: ['throttleRate < 0.01'] };

describe('plan search precision and reproducibility', () => {
  test('the same plan with --workers 1, 2 and 4 probes the same values and gives the same answer', async () => {
    const [one, two, four] = await Promise.all([
      runPlan(source('20s'), { ...MAX_RATE, workers: 1, tolerance: 0.05 }),
      runPlan(source('20s'), { ...MAX_RATE, workers: 2, tolerance: 0.05 }),
      // Four workers may exceed the cores of a CI machine: oversubscribed, they still must not change the plan.
      runPlan(source('20s'), { ...MAX_RATE, workers: 4, oversubscribe: true, tolerance: 0.05 }),
    ]);
    expect(two.probes).toEqual(one.probes);
    expect(two.answer).toEqual(one.answer);
    expect(four.probes).toEqual(one.probes);
    expect(four.answer).toEqual(one.answer);
    expect(one.pointsPerStep).toBe(4);
  }, 120_000);

  test('the sentence gives the failing value and the search step; --repeat reports the seeds\' spread', async () => {
    const [single, repeated] = await Promise.all([
      runPlan(source('20s'), { ...MAX_RATE, workers: 1, tolerance: 0.05 }),
      runPlan(source('20s'), { ...MAX_RATE, workers: 1, tolerance: 0.05, repeat: 3 }),
    ]);
    const answer = single.answer;
    if (answer?.failingValue === undefined) throw new Error('no bracket');
    expect(answer.sentence).not.toContain('±');
    expect(answer.sentence).toContain(`(fails at ${answer.failingValue.toLocaleString('en-US')}; search step `);
    expect(answer.noise).toMatch(/one seed's sampling noise is not in it; --repeat N/);
    const spread = repeated.answer?.seedSpread;
    if (spread === undefined) throw new Error('no seed spread with --repeat 3');
    // The answer holds for every seed, so it is at most the lowest seed's own answer.
    expect(repeated.answer?.value).toBeLessThanOrEqual(spread.min);
    expect(spread.min).toBeLessThanOrEqual(spread.max);
    expect(repeated.answer?.noise).toMatch(/^(Each of the 3 seeds alone would answer [\d.,]+–[\d.,]+ req\/s|All 3 seeds alone would give this answer)/);
  }, 120_000);

  test('the first step probes both sides of the start, so a failing start is bracketed from above', () => {
    const options: BracketOptions = { passes: 'above', start: 100, min: 1, max: 6400, integer: true, tolerance: 0.02, pointsPerStep: 4, bounded: false };
    expect(firstValues(options)).toEqual([25, 100, 400, 1600]);
    // Today's quota fails and 4× passes: the next step bisects 100–400, not a search from scratch.
    const next = nextStep(options, [
      { value: 25, ok: false },
      { value: 100, ok: false },
      { value: 400, ok: true },
      { value: 1600, ok: true },
    ]);
    expect(next.done).toBe(false);
    if (!next.done) expect(next.next.every((v) => v > 100 && v < 400)).toBe(true);
  });

  test('--growth starts the quota search at the current quota times the growth', async () => {
    const plan = await runPlan(source('5s'), { goal: 'quota', bucket: 'us-east-1/symmetric', objectives: ['throttleRate < 0.01'], workers: 1, growth: 3, tolerance: 0.5 });
    // Current quota 100 × 3: the first step is 75, 300, 1,200, 4,800.
    expect(plan.probes.filter((p) => p.step === 1).map((p) => p.value)).toEqual([75, 300, 1200, 4800]);
  }, 120_000);

  test('a one-sided plan: bound above the start moves the default max with it', async () => {
    const plan = await runPlan(source('5s', 'plan: { rate: { min: 5000 } }'), { ...MAX_RATE, workers: 1, tolerance: 0.5 });
    expect(plan.bounds.min).toBe(5000);
    expect(plan.bounds.max).toBeGreaterThan(5000);
  }, 120_000);

  test('a tolerance finer than the probe values\' 4 significant digits is not met silently: a note says so', async () => {
    const plan = await runPlan(source('20s', 'plan: { rate: { min: 80, max: 100 } }'), { ...MAX_RATE, workers: 1, tolerance: 0.00005 });
    const width = plan.answer?.bracketWidth;
    if (width === undefined) throw new Error('no bracket');
    expect(width).toBeGreaterThan(plan.tolerance);
    expect(plan.notes.some((n) => /wider than the tolerance .*4 significant digits/.test(n))).toBe(true);
  }, 120_000);

  test('more workers than cores are refused before step 1, in plan\'s own words', async () => {
    const steps: number[] = [];
    const workers = availableParallelism() + 1;
    await expect(runPlan(source('5s'), { ...MAX_RATE, workers, onStep: (s) => steps.push(s.step) })).rejects.toSatisfy(
      (error: unknown) => error instanceof PlanInputError && error.problems.some((p) => p.startsWith(`--workers ${workers}:`) && !p.includes('budget.')),
    );
    expect(steps).toEqual([]);
  });
});
