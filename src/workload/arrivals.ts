/**
 * Open-model arrival times, after k6's constant- and ramping-arrival-rate executors. The rate is a piecewise-linear
 * function of time (a starting rate, then linear ramps to each stage's target); arrival k happens when the integrated
 * rate reaches k. Poisson arrivals draw exponential gaps in that integrated ("operational") time, which gives a
 * non-homogeneous Poisson process with the same rate curve.
 *
 * Rates in a scenario are global, and so is the sequence of arrivals: part p of P (a worker thread, a `--shard` of a
 * run on several hosts, or both: see engine/wire.ts `threadPart`) takes global arrivals p+1, p+1+P, p+1+2P, … In
 * Poisson mode the gaps are keyed draws (base/random.ts `keyedUniform`, by arrival number), so every part walks the one
 * global process and takes its own arrivals of it: the parts interleave exactly, whatever their number, and each
 * arrival's number keys the draws of the request made for it.
 */
import { keyedUniform } from '../base/random.js';

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
  readonly #part: number;
  readonly #parts: number;
  /** The keyed stream of Poisson gaps; undefined for evenly spaced arrivals. */
  readonly #gaps: number | undefined;
  #segmentIndex = 0;
  /** Global operational time (expected arrivals) of the arrival last returned. */
  #count = 0;
  /** Global arrivals whose gaps have been drawn (Poisson). */
  #drawn = 0;
  #index = 0;
  /** The global number (1-based) of the arrival last returned by {@link next}: the key of its request's draws. */
  arrival = 0;

  /**
   * @param part this part's index in [0, parts).
   * @param gapStream the keyed stream of Poisson gaps (base/random.ts `streamKey`); read only when `plan.poisson`.
   */
  constructor(plan: ArrivalPlan, part: number, parts: number, gapStream: number) {
    this.#segments = segments(plan);
    this.#part = part;
    this.#parts = parts;
    this.#gaps = plan.poisson === true ? gapStream : undefined;
  }

  /** The next intended arrival time in ms from the start, or undefined when the run has no more. */
  next(): number | undefined {
    // This part's arrivals are global arrivals p+1, p+1+P, p+1+2P, ...
    this.arrival = this.#index * this.#parts + this.#part + 1;
    if (this.#gaps === undefined) {
      this.#count = this.arrival;
    } else {
      // Every part draws every gap of the one global process (an exponential of mean 1 in operational time).
      while (this.#drawn < this.arrival) {
        this.#drawn++;
        this.#count -= Math.log(1 - keyedUniform(this.#gaps, this.#drawn, 0));
      }
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
