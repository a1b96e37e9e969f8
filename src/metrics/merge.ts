/**
 * Merging worker metrics on the main thread: counters are summed, histograms decoded and added (the distribution is
 * merged, never its percentiles averaged), timelines summed second by second.
 */
import { createMergeHistogram, createStartDelayHistogram, decodeHistogram, encodeHistogram } from './histogram.js';
import type { Histogram } from './histogram.js';
import { METRICS_WIRE_VERSION, addCounters, emptyCounters } from './wire.js';
import type { OperationCounters, OperationTimeline, WireCacheMetrics, WorkerMetrics } from './wire.js';
import { addCacheStats, emptyCacheStats } from './cache-stats.js';
import { mergeServiceCounts, type ServiceCountsWire } from '../services/index.js';

/** Merged metrics of one (fleet, operation). */
export interface MergedOperationMetrics {
  readonly fleet: string;
  readonly operation: string;
  readonly counters: OperationCounters;
  readonly failed: Record<string, number>;
  /** Index `i`: completed operations that made `i` attempts (last slot: that many or more). */
  readonly attemptsDistribution: number[];
  /** Latency from intended start, integer µs, 64-bit counts. */
  readonly latencyUs: Histogram;
  /** Start delay of open-workload operations, integer µs, 64-bit counts (see WireOperationMetrics). */
  readonly startDelayUs: Histogram;
  /** Per-second offered, succeeded and ended logical operations, summed over workers. */
  readonly timeline: OperationTimeline;
  /** Seconds from the start to the last completed operation over every worker (0 when none completed). */
  readonly lastEndSec: number;
}

/** Merged per-second timeline of one fleet on one bucket. */
export interface MergedBucketTimeline {
  readonly fleet: string;
  readonly bucket: string;
  readonly admitted: number[];
  readonly throttled: number[];
}

/** Every worker's metrics added together. Holds decoded histograms: main-thread only (see {@link mergedToWire}). */
export interface MergedMetrics {
  readonly startNs: number;
  readonly timelineSeconds: number;
  /** How many worker results went in. */
  readonly parts: number;
  /** In order of first appearance across the parts. */
  readonly operations: readonly MergedOperationMetrics[];
  readonly timelines: readonly MergedBucketTimeline[];
  /** Data-key cache counters per fleet, summed over workers; empty when no fleet has envelope operations. */
  readonly caches: readonly WireCacheMetrics[];
  /** The AWS services' attribution counters, summed over workers; absent when the run has no services. */
  readonly services?: ServiceCountsWire;
}

/** Thrown when worker results cannot be merged (different wire versions or timeline geometry). */
export class MetricsMergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricsMergeError';
  }
}

interface MutableOperation {
  fleet: string;
  operation: string;
  counters: OperationCounters;
  failed: Map<string, number>;
  attemptsDistribution: number[];
  latencyUs: Histogram;
  startDelayUs: Histogram;
  timeline: OperationTimeline;
  lastEndSec: number;
}

/** A zeroed per-second operation timeline of `seconds` slots. */
export function emptyOperationTimeline(seconds: number): OperationTimeline {
  const zeros = (): number[] => new Array<number>(seconds).fill(0);
  return { offered: zeros(), succeeded: zeros(), ended: zeros() };
}

/** Adds `from` into `into`, second by second. */
export function addOperationTimeline(into: OperationTimeline, from: OperationTimeline): void {
  addInto(into.offered, from.offered);
  addInto(into.succeeded, from.succeeded);
  addInto(into.ended, from.ended);
}

