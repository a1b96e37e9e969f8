/**
 * Rates, defined once for both clocks. Every per-second timeline counts events by the second they happened in, and
 * those seconds are the quota's one-second windows (the wall engine starts its run on a window boundary; the virtual
 * clock starts at 0). A rate is a count over whole seconds of the run divided by those seconds, so:
 * - goodput is successes over the time they were earned in: a success is counted in the second it finished, which is
 *   never before the second the quota admitted it, so over whole windows goodput cannot exceed what the quota admits;
 * - the drain (requests still in flight at the scheduled end, finishing later) is never spread over the run: its
 *   successes are counted in `succeeded` and `succeededAfterEnd`, not in the rate;
 * - a run shorter than one second has no whole second: its rate is over its measured time and flagged as such.
 */
import type { OperationTimeline } from './wire.js';

/** The seconds a run's rates are taken over. */
export interface RateWindow {
  /** Whole seconds `[0, wholeSeconds)` of the run; 0 when the run was shorter than one second. */
  readonly wholeSeconds: number;
  /** The seconds rates divide by: `wholeSeconds`, or the measured time of a run shorter than one second. */
  readonly seconds: number;
  /** False when the run had no whole second: its rates are over a fraction of one quota window. */
  readonly whole: boolean;
}

/**
 * The rate window of a run measured for `durationSec` (the scheduled length, or what ran of an interrupted run) with
 * timelines of `timelineSeconds` slots, the last of which is the drain. When the work ended before the schedule did
 * (`lastEndSec`: every closed client finished its iterations), the window ends with the whole second the last
 * operation finished in — goodput over the makespan, in whole quota windows so it still never exceeds the quota.
 */
export function rateWindow(durationSec: number, timelineSeconds: number, lastEndSec = Infinity): RateWindow {
  // A float duration a hair under a whole second (59.999999 s of simulated time) is that second.
  const scheduled = Math.floor(durationSec + 1e-9);
  const worked = lastEndSec > 0 && lastEndSec < durationSec ? Math.ceil(lastEndSec - 1e-9) : scheduled;
  const wholeSeconds = Math.max(0, Math.min(scheduled, worked, timelineSeconds - 1));
  return wholeSeconds > 0 ? { wholeSeconds, seconds: wholeSeconds, whole: true } : { wholeSeconds: 0, seconds: durationSec, whole: false };
}

function sumOf(values: readonly number[], from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i] ?? 0;
  return sum;
}

/** Successes per second over the window (all successes of a run without a whole second). */
export function goodputOf(line: OperationTimeline, window: RateWindow): number {
  if (!window.whole) return sumOf(line.succeeded, 0, line.succeeded.length) / window.seconds;
  return sumOf(line.succeeded, 0, window.wholeSeconds) / window.seconds;
}

/** Successes that finished after the window: the drain of requests in flight at the scheduled end. */
export function succeededAfter(line: OperationTimeline, window: RateWindow): number {
  return window.whole ? sumOf(line.succeeded, window.wholeSeconds, line.succeeded.length) : 0;
}

/** Offered operations per second over the window. */
export function offeredRateOf(line: OperationTimeline, window: RateWindow): number {
  if (!window.whole) return sumOf(line.offered, 0, line.offered.length) / window.seconds;
  return sumOf(line.offered, 0, window.wholeSeconds) / window.seconds;
}

/** Operations offered but not yet ended (finished or dropped), in flight or waiting, over the run. */
export interface BacklogSummary {
  /** In flight at the end of the window (the scheduled end). */
  readonly atEnd: number;
  /** How fast the backlog grew over the window's second half, operations per second (negative: it shrank). */
  readonly growthPerSec: number;
  /**
   * True when the backlog grew through the second half of the run by more than {@link GROWING_SHARE} of what was
   * offered then: offered stayed above what finished, so the queue (and every figure extrapolated from the run) is
   * not a steady state. False also when the run is too short to tell (under {@link MIN_SECONDS_TO_JUDGE} s).
   */
  readonly growing: boolean;
}

/** The share of the second half's offered operations the backlog must gain to count as growing. */
export const GROWING_SHARE = 0.05;
/** Whole seconds a run needs before a growing backlog can be told from noise. */
export const MIN_SECONDS_TO_JUDGE = 4;

/** The backlog of a timeline over the window: offered minus ended, second by second. */
export function backlogOf(line: OperationTimeline, window: RateWindow): BacklogSummary {
  const seconds = window.wholeSeconds;
  let backlog = 0;
  let atHalf = 0;
  const half = Math.floor(seconds / 2);
  for (let s = 0; s < seconds; s++) {
    if (s === half) atHalf = backlog;
    backlog += (line.offered[s] ?? 0) - (line.ended[s] ?? 0);
  }
  const halfSeconds = seconds - half;
  const growthPerSec = halfSeconds > 0 ? (backlog - atHalf) / halfSeconds : 0;
  const offeredInHalf = sumOf(line.offered, half, seconds);
  const growing = seconds >= MIN_SECONDS_TO_JUDGE && backlog - atHalf > Math.max(1, GROWING_SHARE * offeredInHalf);
  return { atEnd: backlog, growthPerSec, growing };
}
