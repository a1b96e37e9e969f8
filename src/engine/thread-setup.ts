/**
 * What every engine thread does around its run, the wall-clock Piscina worker (worker.ts) and a virtual-clock
 * simulation (simulate-variant.ts) alike: the model it measures and a quota-free twin to prepare requests with, each
 * fleet's request mix and random stream, the fixtures made before time starts (SDK warm-up, the messages envelope
 * fleets decrypt), and the clients' cache counters handed to the recorder at the end. One copy, so the two engines cannot drift apart
 * in what they prepare or in which random streams a fleet draws from.
 */
import type { BenchClient } from '../client/bench-client.js';
import { warmUpSdk } from '../client/sdk-client.js';
import { KmsModel } from '../kms/model.js';
import type { CryptoMode } from '../kms/symmetric-crypto.js';
import type { MetricsRecorder } from '../metrics/recorder.js';
import { RateBoard, type QuotaBoard } from '../quota/index.js';
import { ServiceWorld } from '../services/index.js';
import { KeyedRandom, seededRandom, streamKey } from '../base/random.js';
import type { TimeSource } from '../base/time.js';
import { RequestMix } from '../workload/request-mix.js';
import { sealEnvelopeFixtures } from './envelope-fixtures.js';
import { recordCacheReport } from './envelope-fleet.js';
import { hasServiceOps, prepareContext } from './fleet-clients.js';
import type { FleetPlan, VariantPlan } from './wire.js';

/**
 * The key policy of the preparation twin's keys: every principal of every account may do everything, so fixtures are
 * made whatever the measured keys' policies say (the account root of a fleet's account prepares them).
 */
const PREPARE_KEY_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'kms-bench preparation', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }],
});

/** One fleet as a thread runs it. */
export interface ThreadFleet {
  readonly fleet: FleetPlan;
  /** The fleet's index in `plan.fleets`. */
  readonly index: number;
  /** Names the fleet's client streams in this thread (`latency/…`, `retry/…`): `<fleet index>/<worker>`. */
  readonly stream: string;
  readonly mix: RequestMix;
  /**
   * Each request's choices (operation, payload, context), keyed by its global arrival number or closed client and
   * iteration: the same in every thread and `--shard`, so a shard makes exactly the requests the whole run makes.
   */
  readonly requests: KeyedRandom;
  /** The keyed stream of the fleet's Poisson gaps (workload/arrivals.ts). */
  readonly arrivalGaps: number;
}

/** What {@link setUpThread} needs. */
export interface ThreadSetupOptions {
  readonly plan: VariantPlan;
  /** The fleets (indices into `plan.fleets`) this thread runs. */
  readonly fleetIndices: readonly number[];
  /**
   * The worker index that names this thread's random streams. A simulation runs every fleet at full rate as worker 0
   * (of 1), so its streams are those of a one-worker wall run.
   */
  readonly worker: number;
  /** The engine's clock: the model's dates and rotation schedules. The quota board reads its own. */
  readonly clock: TimeSource;
  /** The board the measured model charges (shared across wall workers, one per simulation). */
  readonly quotaBoard: QuotaBoard;
  /** Default `real`. */
  readonly crypto?: CryptoMode;
  /**
   * The services' own request quotas (shared across wall workers); a simulation gives none and gets its own, read on
   * its clock. Used only when the plan has services.
   */
  readonly serviceBoard?: RateBoard;
}

/** A thread's models and fleets. */
export interface ThreadSetup {
  /** The model the run measures: quotas on. */
  readonly model: KmsModel;
  /**
   * The same keys without quotas, in the same crypto mode: ciphertexts to decrypt and envelope messages are made
   * here, so preparation spends none of the measured quota.
   */
  readonly prepareModel: KmsModel;
  readonly fleets: readonly ThreadFleet[];
  /** The AWS services over the measured model, when the plan has any (service resources or operations). */
  readonly services?: ServiceWorld;
}

/** True when the plan models AWS services: resources or settings, or a fleet sending service operations. */
export function hasServices(plan: VariantPlan): boolean {
  return plan.services !== undefined || plan.fleets.some(hasServiceOps);
}

