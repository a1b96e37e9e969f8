/**
 * The shape of `result.json` (schema `kms-bench/result`): what a run records, with no code. Building a result
 * (result.ts) needs the threshold evaluation and the cache savings, and those read variants of a result; declaring the
 * shape here, apart from all three, keeps them from importing each other in a circle.
 */
import type { AnyRetryPolicyOptions } from '../client/retry-description.js';
import type { SdkRetryTable } from '../client/sdk-retry-table.js';
import type { RepeatSummary } from '../engine/variant-run.js';
import type { CryptoMode } from '../kms/symmetric-crypto.js';
import type { MetricsSummary } from '../metrics/index.js';
import type { QuotaSlotSnapshot, QuotaStoreReport } from '../quota/index.js';
import type { CostEstimate } from './cost.js';
import type { AbortInfo } from '../engine/live-figures.js';
import type { ShardPlan } from '../engine/wire.js';
import type { WorkerMetrics } from '../metrics/wire.js';
import type { ServicesResult } from './attribution.js';

/** The `schema` every result.json carries, so a reader can tell it from any other JSON. */
export const RESULT_SCHEMA = 'kms-bench/result';
/** The version of the shape below; fields added since version 1 are optional, so older results still read. */
export const RESULT_SCHEMA_VERSION = 1;

/** One fleet's measured saving against its uncached twin (cache-savings.ts). */
export interface CacheSaving {
  readonly fleet: string;
  /** The uncached variant it is measured against. */
  readonly baseline: string;
  readonly baselineKmsCalls: number;
  readonly kmsCalls: number;
  /** baselineKmsCalls − kmsCalls. */
  readonly kmsCallsSaved: number;
}

/** One threshold expression checked against one variant (thresholds.ts). */
export interface ThresholdOutcome {
  /** The key as written, e.g. `latencyUs` or `throttleRate{retry=none}`. */
  readonly key: string;
  /** The expression as written, e.g. `p99 < 50000`. */
  readonly expression: string;
  /** The metric evaluated, e.g. `latencyUs.p99`. */
  readonly metric: string;
  readonly variant: string;
  /** The measured value; `null` when the variant has no data for the metric (which fails the threshold). */
  readonly observed: number | null;
  readonly ok: boolean;
  /** Why there is no value, when there is none. */
  readonly note?: string;
}

/** One variant of a run: its matrix values, metrics, quota slots and what was derived from them. */
export interface VariantResult {
  readonly name: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly state: 'completed' | 'incomplete';
  readonly reason?: string;
  /** True when more than 1% of requests started late or were dropped: the generator could not keep up. */
  readonly harnessLimited: boolean;
  /**
   * The scenario's `lateness.threshold` in ms: a start past its intended time by more than this counted as `late`.
   * Absent in results written before it was settable (they used 5 ms).
   */
  readonly lateThresholdMs?: number;
  readonly metrics: MetricsSummary;
  /** Per (account, region, bucket) that saw traffic: the quota and what it admitted and throttled. */
  readonly quota: QuotaSlotSnapshot[];
  /**
   * With a shared quota store (`quotas.store`): the store, the run id its budgets were named by, and how many decisions
   * were taken under the fault policy (Redis unreachable or slow), in which seconds, and how many requests a spent
   * lease throttled before the next came.
   */
  readonly quotaStore?: QuotaStoreReport;
  /** The monthly cost estimate (added after schema version 1 was first written: absent in older results). */
  readonly cost?: CostEstimate;
  /** Where each fleet calls: its region and calling account (absent in older results). */
  readonly fleetPlacement?: Readonly<Record<string, FleetPlacement>>;
  /**
   * Per principal the fleets called as (`root:<account>` for fleets that named none): offered, succeeded, throttled and
   * denied, with the denials by operation. Present only when some fleet names a principal.
   */
  readonly principals?: Readonly<Record<string, PrincipalSummary>>;
  /** KMS calls a data-key cache saved against the paired `cache: off` variant of the matrix (cache-savings.ts). */
  readonly cacheSavings?: readonly CacheSaving[];
  /** Virtual clock only: simulated time until the last request finished (its wall time is in `environment`). */
  readonly simulatedSeconds?: number;
  /** Virtual clock only: `real` ran the ciphers, `off` framed blobs without them (quotas and validation unchanged). */
  readonly crypto?: CryptoMode;
  /** Virtual clock with `--repeat N`: the seeds run and the mean and spread of the headline metrics across them. */
  readonly repeats?: RepeatSummary;
  /**
   * What `kms-bench merge` adds up with other instances' results: `metrics` summarized from counters, HDR histograms
   * (V2 compressed base64, per fleet and operation) and timelines. Absent in older results, which cannot be merged.
   */
  readonly mergeable?: MergeableMetrics;
  /**
   * The AWS services (attribution.ts): every KMS call by source, principal and resource, each source's share and cost,
   * the services' requests and quotas. Present only when the run modelled services.
   */
  readonly services?: ServicesResult;
}

