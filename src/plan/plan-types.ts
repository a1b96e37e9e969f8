/**
 * The shape of `plan.json` (schema `kms-bench/plan`): the question, every probe with its metrics per seed, the answer
 * and how sure it is. No code, so the search, the writers and the command line share it without importing each other.
 */
import type { ThresholdOutcome } from '../report/result-types.js';

/** The `schema` every plan.json carries. */
export const PLAN_SCHEMA = 'kms-bench/plan';
/** The version of the shape below. */
export const PLAN_SCHEMA_VERSION = 1;

/** What a plan looks for. */
export type PlanGoal = 'max-rate' | 'quota' | 'cache';

/** The data-key cache settings one cache probe ran. */
export interface CacheSetting {
  readonly maxMessagesEncrypted: number;
  readonly maxAgeMs: number;
  readonly capacity: number;
}

/** What one seed of one probe measured (of the searched fleet, or of every fleet for a quota search). */
export interface SeedMeasure {
  readonly seed: number;
  /** Whether every objective held for this seed. */
  readonly ok: boolean;
  readonly offeredPerSec: number;
  readonly goodputPerSec: number;
  readonly throttleRate: number;
  readonly latencyP50Us: number;
  readonly latencyP99Us: number;
  /** KMS calls per simulated second (retries included). */
  readonly kmsCallsPerSec: number;
  /** The monthly cost estimate, or null when the run could not support one. */
  readonly costUsdPerMonth: number | null;
  /** Data-key exposure, for fleets with envelope operations: the most messages one key sealed, its oldest age. */
  readonly messagesPerKeyMax?: number | null;
  readonly maxKeyAgeMs?: number | null;
  /** Every objective's outcome for this seed. */
  readonly objectives: readonly ThresholdOutcome[];
}

/** One point of the search: a value of the searched field, run with every seed. */
export interface Probe {
  /** The searched value: requests per second, clients, a quota; for `cache`, the index of its setting. */
  readonly value: number;
  /** The cache settings it ran (cache plans only). */
  readonly cache?: CacheSetting;
  /** The search step that ran it (1-based). */
  readonly step: number;
  /** Whether every objective held for every seed. */
  readonly ok: boolean;
  /** Set when its step ended the search (did not complete, harness-limited): why its figures may not be trusted. */
  readonly untrusted?: string;
  readonly seeds: readonly SeedMeasure[];
}

/** The answer, when the search found one. */
export interface PlanAnswer {
  /** The searched value found: the highest passing rate, the lowest passing quota, the chosen cache setting's index. */
  readonly value: number;
  readonly cache?: CacheSetting;
  /**
   * The nearest failing probe on the other side (max-rate, quota), so the boundary lies between `value` and it; absent
   * when the search never found a failing value inside the bounds (then `limitedBy` says so).
   */
  readonly failingValue?: number;
  /**
   * (failingValue − value) / value as a fraction: the search step. For the seeds probed the boundary lies between
   * `value` and `failingValue`; one seed's sampling noise is not in it (see `seedSpread`).
   */
  readonly bracketWidth?: number;
  /** With several seeds: the lowest and highest answer each seed alone would give, a measure of sampling noise. */
  readonly seedSpread?: { readonly min: number; readonly max: number };
  /** The line printed under the sentence: how much of the answer's precision the search step does not cover. */
  readonly noise?: string;
  /** Set when the answer is a bound of the search space rather than a boundary found inside it. */
  readonly limitedBy?: 'upper-bound' | 'lower-bound';
  /** The sentence the terminal prints first. */
  readonly sentence: string;
}

/** A plan's record: `plan.json`. */
export interface PlanResult {
  readonly schema: typeof PLAN_SCHEMA;
  readonly schemaVersion: typeof PLAN_SCHEMA_VERSION;
  /** `completed`: the search ended by its own rule; `incomplete`: interrupted or stopped by an untrusted probe. */
  readonly state: 'completed' | 'incomplete';
  readonly reason?: string;
  /** `found` (an answer), `none` (no probe met the objectives: `best` is the closest), or `stopped`. */
  readonly outcome: 'found' | 'none' | 'stopped';
  readonly goal: PlanGoal;
  readonly scenario: { readonly name: string; readonly hash: string; readonly file?: string };
  /** The fleet searched (max-rate, cache), or the bucket (`us-east-1/symmetric`) for a quota search. */
  readonly target: string;
  /** The field a probe sets (`fleets.web.workload.arrivalRate`), or the cache field for `cache`. */
  readonly field: string;
  /** `req/s`, `clients`, `req/s quota`, or `setting` for a cache search. */
  readonly unit: string;
  readonly objectives: readonly string[];
  readonly tolerance: number;
  /** Values probed per search step (max-rate, quota): fixed, so a seed gives the same plan on any machine. */
  readonly pointsPerStep?: number;
  readonly seeds: readonly number[];
  readonly simulatedSecondsPerProbe: number;
  /** Load scaling applied before a quota search (`--growth`), 1 when none. */
  readonly growth: number;
  readonly bounds: { readonly min: number; readonly max: number };
  readonly probes: readonly Probe[];
  readonly answer?: PlanAnswer;
  /** When no probe passed: the one closest to passing (fewest failed objective outcomes, then its value). */
  readonly best?: Probe;
  /** Cache plans: the probes on the Pareto front of KMS calls against data-key exposure. */
  readonly paretoValues?: readonly number[];
  /** Things a reader must know: a non-monotone curve, a bound that limited the answer. */
  readonly notes: readonly string[];
  readonly environment: {
    readonly workers: number;
    readonly wallSeconds: number;
    readonly startedAt: string;
    readonly tool: string;
    /** Per search step: its wall time and its simulations' wall time added up (one core's worth of work). */
    readonly steps: readonly { readonly wallSeconds: number; readonly simulationWallSeconds: number }[];
  };
}
