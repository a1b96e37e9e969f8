/**
 * The per-worker metrics recorder. The engine resolves one {@link MetricsHandle} per (fleet, operation) up front and
 * records through it on the hot path: counters are plain number fields, latency goes into an HdrHistogram, attempts
 * into per-second timelines that grow in chunks as time reaches new seconds (second-counts.ts), up to the planned
 * length. Nothing allocates per request, and a stopped run's timelines hold the seconds it ran, not those it planned.
 */
import { clampLatencyUs, createRecordingHistogram, createStartDelayHistogram, encodeHistogram } from './histogram.js';
import { LATENCY_SIGNIFICANT_DIGITS, START_DELAY_SIGNIFICANT_DIGITS } from './histogram.js';
import { LatencyCounts } from './latency-counts.js';
import { ATTEMPTS_DISTRIBUTION_SLOTS, METRICS_WIRE_VERSION } from './wire.js';
import type { OperationCounters, WireBucketTimeline, WireCacheMetrics, WireOperationMetrics, WorkerMetrics } from './wire.js';
import { addCacheStats, emptyCacheStats, type CacheStats } from './cache-stats.js';
import { SecondCounts } from './second-counts.js';
import { SECOND_FIELD, TOTAL_FIELD } from './live-fields.js';
import { NS_PER_SEC } from '../base/time.js';


/** Options of a {@link MetricsRecorder}. */
export interface MetricsRecorderOptions {
  /** Clock time (ns, from the run's `Clock.nowNs()`) of second 0 of the timelines. */
  readonly startNs: number;
  /**
   * Timeline length in seconds of a run that completes: its duration, rounded up, and a last slot for the drain after
   * it. Memory is taken as time reaches each second, so this bounds the timelines rather than sizing them.
   */
  readonly timelineSeconds: number;
}

/** Options of {@link MetricsRecorder.toWire}. */
export interface ToWireOptions {
  /**
   * The run stopped early, at clock time `untilNs`: its timelines end at the later of that second and the last second
   * anything was counted in, instead of running to `timelineSeconds` (whose last slot, the drain, it never reached).
   */
  readonly untilNs?: number;
}

/**
 * How one attempt ended: `admitted` — it succeeded (so the quota admitted it); `throttled` — the quota rejected it;
 * `error` — any other error. An attempt that passed the quota and then failed (a bad ciphertext) is an `error`, so
 * `admitted` attempts equal succeeded operations and the timelines never overstate what the quota let through.
 */
export type AttemptOutcomeKind = 'admitted' | 'throttled' | 'error';

/** Per-second admitted and throttled attempt counts of one fleet on one quota bucket. */
class BucketLine {
  readonly admitted: SecondCounts;
  readonly throttled: SecondCounts;

  constructor(seconds: number) {
    this.admitted = new SecondCounts(seconds);
    this.throttled = new SecondCounts(seconds);
  }
}

/** What the handles of one fleet share: its bucket lines and the timeline geometry. */
class FleetLines {
  readonly lines = new Map<string, BucketLine>();
  readonly startNs: number;
  readonly seconds: number;
  /** Per second, attempts that ended in an error other than a throttle, and retries (for the live view only). */
  readonly errors: SecondCounts;
  readonly retries: SecondCounts;

  constructor(startNs: number, seconds: number) {
    this.startNs = startNs;
    this.seconds = seconds;
    this.errors = new SecondCounts(seconds);
    this.retries = new SecondCounts(seconds);
  }

  line(bucket: string): BucketLine {
    let line = this.lines.get(bucket);
    if (line === undefined) {
      line = new BucketLine(this.seconds);
      this.lines.set(bucket, line);
    }
    return line;
  }

  /** The timeline slot of a time: before the start → 0, at or after the end → the last slot. */
  slot(atNs: number): number {
    const second = Math.floor((atNs - this.startNs) / NS_PER_SEC);
    if (!(second > 0)) return 0;
    return second >= this.seconds ? this.seconds - 1 : second;
  }
}

/**
 * Records the metrics of one (fleet, operation). Resolve it once with {@link MetricsRecorder.handle}; every method is
 * allocation-free once a bucket or error name has been seen.
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

class OperationRecorder implements MetricsHandle {
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
  }

  /** Seconds up to the last one this operation counted anything in. */
  get usedSeconds(): number {
    return Math.max(this.#offeredLine.used, this.#succeededLine.used, this.#endedLine.used);
  }

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

/** Thrown for invalid recorder options, naming the option. */
export class MetricsOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricsOptionsError';
  }
}

/** One worker's metrics: create one per worker (or simulation), record through handles, return {@link toWire}. */
export class MetricsRecorder {
  readonly startNs: number;
  readonly timelineSeconds: number;
  readonly #fleets = new Map<string, FleetLines>();
  readonly #handles = new Map<string, Map<string, OperationRecorder>>();
  readonly #order: OperationRecorder[] = [];
  readonly #caches = new Map<string, WireCacheMetrics>();

