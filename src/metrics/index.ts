/** Metrics: per-worker recording, the worker→main wire format, merging and summaries. */
export {
  LATENCY_HIGHEST_US,
  LATENCY_LOWEST_US,
  LATENCY_SIGNIFICANT_DIGITS,
  clampLatencyUs,
  decodeHistogram,
  encodeHistogram,
} from './histogram.js';
export { MetricsOptionsError, MetricsRecorder } from './recorder.js';
export type { AttemptOutcomeKind, MetricsHandle, MetricsRecorderOptions } from './recorder.js';
export { ATTEMPTS_DISTRIBUTION_SLOTS, COUNTER_NAMES, METRICS_WIRE_VERSION, addCounters, emptyCounters } from './wire.js';
export type { OperationCounters, WireBucketTimeline, WireOperationMetrics, WorkerMetrics } from './wire.js';
export { MetricsMergeError, mergeMetrics, mergedToWire } from './merge.js';
export type { MergedBucketTimeline, MergedMetrics, MergedOperationMetrics } from './merge.js';
export { checkCounters, summarize } from './summary.js';
export { LATENCY_BUCKET_BOUNDS_US } from './latency-stats.js';
export type { CacheObservation, CacheStats, EvictionCounts } from './cache-stats.js';
export type { CacheSummary } from './cache-summary.js';
export type { WireCacheMetrics } from './wire.js';
export type {
  BucketTimeline,
  FleetSummary,
  LatencyBucketsUs,
  LatencySummaryUs,
  MetricsSummary,
  OperationSummary,
  StartDelaySummaryUs,
  SummarizeOptions,
} from './summary.js';