/** One variant's metrics in the form several instances' results add up in. */
export interface MergeableMetrics {
  /**
   * Wall clock only: epoch milliseconds of the timelines' second 0, which lines up the seconds of instances that
   * started apart. Simulations all start at simulated second 0 and carry none.
   */
  readonly wallStartMs?: number;
  /** Counters, encoded histograms, per-second timelines and cache counters, in the engine's wire format (metrics/wire.ts). */
  readonly wire: WorkerMetrics;
}

/** One instance whose result went into a merged result. */
export interface MergedInstance {
  readonly id: string;
  /** The file it was read from, as given to `kms-bench merge`. */
  readonly file: string;
  readonly state: 'completed' | 'incomplete';
  readonly reason?: string;
  readonly shard?: ShardPlan;
  readonly startedAt: string;
  readonly workers: number;
}

/** The (account, region) whose quotas a fleet draws from. */
export interface FleetPlacement {
  readonly region: string;
  readonly accountId: string;
  /** The retry policy the fleet ran in this variant (a matrix may change it per variant); absent in older results. */
  readonly retry?: AnyRetryPolicyOptions;
  /** The principal the fleet called as (its `principals` name and ARN); absent: its account's root. */
  readonly principal?: { readonly name: string; readonly arn: string };
}

/** One principal's figures in one variant. */
export interface PrincipalSummary {
  /** The ARN the fleets called as (`arn:aws:iam::<account>:root` for the account root). */
  readonly arn: string;
  /** The fleets that called as it, in scenario order. */
  readonly fleets: readonly string[];
  readonly offered: number;
  readonly completed: number;
  readonly succeeded: number;
  readonly throttled: number;
  /** Operations a policy refused (AccessDeniedException). */
  readonly denied: number;
  /** denied / completed (0 when nothing completed). */
  readonly deniedRate: number;
  /** Denied operations by operation name; only operations with a denial. */
  readonly deniedOperations: Readonly<Record<string, number>>;
}

/** A whole run: the scenario, every variant, the threshold outcomes and the environment it ran in. */
export interface RunResult {
  readonly schema: typeof RESULT_SCHEMA;
  readonly schemaVersion: typeof RESULT_SCHEMA_VERSION;
  /** `incomplete` when the run was interrupted or a variant did not finish (`reason` says which). */
  readonly state: 'completed' | 'incomplete';
  readonly reason?: string;
  /** The `abortOnFail` threshold that ended the run early (`reason` says so too): `run` exits 1, not 3. */
  readonly abortedBy?: AbortInfo;
  readonly scenario: {
    readonly name: string;
    readonly hash: string;
    readonly seed: number;
    readonly clock: string;
    readonly durationMs: number;
    /** The scenario as validated (after --set overrides), so the run can be reproduced. */
    readonly document: unknown;
    /**
     * The service latency assumed for fleets whose region the scenario gave none (src/workload/service-latency.ts),
     * in words; absent when the scenario set every latency used.
     */
    readonly serviceLatencyAssumed?: string;
  };
  readonly variants: VariantResult[];
  /**
   * The run id shared by every instance of a run on several hosts (`--run-id`; default `scenario-<hash prefix>`, the
   * id the quota store's budgets were named by); absent in results written before it was always recorded.
   */
  readonly runId?: string;
  /** `--shard k/n`: this instance ran part k of n of every fleet; absent: the whole fleet. */
  readonly shard?: ShardPlan;
  /** A merged result (`kms-bench merge`): the instances added up, in the order given. */
  readonly instances?: readonly MergedInstance[];
  /** The scenario's thresholds, evaluated per variant; absent when it has none (and in older results). */
  readonly thresholds?: ThresholdOutcome[];
  readonly environment: {
    readonly tool: string;
    readonly node: string;
    readonly dependencies: Readonly<Record<string, string>>;
    /**
     * The retry table the installed SDK runs (bases, costs, quota), read from its package: the version alone does not
     * say it, since the 2026 table was at first switched by a flag. Absent in results written before it was recorded.
     */
    readonly sdkRetryTable?: SdkRetryTable;
    readonly platform: string;
    readonly cpus: number;
    readonly workers: number;
    /**
     * The instance that ran (`--instance-id`, default `<hostname>-<pid>`); kept here with the other facts of where
     * it ran, so simulated results stay byte-identical. A merged result has none: it lists `instances`.
     */
    readonly instanceId?: string;
    readonly startedAt: string;
    readonly wallSeconds: number;
    /** Wall seconds per variant (kept here, not in `variants`, so simulated results stay byte-identical). */
    readonly variantWallSeconds?: Readonly<Record<string, number>>;
  };
}
