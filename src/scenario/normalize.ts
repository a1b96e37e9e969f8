/**
 * The last step of validation: the defaults that depend on another field (a fleet's retry policy on its client, a
 * key's usage on its spec, a mix entry's payload on its operation), giving the {@link Scenario} the engine consumes.
 * Runs only on a document that passed the schema and the cross-field rules.
 */
import { KEY_SPECS } from '../kms/key-specs.js';
import { DEFAULT_ACCOUNT_ID } from '../kms/callers.js';
import { DEFAULT_PAYLOAD_BYTES, OP_RULES } from './catalog.js';
import { ASSUMED_SERVICE_LATENCY } from '../workload/service-latency.js';
import { RETRY_DEFAULTS } from './schema.js';
import { keyPolicyText, normalizePrincipals } from './principal-policies.js';
import { principalAccount } from './principals.js';
import type { ParsedFleet, ParsedMixEntry, ParsedScenario } from './schema.js';
import { SERVICE_DEFINITIONS, serviceOperation } from '../services/index.js';

/** The resource kinds of the registered services: the scenario's top-level lists of service resources. */
const SERVICE_RESOURCE_KINDS: readonly string[] = [...new Set(SERVICE_DEFINITIONS.flatMap((d) => d.operations.map((op) => op.resourceKind)))];
import type {
  FleetSpec,
  KeySpecEntry,
  MatrixAxis,
  MixEntry,
  MixOperation,
  PayloadSpec,
  PrincipalSpec,
  RetrySpec,
  Scenario,
  ServicesSpec,
  ScenarioDocument,
} from './types.js';

/** Builds the normalized scenario from the schema's output and the document it came from. */
export function normalizeScenario(parsed: ParsedScenario, document: ScenarioDocument): Scenario {
  const principals = normalizePrincipals(parsed.principals);
  const keys: KeySpecEntry[] = parsed.keys.map((key) => {
    const account = key.account ?? DEFAULT_ACCOUNT_ID;
    const policy = keyPolicyText(key.policy, account, principals);
    return {
      name: key.name,
      region: key.region,
      account,
      keySpec: key.keySpec,
      keyUsage: key.keyUsage ?? KEY_SPECS[key.keySpec]?.usages[0] ?? 'ENCRYPT_DECRYPT',
      aliases: key.aliases,
      state: key.state,
      keyId: key.keyId,
      // Absent rather than undefined for the default policy: a scenario without policies keeps its hash.
      ...(policy === undefined ? {} : { policy }),
    };
  });
  const specByName = new Map(keys.map((key) => [key.name, key.keySpec]));
  const matrix: MatrixAxis[] = Object.entries(parsed.matrix ?? {}).map(([path, values]) => ({ path, values }));
  const latency = parsed.serviceLatency;
  const services = normalizeServices(parsed);
  const latencyAssumed = latency['default'] === undefined && parsed.fleets.some((fleet) => latency[fleet.region] === undefined);
  return {
    name: parsed.name,
    description: parsed.description,
    seed: parsed.seed,
    durationMs: parsed.duration,
    clock: parsed.clock,
    workers: parsed.workers,
    model: parsed.model,
    quotas: parsed.quotas,
    ...(principals.size === 0 ? {} : { principals: Object.fromEntries(principals) }),
    keys,
    ...(services === undefined ? {} : { services }),
    serviceLatency: latencyAssumed ? { ...latency, default: ASSUMED_SERVICE_LATENCY } : latency,
    serviceLatencyAssumed: latencyAssumed,
    lateness: parsed.lateness,
    faults: parsed.faults,
    fleets: parsed.fleets.map((fleet) => normalizeFleet(fleet, specByName, principals)),
    thresholds: Object.fromEntries(
      Object.entries(parsed.thresholds).map(([key, entries]) => [key, entries.map((e) => (typeof e === 'string' ? e : e.threshold))]),
    ),
    thresholdAborts: Object.entries(parsed.thresholds).flatMap(([key, entries]) =>
      entries.flatMap((e) =>
        typeof e !== 'string' && e.abortOnFail ? [{ key, expression: e.threshold, delayAbortEvalMs: e.delayAbortEval ?? 0 }] : [],
      ),
    ),
    prices: parsed.prices ?? {},
    matrix,
    document,
  };
}

