/**
 * `lateness.threshold`: a duration with a unit, more than 0 and at most one quota window, default 10 ms; it reaches
 * the engine's plan of every open fleet. Bad values are rejected with their path.
 */
import { describe, expect, test } from 'vitest';
import { planVariant } from '../src/engine/plan.js';
import { ScenarioError, parseScenarioText, scenarioHash } from '../src/scenario/index.js';
import { LATENESS_DEFAULTS } from '../src/scenario/lateness.js';
import { oneFleetScenario } from './support/scenario-text.js';

const scenario = (lateness: string): string => oneFleetScenario({ name: 'late', duration: '2s', top: lateness });

function problemsOf(text: string): string[] {
  try {
    parseScenarioText(text, 'late.yaml');
  } catch (error) {
    if (error instanceof ScenarioError) return error.lines();
    throw error;
  }
  throw new Error('the scenario was valid');
}

describe('lateness', () => {
  test('absent, it is the documented default, and every open fleet of the plan gets it', () => {
    const parsed = parseScenarioText(scenario(''), 'late.yaml');
    expect(parsed.lateness).toEqual({ thresholdMs: LATENESS_DEFAULTS.thresholdMs });
    expect(LATENESS_DEFAULTS.thresholdMs).toBe(10);
    expect(planVariant('late', parsed).fleets[0]?.workload).toMatchObject({ lateThresholdMs: 10 });
  });

  test.each([
    ['lateness: { threshold: 25ms }', 25],
    ['lateness: { threshold: 0.5s }', 500],
    ['lateness: { threshold: 1s }', 1000],
    ['lateness: {}', 10],
  ])('%s sets %d ms', (text, ms) => {
    const parsed = parseScenarioText(scenario(text), 'late.yaml');
    expect(parsed.lateness.thresholdMs).toBe(ms);
    expect(planVariant('late', parsed).fleets[0]?.workload).toMatchObject({ lateThresholdMs: ms });
  });

  test.each([
    ['lateness: { threshold: 0ms }', /^lateness\.threshold.*must be > 0/],
    ['lateness: { threshold: 2s }', /^lateness\.threshold.*at most 1000ms/],
    ['lateness: { threshold: 10 }', /^lateness\.threshold/],
    ['lateness: { threshold: -5ms }', /^lateness\.threshold/],
    ['lateness: { threshold: soon }', /^lateness\.threshold/],
    ['lateness: { thresholdMs: 10 }', /^lateness.*thresholdMs/],
    ['lateness: 10ms', /^lateness/],
  ])('%s is rejected with its path', (text, message) => {
    const problems = problemsOf(scenario(text));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  test('the threshold is part of the scenario hash: runs with different thresholds are not the same settings', () => {
    const a = parseScenarioText(scenario('lateness: { threshold: 5ms }'), 'a.yaml');
    const b = parseScenarioText(scenario('lateness: { threshold: 50ms }'), 'b.yaml');
    expect(scenarioHash(a)).not.toBe(scenarioHash(b));
  });
});