  constructor(options: MetricsRecorderOptions) {
    if (typeof options.startNs !== 'number' || !Number.isFinite(options.startNs)) {
      throw new MetricsOptionsError(`metrics.startNs must be a finite number, got ${String(options.startNs)}`);
    }
    if (!Number.isInteger(options.timelineSeconds) || options.timelineSeconds < 1) {
      throw new MetricsOptionsError(`metrics.timelineSeconds must be an integer ≥ 1, got ${String(options.timelineSeconds)}`);
    }
    this.startNs = options.startNs;
    this.timelineSeconds = options.timelineSeconds;
  }

  /** The handle of (fleet, operation), created on first use; resolve it once, outside the hot path. */
  handle(fleet: string, operation: string): MetricsHandle {
    let byOperation = this.#handles.get(fleet);
    if (byOperation === undefined) {
      byOperation = new Map();
      this.#handles.set(fleet, byOperation);
    }
    let handle = byOperation.get(operation);
    if (handle === undefined) {
      let lines = this.#fleets.get(fleet);
      if (lines === undefined) {
        lines = new FleetLines(this.startNs, this.timelineSeconds);
        this.#fleets.set(fleet, lines);
      }
      handle = new OperationRecorder(fleet, operation, lines);
      byOperation.set(operation, handle);
      this.#order.push(handle);
    }
    return handle;
  }

  /** Adds a fleet's data-key cache counters (once per client, at the end of the run). */
  cache(fleet: string, cached: boolean, stats: CacheStats): void {
    let entry = this.#caches.get(fleet);
    if (entry === undefined) {
      entry = { fleet, cached, stats: emptyCacheStats() };
      this.#caches.set(fleet, entry);
    }
    entry.cached ||= cached;
    addCacheStats(entry.stats, stats);
  }

  /**
   * Everything recorded so far, as plain structured-cloneable data. The recorder stays usable. Timelines are
   * `timelineSeconds` long, or, with `untilNs` (a stopped run), as long as what ran.
   */
  toWire(options: ToWireOptions = {}): WorkerMetrics {
    const seconds = options.untilNs === undefined ? this.timelineSeconds : this.#secondsUntil(options.untilNs);
    const timelines: WireBucketTimeline[] = [];
    for (const [fleet, lines] of this.#fleets) {
      for (const [bucket, line] of lines.lines) {
        timelines.push({ fleet, bucket, admitted: line.admitted.toArray(seconds), throttled: line.throttled.toArray(seconds) });
      }
    }
    return {
      version: METRICS_WIRE_VERSION,
      startNs: this.startNs,
      timelineSeconds: seconds,
      operations: this.#order.map((handle) => handle.toWire(seconds)),
      timelines,
      ...(this.#caches.size === 0 ? {} : { caches: [...this.#caches.values()].map((c) => structuredClone(c)) }),
    };
  }

  /**
   * Adds fleet `fleet`'s counts in timeline slot `slot` into a second row (live-fields.ts) of `out` at `offset`: the
   * live view and `--stream` read one finished second at a time, a few times a second, never per request.
   */
  addFleetSecond(fleet: string, slot: number, out: Float64Array, offset: number): void {
    const lines = this.#fleets.get(fleet);
    if (lines === undefined) return;
    for (const handle of this.#handles.get(fleet)?.values() ?? []) handle.addSecond(slot, out, offset);
    for (const line of lines.lines.values()) {
      out[offset + SECOND_FIELD.admitted]! += line.admitted.at(slot);
      out[offset + SECOND_FIELD.throttled]! += line.throttled.at(slot);
    }
    out[offset + SECOND_FIELD.errors]! += lines.errors.at(slot);
    out[offset + SECOND_FIELD.retries]! += lines.retries.at(slot);
  }

  /** Adds fleet `fleet`'s counters so far into a totals row (live-fields.ts) of `out` at `offset`. */
  addFleetTotals(fleet: string, out: Float64Array, offset: number): void {
    for (const handle of this.#handles.get(fleet)?.values() ?? []) handle.addTotals(out, offset);
  }

  /** Timeline length of a run stopped at `untilNs`: through that second and every second counted in, at most the plan. */
  #secondsUntil(untilNs: number): number {
    let used = Math.floor((untilNs - this.startNs) / NS_PER_SEC) + 1;
    for (const handle of this.#order) used = Math.max(used, handle.usedSeconds);
    for (const lines of this.#fleets.values()) {
      for (const line of lines.lines.values()) used = Math.max(used, line.admitted.used, line.throttled.used);
    }
    return Math.min(this.timelineSeconds, Math.max(1, used));
  }
}
