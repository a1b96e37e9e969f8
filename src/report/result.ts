/**
 * `result.json`: the versioned record of a run. Deterministic content (scenario, seed, metrics) and the environment
 * (versions, machine, wall times) are kept in separate sections, so runs can be compared without the noise of when
 * and where they ran. The SDK's retry package version is recorded because it changes results.
 */
import { cpus } from 'node:os';
import type { AnyRetryPolicyOptions } from '../client/retry-description.js';
import { SDK_RETRY_TABLE } from '../client/sdk-retry-table.js';
import type { EngineRun } from '../engine/variant-run.js';
import type { VersionInfo } from '../engine/versions.js';
import type { ShardPlan } from '../engine/wire.js';
import { withCacheSavings } from './cache-savings.js';
import { estimateCost } from './cost.js';
import type { CostScenario } from './cost.js';
import { RESULT_SCHEMA, RESULT_SCHEMA_VERSION, type FleetPlacement, type RunResult, type VariantResult } from './result-types.js';
import { evaluateThresholds } from './thresholds.js';
import { principalSummaries, type PrincipalSummary } from './principal-summary.js';
import type { MetricsSummary } from '../metrics/index.js';
import type { ServicesSpec } from '../scenario/index.js';
import { HARNESS_LIMIT_RATE } from '../scenario/lateness.js';
import { servicesResult, type ServicesResult } from './attribution.js';

export { HARNESS_LIMIT_RATE } from '../scenario/lateness.js';

// The shape is declared in result-types.ts (so thresholds.ts and cache-savings.ts can read it without importing this
// module, which imports them); it is offered here too, beside the functions that build and write it.
export { RESULT_SCHEMA, RESULT_SCHEMA_VERSION } from './result-types.js';
export type { FleetPlacement, RunResult, VariantResult } from './result-types.js';

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
  /** The run id shared by the instances of a run on several hosts. */
  readonly runId?: string;
  /** The shard of the fleets this instance ran. */
  readonly shard?: ShardPlan;
  /** This instance's id (environment.instanceId). */
  readonly instanceId?: string;
}

/** What a result records of a variant's scenario (a validated `Scenario` fits). */
export interface VariantScenario extends CostScenario {
  readonly fleets: readonly (CostScenario['fleets'][number] & {
    readonly region: string;
    readonly account: string;
    readonly retry?: AnyRetryPolicyOptions;
    readonly principal?: string;
  })[];
  /** The scenario's principals by name (a validated `Scenario` has them when it names any). */
  readonly principals?: Readonly<Record<string, { readonly arn: string }>>;
  /** The scenario's lateness setting (a validated `Scenario` has it), recorded so the late count says what it counts. */
  readonly lateness?: { readonly thresholdMs: number };
  /** The AWS services' resources and settings (a validated `Scenario` has them when it models any). */
  readonly services?: ServicesSpec;
}

function placement(scenario: VariantScenario): Record<string, FleetPlacement> {
  return Object.fromEntries(
    scenario.fleets.map((fleet) => {
      const arn = fleet.principal === undefined ? undefined : scenario.principals?.[fleet.principal]?.arn;
      return [
        fleet.name,
        {
          region: fleet.region,
          accountId: fleet.account,
          ...(fleet.retry === undefined ? {} : { retry: fleet.retry }),
          ...(fleet.principal === undefined || arn === undefined ? {} : { principal: { name: fleet.principal, arn } }),
        },
      ];
    }),
  );
}

/** The per-principal figures of a variant, when some fleet names a principal (principal-summary.ts). */
function principalsOf(metrics: MetricsSummary, where: Record<string, FleetPlacement>): { principals?: Record<string, PrincipalSummary> } {
  const principals = principalSummaries(metrics, where);
  return principals === undefined ? {} : { principals };
}

/** The services' part of a variant (attribution.ts), when the run modelled services. */
function servicesOf(variant: EngineRun['variants'][number], scenario: VariantScenario | undefined): { services?: ServicesResult } {
  const services = servicesResult(variant.metrics, scenario === undefined ? {} : placement(scenario), variant.serviceQuota, scenario);
  return services === undefined ? {} : { services };
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
      ...(scenario?.lateness === undefined ? {} : { lateThresholdMs: scenario.lateness.thresholdMs }),
      metrics: variant.metrics,
      quota: variant.quota,
      ...(variant.quotaStore === undefined ? {} : { quotaStore: variant.quotaStore }),
      ...(scenario === undefined
        ? {}
        : {
            cost: estimateCost(scenario, variant.metrics, { complete: variant.state === 'completed', quota: variant.quota }),
            fleetPlacement: placement(scenario),
            ...principalsOf(variant.metrics, placement(scenario)),
          }),
      ...servicesOf(variant, scenario),
      ...(variant.clock === 'wall'
        ? {}
        : {
            simulatedSeconds: variant.simulatedSeconds,
            crypto: variant.crypto,
            ...(variant.repeats === undefined ? {} : { repeats: variant.repeats }),
          }),
      ...(variant.wire === undefined
        ? {}
        : { mergeable: { ...(variant.clock === 'wall' && variant.wallStartMs !== undefined ? { wallStartMs: variant.wallStartMs } : {}), wire: variant.wire } }),
    };
  }));
  const thresholds = input.thresholds ?? {};
  return {
    schema: RESULT_SCHEMA,
    schemaVersion: RESULT_SCHEMA_VERSION,
    state: run.state,
    ...(run.reason === undefined ? {} : { reason: run.reason }),
    ...(run.abortedBy === undefined ? {} : { abortedBy: run.abortedBy }),
    scenario: input.scenario,
    variants,
    ...(input.runId === undefined ? {} : { runId: input.runId }),
    ...(input.shard === undefined ? {} : { shard: input.shard }),
    ...(Object.keys(thresholds).length === 0 ? {} : { thresholds: evaluateThresholds(thresholds, variants) }),
    environment: {
      tool: input.versions.tool,
      node: input.versions.node,
      dependencies: input.versions.dependencies,
      sdkRetryTable: SDK_RETRY_TABLE,
      platform: `${process.platform}-${process.arch}`,
      cpus: cpus().length,
      workers: input.workers,
      ...(input.instanceId === undefined ? {} : { instanceId: input.instanceId }),
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
