/**
 * The layout of the live figures a worker (or simulation) publishes while it runs: one row of counts per fleet per
 * second, and one row of running totals per fleet. Rows are slices of a Float64Array so a worker can write them into
 * shared memory with plain stores, and the main thread can add rows from several workers without allocating.
 * The recorder fills them (MetricsRecorder.addFleetSecond / addFleetTotals); the engine moves them between threads.
 */

/** One fleet's counts in one second of the run (the second an event happened in, as the timelines count it). */
export const SECOND_FIELD = {
  /** Operations due to start in the second. */
  offered: 0,
  /** Operations that finished successfully in the second: that second's goodput. */
  succeeded: 1,
  /** Attempts the quota admitted that succeeded. */
  admitted: 2,
  /** Attempts answered with ThrottlingException. */
  throttled: 3,
  /** Attempts that ended with another error. */
  errors: 4,
  /** Attempts after the first, counted in the second their operation finished (as `retries` is counted). */
  retries: 5,
  /** Operations that finished (succeeded or failed) or were dropped in the second. */
  ended: 6,
  /** Operations a policy refused (AccessDeniedException), counted in the second they finished. */
  denied: 7,
} as const;

/** Numbers in one second row. */
export const SECOND_FIELDS = Object.keys(SECOND_FIELD).length;

/** One fleet's totals so far. */
export const TOTAL_FIELD = {
  offered: 0,
  attempts: 1,
  throttled: 2,
  succeeded: 3,
  /** Operations that finished, succeeded or failed. */
  completed: 4,
  dropped: 5,
  retries: 6,
  /** Operations a policy refused. */
  denied: 7,
} as const;

/** Numbers in one totals row. */
export const TOTAL_FIELDS = Object.keys(TOTAL_FIELD).length;

/**
 * One fleet's counts in one second of a run, read out of a row; also every fleet's added up (the live figures), and
 * what a `--stream` row carries.
 */
export interface LiveSecondCounts {
  /** Operations due to start in the second. */
  readonly offered: number;
  /** Operations that succeeded in the second: its goodput. */
  readonly succeeded: number;
  /** Attempts the quota admitted that succeeded. */
  readonly admitted: number;
  /** Attempts answered with ThrottlingException. */
  readonly throttled: number;
  /** Attempts that ended in another error. */
  readonly errors: number;
  /** Attempts after the first, counted in the second their operation finished. */
  readonly retries: number;
  /** Operations that finished or were dropped in the second. */
  readonly ended: number;
  /** Operations a policy refused in the second (also counted in `errors` as attempts). */
  readonly denied: number;
}

/** Reads a second row (not for the hot path: it allocates the object). */
export function readSecondRow(row: ArrayLike<number>, offset = 0): LiveSecondCounts {
  const at = (field: number): number => row[offset + field] ?? 0;
  return {
    offered: at(SECOND_FIELD.offered),
    succeeded: at(SECOND_FIELD.succeeded),
    admitted: at(SECOND_FIELD.admitted),
    throttled: at(SECOND_FIELD.throttled),
    errors: at(SECOND_FIELD.errors),
    retries: at(SECOND_FIELD.retries),
    ended: at(SECOND_FIELD.ended),
    denied: at(SECOND_FIELD.denied),
  };
}
