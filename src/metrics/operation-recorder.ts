/**
 * The recorder of one (fleet, operation): the {@link MetricsHandle} the engine resolves up front and records through on
 * the hot path. Counters are plain number fields, latency and start delay go into HdrHistograms, and the offered,
 * succeeded and ended counts into per-second timelines; attempts count into the fleet's shared bucket lines
 * (fleet-lines.ts). Nothing allocates per request once a bucket or error name has been seen.
 */
import { clampLatencyUs, createRecordingHistogram, createStartDelayHistogram, encodeHistogram } from './histogram.js';
import { LATENCY_SIGNIFICANT_DIGITS, START_DELAY_SIGNIFICANT_DIGITS } from './histogram.js';
import { LatencyCounts } from './latency-counts.js';
import { ATTEMPTS_DISTRIBUTION_SLOTS, DENIED_ERROR } from './wire.js';
import type { OperationCounters, WireOperationMetrics } from './wire.js';
import type { BucketLine, FleetLines } from './fleet-lines.js';
import { SecondCounts } from './second-counts.js';
import { SECOND_FIELD, TOTAL_FIELD } from './live-fields.js';
import { NS_PER_SEC } from '../base/time.js';

/**
 * How one attempt ended: `admitted` — it succeeded (so the quota admitted it); `throttled` — the quota rejected it;
 * `error` — any other error. An attempt that passed the quota and then failed (a bad ciphertext) is an `error`, so
 * `admitted` attempts equal succeeded operations and the timelines never overstate what the quota let through.
 */
export type AttemptOutcomeKind = 'admitted' | 'throttled' | 'error';

/**
 * Records the metrics of one (fleet, operation). Resolve it once with `MetricsRecorder.handle` (recorder.ts); every method
 * is allocation-free once a bucket or error name has been seen.
 */
export interface MetricsHandle {
  readonly fleet: string;
  readonly operation: string;
  /** A logical operation was due to start at clock time `atNs`. */
  offered(atNs: number): void;
  /**
   * An open workload's logical operation started `delayUs` after its intended start (0 when on time); `late` when that
   * is past the run's lateness threshold (the caller's to decide: see fleet-runner.ts). Counted in addition to
   * `offered`; a dropped operation never started and is not reported here.
   */
  started(delayUs: number, late: boolean): void;
  /** A logical operation was never started (count it in addition to `offered`, at the same time). */
  dropped(): void;
  /**
   * One attempt (first try or retry) ended with `outcome` at clock time `atNs`, against quota `bucket`. Admitted and
   * throttled attempts go on the bucket's per-second timeline; other errors only into the counters.
   */
  attempt(bucket: string, outcome: AttemptOutcomeKind, atNs: number): void;
  /**
   * A logical operation finished after `attempts` attempts, successfully or with final error `errorName`.
   * `latencyUs` runs from the operation's *intended* start (so a late start counts against latency) to its end.
   * Retries are counted from `attempts` (attempts − 1). `atNs` is the clock time it finished at.
   */
  completed(ok: boolean, errorName: string | undefined, latencyUs: number, attempts: number, atNs: number): void;
  /** The counters so far (a fresh object: not for the hot path). */
  counters(): OperationCounters;
}

/** The {@link MetricsHandle} of one (fleet, operation), with what the recorder reads back out of it. */
export class OperationRecorder implements MetricsHandle {
  readonly fleet: string;
  readonly operation: string;
  readonly #lines: FleetLines;
  readonly #latencyUs: LatencyCounts;
  readonly #startDelayUs: LatencyCounts;
  readonly #attemptsDistribution = new Float64Array(ATTEMPTS_DISTRIBUTION_SLOTS);
  readonly #failed = new Map<string, number>();
  readonly #offeredLine: SecondCounts;
  readonly #succeededLine: SecondCounts;
  readonly #endedLine: SecondCounts;
  /** The timeline slot of the latest offer: a drop happens at the time of its offer. */
  #offerSlot = 0;
  /** Clock time of the latest completion (the makespan's end); -Infinity before the first. */
  #lastEndNs = -Infinity;
  // The last bucket seen: an operation nearly always draws from one bucket, so this skips the map lookup.
  #lastBucket: string | undefined;
  #lastLine: BucketLine | undefined;
  #offered = 0;
  #late = 0;
  #dropped = 0;
  #attempts = 0;
  #admitted = 0;
  #throttled = 0;
  #errors = 0;
  #completed = 0;
  #succeeded = 0;
  #retries = 0;
  #denied = 0;

  constructor(fleet: string, operation: string, lines: FleetLines) {
    this.fleet = fleet;
    this.operation = operation;
    this.#lines = lines;
    this.#latencyUs = new LatencyCounts(createRecordingHistogram(), LATENCY_SIGNIFICANT_DIGITS);
    this.#startDelayUs = new LatencyCounts(createStartDelayHistogram(32), START_DELAY_SIGNIFICANT_DIGITS);
    this.#offeredLine = new SecondCounts(lines.seconds);
    this.#succeededLine = new SecondCounts(lines.seconds);
    this.#endedLine = new SecondCounts(lines.seconds);
  }

