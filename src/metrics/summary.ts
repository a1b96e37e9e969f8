/**
 * Summaries of merged metrics: per fleet and operation, a total per fleet and an overall total. Totals add the
 * underlying histograms and counters; no percentile is ever averaged. Field names are those of `result.json`; their
 * types live in summary-types.ts.
 */
import { createMergeHistogram, createStartDelayHistogram } from './histogram.js';
import { latencyBuckets, latencyStats, startDelayStats } from './latency-stats.js';
import type { Histogram } from './histogram.js';
import type { MergedMetrics, MergedOperationMetrics } from './merge.js';
import { addOperationTimeline, emptyOperationTimeline } from './merge.js';
import { backlogOf, goodputOf, offeredRateOf, rateWindow, succeededAfter, type RateWindow } from './rates.js';
import { addCounters, DENIED_ERROR, emptyCounters, type OperationTimeline } from './wire.js';
import { cacheSummary, type CacheSummary } from './cache-summary.js';
import type { OperationCounters } from './wire.js';
import type { BucketTimeline, MetricsSummary, OperationSummary, SummarizeOptions } from './summary-types.js';

export type { LatencyBucketsUs, LatencySummaryUs, StartDelaySummaryUs } from './latency-stats.js';
export type { BucketTimeline, FleetSummary, MetricsSummary, OperationSummary, SummarizeOptions } from './summary-types.js';

interface Accumulator {
  counters: OperationCounters;
  failed: Map<string, number>;
  attemptsDistribution: number[];
  latencyUs: Histogram;
  startDelayUs: Histogram;
  timeline: OperationTimeline;
  lastEndSec: number;
}

function accumulator(seconds: number): Accumulator {
  return {
    counters: emptyCounters(),
    failed: new Map(),
    attemptsDistribution: [],
    latencyUs: createMergeHistogram(),
    startDelayUs: createStartDelayHistogram(64),
    timeline: emptyOperationTimeline(seconds),
    lastEndSec: 0,
  };
}

