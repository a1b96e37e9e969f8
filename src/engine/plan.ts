/**
 * From a validated scenario variant to what the engine runs: keys are created once here (asymmetric key generation
 * is slow and must not differ between workers) and travel to every worker with their material.
 */
import { seededUuid } from '../base/random.js';
import type { RetryPolicyOptions } from '../client/retry-policy.js';
import { DEFAULT_ACCOUNT_ID } from '../kms/callers.js';
import { KmsModel, type KeySeed, type PrincipalSeed } from '../kms/model.js';
import type { FleetSpec, MixEntry, RetrySpec, Scenario, ServicesSpec } from '../scenario/index.js';
import type { MixEntrySpec, MixKey } from '../workload/request-mix.js';
import type { FleetWorkload } from './fleet-runner.js';
import type { FleetPlan, FleetRetry, ServicesPlan, VariantPlan } from './wire.js';

/** A UUID for a scenario key, fixed by the seed and the key's name, so reruns and every worker agree. */
export function scenarioKeyId(seed: number, name: string): string {
  return seededUuid(`kms-bench scenario key ${seed}/${name}`);
}

/** What the model needs of a scenario's keys: their seeds (ids fixed by the seed and name), and each name's ARN and spec. */
export function scenarioKeySeeds(scenario: Scenario): { seeds: KeySeed[]; keys: Record<string, MixKey> } {
  const seeds: KeySeed[] = [];
  const keys: Record<string, MixKey> = {};
  for (const key of scenario.keys) {
    const keyId = key.keyId ?? scenarioKeyId(scenario.seed, key.name);
    seeds.push({
      region: key.region,
      accountId: key.account,
      keyId,
      keySpec: key.keySpec,
      keyUsage: key.keyUsage,
      state: key.state,
      aliases: key.aliases,
      ...(key.policy === undefined ? {} : { policy: key.policy }),
    });
    keys[key.name] = { arn: `arn:aws:kms:${key.region}:${key.account}:key/${keyId}`, keySpec: key.keySpec };
  }
  return { seeds, keys };
}

/** The scenario's principals as the model takes them (ARN and IAM policies). */
export function scenarioPrincipals(scenario: Scenario): PrincipalSeed[] {
  return Object.values(scenario.principals ?? {}).map((p): PrincipalSeed => ({ arn: p.arn, policies: p.policies }));
}

export function planVariant(name: string, scenario: Scenario): VariantPlan {
  const { seeds, keys } = scenarioKeySeeds(scenario);
  const model = new KmsModel({ accountId: DEFAULT_ACCOUNT_ID, seed: scenario.seed, keys: seeds });
  const principals = scenarioPrincipals(scenario);
  return {
    name,
    seed: scenario.seed,
    durationMs: scenario.durationMs,
    accountId: DEFAULT_ACCOUNT_ID,
    quotas: {
      profile: scenario.quotas.profile,
      enforcement: scenario.quotas.enforcement,
      ...(scenario.quotas.enforcement === 'token-bucket' ? { burstSeconds: scenario.quotas.burstSeconds } : {}),
      overrides: scenario.quotas.overrides,
      ...(scenario.quotas.store === undefined ? {} : { store: scenario.quotas.store }),
    },
    keySeeds: model.exportKeys(),
    ...(principals.length === 0 ? {} : { principals }),
    ...(scenario.model.chargeDenied === true ? { chargeDenied: true } : {}),
    keys,
    serviceLatency: scenario.serviceLatency,
    fleets: scenario.fleets.map((fleet) => planFleet(fleet, scenario.lateness.thresholdMs, scenario.principals?.[fleet.principal ?? '']?.arn)),
    ...(scenario.services === undefined ? {} : { services: planServices(scenario.services) }),
  };
}

/** The services as the engine takes them: Parameter Store's settings ride with the resources, as a one-element list. */
function planServices(services: ServicesSpec): ServicesPlan {
  return {
    resources: { ...services.resources, ...(services.parameterStore === undefined ? {} : { parameterStore: [services.parameterStore] }) },
    quotaOverrides: services.quotaOverrides,
  };
}

function planFleet(fleet: FleetSpec, lateThresholdMs: number, principalArn: string | undefined): FleetPlan {
  const w = fleet.workload;
  const workload: FleetWorkload =
    w.model === 'open'
      ? {
          model: 'open',
          arrivalRatePerSec: w.arrivalRatePerSec,
          stages: w.stages.map((s) => ({ durationMs: s.durationMs, target: s.targetRatePerSec })),
          poisson: w.poisson,
          ...(w.maxInFlight === undefined ? {} : { maxInFlight: w.maxInFlight }),
          lateThresholdMs,
        }
      : {
          model: 'closed',
          clients: w.clients,
          thinkTimeMs: w.thinkTimeMs,
          ...(w.iterations === undefined ? {} : { iterations: w.iterations }),
        };
  return {
    name: fleet.name,
    region: fleet.region,
    accountId: fleet.account,
    ...(principalArn === undefined ? {} : { principal: principalArn }),
    client: fleet.client,
    workload,
    mix: fleet.mix.map(planMixEntry),
    retry: planRetry(fleet.retry),
    ...(fleet.cache === undefined ? {} : { cache: { ...fleet.cache } }),
    ...(fleet.algorithmSuite === undefined ? {} : { algorithmSuite: fleet.algorithmSuite }),
    ...(fleet.secretsCache === undefined ? {} : { secretsCache: fleet.secretsCache }),
  };
}

function planMixEntry(entry: MixEntry): MixEntrySpec {
  const payload = entry.payload;
  return {
    op: entry.op,
    weight: entry.weight,
    ...(entry.key === undefined ? {} : { key: entry.key }),
    ...(entry.destinationKey === undefined ? {} : { destinationKey: entry.destinationKey }),
    ...(payload.kind === 'bytes'
      ? { payloadBytes: payload.minBytes === payload.maxBytes ? payload.minBytes : { min: payload.minBytes, max: payload.maxBytes } }
      : {}),
    ...(payload.kind === 'dataKeySpec' ? { dataKeySpec: payload.dataKeySpec } : {}),
    contexts: entry.contexts,
    ...(entry.signingAlgorithm === undefined ? {} : { signingAlgorithm: entry.signingAlgorithm }),
    ...(entry.service === undefined ? {} : { service: entry.service }),
  };
}

function planRetry(retry: RetrySpec): FleetRetry {
  if (retry.policy === 'sdk-standard' || retry.policy === 'sdk-adaptive') return { policy: retry.policy, maxAttempts: retry.maxAttempts };
  if (retry.policy === 'none') return { policy: 'none', maxAttempts: retry.maxAttempts } satisfies RetryPolicyOptions;
  const tokenBudget = retry.tokenBudget === undefined ? {} : { tokenBudget: retry.tokenBudget };
  if (retry.policy === 'immediate') return { policy: 'immediate', maxAttempts: retry.maxAttempts, ...tokenBudget } satisfies RetryPolicyOptions;
  if (retry.policy === 'constant') {
    return { policy: 'constant', baseMs: retry.baseMs, maxAttempts: retry.maxAttempts, ...tokenBudget } satisfies RetryPolicyOptions;
  }
  return { policy: retry.policy, baseMs: retry.baseMs, capMs: retry.capMs, maxAttempts: retry.maxAttempts, ...tokenBudget };
}
