/**
 * `--find max-rate` against a case worked out by hand: Poisson arrivals at λ/s, no retries, a fixed-window quota of
 * 100/s. The throttle rate at λ is E[max(N − 100, 0)] / λ with N ~ Poisson(λ) (support/plan-scenarios.ts); the rate
 * where it reaches 1% is the answer the search must bracket, within its tolerance plus the sampling noise of a
 * 300-window simulation (about 1% of λ for one standard deviation: the per-window excess spreads by ~2 requests;
 * the seed is fixed, so the outcome is too).
 */
import { describe, expect, test } from 'vitest';
import { runPlan } from '../src/plan/run-plan.js';
import { poissonScenario, poissonThrottleRate, rateAtThrottle } from './support/plan-scenarios.js';

const QUOTA = 100;
const TARGET = 0.01;
const NOISE = 0.03;

describe('plan --find max-rate on a Poisson fleet against a fixed-window quota', () => {
  test('brackets the rate where E[max(N − Q, 0)] / λ reaches the objective, within the tolerance', async () => {
    const expected = rateAtThrottle(QUOTA, TARGET);
    // The arithmetic itself: near 91/s for Q = 100, and the throttle rate grows through the target there.
    expect(poissonThrottleRate(expected * 0.97, QUOTA)).toBeLessThan(TARGET);
    expect(poissonThrottleRate(expected * 1.03, QUOTA)).toBeGreaterThan(TARGET);
    const plan = await runPlan(
      { text: poissonScenario({ rate: 50, quota: QUOTA, duration: '300s' }), name: 'poisson.yaml' },
      { goal: 'max-rate', fleet: 'web', objectives: [`throttleRate < ${TARGET}`], workers: 2 },
    );
    expect(plan.outcome).toBe('found');
    const answer = plan.answer;
    if (answer?.failingValue === undefined || answer.bracketWidth === undefined) throw new Error('no bracket');
    expect(answer.bracketWidth).toBeLessThanOrEqual(plan.tolerance);
    // The true boundary lies between the answer and the failing probe, up to sampling noise.
    expect(answer.value).toBeLessThanOrEqual(expected * (1 + NOISE));
    expect(answer.failingValue).toBeGreaterThanOrEqual(expected * (1 - NOISE));
    expect(Math.abs(answer.value - expected) / expected).toBeLessThanOrEqual(plan.tolerance + NOISE);
    // Each probe's measured throttle rate is the formula's, within the noise of 300 windows.
    for (const probe of plan.probes) {
      const measured = probe.seeds[0]?.throttleRate ?? NaN;
      expect(Math.abs(measured - poissonThrottleRate(probe.value, QUOTA))).toBeLessThan(0.006 + 0.05 * poissonThrottleRate(probe.value, QUOTA));
    }
    expect(answer.sentence).toMatch(/^web sustains [\d.,]+ req\/s \(fails at [\d.,]+; search step [\d.]+%\) in us-east-1 without retries; above it throttleRate/);
  }, 120_000);

  test('a closed fleet is searched by whole client counts', async () => {
    const text = poissonScenario({ rate: 50, quota: QUOTA, duration: '20s' }).replace(
      'workload: { model: open, arrivalRate: 50, poisson: true, maxInFlight: 100000 }',
      'workload: { model: closed, clients: 4, thinkTime: 100ms }',
    );
    const plan = await runPlan({ text, name: 'closed.yaml' }, { goal: 'max-rate', fleet: 'web', objectives: ['throttleRate < 0.01'], workers: 2 });
    expect(plan.unit).toBe('clients');
    expect(plan.field).toBe('fleets.web.workload.clients');
    expect(plan.probes.every((p) => Number.isInteger(p.value))).toBe(true);
    expect(plan.outcome).toBe('found');
    // ~100 ms per request cycle (think time plus ~2 ms service), so about 10 requests/s per client: the 100/s quota
    // holds a little under 10 clients; the search ends on adjacent counts.
    expect(plan.answer?.value).toBeGreaterThanOrEqual(5);
    expect(plan.answer?.value).toBeLessThanOrEqual(10);
    expect((plan.answer?.failingValue ?? 0) - (plan.answer?.value ?? 0)).toBeLessThanOrEqual(Math.max(1, plan.tolerance * (plan.answer?.value ?? 0)));
  }, 120_000);
});
