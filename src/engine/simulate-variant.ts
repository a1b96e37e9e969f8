/**
 * One simulation: one variant (or the fleets of one region of it) in this thread, on simulated time. Every fleet runs
 * at its full rate (as "worker 0 of 1", so random streams are those of a one-worker wall run) against one quota board
 * read on simulated time, with the same clients, retry policies and model as the wall engine.
 *
 * Two drivers, chosen per simulation: plain direct-client fleets run event-driven ({@link runDirectSimulation}: no
 * promise per request, about ten times faster); anything that awaits — the real `KMSClient`, envelope operations with
 * their data-key cache, the Encryption SDK — runs promise-driven on the {@link VirtualClock}. `driver` in the task
 * can force the promise driver (to compare the two).
 */
import { recordCacheReport, sealEnvelopeFixtures } from '../client/envelope-fleet.js';
import { warmUpSdk } from '../client/sdk-client.js';
import { KmsModel } from '../kms/model.js';
import type { CryptoMode } from '../kms/symmetric-crypto.js';
import { MetricsRecorder, type WorkerMetrics } from '../metrics/index.js';
import { QuotaBoard, type QuotaSlotSnapshot } from '../quota/index.js';
import { seededRandom } from '../base/random.js';
import { RequestMix } from '../workload/request-mix.js';
import { NS_PER_SEC, wallClock } from '../base/time.js';
import { runDirectSimulation, type DirectFleet } from './direct-simulation.js';
import { EventQueue } from './event-queue.js';
import { fleetClientParts, fleetContext, harnessRetryPolicy, isPlainDirectFleet, makeClient } from './fleet-clients.js';
import { runFleetShare } from './fleet-runner.js';
import { timelineSlots } from './timeline-length.js';
import { installSimTimers, VirtualClock } from './virtual-clock.js';
import type { FleetPlan, VariantPlan } from './wire.js';

/** `events`: no promise per request; `promises`: the fleet runner's async tasks on the virtual clock. */
export type SimulationDriver = 'events' | 'promises';

/** One simulation for a sim worker: structured-cloneable. */
export interface SimulationTask {
  readonly plan: VariantPlan;
  /** The fleets (indices into `plan.fleets`) this simulation runs; all of them when absent. */
  readonly fleetIndices?: readonly number[];
  readonly crypto: CryptoMode;
  /** Int32 flag 0 → 1 when the run is told to stop (Ctrl-C): no new requests start, in-flight ones finish. */
  readonly stop?: SharedArrayBuffer;
  /** Float64 slot this simulation writes its simulated time to as it goes (progress display). */
  readonly progress?: { readonly buffer: SharedArrayBuffer; readonly index: number };
  /** Forces the promise driver; by default plain direct fleets run event-driven. */
  readonly driver?: SimulationDriver;
}

/** What one simulation returns. Everything but `wallSeconds` is a function of the task. */
export interface SimulationResult {
  readonly name: string;
  readonly seed: number;
  readonly crypto: CryptoMode;
  readonly driver: SimulationDriver;
  readonly stoppedEarly: boolean;
  readonly metrics: WorkerMetrics;
  readonly quota: QuotaSlotSnapshot[];
  /** Simulated time from the start until the last request finished (retries included). */
  readonly simulatedSeconds: number;
  /** Events (wake-ups) handled: the simulator's own work. */
  readonly events: number;
  readonly wallSeconds: number;
}

interface Prepared {
  readonly fleet: FleetPlan;
  readonly index: number;
  readonly mix: RequestMix;
  readonly random: ReturnType<typeof seededRandom>;
}

