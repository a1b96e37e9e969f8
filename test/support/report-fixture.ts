/**
 * Results for report tests, built from real metrics: synthetic traffic recorded through the real `MetricsRecorder`,
 * merged and summarized as the engine does, then assembled by the real `buildResult`. Everything is exact and
 * deterministic, so tests can compare against hand-computed numbers.
 */
import type { AnyRetryPolicyOptions } from '../../src/client/retry-description.js';
import { mergeMetrics, MetricsRecorder, summarize } from '../../src/metrics/index.js';
import type { MetricsSummary } from '../../src/metrics/index.js';
import type { QuotaSlotSnapshot } from '../../src/quota/index.js';
import { buildResult } from '../../src/report/result.js';
import type { RunResult, VariantScenario } from '../../src/report/result.js';

const SEC = 1_000_000_000;
const START = 7 * SEC;

/** Traffic of one (fleet, operation) on one bucket. */
export interface SyntheticOp {
  readonly fleet: string;
  readonly op: string;
  readonly bucket: string;
  /** Admitted (succeeded) operations in each second; a number for every second alike. */
  readonly admittedPerSec: number | readonly number[];
  /** Operations throttled once and then given up, per second. Default 0. */
  readonly throttledPerSec?: number;
  /** Operations that succeeded on a second attempt after one throttle, per second. Default 0. */
  readonly retriedPerSec?: number;
  /** Latency of every operation, µs. Default 1000. */
  readonly latencyUs?: number;
  /**
   * Operations offered in the last second that are admitted and succeed after the scheduled end (the drain: the
   * timeline's last slot). Default 0.
   */
  readonly drainSucceeded?: number;
  /** Operations offered each second that never finish (still in flight at the end: a growing backlog). Default 0. */
  readonly pendingPerSec?: number;
}

function perSecond(value: number | readonly number[], second: number): number {
  return typeof value === 'number' ? value : (value[second] ?? 0);
}

/** A metrics summary of `seconds` seconds of the given traffic (timeline: `seconds` + 1 slots, as the engine makes). */
export function syntheticSummary(ops: readonly SyntheticOp[], seconds: number): MetricsSummary {
  const recorder = new MetricsRecorder({ startNs: START, timelineSeconds: seconds + 1 });
  for (const spec of ops) {
    const handle = recorder.handle(spec.fleet, spec.op);
    const latency = spec.latencyUs ?? 1000;
    for (let s = 0; s < seconds; s++) {
      const at = START + s * SEC + SEC / 2;
      for (let i = 0; i < perSecond(spec.admittedPerSec, s); i++) {
        handle.offered(at);
        handle.attempt(spec.bucket, 'admitted', at);
        handle.completed(true, undefined, latency, 1, at);
      }
      for (let i = 0; i < (spec.throttledPerSec ?? 0); i++) {
        handle.offered(at);
        handle.attempt(spec.bucket, 'throttled', at);
        handle.completed(false, 'ThrottlingException', latency, 1, at);
      }
      for (let i = 0; i < (spec.retriedPerSec ?? 0); i++) {
        handle.offered(at);
        handle.attempt(spec.bucket, 'throttled', at);
        handle.attempt(spec.bucket, 'admitted', at);
        handle.completed(true, undefined, latency * 2, 2, at);
      }
      for (let i = 0; i < (spec.pendingPerSec ?? 0); i++) handle.offered(at);
    }
    const lastSecond = START + (seconds - 1) * SEC + SEC / 2;
    const afterEnd = START + seconds * SEC + SEC / 4;
    for (let i = 0; i < (spec.drainSucceeded ?? 0); i++) {
      handle.offered(lastSecond);
      handle.attempt(spec.bucket, 'admitted', afterEnd);
      handle.completed(true, undefined, latency, 1, afterEnd);
    }
  }
  return summarize(mergeMetrics([recorder.toWire()]), { durationSec: seconds });
}

export interface SyntheticVariant {
  readonly name: string;
  readonly values?: Readonly<Record<string, unknown>>;
  readonly ops: readonly SyntheticOp[];
  readonly quota?: readonly QuotaSlotSnapshot[];
  readonly scenario?: VariantScenario;
  /** `incomplete`: the variant was interrupted (its cost is n/a). Default `completed`. */
  readonly state?: 'completed' | 'incomplete';
}