function normalizeFleet(fleet: ParsedFleet, specByName: ReadonlyMap<string, string>, principals: ReadonlyMap<string, PrincipalSpec>): FleetSpec {
  const principal = fleet.principal === undefined ? undefined : principals.get(fleet.principal);
  return {
    name: fleet.name,
    region: fleet.region,
    // The principal's account is the calling account (principal-rules.ts refuses a fleet account that contradicts it).
    account: fleet.account ?? (principal === undefined ? undefined : principalAccount(principal.arn)) ?? DEFAULT_ACCOUNT_ID,
    ...(fleet.principal === undefined ? {} : { principal: fleet.principal }),
    client: fleet.client,
    workload: fleet.workload,
    mix: fleet.mix.map((entry) => normalizeMixEntry(entry, specByName)),
    retry: normalizeRetry(fleet.retry, fleet.client),
    cache: fleet.cache,
    algorithmSuite: fleet.client === 'esdk' ? (fleet.algorithmSuite ?? 'committing-signed') : undefined,
    ...(fleet.secretsCache === undefined ? {} : { secretsCache: fleet.secretsCache }),
  };
}

/** The services' part of the scenario, absent when it names no resource and no setting (so it keeps its hash). */
function normalizeServices(parsed: ParsedScenario): ServicesSpec | undefined {
  const resources: Record<string, Readonly<Record<string, unknown>>[]> = {};
  // Every kind of resource the registered services name (`secrets`, `parameters`, …), each a top-level list.
  for (const kind of SERVICE_RESOURCE_KINDS) {
    const list = (parsed as unknown as Record<string, Readonly<Record<string, unknown>>[] | undefined>)[kind];
    if (list !== undefined && list.length > 0) resources[kind] = list;
  }
  const quotaOverrides = parsed.serviceQuotas ?? {};
  if (Object.keys(resources).length === 0 && parsed.parameterStore === undefined && Object.keys(quotaOverrides).length === 0) return undefined;
  return { resources, ...(parsed.parameterStore === undefined ? {} : { parameterStore: parsed.parameterStore }), quotaOverrides };
}

function normalizeRetry(retry: ParsedFleet['retry'], client: FleetSpec['client']): RetrySpec {
  if (retry === undefined) return defaultRetry(client);
  if (retry.policy === 'none') return { policy: 'none', maxAttempts: retry.maxAttempts };
  if (retry.policy === 'sdk-standard' || retry.policy === 'sdk-adaptive') {
    return { policy: retry.policy, maxAttempts: retry.maxAttempts };
  }
  return retry;
}

/** The SDK client retries as the SDK does by default; the direct client with the classic exponential backoff. */
function defaultRetry(client: FleetSpec['client']): RetrySpec {
  if (client === 'sdk' || client === 'esdk') return { policy: 'sdk-standard', maxAttempts: RETRY_DEFAULTS.maxAttempts };
  return { policy: 'exponential', ...RETRY_DEFAULTS, tokenBudget: undefined };
}

function normalizeMixEntry(entry: ParsedMixEntry, specByName: ReadonlyMap<string, string>): MixEntry {
  const service = serviceOperation(entry.op);
  if (service !== undefined) {
    const given = entry as Readonly<Record<string, unknown>>;
    const params: Record<string, boolean | number | string> = {};
    for (const param of service.params ?? []) {
      const value = (given[param.field] as boolean | number | string | undefined) ?? param.default;
      if (value !== undefined) params[param.field] = value;
    }
    return {
      op: entry.op,
      weight: entry.weight,
      key: undefined,
      destinationKey: undefined,
      payload: { kind: 'none' },
      contexts: 0,
      signingAlgorithm: undefined,
      service: { resource: String(given[service.resourceField]), params },
    };
  }
  const op = entry.op as MixOperation;
  const rule = OP_RULES[op];
  const keySpec = entry.key === undefined ? undefined : specByName.get(entry.key);
  let payload: PayloadSpec;
  if (rule.payload === 'none') payload = { kind: 'none' };
  else if (entry.dataKeySpec !== undefined) payload = { kind: 'dataKeySpec', dataKeySpec: entry.dataKeySpec };
  else if (typeof entry.payloadBytes === 'number') payload = { kind: 'bytes', minBytes: entry.payloadBytes, maxBytes: entry.payloadBytes };
  else if (entry.payloadBytes !== undefined) payload = { kind: 'bytes', minBytes: entry.payloadBytes.min, maxBytes: entry.payloadBytes.max };
  else if (rule.payload === 'dataKey') payload = { kind: 'dataKeySpec', dataKeySpec: 'AES_256' };
  else payload = { kind: 'bytes', minBytes: DEFAULT_PAYLOAD_BYTES, maxBytes: DEFAULT_PAYLOAD_BYTES };
  const signing = op === 'Sign' || op === 'Verify';
  return {
    op,
    weight: entry.weight,
    key: entry.key,
    destinationKey: op === 'ReEncrypt' ? (entry.destinationKey ?? entry.key) : undefined,
    payload,
    contexts: entry.contexts,
    signingAlgorithm: signing
      ? (entry.signingAlgorithm ?? (keySpec === undefined ? undefined : KEY_SPECS[keySpec]?.signingAlgorithms?.[0]))
      : undefined,
  };
}
