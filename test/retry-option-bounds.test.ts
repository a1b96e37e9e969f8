/**
 * Retry values the scenario schema and the retry layer refuse together: more attempts than the layer's cap, a cap on
 * `constant` (which would be ignored), fractional token counts; and a `burstSeconds` problem reported once.
 */
import { describe, expect, test } from 'vitest';
import { MAX_RETRY_ATTEMPTS, createRetryPolicy } from '../src/client/retry-policy.js';
import { validateFleetRetryOptions } from '../src/client/retry-options.js';
import { maxBackoffMs } from '../src/engine/work-estimate.js';
import type { FleetRetry } from '../src/engine/wire.js';
import { ScenarioError, parseScenarioText } from '../src/scenario/index.js';
import { oneFleetScenario } from './support/scenario-text.js';

/** A one-fleet scenario with `retry` and `quotas` lines spliced in. */
function scenario(retry: string, quotas = ''): string {
  return oneFleetScenario({ name: 'bounds', top: quotas, fleet: `    retry: ${retry}` });
}

function problemsOf(text: string): string[] {
  try {
    parseScenarioText(text, 'bounds.yaml');
  } catch (error) {
    if (error instanceof ScenarioError) return error.lines();
    throw error;
  }
  return [];
}

describe('maxAttempts has a cap, one rule for the schema and the layer', () => {
  test.each([1e9, MAX_RETRY_ATTEMPTS + 1, 2 ** 53])('a scenario with maxAttempts %d is refused at the field', (attempts) => {
    const problems = problemsOf(scenario(`{ policy: full-jitter, maxAttempts: ${attempts} }`));
    expect(problems).toEqual([`fleets[0].retry.maxAttempts: must be an integer ≥ 1 and ≤ ${MAX_RETRY_ATTEMPTS}, got ${attempts}`]);
  });

  test('the SDK strategies take the same cap', () => {
    expect(problemsOf(scenario(`{ policy: sdk-standard, maxAttempts: 1000 }`))).toHaveLength(1);
  });

  test('the cap itself is accepted by the schema and the layer', () => {
    expect(problemsOf(scenario(`{ policy: full-jitter, maxAttempts: ${MAX_RETRY_ATTEMPTS} }`))).toEqual([]);
    const options = { policy: 'exponential', baseMs: 100, capMs: 1_000, maxAttempts: MAX_RETRY_ATTEMPTS } as const;
    expect(() => createRetryPolicy(options, () => 0)).not.toThrow();
  });

  test('the layer refuses one attempt more than the cap', () => {
    const options = { policy: 'immediate', maxAttempts: MAX_RETRY_ATTEMPTS + 1 } as const;
    expect(() => createRetryPolicy(options, () => 0)).toThrow(`retry.maxAttempts must be an integer ≥ 1 and ≤ ${MAX_RETRY_ATTEMPTS}`);
  });
});

describe('the longest backoff is summed in closed form past the cap', () => {
  test('a billion attempts (bypassing validation) are summed at once, not one by one', () => {
    const retry = { policy: 'exponential', baseMs: 100, capMs: 1_000, maxAttempts: 1e9 } as FleetRetry;
    const started = performance.now();
    // 100 + 200 + 400 + 800, then every other retry at the cap.
    expect(maxBackoffMs(retry)).toBe(1_500 + (1e9 - 1 - 4) * 1_000);
    expect(performance.now() - started).toBeLessThan(50);
  });

  test.each([
    [{ policy: 'constant', baseMs: 30, maxAttempts: 101 }, 100 * 30],
    [{ policy: 'exponential', baseMs: 0.5, capMs: 0.5, maxAttempts: 4 }, 3 * 0.5],
    [{ policy: 'decorrelated-jitter', baseMs: 100, capMs: 1_000, maxAttempts: 5 }, 100 + 300 + 900 + 1_000],
    [{ policy: 'full-jitter', baseMs: 100, capMs: 100_000, maxAttempts: 3 }, 100 + 200],
  ])('%j backs off at most %d ms', (retry, ms) => {
    expect(maxBackoffMs(retry as FleetRetry)).toBe(ms);
  });
});

describe('values the schema used to refuse are refused again', () => {
  test('constant with a cap is refused rather than the cap ignored', () => {
    expect(problemsOf(scenario(`{ policy: constant, base: 30s, cap: 1s }`))).toEqual([
      'fleets[0].retry.cap: is not taken by policy constant, which waits base before every retry (got cap 1000 ms); remove cap, or use exponential for a capped backoff',
    ]);
    const layer = validateFleetRetryOptions({ policy: 'constant', baseMs: 30_000, capMs: 1_000, maxAttempts: 3 });
    expect(layer.map((issue) => issue.path)).toEqual(['retry.cap']);
  });

  test('constant without a cap and exponential without one (the default) are accepted', () => {
    expect(problemsOf(scenario(`{ policy: constant, base: 30s }`))).toEqual([]);
    expect(problemsOf(scenario(`{ policy: exponential, base: 100ms }`))).toEqual([]);
  });

  test.each([
    ['capacity: 2.5', 'fleets[0].retry.tokenBudget.capacity: must be a positive integer, got 2.5'],
    ['retryCost: 0.5', 'fleets[0].retry.tokenBudget.retryCost: must be a non-negative integer, got 0.5'],
    ['timeoutCost: 1.5', 'fleets[0].retry.tokenBudget.timeoutCost: must be a non-negative integer, got 1.5'],
    ['successRefund: 0.1', 'fleets[0].retry.tokenBudget.successRefund: must be a non-negative integer, got 0.1'],
  ])('a token budget with %s is refused', (field, line) => {
    expect(problemsOf(scenario(`{ policy: immediate, maxAttempts: 3, tokenBudget: { ${field} } }`))).toEqual([line]);
  });

  test('burstSeconds: 0 without a token bucket is one problem at the field', () => {
    const problems = problemsOf(scenario('exponential', 'quotas: { burstSeconds: 0 }'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^quotas\.burstSeconds: must be a positive, finite number of seconds/);
  });

  test('a valid burstSeconds without a token bucket still says it needs one', () => {
    expect(problemsOf(scenario('exponential', 'quotas: { burstSeconds: 2 }'))).toEqual(['quotas.burstSeconds: applies only to enforcement: token-bucket']);
  });
});
