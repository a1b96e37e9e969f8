/**
 * Open-model arrival times, after k6's constant- and ramping-arrival-rate executors. The rate is a piecewise-linear
 * function of time (a starting rate, then linear ramps to each stage's target); arrival k happens when the integrated
 * rate reaches k. Poisson arrivals draw exponential gaps in that integrated ("operational") time, which gives a
 * non-homogeneous Poisson process with the same rate curve.
 *
 * Rates in a scenario are global. Worker w of W takes every W-th arrival of the global sequence (deterministic mode),
 * so the workers interleave exactly; in Poisson mode each worker is an independent process at rate/W, whose sum is
 * again Poisson at the full rate.
 */
import { randomExponential, type Random } from '../base/random.js';

export interface RampStage {
  readonly durationMs: number;
  readonly target: number;
}

export interface ArrivalPlan {
  /** Arrivals per second at the start (and throughout, without stages). */
  readonly arrivalRatePerSec: number;
  readonly stages?: readonly RampStage[];
  readonly poisson?: boolean;
  /** The run length; arrivals stop there. After the last stage the rate holds at its target. */
  readonly durationMs: number;
}

interface Segment {
  readonly startMs: number;
  readonly endMs: number;
  readonly rate0: number; // per ms
  readonly rate1: number; // per ms
  readonly countAtStart: number;
}

function segments(plan: ArrivalPlan): Segment[] {
  const out: Segment[] = [];
  let t = 0;
  let rate = plan.arrivalRatePerSec / 1000;
  let count = 0;
  for (const stage of plan.stages ?? []) {
    if (t >= plan.durationMs) break;
    const end = Math.min(t + stage.durationMs, plan.durationMs);
    const target = stage.target / 1000;
    // Clip the ramp at the run's end: the rate there is interpolated.
    const rateAtEnd = stage.durationMs === 0 ? target : rate + ((target - rate) * (end - t)) / stage.durationMs;
    out.push({ startMs: t, endMs: end, rate0: rate, rate1: rateAtEnd, countAtStart: count });
    count += ((rate + rateAtEnd) / 2) * (end - t);
    t = end;
    rate = target;
  }
  if (t < plan.durationMs) out.push({ startMs: t, endMs: plan.durationMs, rate0: rate, rate1: rate, countAtStart: count });
  return out;
}

/** Inverts N(t) = countAtStart + r0·s + (r1 − r0)·s²/(2T) for s within the segment. */
function timeAtCount(segment: Segment, count: number): number {
  const need = count - segment.countAtStart;
  const span = segment.endMs - segment.startMs;
  const slope = span === 0 ? 0 : (segment.rate1 - segment.rate0) / span;
  if (Math.abs(slope) < 1e-15) return segment.startMs + need / segment.rate0;
  // s = (−r0 + √(r0² + 2·slope·need)) / slope, the root inside the segment.
  const disc = segment.rate0 * segment.rate0 + 2 * slope * need;
  return segment.startMs + (-segment.rate0 + Math.sqrt(Math.max(0, disc))) / slope;
}

/** Total expected arrivals over the run (all workers). */
export function expectedArrivals(plan: ArrivalPlan): number {
  const all = segments(plan);
  const last = all[all.length - 1];
  return last === undefined ? 0 : last.countAtStart + ((last.rate0 + last.rate1) / 2) * (last.endMs - last.startMs);
}

/**
 * Yields intended arrival offsets (ms from the run start) for one worker's share, in order, until the run ends.
 * Allocation-free per arrival: the engine pulls one time at a time.
 */
export class ArrivalSchedule {
  readonly #segments: Segment[];
  readonly #worker: number;
  readonly #workers: number;
  readonly #random: Random | undefined;
  #segmentIndex = 0;
  #count: number;
  #index = 0;

  constructor(plan: ArrivalPlan, worker: number, workers: number, random: Random) {
    this.#segments = segments(plan);
    this.#worker = worker;
    this.#workers = workers;
    this.#random = plan.poisson === true ? random : undefined;
    this.#count = 0;
  }

  /** The next intended arrival time in ms from the start, or undefined when the run has no more. */
  next(): number | undefined {
    if (this.#random === undefined) {
      // Deterministic: this worker's arrivals are global arrivals w+1, w+1+W, w+1+2W, ...
      this.#count = this.#index * this.#workers + this.#worker + 1;
    } else {
      // Poisson at rate/W: gaps of mean W in global operational time.
      this.#count += randomExponential(this.#random, this.#workers);
    }
    this.#index++;
    while (this.#segmentIndex < this.#segments.length) {
      const segment = this.#segments[this.#segmentIndex] as Segment;
      const endCount = segment.countAtStart + ((segment.rate0 + segment.rate1) / 2) * (segment.endMs - segment.startMs);
      if (this.#count <= endCount && endCount > segment.countAtStart) return timeAtCount(segment, this.#count);
      this.#segmentIndex++;
    }
    return undefined;
  }
}