  offered(atNs: number): void {
    this.#offered++;
    const slot = this.#lines.slot(atNs);
    this.#offerSlot = slot;
    this.#offeredLine.add(slot);
  }

  started(delayUs: number, late: boolean): void {
    if (late) this.#late++;
    this.#startDelayUs.record(clampLatencyUs(delayUs));
  }

  dropped(): void {
    this.#dropped++;
    this.#endedLine.add(this.#offerSlot);
  }

  attempt(bucket: string, outcome: AttemptOutcomeKind, atNs: number): void {
    this.#attempts++;
    if (outcome === 'error') {
      this.#errors++;
      this.#lines.errors.add(this.#lines.slot(atNs));
      return;
    }
    let line = this.#lastLine;
    if (line === undefined || this.#lastBucket !== bucket) {
      line = this.#lines.line(bucket);
      this.#lastBucket = bucket;
      this.#lastLine = line;
    }
    const slot = this.#lines.slot(atNs);
    if (outcome === 'admitted') {
      this.#admitted++;
      line.admitted.add(slot);
    } else {
      this.#throttled++;
      line.throttled.add(slot);
    }
  }

  completed(ok: boolean, errorName: string | undefined, latencyUs: number, attempts: number, atNs: number): void {
    this.#completed++;
    if (atNs > this.#lastEndNs) this.#lastEndNs = atNs;
    const slot = this.#lines.slot(atNs);
    this.#endedLine.add(slot);
    if (ok) {
      this.#succeeded++;
      this.#succeededLine.add(slot);
    } else {
      const name = errorName ?? 'UnknownError';
      this.#failed.set(name, (this.#failed.get(name) ?? 0) + 1);
      if (name === DENIED_ERROR) {
        this.#denied++;
        this.#lines.denied.add(slot);
      }
    }
    if (attempts > 1) {
      this.#retries += attempts - 1;
      // Retried operations only, and a handful of attempts each: no cost to the common path.
      for (let retry = 1; retry < attempts; retry++) this.#lines.retries.add(slot);
    }
    const tries = attempts >= ATTEMPTS_DISTRIBUTION_SLOTS ? ATTEMPTS_DISTRIBUTION_SLOTS - 1 : attempts > 0 ? attempts : 0;
    this.#attemptsDistribution[tries]!++;
    this.#latencyUs.record(clampLatencyUs(latencyUs));
  }

  counters(): OperationCounters {
    return {
      offered: this.#offered,
      late: this.#late,
      dropped: this.#dropped,
      attempts: this.#attempts,
      admitted: this.#admitted,
      throttled: this.#throttled,
      errors: this.#errors,
      completed: this.#completed,
      succeeded: this.#succeeded,
      retries: this.#retries,
      denied: this.#denied,
    };
  }

  /** Adds this operation's counts in timeline slot `slot` into a second row (live-fields.ts) at `offset`. */
  addSecond(slot: number, out: Float64Array, offset: number): void {
    out[offset + SECOND_FIELD.offered]! += this.#offeredLine.at(slot);
    out[offset + SECOND_FIELD.succeeded]! += this.#succeededLine.at(slot);
    out[offset + SECOND_FIELD.ended]! += this.#endedLine.at(slot);
  }

  /** Adds this operation's counters into a totals row (live-fields.ts) at `offset`, without allocating. */
  addTotals(out: Float64Array, offset: number): void {
    out[offset + TOTAL_FIELD.offered]! += this.#offered;
    out[offset + TOTAL_FIELD.attempts]! += this.#attempts;
    out[offset + TOTAL_FIELD.throttled]! += this.#throttled;
    out[offset + TOTAL_FIELD.succeeded]! += this.#succeeded;
    out[offset + TOTAL_FIELD.completed]! += this.#completed;
    out[offset + TOTAL_FIELD.dropped]! += this.#dropped;
    out[offset + TOTAL_FIELD.retries]! += this.#retries;
    out[offset + TOTAL_FIELD.denied]! += this.#denied;
  }

  /** Seconds up to the last one this operation counted anything in. */
  get usedSeconds(): number {
    return Math.max(this.#offeredLine.used, this.#succeededLine.used, this.#endedLine.used);
  }

  /** This operation's metrics as wire data, with timelines `seconds` long. */
  toWire(seconds: number): WireOperationMetrics {
    let length = this.#attemptsDistribution.length;
    while (length > 0 && this.#attemptsDistribution[length - 1] === 0) length--;
    return {
      fleet: this.fleet,
      operation: this.operation,
      counters: this.counters(),
      failed: Object.fromEntries(this.#failed),
      attemptsDistribution: Array.from(this.#attemptsDistribution.subarray(0, length)),
      latencyUs: encodeHistogram(this.#latencyUs.flush()),
      startDelayUs: encodeHistogram(this.#startDelayUs.flush()),
      timeline: { offered: this.#offeredLine.toArray(seconds), succeeded: this.#succeededLine.toArray(seconds), ended: this.#endedLine.toArray(seconds) },
      lastEndSec: this.#completed === 0 ? 0 : Math.max(0, (this.#lastEndNs - this.#lines.startNs) / NS_PER_SEC),
    };
  }
}
