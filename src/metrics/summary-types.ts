/**
 * The shapes of a metrics summary, as `result.json` records them: one operation's (or a total's) figures, a fleet, a
 * whole run, and the options of `summarize` (summary.ts). Types only: summary.ts computes them, re-exports them, and
 * callers keep importing them from there.
 */
import type { LatencyBucketsUs, LatencySummaryUs, StartDelaySummaryUs } from './latency-stats.js';
import type { BacklogSummary, RateWindow } from './rates.js';
import type { OperationTimeline } from './wire.js';
import type { CacheSummary } from './cache-summary.js';
import type { ServiceCountsWire } from '../services/index.js';

/** Per-second admitted and throttled attempts on one bucket. */
export interface BucketTimeline {
  readonly admitted: number[];
  readonly throttled: number[];
}

/** Metrics of one operation, one fleet, or the whole run. */
export interface OperationSummary {
  readonly offered: number;
  readonly attempts: number;
  readonly succeeded: number;
  /** Throttled responses, all attempts counted. */
  readonly throttled: number;
  /**
   * Logical operations a policy refused (final error AccessDeniedException; never retried, never goodput; also in
   * `failed`). Absent in results written before it was counted: read it with {@link deniedOf}.
   */
  readonly denied?: number;
  /** denied / completed: the share of finished operations a policy refused (absent in older results). */
  readonly deniedRate?: number;
  /** Final failures by error name. */
  readonly failed: Record<string, number>;
  readonly failedTotal: number;
  readonly retries: number;
  /** Started later than intended by more than the scenario's `lateness.threshold` (open workloads). */
  readonly late: number;
  readonly dropped: number;
  /** Logical operations that finished (succeeded + failedTotal). */
  readonly completed: number;
  /**
   * Succeeded logical operations per second, counted in the second they finished, over the run's whole seconds (see
   * rates.ts): the drain after the scheduled end is not spread over the run, and over whole quota windows goodput never
   * exceeds what the quota admitted.
   */
  readonly goodputPerSec: number;
  /** Logical operations offered per second over the same seconds (the demand beside the goodput). */
  readonly offeredPerSec: number;
  /** Successes that finished after the scheduled end (requests in flight then: retries, a slow answer). */
  readonly succeededAfterEnd: number;
  /** Offered but not finished or dropped: in flight at the end, and whether that queue grew through the run. */
  readonly backlog: BacklogSummary;
  /**
   * Seconds from the start until the last operation finished (retries included): the completion time of a closed
   * workload with `iterations`, the figure of merit of a batch (0 when none finished).
   */
  readonly makespanSec: number;
  /** Attempts per completed logical operation (0 when none completed). */
  readonly attemptsPerOp: number;
  /**
   * KMS calls (attempts, retries included) per completed logical operation. The same count as `attemptsPerOp`, named
   * for envelope operations, whose KMS calls are those their data keys needed: a cache hit makes none.
   */
  readonly kmsCallsPerOp: number;
  /** Throttled attempts / attempts (0 when no attempts). */
  readonly throttleRate: number;
  /** (late + dropped) / offered: above 1% the harness, not KMS, was the limit. */
  readonly lateOrDroppedRate: number;
  /** How each attempt ended; `admitted + throttled + errors = attempts`. */
  readonly attemptOutcomes: { readonly admitted: number; readonly throttled: number; readonly errors: number };
  /** Index `i`: completed operations that made `i` attempts (last slot of 65: that many or more). */
  readonly attemptsDistribution: number[];
  readonly latencyUs: LatencySummaryUs;
  /**
   * How late open-workload operations started (µs past their intended start): whether the generator kept up, as a
   * distribution beside the `late` count. Absent in results written before it was recorded.
   */
  readonly startDelayUs?: StartDelaySummaryUs;
}

/** One fleet: its operations, their total, its per-bucket timelines and its per-second operation counts. */
export interface FleetSummary {
  readonly operations: Record<string, OperationSummary>;
  readonly total: OperationSummary;
  readonly timelines: Record<string, BucketTimeline>;
  /** Per second: logical operations offered, succeeded and ended (last slot: after the scheduled end). */
  readonly operationTimeline: OperationTimeline;
  /** Data keys of its envelope operations, with or without a cache; absent when it has none. */
  readonly cache?: CacheSummary;
  /** Its latency distribution in fixed buckets (the report's histogram chart); absent in older results. */
  readonly latencyBucketsUs?: LatencyBucketsUs;
}

/** The summary of a run (or one matrix variant). */
export interface MetricsSummary {
  /** The measured duration: the scheduled length, or what ran of an interrupted run. */
  readonly durationSec: number;
  readonly timelineSeconds: number;
  /** The seconds every rate is taken over (see rates.ts). */
  readonly rateWindow: RateWindow;
  readonly fleets: Record<string, FleetSummary>;
  readonly total: OperationSummary;
  /** Per bucket, summed over fleets. */
  readonly timelines: Record<string, BucketTimeline>;
  /** The latency distribution of every fleet together, in fixed buckets; absent in older results. */
  readonly latencyBucketsUs?: LatencyBucketsUs;
  /**
   * The AWS services' counts (src/services/attribution.ts): KMS calls they made by source, principal and resource, and
   * their requests by how each ended. Absent when the run has no services.
   */
  readonly services?: ServiceCountsWire;
}

/** Options of {@link summarize}. */
export interface SummarizeOptions {
  /**
   * The measured duration: the scheduled length of a run (never the drain after it), or what ran of an interrupted
   * one. Rates are over its whole seconds. Must be positive.
   */
  readonly durationSec: number;
  /**
   * True when every fleet is a closed workload with `iterations`: the work may end before the schedule, and rates are
   * then over the whole seconds until the last operation finished (the makespan), not over idle seconds after it.
   */
  readonly batch?: boolean;
}
