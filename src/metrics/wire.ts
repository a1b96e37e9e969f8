/**
 * The metrics wire format: what a worker thread (or one simulation) returns to the main thread. Plain data only —
 * numbers, strings, arrays, objects — so it survives `structuredClone`, `postMessage` and JSON unchanged. Histograms
 * travel as HdrHistogram V2 compressed base64; timelines as per-second count arrays. Its size depends on the number of
 * (fleet, operation, bucket) lines and on `timelineSeconds`, never on the number of requests.
 */

import type { CacheStats } from './cache-stats.js';
import type { ServiceCountsWire } from '../services/index.js';

/** Bumped whenever the shape below changes; {@link mergeMetrics} rejects other versions. */
export const METRICS_WIRE_VERSION = 6;

/**
 * Slots of the attempts-per-operation distribution: index `i` counts logical operations that made `i` attempts; the
 * last slot counts those that made that many or more.
 */
export const ATTEMPTS_DISTRIBUTION_SLOTS = 65;

/** Counters of one (fleet, operation), summed over its logical operations and attempts. */
export interface OperationCounters {
  /** Logical operations the workload intended to start. */
  offered: number;
  /** Logical operations started after their intended time by more than the scenario's `lateness.threshold`. */
  late: number;
  /** Logical operations never started (maxInFlight reached, or the run ended first). */
  dropped: number;
  /** Attempts made (first tries and retries). */
  attempts: number;
  /** Attempts that succeeded. */
  admitted: number;
  /** Attempts answered with a throttling error. */
  throttled: number;
  /** Attempts that failed with any other error. */
  errors: number;
  /** Logical operations that finished, either way. */
  completed: number;
  /** Logical operations that finished successfully. */
  succeeded: number;
  /** Retries: attempts beyond the first, summed over completed operations. */
  retries: number;
  /**
   * Logical operations a policy refused: their final error was {@link DENIED_ERROR} (never retried, never goodput;
   * also counted in `failed` under that name).
   */
  denied: number;
}

/**
 * The error KMS answers when no policy allows the call (or one denies it): a configuration error, not a capacity one,
 * so it is counted apart from the other failures (aws-kms-facts.md §2, §8).
 */
export const DENIED_ERROR = 'AccessDeniedException';

/** Metrics of one (fleet, operation). */
export interface WireOperationMetrics {
  fleet: string;
  operation: string;
  counters: OperationCounters;
  /** Final failures by error name. */
  failed: Record<string, number>;
  /** Attempts per completed logical operation; see {@link ATTEMPTS_DISTRIBUTION_SLOTS}. Trailing zeros trimmed. */
  attemptsDistribution: number[];
  /** End-to-end latency of completed operations from their intended start, integer µs, HdrHistogram V2 base64. */
  latencyUs: string;
  /**
   * How late each started operation of an open workload began: µs from its intended start to its actual start,
   * HdrHistogram V2 base64 at 2 significant digits (closed workloads record none).
   */
  startDelayUs: string;
  /** Per-second logical operations: offered, succeeded and ended (completed or dropped); see {@link OperationTimeline}. */
  timeline: OperationTimeline;
  /** Seconds from the timeline's start to the last completed operation (the makespan); 0 when none completed. */
  lastEndSec: number;
}

/**
 * Per-second counts of one (fleet, operation)'s logical operations, by the second they happened in: `offered[s]` were
 * due to start in second `s`; `succeeded[s]` finished successfully in it; `ended[s]` finished either way or were
 * dropped in it (so offered − ended, summed up to a second, is the backlog in flight at its end). Seconds follow the
 * quota's one-second windows; the last slot holds everything after the scheduled end (the drain). A run stopped early
 * never reached its end: its timelines stop at the seconds it ran, and have no drain slot.
 */
export interface OperationTimeline {
  offered: number[];
  succeeded: number[];
  ended: number[];
}

/** Per-second attempt counts of one fleet on one quota bucket. */
export interface WireBucketTimeline {
  fleet: string;
  bucket: string;
  /** `admitted[s]`: attempts admitted during second `s` of the run (the last slot also holds anything later). */
  admitted: number[];
  /** `throttled[s]`: attempts throttled during second `s`. */
  throttled: number[];
}

/** Everything one worker measured. */
export interface WorkerMetrics {
  version: typeof METRICS_WIRE_VERSION;
  /** Clock time (ns) of second 0 of the timelines; equal across the workers of one run. */
  startNs: number;
  /**
   * Length of every timeline: the scheduled seconds and the drain slot for a run that ran its schedule; for a run
   * stopped early, the seconds it reached (MetricsRecorder.toWire `untilNs`).
   */
  timelineSeconds: number;
  operations: WireOperationMetrics[];
  timelines: WireBucketTimeline[];
  /** Data-key cache counters per fleet with envelope operations (absent when none has any). */
  caches?: WireCacheMetrics[];
  /** The AWS services' attribution counters (src/services/attribution.ts); absent when the run has no services. */
  services?: ServiceCountsWire;
}

/** One fleet's data-key counters in one worker; `cached` is false for a fleet without a cache. */
export interface WireCacheMetrics {
  fleet: string;
  cached: boolean;
  stats: CacheStats;
}

/** A zeroed counters record. */
export function emptyCounters(): OperationCounters {
  return {
    offered: 0,
    late: 0,
    dropped: 0,
    attempts: 0,
    admitted: 0,
    throttled: 0,
    errors: 0,
    completed: 0,
    succeeded: 0,
    retries: 0,
    denied: 0,
  };
}

/** The counter names, in display order. */
export const COUNTER_NAMES: readonly (keyof OperationCounters)[] = Object.keys(emptyCounters()) as (keyof OperationCounters)[];

/** Adds `from` into `into`. */
export function addCounters(into: OperationCounters, from: OperationCounters): void {
  for (const name of COUNTER_NAMES) into[name] += from[name];
}