export interface SyntheticRun {
  readonly name?: string;
  readonly hash?: string;
  readonly clock?: 'wall' | 'virtual';
  readonly seconds?: number;
  readonly variants: readonly SyntheticVariant[];
  readonly thresholds?: Readonly<Record<string, readonly string[]>>;
  readonly state?: 'completed' | 'incomplete';
}

/** A scenario with one symmetric key and one fleet calling `ops` in us-east-1, with `retry` when given. */
export function simpleScenario(ops: readonly string[] = ['Encrypt'], fleet = 'web', retry?: AnyRetryPolicyOptions): VariantScenario {
  return {
    keys: [{ name: 'app', keySpec: 'SYMMETRIC_DEFAULT', state: 'Enabled' }],
    fleets: [
      {
        name: fleet,
        region: 'us-east-1',
        account: '111122223333',
        mix: ops.map((op) => ({ op, weight: 1, key: 'app' })),
        ...(retry === undefined ? {} : { retry }),
      },
    ],
  };
}

/**
 * Two fleets in two regions: `web` calls Encrypt in us-east-1 with `webRetry`, `batch` calls Decrypt in eu-west-1 with
 * no retry. Pair with ops of fleets `web` (bucket `symmetric`) and `batch`.
 */
export function twoFleetScenario(webRetry: AnyRetryPolicyOptions = { policy: 'full-jitter', baseMs: 50, capMs: 2_000, maxAttempts: 4 }): VariantScenario {
  return {
    keys: [
      { name: 'east', keySpec: 'SYMMETRIC_DEFAULT' },
      { name: 'west', keySpec: 'SYMMETRIC_DEFAULT' },
    ],
    fleets: [
      { name: 'web', region: 'us-east-1', account: '111122223333', mix: [{ op: 'Encrypt', weight: 1, key: 'east' }], retry: webRetry },
      {
        name: 'batch',
        region: 'eu-west-1',
        account: '111122223333',
        mix: [{ op: 'Decrypt', weight: 1, key: 'west' }],
        retry: { policy: 'none', maxAttempts: 1 },
      },
    ],
  };
}

/** A whole `RunResult` made by the real `buildResult`. */
export function syntheticResult(run: SyntheticRun): RunResult {
  const seconds = run.seconds ?? 5;
  const variants = run.variants.map((variant) => ({
    clock: 'wall' as const,
    name: variant.name,
    state: variant.state ?? ('completed' as const),
    wallSeconds: seconds,
    metrics: syntheticSummary(variant.ops, seconds),
    quota: [...(variant.quota ?? [])],
  }));
  const scenarios = new Map<string, VariantScenario>();
  for (const variant of run.variants) if (variant.scenario !== undefined) scenarios.set(variant.name, variant.scenario);
  return buildResult({
    scenario: {
      name: run.name ?? 'fixture',
      hash: run.hash ?? 'f'.repeat(64),
      seed: 1,
      clock: run.clock ?? 'wall',
      durationMs: seconds * 1000,
      document: { name: run.name ?? 'fixture' },
    },
    variantValues: new Map(run.variants.map((variant) => [variant.name, variant.values ?? {}])),
    variantScenarios: scenarios,
    ...(run.thresholds === undefined ? {} : { thresholds: run.thresholds }),
    run: { state: run.state ?? 'completed', ...(run.state === 'incomplete' ? { reason: 'interrupted' } : {}), variants },
    versions: { tool: '0.0.0-test', node: process.version, dependencies: {} },
    workers: 1,
    startedAt: new Date('2026-01-02T03:04:05Z'),
    wallSeconds: seconds,
  });
}

/** A quota slot as the engine reports it. */
export function slot(bucket: string, quotaPerSec: number, admitted: number, throttled: number, region = 'us-east-1'): QuotaSlotSnapshot {
  return { accountId: '111122223333', region, bucket, quotaPerSec, admitted, throttled };
}
