/**
 * What {@link runScenario} tells its caller while it works: the run it is about to start, its progress, and why it
 * refused one. The command line turns these into its banner, its progress line and exit code 2.
 */
import type { LiveFigures } from '../engine/live-figures.js';
import type { RunProgress as EngineRunProgress } from '../engine/run.js';
import type { LiveSecondCounts } from '../metrics/live-fields.js';
import type { ClockKind } from '../scenario/types.js';

// The live figures are declared once, where they are counted (metrics/), judged (scenario/) and made (engine/); the
// progress events carry them as they are.
export type { LiveFigures } from '../engine/live-figures.js';
export type { LiveSecondCounts } from '../metrics/live-fields.js';
export type { LiveTotals } from '../scenario/threshold-aborts.js';

/** The run about to start, after every check passed and before any work. */
export interface RunStart {
  /** The scenario's name. */
  readonly scenario: string;
  readonly clock: ClockKind;
  /** The matrix variants, in run order (`default` for a scenario without a matrix). */
  readonly variants: readonly string[];
  /** Worker threads: wall-clock workers sharing each variant, or simulations run in parallel. */
  readonly workers: number;
  /** Seeds per variant (virtual clock); 1 otherwise. */
  readonly repeat: number;
  /** Each variant's duration (simulated time on the virtual clock). */
  readonly durationMs: number;
  /** The report directory, when a report was asked for: the one given, or a fresh sibling of it. */
  readonly reportDir: string | undefined;
  /** What the pre-run estimate wants said: a run that takes long, or offers more than its workers can drive. */
  readonly notes: readonly string[];
}

/** Wall clock: how far the variant being run has got (the engine's progress, with the clock named). */
export interface WallRunProgress extends Omit<EngineRunProgress, 'live'> {
  readonly clock: 'wall';
  /** As the engine's; optional here so progress can be rendered (or replayed) without live figures. */
  readonly live?: LiveFigures;
}

/** One line of `--stream` (and of `onSeconds` in runScenario's options): one fleet in one second of one variant. */
export interface StreamRow extends LiveSecondCounts {
  readonly variant: string;
  /** 0-based second of the run; the drain after the scheduled end is the last, with `drain: true`. */
  readonly second: number;
  readonly drain: boolean;
  readonly fleet: string;
}

/** Virtual clock: how far the simulations (variants × seeds × independent regions) have got. */
export interface VirtualRunProgress {
  readonly clock: 'virtual';
  /** Simulations finished, and in all. */
  readonly done: number;
  readonly total: number;
  /** Simulated seconds reached, summed over every simulation (finished ones count their whole schedule). */
  readonly simulatedSeconds: number;
  /** Simulated seconds scheduled, summed over every simulation (retries may run a little past). */
  readonly plannedSeconds: number;
  /** Simulated seconds per wall second so far, summed over the simulations running in parallel. */
  readonly simulatedPerWallSecond?: number;
  /** The first simulation still running: its variant and live figures. */
  readonly live?: { readonly variant: string; readonly figures: LiveFigures };
}

/** Progress of a run, reported a few times a second. */
export type RunProgress = WallRunProgress | VirtualRunProgress;

/**
 * A run refused before any work: past a budget (requests, wall time, memory, report size), more threads than the
 * machine allows, `repeat` on the wall clock, or a report directory that cannot hold the report. Each refusal states
 * the figure and the setting that lifts it.
 */
export class RunRefusedError extends Error {
  /** One line per reason the run was refused. */
  readonly refusals: readonly string[];
  /** The estimate's notes, which the command line prints after the refusals. */
  readonly notes: readonly string[];

  constructor(refusals: readonly string[], notes: readonly string[] = []) {
    super(refusals.join('\n'));
    this.name = 'RunRefusedError';
    this.refusals = refusals;
    this.notes = notes;
  }
}
