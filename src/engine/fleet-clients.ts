/**
 * Each fleet's client, built the same way by the wall worker and both simulation drivers so that a fleet draws its
 * retry jitter and service latency from the same seeded streams whichever engine runs it.
 */
import { createDirectClient } from '../client/direct-client.js';
import { createEsdkFleetClient, withEnvelopes } from './envelope-fleet.js';
import { createRetryPolicy, type RetryPolicy, type RetryPolicyOptions } from '../client/retry-policy.js';
import { createSdkClient } from '../client/sdk-client.js';
import type { BenchClient } from '../client/bench-client.js';
import type { KmsModel } from '../kms/model.js';
import type { CallContext } from '../kms/types.js';
import { seededRandom } from '../base/random.js';
import { keyedLatencySampler, type LatencySampler } from '../workload/service-latency.js';
import type { Clock, TimeSource } from '../base/time.js';
import { createServiceClient } from '../client/service-client.js';
import { isServiceOperationName, SecretCaches, serviceCaller, type ServiceCaller, type ServiceWorld } from '../services/index.js';
import type { FleetPlan, VariantPlan } from './wire.js';

/** The parts of a fleet's client that do not depend on how it waits: where it calls, its retry policy, its latency. */
export interface FleetClientParts {
  readonly context: CallContext;
  /** Service latency per attempt in ms, keyed by request and attempt; none when absent. */
  readonly latencyMs?: LatencySampler;
}

/** Where and as whom the fleet calls: its region, its account (charged and throttled) and its principal. */
export function fleetContext(fleet: FleetPlan): CallContext {
  return { ...prepareContext(fleet), ...(fleet.principal === undefined ? {} : { principal: fleet.principal }) };
}

/**
 * The context the fleet's fixtures are prepared in (thread-setup.ts): its region and account as the account root, on a
 * twin whose keys let everyone in, so preparing a request a policy will deny still works — the run, not the setup,
 * shows the denial.
 */
export function prepareContext(fleet: FleetPlan): CallContext {
  return { region: fleet.region, ...(fleet.accountId === undefined ? {} : { accountId: fleet.accountId }) };
}

/**
 * `stream` names the client's per-thread random streams (`fleet index/worker`): `latency/…` and `retry/…`; the keyed
 * latency stream is named by the fleet alone (`latency/fleet/<name>`), the same in every thread and host.
 */
export function fleetClientParts(fleet: FleetPlan, plan: VariantPlan, stream: string): FleetClientParts {
  const latencySpec = plan.serviceLatency[fleet.region] ?? plan.serviceLatency['default'];
  const context = fleetContext(fleet);
  if (latencySpec === undefined) return { context };
  const sequential = seededRandom(plan.seed, `latency/${stream}`);
  return { context, latencyMs: keyedLatencySampler(latencySpec, plan.seed, `latency/fleet/${fleet.name}`, sequential) };
}

/** The harness retry policy of a fleet whose retries the harness runs (not the SDK's own strategies). */
export function harnessRetryPolicy(fleet: FleetPlan, plan: VariantPlan, stream: string): RetryPolicy {
  return createRetryPolicy(fleet.retry as RetryPolicyOptions, seededRandom(plan.seed, `retry/${stream}`), `fleets.${fleet.name}.retry`);
}

/**
 * The fleet's client: direct or sdk (wrapped for envelope operations when the mix has any), or the Encryption SDK.
 * `signal`, when given, is the run's stop: it cuts the client's sleeps and SDK calls short. A simulation gives none
 * (nothing in it aborts), which also spares the SDK an abort listener per request.
 */
export function makeClient(
  fleet: FleetPlan,
  plan: VariantPlan,
  model: KmsModel,
  clock: Clock,
  signal: AbortSignal | undefined,
  stream: string,
  services?: ServiceWorld,
): BenchClient {
  const { context, latencyMs } = fleetClientParts(fleet, plan, stream);
  const common = { clock, ...(signal === undefined ? {} : { signal }), ...(latencyMs === undefined ? {} : { latencyMs }) };
  // The Encryption SDK runs on the wall clock only, which always gives the run's signal.
  if (fleet.client === 'esdk') return createEsdkFleetClient(fleet, { model, ...common, signal: signal ?? new AbortController().signal });
  if (!hasServiceOps(fleet)) return withEnvelopes(fleet, makeKmsClient(fleet, plan, model, stream, context, common), clock);
  // Service operations run on the direct client (the scenario's rules), with the fleet's one harness retry policy.
  if (services === undefined) throw new Error(`fleet ${fleet.name}: service operations need the thread's services (setUpThread)`);
  const policy = harnessRetryPolicy(fleet, plan, stream);
  const inner = withEnvelopes(fleet, createDirectClient({ model, context, policy, ...common }), clock);
  return createServiceClient({
    inner,
    services,
    caller: fleetCaller(fleet, plan),
    policy,
    ...common,
    ...(fleet.secretsCache === undefined ? {} : { caches: secretCachesOf(fleet, plan, stream, clock) }),
  });
}

/** True when the fleet's mix has AWS service operations. */
export function hasServiceOps(fleet: FleetPlan): boolean {
  return fleet.mix.some((entry) => isServiceOperationName(entry.op));
}

/** Who the fleet is to the services: its region, calling account and principal. */
export function fleetCaller(fleet: FleetPlan, plan: VariantPlan): ServiceCaller {
  return serviceCaller(fleetContext(fleet), plan.accountId);
}

/** The fleet's secret caches (its `secretsCache`), their refresh jitter from the fleet's own stream. */
export function secretCachesOf(fleet: FleetPlan, plan: VariantPlan, stream: string, time: TimeSource): SecretCaches | undefined {
  if (fleet.secretsCache === undefined) return undefined;
  return new SecretCaches(fleet.secretsCache, time, seededRandom(plan.seed, `secrets-cache/${stream}`));
}

function makeKmsClient(
  fleet: FleetPlan,
  plan: VariantPlan,
  model: KmsModel,
  stream: string,
  context: CallContext,
  common: { clock: Clock; signal?: AbortSignal; latencyMs?: LatencySampler },
): BenchClient {
  const retry = fleet.retry;
  const account = {
    ...(fleet.accountId === undefined ? {} : { accountId: fleet.accountId }),
    ...(fleet.principal === undefined ? {} : { principal: fleet.principal }),
  };
  if (retry.policy === 'sdk-standard' || retry.policy === 'sdk-adaptive') {
    if (fleet.client !== 'sdk') throw new Error(`fleet ${fleet.name}: ${retry.policy} needs client: sdk`);
    const mode = retry.policy === 'sdk-standard' ? 'standard' : 'adaptive';
    return createSdkClient({ model, region: fleet.region, ...account, retry: { mode, maxAttempts: retry.maxAttempts }, ...common });
  }
  const policy = harnessRetryPolicy(fleet, plan, stream);
  if (fleet.client === 'sdk') return createSdkClient({ model, region: fleet.region, ...account, retry: { mode: 'harness', policy }, ...common });
  return createDirectClient({ model, context, policy, ...common });
}
