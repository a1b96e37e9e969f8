/**
 * `result.json`: the versioned record of a run. Deterministic content (scenario, seed, metrics) and the environment
 * (versions, machine, wall times) are kept in separate sections, so runs can be compared without the noise of when
 * and where they ran. The SDK's retry package version is recorded because it changes results.
 */
import { cpus } from 'node:os';
import type { AnyRetryPolicyOptions } from '../client/retry-description.js';
import { SDK_RETRY_TABLE, type SdkRetryTable } from '../client/sdk-retry-table.js';
import type { EngineRun } from '../engine/run.js';
import type { RepeatSummary } from '../engine/simulate.js';
import type { VersionInfo } from '../engine/versions.js';
import type { MetricsSummary } from '../metrics/index.js';
import type { QuotaSlotSnapshot } from '../quota/index.js';
import { withCacheSavings, type CacheSaving } from './cache-savings.js';
import { estimateCost } from './cost.js';
import type { CostEstimate, CostScenario } from './cost.js';
import { evaluateThresholds } from './thresholds.js';
import type { ThresholdOutcome } from './thresholds.js';

export const RESULT_SCHEMA = 'kms-bench/result';
export const RESULT_SCHEMA_VERSION = 1;
/** Above this share of late or dropped requests, the harness (not KMS) was the limit. */
export const HARNESS_LIMIT_RATE = 0.01;

export interface VariantResult {
  readonly name: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly state: 'completed' | 'incomplete';
  readonly reason?: string;
  /** True when more than 1% of requests started late or were dropped: the generator could not keep up. */
  readonly harnessLimited: boolean;
  readonly metrics: MetricsSummary;
  /** Per (account, region, bucket) that saw traffic: the quota and what it admitted and throttled. */
  readonly quota: QuotaSlotSnapshot[];
  /** The monthly cost estimate (added after schema version 1 was first written: absent in older results). */
  readonly cost?: CostEstimate;
  /** Where each fleet calls: its region and calling account (absent in older results). */
  readonly fleetPlacement?: Readonly<Record<string, FleetPlacement>>;
  /** KMS calls a data-key cache saved against the paired `cache: off` variant of the matrix (cache-savings.ts). */
  readonly cacheSavings?: readonly CacheSaving[];
  /** Virtual clock only: simulated time until the last request finished (its wall time is in `environment`). */
  readonly simulatedSeconds?: number;
  /** Virtual clock only: `real` ran the ciphers, `off` framed blobs without them (quotas and validation unchanged). */
  readonly crypto?: 'real' | 'off';
  /** Virtual clock with `--repeat N`: the seeds run and the mean and spread of the headline metrics across them. */
  readonly repeats?: RepeatSummary;
}

/** The (account, region) whose quotas a fleet draws from. */
export interface FleetPlacement {
  readonly region: string;
  readonly accountId: string;
  /** The retry policy the fleet ran in this variant (a matrix may change it per variant); absent in older results. */
  readonly retry?: AnyRetryPolicyOptions;
}

export interface RunResult {
  readonly schema: typeof RESULT_SCHEMA;
  readonly schemaVersion: typeof RESULT_SCHEMA_VERSION;
  readonly state: 'completed' | 'incomplete' | 'failed';
  readonly reason?: string;
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
    readonly startedAt: string;
    readonly wallSeconds: number;
    /** Wall seconds per variant (kept here, not in `variants`, so simulated results stay byte-identical). */
    readonly variantWallSeconds?: Readonly<Record<string, number>>;
  };
}

export interface ResultInput {
  readonly scenario: RunResult['scenario'];
  readonly variantValues: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  readonly run: EngineRun;
  readonly versions: VersionInfo;
  readonly workers: number;
  readonly startedAt: Date;
  readonly wallSeconds: number;
  /** Each variant's scenario, for its cost estimate and fleet placement; without it neither is recorded. */
  readonly variantScenarios?: ReadonlyMap<string, VariantScenario>;
  /** The scenario's thresholds, evaluated against every variant into `thresholds`. */
  readonly thresholds?: Readonly<Record<string, readonly string[]>>;
}

/** What a result records of a variant's scenario (a validated `Scenario` fits). */
export interface VariantScenario extends CostScenario {
  readonly fleets: readonly (CostScenario['fleets'][number] & {
    readonly region: string;
    readonly account: string;
    readonly retry?: AnyRetryPolicyOptions;
  })[];
}

function placement(scenario: VariantScenario): Record<string, FleetPlacement> {
  return Object.fromEntries(
    scenario.fleets.map((fleet) => [
      fleet.name,
      { region: fleet.region, accountId: fleet.account, ...(fleet.retry === undefined ? {} : { retry: fleet.retry }) },
    ]),
  );
}

export function buildResult(input: ResultInput): RunResult {
  const { run } = input;
  const variants: VariantResult[] = withCacheSavings(run.variants.map((variant) => {
    const scenario = input.variantScenarios?.get(variant.name);
    return {
      name: variant.name,
      values: input.variantValues.get(variant.name) ?? {},
      state: variant.state,
      ...(variant.reason === undefined ? {} : { reason: variant.reason }),
      harnessLimited: variant.metrics.total.lateOrDroppedRate > HARNESS_LIMIT_RATE,
      metrics: variant.metrics,
      quota: variant.quota,
      ...(scenario === undefined
        ? {}
        : {
            cost: estimateCost(scenario, variant.metrics, { complete: variant.state === 'completed', quota: variant.quota }),
            fleetPlacement: placement(scenario),
          }),
      ...(variant.simulatedSeconds === undefined ? {} : { simulatedSeconds: variant.simulatedSeconds }),
      ...(variant.crypto === undefined ? {} : { crypto: variant.crypto }),
      ...(variant.repeats === undefined ? {} : { repeats: variant.repeats }),
    };
  }));
  const thresholds = input.thresholds ?? {};
  return {
    schema: RESULT_SCHEMA,
    schemaVersion: RESULT_SCHEMA_VERSION,
    state: run.state,
    ...(run.reason === undefined ? {} : { reason: run.reason }),
    scenario: input.scenario,
    variants,
    ...(Object.keys(thresholds).length === 0 ? {} : { thresholds: evaluateThresholds(thresholds, variants) }),
    environment: {
      tool: input.versions.tool,
      node: input.versions.node,
      dependencies: input.versions.dependencies,
      sdkRetryTable: SDK_RETRY_TABLE,
      platform: `${process.platform}-${process.arch}`,
      cpus: cpus().length,
      workers: input.workers,
      startedAt: input.startedAt.toISOString(),
      wallSeconds: input.wallSeconds,
      variantWallSeconds: Object.fromEntries(run.variants.map((v) => [v.name, v.wallSeconds])),
    },
  };
}

/** JSON with `Infinity` (unlimited quotas) written as the string "Infinity" rather than silently as null. */
export function resultToJson(result: RunResult): string {
  return `${JSON.stringify(result, (_key, value: unknown) => (value === Infinity ? 'Infinity' : value), 2)}\n`;
}

/** Parses `result.json` text, reading the string "Infinity" back as the number {@link resultToJson} wrote it from. */
export function parseResultJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => (value === 'Infinity' ? Infinity : value));
}
