/**
 * A plan's objectives: what every probe must meet. Each is one threshold written as `metric expression`
 * (`throttleRate < 0.01`, `latencyUs.p99 < 50000`, `fleets.web.latencyUs p99 < 50ms`), in the grammar scenario
 * thresholds use (src/scenario/threshold-grammar.ts), so a condition means the same in `run` and in `plan`. Without
 * any, the scenario's own `thresholds` are the objectives.
 */
import { evaluateThresholds } from '../report/thresholds.js';
import type { ThresholdOutcome, VariantResult } from '../report/result-types.js';
import { ALL_MIX_OPERATIONS } from '../scenario/schema-workload.js';
import { thresholdProblems } from '../scenario/threshold-grammar.js';
import type { Scenario } from '../scenario/types.js';
import { PlanInputError } from './plan-errors.js';

/** Objectives keyed as scenario thresholds are: metric key → expressions. */
export type Objectives = Readonly<Record<string, readonly string[]>>;

/** `throttleRate < 0.01` → key `throttleRate`, expression `< 0.01`; the key ends where the condition starts. */
const OBJECTIVE = /^\s*([^\s<>=!{]+(?:\{[^}]*\})?)\s*(.*)$/s;

/**
 * Parses `--objective` strings (or, without any, takes the scenario's thresholds) and checks every one against the
 * scenario: metric names, fleet and operation names, units.
 * @throws PlanInputError naming every bad objective, or saying there is none.
 */
export function resolveObjectives(written: readonly string[], scenario: Scenario): Objectives {
  if (written.length === 0) {
    if (Object.keys(scenario.thresholds).length > 0) return scenario.thresholds;
    throw new PlanInputError([
      "no objectives: give at least one --objective (e.g. --objective 'throttleRate < 0.01'), or thresholds in the scenario",
    ]);
  }
  const objectives: Record<string, string[]> = {};
  const texts: Record<string, string[]> = {};
  const problems: string[] = [];
  for (const text of written) {
    const match = OBJECTIVE.exec(text);
    const key = match?.[1] ?? '';
    const expression = match?.[2] ?? '';
    if (key === '' || expression === '') {
      problems.push(`--objective ${JSON.stringify(text)}: expected a metric and a condition, e.g. 'throttleRate < 0.01' or 'latencyUs.p99 < 50ms'`);
      continue;
    }
    (objectives[key] ??= []).push(expression);
    (texts[key] ??= []).push(text.trim());
  }
  const fleets = new Map(scenario.fleets.map((fleet) => [fleet.name, fleet.mix.map((entry) => entry.op as string)]));
  for (const problem of thresholdProblems(objectives, { fleets, operations: ALL_MIX_OPERATIONS, axes: [] })) {
    // A problem with a key is every objective written with it; one with an expression is that objective alone.
    const [key, index] = problem.segments;
    const named = texts[String(key)] ?? [String(key)];
    const which = typeof index === 'number' ? [named[index] ?? String(key)] : named;
    for (const text of which) problems.push(`--objective ${JSON.stringify(text)}: ${problem.message}`);
  }
  if (problems.length > 0) throw new PlanInputError(problems);
  return objectives;
}

/** The objectives as one readable line each: `throttleRate < 0.01`. */
export function objectiveLines(objectives: Objectives): string[] {
  return Object.entries(objectives).flatMap(([key, expressions]) => expressions.map((expression) => `${key} ${expression}`));
}

/** Evaluates the objectives on one probe's run (one seed): every outcome, ok or not. */
export function evaluateObjectives(objectives: Objectives, variant: VariantResult): ThresholdOutcome[] {
  return evaluateThresholds(objectives, [variant]);
}
