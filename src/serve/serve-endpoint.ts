/**
 * `kms-bench serve` as a library: a KMS endpoint over HTTP whose keys, quotas, service latency and faults come from a
 * scenario, with optional persistent state, Prometheus metrics, health and admin paths, and a graceful stop.
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_ACCOUNT_ID } from '../kms/callers.js';
import { KmsModel } from '../kms/model.js';
import { isKeyIdFormat } from '../kms/ciphertext-blob.js';
import type { ModelSnapshot } from '../kms/state-snapshot.js';
import type { CallContext } from '../kms/types.js';
import { startKmsServer, type KmsServer } from '../protocol/http-server.js';
import type { Scenario } from '../scenario/types.js';
import { scenarioKeySeeds, scenarioPrincipals } from '../engine/plan.js';
import { FaultInjector } from './fault-injector.js';
import { ServeMetrics } from './serve-metrics.js';
import { serveRoutes } from './serve-routes.js';
import { serveTarget } from './serve-target.js';
import { StateFileError } from './state-file.js';
import { StateKeeper } from './state-keeper.js';
import { defaultRunId } from '../scenario/hash.js';

/** Options of {@link startServeEndpoint}. */
export interface ServeEndpointOptions {
  /** Keys, quotas, service latency (declared only: the assumed default is not added) and faults; fleets are ignored. */
  readonly scenario: Scenario;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Listen on a non-loopback interface (signatures are not checked). */
  readonly allowRemote: boolean;
  /** Keep state in this directory across restarts; in memory when absent. */
  readonly stateDir?: string;
  /** Region of requests that name none (no KMS host name, no SigV4 scope). */
  readonly defaultRegion?: string;
  /** Largest request body in bytes (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /**
   * Names the quota budgets in a shared store (`quotas.store`): replicas given the same id share one quota. Default
   * `scenario-<hash>` (src/scenario/hash.ts), the same for replicas started from the same scenario and settings.
   */
  readonly runId?: string;
  /** Told when a debounced state write fails (the endpoint keeps serving). */
  readonly onStateWriteError?: (error: unknown) => void;
}

/** A running endpoint. */
export interface ServeEndpoint {
  readonly server: KmsServer;
  readonly model: KmsModel;
  readonly metrics: ServeMetrics;
  readonly faults: FaultInjector;
  /** Where state is kept, or `undefined` for memory. */
  readonly stateDir: string | undefined;
  /** `loaded` when the keys came from the state directory, `seeded` when from the scenario. */
  readonly keysFrom: 'loaded' | 'seeded';
  /** Start-up warnings, one line each (a loaded key whose policy differs from the scenario's). */
  readonly warnings: readonly string[];
  /** Stops accepting, lets requests in flight finish, writes the state, releases the state directory. */
  shutdown(): Promise<void>;
}

/**
 * The access key ids callers sign with to act as the scenario's principals: each principal's name in the scenario
 * (`AWS_ACCESS_KEY_ID=app`), mapped to its ARN. Any other access key id calls as the account root, as before principals.
 */
export function principalAccessKeys(scenario: Scenario): ReadonlyMap<string, string> {
  return new Map(Object.entries(scenario.principals ?? {}).map(([name, principal]) => [name, principal.arn]));
}