/** Runs one simulation in this thread. */
export async function simulateVariant(task: SimulationTask): Promise<SimulationResult> {
  const { plan, crypto } = task;
  const started = wallClock.nowNs();
  const selected = (task.fleetIndices ?? plan.fleets.map((_, index) => index)).map((index) => ({ fleet: plan.fleets[index] as FleetPlan, index }));
  const driver: SimulationDriver = task.driver === 'promises' || !selected.every(({ fleet }) => isPlainDirectFleet(fleet)) ? 'promises' : 'events';
  const clock = driver === 'events' ? new EventQueue() : new VirtualClock();
  const stopFlag = task.stop === undefined ? undefined : new Int32Array(task.stop);
  const stopped = (): boolean => stopFlag !== undefined && Atomics.load(stopFlag, 0) !== 0;
  const progress = task.progress === undefined ? undefined : new Float64Array(task.progress.buffer);
  const onProgress = (nowNs: number): void => {
    if (progress !== undefined) progress[task.progress?.index ?? 0] = nowNs / NS_PER_SEC;
  };
  const model = new KmsModel({
    accountId: plan.accountId,
    seed: plan.seed,
    keys: plan.keySeeds,
    quotaBoard: new QuotaBoard(plan.quotas, () => clock.nowNs()),
    clock,
    crypto,
  });
  // Ciphertexts to decrypt are made by a model without quotas, in the same crypto mode the simulated model reads.
  const prepareModel = new KmsModel({ accountId: plan.accountId, seed: plan.seed, keys: plan.keySeeds, clock, crypto });
  const keys = new Map(Object.entries(plan.keys));
  const setupRandom = seededRandom(plan.seed, 'setup/0');
  const fleets: Prepared[] = selected.map(({ fleet, index }) => {
    const context = fleetContext(fleet);
    const mix = new RequestMix(fleet.mix, keys, (op, input) => prepareModel.callSync(op, input, context), setupRandom);
    return { fleet, index, mix, random: seededRandom(plan.seed, `fleet/${index}/worker/0`) };
  });
  const recorder = new MetricsRecorder({ startNs: 0, timelineSeconds: timelineSlots(plan.durationMs) });
  // Throttles are thrown KmsErrors: capturing a stack for each costs more than the model's decision, and no result
  // reads it. Restored when the simulation ends.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let stats: { endNs: number; events: number };
  try {
    stats =
      clock instanceof EventQueue
        ? runDirectSimulation({
            queue: clock,
            model,
            recorder,
            durationMs: plan.durationMs,
            startNs: 0,
            stopped,
            onProgress,
            fleets: fleets.map(({ fleet, index, mix, random }): DirectFleet => {
              const stream = `${index}/0`;
              const parts = fleetClientParts(fleet, plan, stream);
              return { name: fleet.name, workload: fleet.workload, mix, random, policy: harnessRetryPolicy(fleet, plan, stream), ...parts };
            }),
          })
        : await runPromiseDriven(plan, fleets, { clock, model, prepareModel, recorder, stopped, onProgress });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  onProgress(stats.endNs);
  const stoppedEarly = stopped();
  return {
    name: plan.name,
    seed: plan.seed,
    crypto,
    driver,
    stoppedEarly,
    // A stopped simulation's timelines end at the simulated time it reached, not at the planned duration.
    metrics: recorder.toWire(stoppedEarly ? { untilNs: stats.endNs } : undefined),
    quota: model.quotaState().filter((slot) => slot.admitted > 0 || slot.throttled > 0),
    simulatedSeconds: stats.endNs / NS_PER_SEC,
    events: stats.events,
    wallSeconds: (wallClock.nowNs() - started) / NS_PER_SEC,
  };
}

interface PromiseDriven {
  readonly clock: VirtualClock;
  readonly model: KmsModel;
  readonly prepareModel: KmsModel;
  readonly recorder: MetricsRecorder;
  readonly stopped: () => boolean;
  readonly onProgress: (nowNs: number) => void;
}

/** The fleet runner's async tasks on the virtual clock: every client kind, envelope operations and the SDK included. */
async function runPromiseDriven(plan: VariantPlan, prepared: readonly Prepared[], env: PromiseDriven): Promise<{ endNs: number; events: number }> {
  const { clock, model, prepareModel, recorder } = env;
  // No abort signal: nothing in a simulation aborts (a stopped run starts no new requests and lets those in flight
  // finish in simulated time), and a signal would cost the SDK an abort listener per request in flight — O(N) each in
  // Node's EventTarget, O(N²) over N clients.
  const fleets = prepared.map((p) => ({ ...p, client: makeClient(p.fleet, plan, model, clock, undefined, `${p.index}/0`) }));
  // As the wall worker does: envelope ciphertexts to open are sealed before the run (no quota, no simulated time).
  for (const { fleet, mix } of fleets) await sealEnvelopeFixtures(fleet, mix, prepareModel);
  // The SDK loads parts of itself on its first calls, awaiting real I/O. Inside the simulation that I/O would be
  // invisible to the scheduler, which would move time on without the waiting request: so the first calls happen here.
  for (const region of new Set(fleets.filter((f) => f.fleet.client !== 'direct').map((f) => f.fleet.region))) {
    await warmUpSdk(prepareModel, region);
  }
  // Only the SDK (the sdk client, and the KMSClient under the Encryption SDK) sleeps through the global setTimeout,
  // inside @smithy/core's retry strategy; the direct client sleeps only through `clock`.
  const usesSdk = fleets.some((f) => f.fleet.client !== 'direct');
  const restoreTimers = usesSdk ? installSimTimers(clock, seededRandom(plan.seed, 'sdk/math-random')) : undefined;
  try {
    const runAll = (): Promise<void[]> =>
      Promise.all(
        fleets.map(({ fleet, mix, client, random }) =>
          runFleetShare({
            fleet: fleet.name,
            workload: fleet.workload,
            worker: 0,
            workers: 1,
            durationMs: plan.durationMs,
            startNs: 0,
            clock,
            client,
            mix,
            recorder,
            random,
            stopped: env.stopped,
            onCompleted: () => env.onProgress(clock.nowNs()),
          }),
        ),
      );
    // The SDK's middleware may use process.nextTick itself: step on full macrotask turns then.
    const { stats } = await clock.run(runAll, { drain: usesSdk ? 'immediate' : 'tick' });
    return { endNs: stats.endNs, events: stats.events };
  } finally {
    restoreTimers?.();
    for (const { fleet, client } of fleets) {
      recordCacheReport(recorder, fleet.name, client);
      client.destroy();
    }
  }
}
