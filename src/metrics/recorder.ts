/**
 * The per-worker metrics recorder. The engine resolves one {@link MetricsHandle} per (fleet, operation) up front and
 * records through it on the hot path (operation-recorder.ts): counters are plain number fields, latency goes into an
 * HdrHistogram, attempts into per-second timelines shared by the fleet's operations (fleet-lines.ts) that grow in
 * chunks as time reaches new seconds (second-counts.ts), up to the planned length. Nothing allocates per request, and
 * a stopped run's timelines hold the seconds it ran, not those it planned.
 */
import { METRICS_WIRE_VERSION } from './wire.js';
import type { WireBucketTimeline, WireCacheMetrics, WorkerMetrics } from './wire.js';
import { addCacheStats, emptyCacheStats, type CacheStats } from './cache-stats.js';
import { FleetLines } from './fleet-lines.js';
import { OperationRecorder, type MetricsHandle } from './operation-recorder.js';
import { SECOND_FIELD } from './live-fields.js';
import { NS_PER_SEC } from '../base/time.js';
import { mergeServiceCounts, type ServiceCountsWire } from '../services/index.js';

export type { AttemptOutcomeKind, MetricsHandle } from './operation-recorder.js';

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
  #services: ServiceCountsWire | undefined;

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

  /** Adds the AWS services' attribution counters of a thread (once, at the end of the run). */
  services(counts: ServiceCountsWire): void {
    this.#services = mergeServiceCounts([this.#services, counts]);
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
      ...(this.#services === undefined ? {} : { services: structuredClone(this.#services) }),
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
    out[offset + SECOND_FIELD.denied]! += lines.denied.at(slot);
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
