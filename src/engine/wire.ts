/**
 * The main-thread ⇄ worker wire format: one typed module, everything structured-cloneable. Shared state travels as
 * SharedArrayBuffers: the quota board (every worker draws from one budget) and the run control block.
 */
import type { EnvelopeCacheSetup } from '../client/envelope-client.js';
import type { EsdkSuite } from '../client/esdk-client.js';
import type { RetryPolicyOptions } from '../client/retry-policy.js';
import type { KeySeed, PrincipalSeed } from '../kms/model.js';
import type { WorkerMetrics } from '../metrics/wire.js';
import type { QuotaOptions, SharedQuotaBoard, SharedRateBoard } from '../quota/index.js';
import type { SecretCacheSetup, ServiceQuotaOverrides, ServiceResources } from '../services/index.js';
import type { MixEntrySpec, MixKey } from '../workload/request-mix.js';
import type { ServiceLatencySpec } from '../workload/service-latency.js';
import type { FleetWorkload } from './fleet-runner.js';
import type { LiveBoard } from './live-board.js';

export type FleetRetry = RetryPolicyOptions | { readonly policy: 'sdk-standard' | 'sdk-adaptive'; readonly maxAttempts: number };

export interface FleetPlan {
  readonly name: string;
  readonly region: string;
  readonly accountId?: string;
  /** The principal's ARN the fleet calls as (`CallContext.principal`); absent: its account's root. */
  readonly principal?: string;
  readonly client: 'direct' | 'sdk' | 'esdk';
  readonly workload: FleetWorkload;
  readonly mix: readonly MixEntrySpec[];
  readonly retry: FleetRetry;
  /** The data-key cache of envelope operations; absent for none. */
  readonly cache?: EnvelopeCacheSetup;
  /** `client: esdk` only: the Encryption SDK's algorithm suite. */
  readonly algorithmSuite?: EsdkSuite;
  /** The client-side cache of Secrets Manager reads; absent for none. */
  readonly secretsCache?: SecretCacheSetup;
}

/** The AWS services of a variant (src/services): their resources by kind and settings, and quota overrides. */
export interface ServicesPlan {
  /** Resources by kind (`secrets`, `parameters`, …) and settings (`parameterStore`: a one-element list). */
  readonly resources: ServiceResources;
  readonly quotaOverrides: ServiceQuotaOverrides;
}

/** One variant of a scenario, resolved for the engine. */
export interface VariantPlan {
  readonly name: string;
  readonly seed: number;
  readonly durationMs: number;
  readonly accountId: string;
  readonly quotas: QuotaOptions;
  /** Every key, with its material and key policy, so all workers hold the same keys. */
  readonly keySeeds: readonly KeySeed[];
  /** The principals fleets call as, with their IAM policies (JSON text); absent when the scenario names none. */
  readonly principals?: readonly PrincipalSeed[];
  /** Whether a denied request still draws from the quota (the model's `chargeDenied`); absent: it does not. */
  readonly chargeDenied?: boolean;
  /** Scenario key name → ARN and spec. */
  readonly keys: Readonly<Record<string, MixKey>>;
  /** Per region, or `default`. */
  readonly serviceLatency: Readonly<Record<string, ServiceLatencySpec>>;
  readonly fleets: readonly FleetPlan[];
  /**
   * `--shard k/n`: this instance runs part k of every fleet split n ways (a run on several hosts whose results
   * `kms-bench merge` adds up); absent: the whole fleet. Not part of the scenario: every shard runs the same one.
   */
  readonly shard?: ShardPlan;
  /** The AWS services; absent when the scenario models none. */
  readonly services?: ServicesPlan;
}

/** Shard `index` of `count` (0 ≤ index < count). */
export interface ShardPlan {
  readonly index: number;
  readonly count: number;
}

/**
 * The part of every fleet a thread runs: worker w of W inside shard k of n is part k + n·w of n·W, so the parts of
 * every worker of every shard together are the whole fleet, each global arrival and closed client in exactly one.
 */
export function threadPart(plan: Pick<VariantPlan, 'shard'>, worker: number, workers: number): { readonly part: number; readonly parts: number } {
  const index = plan.shard?.index ?? 0;
  const count = plan.shard?.count ?? 1;
  return { part: index + count * worker, parts: count * workers };
}

/**
 * Run control block, an Int32Array over a SharedArrayBuffer: STOP is set by the main thread (Ctrl-C, a crashed
 * worker); READY counts workers done preparing; GO releases them all at once; START_NS (a BigInt64 after the Int32s)
 * is the common start time. PROGRESS_BASE.. holds each worker's completed-operation count.
 */
export const CONTROL = { STOP: 0, READY: 1, GO: 2, PROGRESS_BASE: 4 } as const;
const START_NS_BYTE_OFFSET = 0;

export interface ControlBuffers {
  readonly flags: SharedArrayBuffer;
  readonly startNs: SharedArrayBuffer;
}

export function createControl(workers: number): ControlBuffers {
  return {
    flags: new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * (CONTROL.PROGRESS_BASE + workers)),
    startNs: new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT),
  };
}

export function readStartNs(control: ControlBuffers): number {
  return Number(Atomics.load(new BigInt64Array(control.startNs, START_NS_BYTE_OFFSET, 1), 0));
}

export function writeStartNs(control: ControlBuffers, ns: number): void {
  Atomics.store(new BigInt64Array(control.startNs, START_NS_BYTE_OFFSET, 1), 0, BigInt(Math.round(ns)));
}

export interface WorkerTask {
  readonly plan: VariantPlan;
  readonly worker: number;
  readonly workers: number;
  readonly quota: SharedQuotaBoard;
  /** The services' own request quotas, shared by every worker; absent when the plan has no services. */
  readonly serviceQuota?: SharedRateBoard;
  readonly control: ControlBuffers;
  /** Where this worker publishes its live figures, as source `worker` (live-board.ts). */
  readonly live?: LiveBoard;
  /** Fault injection for testing the harness itself: this worker throws after `afterMs` of the run. */
  readonly crashAfterMs?: number;
  /** Forces the promise driver for every fleet; by default direct fleets run event-driven (wall-event-driver.ts). */
  readonly driver?: EngineDriver;
}

/**
 * `events`: the state machines on an event queue, no promise per request; `promises`: the async fleet runner. The same
 * choice on the wall clock (run.ts) and in a simulation (simulate-variant.ts).
 */
export type EngineDriver = 'events' | 'promises';

export interface WorkerResult {
  readonly worker: number;
  readonly metrics: WorkerMetrics;
  /** True when the worker stopped before its schedule ended (told to stop). */
  readonly stoppedEarly: boolean;
}

/** Every fleet is a closed workload with a fixed number of iterations: the work can end before the schedule. */
export function isBatch(plan: VariantPlan): boolean {
  return plan.fleets.every((fleet) => fleet.workload.model === 'closed' && fleet.workload.iterations !== undefined);
}