/** Starts the endpoint; resolves once it listens. Throws `StateFileError` for an unusable `--state`. */
export async function startServeEndpoint(options: ServeEndpointOptions): Promise<ServeEndpoint> {
  const { scenario } = options;
  const quotas = {
    profile: scenario.quotas.profile,
    enforcement: scenario.quotas.enforcement,
    ...(scenario.quotas.enforcement === 'token-bucket' ? { burstSeconds: scenario.quotas.burstSeconds } : {}),
    overrides: scenario.quotas.overrides,
    ...(scenario.quotas.store === undefined ? {} : { store: scenario.quotas.store, runId: options.runId ?? defaultRunId(scenario) }),
  };
  const { seeds, keys } = scenarioKeySeeds(scenario);
  const arns = new Map(Object.entries(keys).map(([name, key]) => [name, key.arn]));
  // Principals and chargeDenied are configuration, not state: they come from the scenario on every start.
  const authorization = {
    principals: scenarioPrincipals(scenario),
    ...(scenario.model.chargeDenied === true ? { chargeDenied: true } : {}),
  };
  const accessKeys = principalAccessKeys(scenario);
  let model: KmsModel | undefined;
  let keeper: StateKeeper | undefined;
  let keysFrom: ServeEndpoint['keysFrom'] = 'seeded';
  const warnings: string[] = [];
  if (options.stateDir !== undefined) {
    const opened = StateKeeper.open(options.stateDir, () => (model as KmsModel).exportState(), {
      ...(options.onStateWriteError === undefined ? {} : { onError: options.onStateWriteError }),
    });
    keeper = opened.keeper;
    try {
      if (opened.loaded !== undefined) {
        model = new KmsModel({ restore: opened.loaded, quotas, ...authorization });
        keysFrom = 'loaded';
        warnings.push(...policyDrift(scenario, opened.loaded));
      }
    } catch (error) {
      abandon(keeper, new StateFileError(`cannot restore the state in ${keeper.dir}: ${(error as Error).message}`, { cause: error }));
    }
  }
  model ??= new KmsModel({ accountId: DEFAULT_ACCOUNT_ID, seed: scenario.seed, keys: seeds, quotas, ...authorization });
  const held = model;
  // A fresh directory holds the seeded keys from the start: a crash before any change still restarts with them.
  if (keeper !== undefined && keysFrom === 'seeded') {
    try {
      keeper.flush();
    } catch (error) {
      abandon(keeper, new StateFileError(`cannot write the state file in ${keeper.dir}: ${(error as Error).message}`, { cause: error }));
    }
  }

  // A shared quota store connects before the endpoint listens (or gives up: then its fault policy decides).
  await held.quotaBoard?.ready();
  const startedAt = performance.now();
  const keyArnOf = (entry: string, context: CallContext): string | undefined => {
    const named = arns.get(entry);
    if (named !== undefined) return named;
    if (entry.startsWith('arn:') && !entry.includes(':alias/')) return entry;
    if (isKeyIdFormat(entry) || entry.startsWith('alias/') || entry.startsWith('arn:')) return held.peekKey({ KeyId: entry }, context)?.arn;
    return undefined;
  };
  const faults = new FaultInjector(scenario.faults, { seed: scenario.seed, nowMs: () => performance.now() - startedAt, keyArnOf });
  let server: KmsServer | undefined;
  let draining = false;
  const metrics = new ServeMetrics(held, () => server?.inFlight ?? 0, [...accessKeys.values()]);
  const target = serveTarget(held, {
    faults,
    serviceLatency: scenario.serviceLatencyAssumed ? withoutDefault(scenario.serviceLatency) : scenario.serviceLatency,
    seed: scenario.seed,
    onStateChanged: () => keeper?.changed(),
    onFault: (operation, code) => metrics.faultInjected(operation, code),
  });
  const routes = serveRoutes({
    metrics,
    faults,
    keyNames: scenario.keys.map((key) => key.name),
    draining: () => draining,
    health: () => ({ keys: held.usage().keys, state: keeper?.dir ?? 'memory', inFlight: server?.inFlight ?? 0 }),
    saveState: () => {
      if (keeper === undefined) return false;
      keeper.flush();
      return true;
    },
  });
  try {
    server = await startKmsServer(target, {
      host: options.host,
      port: options.port,
      allowNonLoopback: options.allowRemote,
      onAnswered: metrics.observe,
      principalForAccessKey: (accessKeyId) => accessKeys.get(accessKeyId),
      routes,
      ...(options.defaultRegion === undefined ? {} : { defaultRegion: options.defaultRegion }),
      ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    });
  } catch (error) {
    if (keeper !== undefined) abandon(keeper, error);
    throw error;
  }
  const listening = server;
  let stopping: Promise<void> | undefined;
  return {
    server: listening,
    model: held,
    metrics,
    faults,
    stateDir: keeper?.dir,
    keysFrom,
    warnings,
    shutdown(): Promise<void> {
      stopping ??= (async () => {
        draining = true;
        await listening.drain();
        keeper?.close();
        held.quotaBoard?.close();
      })();
      return stopping;
    },
  };
}

/**
 * The scenario's keys that declare a policy other than the one the state directory holds for the same key id. The
 * state's is kept — it may be a PutKeyPolicy's, which the state exists to keep — but a silent difference would look
 * like the scenario being ignored.
 */
function policyDrift(scenario: Scenario, loaded: ModelSnapshot): string[] {
  const stored = new Map(loaded.keys.map((key) => [`${key.accountId}/${key.region}/${key.keyId}`, key.policy]));
  const { seeds } = scenarioKeySeeds(scenario);
  return scenario.keys.flatMap((key, i) => {
    const seed = seeds[i];
    if (seed?.policy === undefined) return [];
    const policy = stored.get(`${seed.accountId ?? DEFAULT_ACCOUNT_ID}/${seed.region}/${seed.keyId ?? ''}`);
    if (policy === undefined || sameJson(policy, seed.policy)) return [];
    return [`key ${key.name}: the state directory's key policy differs from the scenario's; the state's is kept (PutKeyPolicy changes it)`];
  });
}

/** Whether two JSON documents are equal as written, whitespace aside. */
function sameJson(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a === b;
  }
}

/**
 * Releases the state directory after a failed start and throws `error`: nothing is written (the file stays
 * as it was), and a failure to release is not allowed to hide why the start failed.
 */
function abandon(keeper: StateKeeper, error: unknown): never {
  try {
    keeper.release();
  } catch {
    // The start's own error is the one to report.
  }
  throw error;
}

/** The scenario's latency table without the assumed `default` (serve adds only what a scenario declares). */
function withoutDefault(latency: Scenario['serviceLatency']): Scenario['serviceLatency'] {
  const { default: _assumed, ...declared } = latency;
  return declared;
}