/** Builds the thread's models and each fleet's request mix (its fixtures sealed by `prepareModel`). */
export function setUpThread(options: ThreadSetupOptions): ThreadSetup {
  const { plan, worker, clock } = options;
  const crypto = options.crypto ?? 'real';
  const common = { accountId: plan.accountId, seed: plan.seed, clock, crypto };
  const model = new KmsModel({
    ...common,
    keys: plan.keySeeds,
    quotaBoard: options.quotaBoard,
    ...(plan.principals === undefined ? {} : { principals: plan.principals }),
    ...(plan.chargeDenied === undefined ? {} : { chargeDenied: plan.chargeDenied }),
  });
  // Preparation must not depend on who may use a key: the twin's keys let every principal in (PREPARE_KEY_POLICY).
  const prepareModel = new KmsModel({ ...common, keys: plan.keySeeds.map((seed) => ({ ...seed, policy: PREPARE_KEY_POLICY })) });
  const keys = new Map(Object.entries(plan.keys));
  // One setup stream per thread, drawn fleet after fleet in plan order.
  const setupRandom = seededRandom(plan.seed, `setup/${worker}`);
  const fleets = options.fleetIndices.map((index): ThreadFleet => {
    const fleet = plan.fleets[index];
    if (fleet === undefined) throw new Error(`setUpThread: plan ${plan.name} has no fleet ${index}`);
    const context = prepareContext(fleet);
    const mix = new RequestMix(fleet.mix, keys, (op, input) => prepareModel.callSync(op, input, context), setupRandom);
    return {
      fleet,
      index,
      stream: `${index}/${worker}`,
      mix,
      requests: new KeyedRandom(plan.seed, `fleet/${index}/requests`),
      arrivalGaps: streamKey(plan.seed, `fleet/${index}/arrivals`),
    };
  });
  if (!hasServices(plan)) return { model, prepareModel, fleets };
  const { enforcement, burstSeconds } = plan.quotas;
  const services = new ServiceWorld({
    kms: model,
    accountId: plan.accountId,
    time: clock,
    board: options.serviceBoard ?? new RateBoard({ ...(enforcement === undefined ? {} : { enforcement }), ...(burstSeconds === undefined ? {} : { burstSeconds }) }, () => clock.nowNs()),
    ...(plan.services === undefined ? {} : { overrides: plan.services.quotaOverrides }),
    resources: plan.services?.resources ?? {},
    keys,
    // Stored values are sealed on the quota-free twin, as the account root of the scenario's account.
    prepare: (operation, input, context) => prepareModel.callSync(operation, input, context),
  });
  return { model, prepareModel, fleets, services };
}

/**
 * The work before time starts, through the quota-free model. The SDK loads parts of itself on its first calls,
 * awaiting real I/O: on the wall clock that would land in the measured run's first requests, and inside a simulation
 * the scheduler cannot see it and would move time on without the waiting request. Every fleet whose client is not
 * `direct` runs the SDK's `KMSClient` (the Encryption SDK's client included), so each of their regions is warmed up.
 * Then the messages each envelope fleet decrypts are sealed in its client's format (envelope-fixtures.ts).
 */
export async function prepareFixtures(setup: ThreadSetup): Promise<void> {
  const sdkRegions = new Set(setup.fleets.filter(({ fleet }) => fleet.client !== 'direct').map(({ fleet }) => fleet.region));
  for (const region of sdkRegions) await warmUpSdk(setup.prepareModel, region);
  for (const { fleet, mix } of setup.fleets) await sealEnvelopeFixtures(fleet, mix, setup.prepareModel);
}

/**
 * At the end of a run: each client's cache counters (if it has a cache) to the recorder, then the client closed; the
 * services' attribution counters too, when the thread has services.
 */
export function finishClients(recorder: MetricsRecorder, fleets: readonly { readonly fleet: FleetPlan; readonly client: BenchClient }[], services?: ServiceWorld): void {
  for (const { fleet, client } of fleets) {
    recordCacheReport(recorder, fleet.name, client);
    client.destroy();
  }
  if (services !== undefined) recorder.services(services.counts());
}