function addInto(into: number[], from: readonly number[]): void {
  for (let i = 0; i < from.length; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
}

function accumulate(into: Accumulator, op: MergedOperationMetrics): void {
  addCounters(into.counters, op.counters);
  for (const [name, count] of Object.entries(op.failed)) into.failed.set(name, (into.failed.get(name) ?? 0) + count);
  addInto(into.attemptsDistribution, op.attemptsDistribution);
  into.latencyUs.add(op.latencyUs);
  into.startDelayUs.add(op.startDelayUs);
  addOperationTimeline(into.timeline, op.timeline);
  if (op.lastEndSec > into.lastEndSec) into.lastEndSec = op.lastEndSec;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

function countersOf(operations: ReadonlyMap<string, Accumulator>): Map<string, OperationCounters> {
  return new Map([...operations].map(([name, acc]) => [name, acc.counters]));
}

function operationSummary(acc: Accumulator, window: RateWindow): OperationSummary {
  const c = acc.counters;
  const failed = Object.fromEntries([...acc.failed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  let failedTotal = 0;
  for (const count of acc.failed.values()) failedTotal += count;
  return {
    offered: c.offered,
    attempts: c.attempts,
    succeeded: c.succeeded,
    throttled: c.throttled,
    denied: c.denied,
    deniedRate: ratio(c.denied, c.completed),
    failed,
    failedTotal,
    retries: c.retries,
    late: c.late,
    dropped: c.dropped,
    completed: c.completed,
    goodputPerSec: goodputOf(acc.timeline, window),
    offeredPerSec: offeredRateOf(acc.timeline, window),
    succeededAfterEnd: succeededAfter(acc.timeline, window),
    backlog: backlogOf(acc.timeline, window),
    makespanSec: acc.lastEndSec,
    attemptsPerOp: ratio(c.attempts, c.completed),
    kmsCallsPerOp: ratio(c.attempts, c.completed),
    throttleRate: ratio(c.throttled, c.attempts),
    lateOrDroppedRate: ratio(c.late + c.dropped, c.offered),
    attemptOutcomes: { admitted: c.admitted, throttled: c.throttled, errors: c.errors },
    attemptsDistribution: [...acc.attemptsDistribution],
    latencyUs: latencyStats(acc.latencyUs),
    startDelayUs: startDelayStats(acc.startDelayUs),
  };
}

function addTimeline(into: Map<string, BucketTimeline>, bucket: string, admitted: readonly number[], throttled: readonly number[]): void {
  let line = into.get(bucket);
  if (line === undefined) {
    line = { admitted: new Array<number>(admitted.length).fill(0), throttled: new Array<number>(throttled.length).fill(0) };
    into.set(bucket, line);
  }
  addInto(line.admitted, admitted);
  addInto(line.throttled, throttled);
}

/**
 * Summarizes merged metrics.
 * @throws RangeError when `durationSec` is not a positive number.
 */
export function summarize(merged: MergedMetrics, options: SummarizeOptions): MetricsSummary {
  const { durationSec } = options;
  if (typeof durationSec !== 'number' || !(durationSec > 0) || !Number.isFinite(durationSec)) {
    throw new RangeError(`durationSec must be a positive number of seconds, got ${String(durationSec)}`);
  }
  const seconds = merged.timelineSeconds;
  // A batch (every client does N operations, then stops) is measured until its last operation finished.
  const lastEndSec = options.batch === true ? merged.operations.reduce((latest, op) => Math.max(latest, op.lastEndSec), 0) : Infinity;
  const window = rateWindow(durationSec, seconds, lastEndSec);
  const overall = accumulator(seconds);
  const fleets = new Map<string, { total: Accumulator; operations: Map<string, Accumulator>; timelines: Map<string, BucketTimeline> }>();
  const fleet = (name: string) => {
    let entry = fleets.get(name);
    if (entry === undefined) {
      entry = { total: accumulator(seconds), operations: new Map(), timelines: new Map() };
      fleets.set(name, entry);
    }
    return entry;
  };
  for (const op of merged.operations) {
    const entry = fleet(op.fleet);
    let acc = entry.operations.get(op.operation);
    if (acc === undefined) {
      acc = accumulator(seconds);
      entry.operations.set(op.operation, acc);
    }
    accumulate(acc, op);
    accumulate(entry.total, op);
    accumulate(overall, op);
  }
  const cacheOf = (name: string, operations: ReadonlyMap<string, Accumulator>): { cache?: CacheSummary } => {
    const wire = merged.caches.find((c) => c.fleet === name);
    return wire === undefined ? {} : { cache: cacheSummary(wire.cached, wire.stats, countersOf(operations)) };
  };
  const overallTimelines = new Map<string, BucketTimeline>();
  for (const line of merged.timelines) {
    addTimeline(fleet(line.fleet).timelines, line.bucket, line.admitted, line.throttled);
    addTimeline(overallTimelines, line.bucket, line.admitted, line.throttled);
  }
  return {
    durationSec,
    timelineSeconds: merged.timelineSeconds,
    rateWindow: window,
    fleets: Object.fromEntries(
      [...fleets].map(([name, entry]) => [
        name,
        {
          operations: Object.fromEntries([...entry.operations].map(([op, acc]) => [op, operationSummary(acc, window)])),
          total: operationSummary(entry.total, window),
          timelines: Object.fromEntries(entry.timelines),
          operationTimeline: entry.total.timeline,
          latencyBucketsUs: latencyBuckets(entry.total.latencyUs),
          ...cacheOf(name, entry.operations),
        },
      ]),
    ),
    total: operationSummary(overall, window),
    timelines: Object.fromEntries(overallTimelines),
    latencyBucketsUs: latencyBuckets(overall.latencyUs),
    ...(merged.services === undefined ? {} : { services: merged.services }),
  };
}

/**
 * Checks that an operation's (or a total's) counters add up; returns one sentence per broken invariant, empty when
 * all hold. `complete` (default true) also checks what holds only once every started operation has finished:
 * offered = completed + dropped, and attempts = Σ i × attemptsDistribution[i] when no operation made 64+ attempts.
 */
export function checkCounters(summary: OperationSummary, complete = true): string[] {
  const problems: string[] = [];
  const { admitted, throttled, errors } = summary.attemptOutcomes;
  if (admitted + throttled + errors !== summary.attempts) {
    problems.push(`attempts ${summary.attempts} ≠ admitted ${admitted} + throttled ${throttled} + errors ${errors}`);
  }
  if (throttled !== summary.throttled) problems.push(`throttled ${summary.throttled} ≠ throttled attempts ${throttled}`);
  const deniedFailures = summary.failed[DENIED_ERROR] ?? 0;
  if (summary.denied !== undefined && summary.denied !== deniedFailures) {
    problems.push(`denied ${summary.denied} ≠ operations failed with ${DENIED_ERROR} ${deniedFailures}`);
  }
  // An operation served without a KMS call (a data-key cache hit) succeeds with no attempt: attemptsDistribution[0].
  const withoutCall = summary.attemptsDistribution[0] ?? 0;
  if (summary.succeeded < admitted || summary.succeeded > admitted + withoutCall) {
    problems.push(
      withoutCall === 0
        ? `succeeded ${summary.succeeded} ≠ admitted attempts ${admitted}`
        : `succeeded ${summary.succeeded} is not between admitted attempts ${admitted} and that plus ${withoutCall} operations without a KMS call`,
    );
  }
  if (summary.succeeded + summary.failedTotal !== summary.completed) {
    problems.push(`completed ${summary.completed} ≠ succeeded ${summary.succeeded} + failed ${summary.failedTotal}`);
  }
  const distributed = summary.attemptsDistribution.reduce((sum, count) => sum + count, 0);
  if (distributed !== summary.completed) problems.push(`attempts distribution counts ${distributed} operations, completed ${summary.completed}`);
  if (complete) {
    if (summary.completed + summary.dropped !== summary.offered) {
      problems.push(`offered ${summary.offered} ≠ completed ${summary.completed} + dropped ${summary.dropped}`);
    }
    const last = summary.attemptsDistribution.length - 1;
    if (last < 64) {
      const attempts = summary.attemptsDistribution.reduce((sum, count, i) => sum + i * count, 0);
      if (attempts !== summary.attempts) problems.push(`attempts ${summary.attempts} ≠ attempts of completed operations ${attempts}`);
      if (attempts - summary.completed + (summary.attemptsDistribution[0] ?? 0) !== summary.retries) {
        problems.push(`retries ${summary.retries} ≠ attempts beyond the first ${attempts - summary.completed}`);
      }
    }
  }
  return problems;
}

