/** What a search needs besides its question and probe context: the plan's settings, and the step callback. */
import type { PlanGoal, PlanResult } from './plan-types.js';
import type { BatchTiming } from './probe-run.js';

/** A step about to run, for progress output. */
export interface PlanStep {
  readonly step: number;
  /** The values it probes, as text (`8,400 req/s`, a cache setting). */
  readonly values: readonly string[];
  readonly seeds: number;
  /** Where the search stands, in words (`bracket 8,000–8,800 req/s`). */
  readonly where: string;
}

/** The plan's settings every search reads. */
export interface SearchSettings {
  readonly goal: PlanGoal;
  readonly scenario: PlanResult['scenario'];
  readonly objectives: readonly string[];
  readonly tolerance: number;
  readonly seeds: readonly number[];
  readonly simulatedSecondsPerProbe: number;
  readonly growth: number;
  readonly workers: number;
  /** Values per step of a numeric search (≥ 2), independent of `workers`. */
  readonly pointsPerStep: number;
  /** The searched fleet's retry policy name, for the answer's sentence. */
  readonly retryPolicy: string | undefined;
  readonly onStep?: (step: PlanStep) => void;
  /** Each batch's timing is appended here. */
  readonly timings: BatchTiming[];
}

/** What a search returns: the plan result without its schema header and environment. */
export type SearchBody = Omit<PlanResult, 'schema' | 'schemaVersion' | 'environment'>;

/** The fields of {@link SearchBody} every search copies from its settings. */
export function settingsFields(settings: SearchSettings): Pick<SearchBody, 'goal' | 'scenario' | 'objectives' | 'tolerance' | 'seeds' | 'simulatedSecondsPerProbe' | 'growth'> {
  return {
    goal: settings.goal,
    scenario: settings.scenario,
    objectives: settings.objectives,
    tolerance: settings.tolerance,
    seeds: settings.seeds,
    simulatedSecondsPerProbe: settings.simulatedSecondsPerProbe,
    growth: settings.growth,
  };
}