function addInto(into: number[], from: readonly number[]): void {
  for (let i = 0; i < from.length; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
}

// A separator that cannot occur in names from a scenario, so ("a", "b/c") and ("a/b", "c") stay apart.
const key = (a: string, b: string): string => `${a}\u0000${b}`;

/**
 * Adds worker results together. All parts must come from one run: same wire version, `startNs` and `timelineSeconds`.
 * @throws MetricsMergeError when they do not, or when `parts` is empty.
 */
export function mergeMetrics(parts: readonly WorkerMetrics[]): MergedMetrics {
  const first = parts[0];
  if (first === undefined) throw new MetricsMergeError('mergeMetrics needs at least one worker result');
  const operations = new Map<string, MutableOperation>();
  const timelines = new Map<string, MergedBucketTimeline>();
  const caches = new Map<string, WireCacheMetrics>();
  parts.forEach((part, index) => {
    for (const cache of part.caches ?? []) {
      let into = caches.get(cache.fleet);
      if (into === undefined) {
        into = { fleet: cache.fleet, cached: false, stats: emptyCacheStats() };
        caches.set(cache.fleet, into);
      }
      into.cached ||= cache.cached;
      addCacheStats(into.stats, cache.stats);
    }
    if (part.version !== METRICS_WIRE_VERSION) {
      throw new MetricsMergeError(`worker result ${index} has metrics wire version ${String(part.version)}, expected ${METRICS_WIRE_VERSION}`);
    }
    if (part.startNs !== first.startNs || part.timelineSeconds !== first.timelineSeconds) {
      throw new MetricsMergeError(
        `worker result ${index} has timeline start ${part.startNs} ns × ${part.timelineSeconds} s, expected ` +
          `${first.startNs} ns × ${first.timelineSeconds} s: all workers of a run must share startNs and timelineSeconds`,
      );
    }
    for (const op of part.operations) {
      const k = key(op.fleet, op.operation);
      let into = operations.get(k);
      if (into === undefined) {
        into = {
          fleet: op.fleet,
          operation: op.operation,
          counters: emptyCounters(),
          failed: new Map(),
          attemptsDistribution: [],
          latencyUs: createMergeHistogram(),
          startDelayUs: createStartDelayHistogram(64),
          timeline: emptyOperationTimeline(first.timelineSeconds),
          lastEndSec: 0,
        };
        operations.set(k, into);
      }
      const line = op.timeline;
      if (line.offered.length !== part.timelineSeconds || line.succeeded.length !== part.timelineSeconds || line.ended.length !== part.timelineSeconds) {
        throw new MetricsMergeError(
          `worker result ${index}: timeline of fleet "${op.fleet}" operation "${op.operation}" is not ${part.timelineSeconds} s long`,
        );
      }
      addOperationTimeline(into.timeline, line);
      if (op.lastEndSec > into.lastEndSec) into.lastEndSec = op.lastEndSec;
      addCounters(into.counters, op.counters);
      for (const [name, count] of Object.entries(op.failed)) into.failed.set(name, (into.failed.get(name) ?? 0) + count);
      addInto(into.attemptsDistribution, op.attemptsDistribution);
      into.latencyUs.add(decodeHistogram(op.latencyUs));
      into.startDelayUs.add(decodeHistogram(op.startDelayUs));
    }
    for (const line of part.timelines) {
      if (line.admitted.length !== part.timelineSeconds || line.throttled.length !== part.timelineSeconds) {
        throw new MetricsMergeError(
          `worker result ${index}: timeline of fleet "${line.fleet}" bucket "${line.bucket}" is not ${part.timelineSeconds} s long`,
        );
      }
      const k = key(line.fleet, line.bucket);
      let into = timelines.get(k);
      if (into === undefined) {
        into = {
          fleet: line.fleet,
          bucket: line.bucket,
          admitted: new Array<number>(first.timelineSeconds).fill(0),
          throttled: new Array<number>(first.timelineSeconds).fill(0),
        };
        timelines.set(k, into);
      }
      addInto(into.admitted, line.admitted);
      addInto(into.throttled, line.throttled);
    }
  });
  return {
    startNs: first.startNs,
    timelineSeconds: first.timelineSeconds,
    parts: parts.length,
    operations: [...operations.values()].map((op) => ({ ...op, failed: Object.fromEntries(op.failed) })),
    timelines: [...timelines.values()],
    caches: [...caches.values()],
    ...(parts.some((part) => part.services !== undefined) ? { services: mergeServiceCounts(parts.map((part) => part.services)) } : {}),
  };
}

/** Encodes merged metrics back into the wire format, e.g. to store them or merge them again with other runs' parts. */
export function mergedToWire(merged: MergedMetrics): WorkerMetrics {
  return {
    version: METRICS_WIRE_VERSION,
    startNs: merged.startNs,
    timelineSeconds: merged.timelineSeconds,
    operations: merged.operations.map((op) => ({
      fleet: op.fleet,
      operation: op.operation,
      counters: { ...op.counters },
      failed: { ...op.failed },
      attemptsDistribution: [...op.attemptsDistribution],
      latencyUs: encodeHistogram(op.latencyUs),
      startDelayUs: encodeHistogram(op.startDelayUs),
      timeline: structuredClone(op.timeline),
      lastEndSec: op.lastEndSec,
    })),
    timelines: merged.timelines.map((line) => ({
      fleet: line.fleet,
      bucket: line.bucket,
      admitted: [...line.admitted],
      throttled: [...line.throttled],
    })),
    ...(merged.caches.length === 0 ? {} : { caches: merged.caches.map((c) => structuredClone(c)) }),
    ...(merged.services === undefined ? {} : { services: structuredClone(merged.services) }),
  };
}
