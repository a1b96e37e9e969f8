/**
 * One simulation: one variant (or the fleets of one region of it) in this thread, on simulated time. Every fleet runs
 * at its full rate (as "worker 0 of 1", so random streams are those of a one-worker wall run) against one quota board
 * read on simulated time, with the same clients, retry policies and model as the wall engine.
 *
 * Two drivers, chosen per simulation: direct-client fleets, envelope operations with their data-key cache included,
 * run event-driven ({@link runEventDriven}, event-driven-run.ts: no promise per request, about ten times faster);
 * anything that awaits — the real `KMSClient`, the Encryption SDK — runs promise-driven on the {@link VirtualClock}.
 * `driver` in the task can force the promise driver (to compare the two).
 */
import type { CryptoMode } from '../kms/symmetric-crypto.js';
import { MetricsRecorder, type WorkerMetrics } from '../metrics/index.js';
import { QuotaBoard, type QuotaSlotSnapshot } from '../quota/index.js';
import type { ServiceQuotaSnapshot } from '../services/index.js';
import { seededRandom } from '../base/random.js';
import { NS_PER_SEC, wallClock } from '../base/time.js';
import { runEventDriven } from './event-driven-run.js';
import { EventQueue } from './event-queue.js';
import { runsEventDriven } from './envelope-fleet.js';
import { makeClient } from './fleet-clients.js';
import { runFleetShare } from './fleet-runner.js';
import { finishClients, prepareFixtures, setUpThread, type ThreadSetup } from './thread-setup.js';
import { timelineSlots } from './timeline-length.js';
import { installSimTimers, VirtualClock } from './virtual-clock.js';
import { createLiveBoard, LivePublisher, type LiveBoard } from './live-board.js';
import { failingRule, type AbortInfo, type AbortRule } from './live-figures.js';
import { threadPart, type EngineDriver, type VariantPlan } from './wire.js';
import { TOTAL_FIELDS } from '../metrics/live-fields.js';

/** One simulation for a sim worker: structured-cloneable. */
export interface SimulationTask {
  readonly plan: VariantPlan;
  /** The fleets (indices into `plan.fleets`) this simulation runs; all of them when absent. */
  readonly fleetIndices?: readonly number[];
  readonly crypto: CryptoMode;
  /** Int32 flag 0 → 1 when the run is told to stop (Ctrl-C): no new requests start, in-flight ones finish. */
  readonly stop?: SharedArrayBuffer;
  /**
   * Int32 flag shared by every simulation of this variant (its regions and seeds): raised by the first whose
   * `abortOnFail` threshold fails, so the whole variant stops, not only the simulation that saw it.
   */
  readonly variantStop?: SharedArrayBuffer;
  /** Float64 slot this simulation writes its simulated time to as it goes (progress display). */
  readonly progress?: { readonly buffer: SharedArrayBuffer; readonly index: number };
  /** Forces the promise driver; by default plain direct fleets run event-driven. */
  readonly driver?: EngineDriver;
  /**
   * Where this simulation publishes its live figures (source `source` of `board`), and whether it keeps every second's
   * rows for `--stream` (returned in `seconds`).
   */
  readonly live?: { readonly board: LiveBoard; readonly source: number; readonly collect: boolean };
  /** `abortOnFail` thresholds, checked as simulated seconds end: the first to fail stops the simulation. */
  readonly abortRules?: readonly AbortRule[];
}

/** What one simulation returns. Everything but `wallSeconds` is a function of the task. */
export interface SimulationResult {
  readonly name: string;
  readonly seed: number;
  readonly crypto: CryptoMode;
  readonly driver: EngineDriver;
  readonly stoppedEarly: boolean;
  readonly metrics: WorkerMetrics;
  readonly quota: QuotaSlotSnapshot[];
  /** The services' own request quotas used; absent when the plan has no services. */
  readonly serviceQuota?: ServiceQuotaSnapshot[];
  /** Simulated time from the start until the last request finished (retries included). */
  readonly simulatedSeconds: number;
  /** Events (wake-ups) handled: the simulator's own work. */
  readonly events: number;
  readonly wallSeconds: number;
  /** The threshold that stopped the simulation, if one did. */
  readonly abortedBy?: AbortInfo;
  /** With `live.collect`: each second's rows, fleet after fleet (live-board.ts `collectedRows`). */
  readonly seconds?: number[];
}

/** Runs one simulation in this thread. */
export async function simulateVariant(task: SimulationTask): Promise<SimulationResult> {
  const { plan, crypto } = task;
  const started = wallClock.nowNs();
  const fleetIndices = task.fleetIndices ?? plan.fleets.map((_, index) => index);
  const eventDriven = fleetIndices.every((index) => {
    const fleet = plan.fleets[index];
    return fleet !== undefined && runsEventDriven(fleet);
  });
  const driver: EngineDriver = task.driver === 'promises' || !eventDriven ? 'promises' : 'events';
  const clock = driver === 'events' ? new EventQueue() : new VirtualClock();
  const stopFlag = task.stop === undefined ? undefined : new Int32Array(task.stop);
  const variantStopFlag = task.variantStop === undefined ? undefined : new Int32Array(task.variantStop);
  let abortedBy: AbortInfo | undefined;
  const raised = (flag: Int32Array | undefined): boolean => flag !== undefined && Atomics.load(flag, 0) !== 0;
  const stopped = (): boolean => abortedBy !== undefined || raised(stopFlag) || raised(variantStopFlag);
  const progress = task.progress === undefined ? undefined : new Float64Array(task.progress.buffer);
  const recorder = new MetricsRecorder({ startNs: 0, timelineSeconds: timelineSlots(plan.durationMs) });
  const rules = task.abortRules ?? [];
  const fleetCount = task.live?.board.fleets ?? plan.fleets.length;
  const publisher =
    task.live === undefined && rules.length === 0
      ? undefined
      : new LivePublisher(
          task.live?.board ?? createLiveBoard(1, fleetCount),
          task.live?.source ?? 0,
          plan.fleets.map((fleet, index) => (fleetIndices.includes(index) ? fleet.name : undefined)),
          recorder,
          task.live?.collect === true,
        );
  const totals = new Float64Array(fleetCount * TOTAL_FIELDS);
  // Seconds are published, and thresholds checked, when the simulated clock passes a second: deterministic, since
  // the drivers call this at points fixed by the seed (the event driver every PROGRESS_EVERY_EVENTS events).
  let nextSecondNs = NS_PER_SEC;
  const scheduledEndNs = plan.durationMs * (NS_PER_SEC / 1000);
  const onProgress = (nowNs: number): void => {
    if (progress !== undefined) progress[task.progress?.index ?? 0] = nowNs / NS_PER_SEC;
    if (publisher === undefined || nowNs < nextSecondNs) return;
    nextSecondNs = (Math.floor(nowNs / NS_PER_SEC) + 1) * NS_PER_SEC;
    publisher.publish(nowNs);
    // Past the scheduled end the run is judged by its thresholds as a whole, never aborted: a completed run is not.
    if (abortedBy !== undefined || rules.length === 0 || nowNs > scheduledEndNs || stopped()) return;
    const failed = failingRule(rules, publisher.totalsInto(totals), fleetCount, nowNs / 1e6);
    if (failed !== undefined) {
      const { rule, observed } = failed;
      abortedBy = { key: rule.key, expression: rule.expression, variant: plan.name, atSeconds: nowNs / NS_PER_SEC, observed };
      // Every simulation of the variant (other regions, other seeds) stops too.
      if (variantStopFlag !== undefined) Atomics.store(variantStopFlag, 0, 1);
    }
  };
  const setup = setUpThread({
    plan,
    fleetIndices,
    worker: 0,
    clock,
    // A simulation is one process in virtual time: its budgets are its own (the pipeline refuses quotas.store here).
    quotaBoard: new QuotaBoard({ ...plan.quotas, store: 'memory' }, () => clock.nowNs()),
    crypto,
  });
  const { model } = setup;
  // Throttles are thrown KmsErrors: capturing a stack for each costs more than the model's decision, and no result
  // reads it. Restored when the simulation ends.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  // A wake-up at each simulated second of the schedule publishes it and checks the thresholds, whatever the driver.
  // It only reads: every other event keeps its time and order.
  const ticks: Ticks = { runEndNs: undefined };
  const ticker = publisher === undefined ? undefined : (at: Scheduler) => everySecond(at, plan.durationMs, stopped, onProgress, ticks);
  let stats: { endNs: number; events: number };
  try {
    if (ticker !== undefined && clock instanceof EventQueue) ticker(eventQueueScheduler(clock));
    stats =
      clock instanceof EventQueue
        ? await runEventDriven(plan, setup, { queue: clock, recorder, stopped, onProgress, crypto })
        : await runPromiseDriven(plan, setup, { clock, recorder, stopped, onProgress, ticker });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  // When the last event was the once-a-second wake-up, the run had ended before it.
  const endNs = ticks.runEndNs ?? stats.endNs;
  onProgress(endNs);
  const stoppedEarly = stopped();
  // A stopped simulation's timelines end at the simulated time it reached, not at the planned duration.
  const metrics = recorder.toWire(stoppedEarly ? { untilNs: endNs } : undefined);
  publisher?.finish(metrics.timelineSeconds);
  return {
    name: plan.name,
    seed: plan.seed,
    crypto,
    driver,
    stoppedEarly,
    metrics,
    quota: model.quotaState().filter((slot) => slot.admitted > 0 || slot.throttled > 0),
    ...(setup.services === undefined ? {} : { serviceQuota: setup.services.quotaState() }),
    simulatedSeconds: endNs / NS_PER_SEC,
    events: stats.events,
    wallSeconds: (wallClock.nowNs() - started) / NS_PER_SEC,
    ...(abortedBy === undefined ? {} : { abortedBy }),
    ...(publisher?.collected === undefined ? {} : { seconds: publisher.collected }),
  };
}

interface PromiseDriven {
  readonly clock: VirtualClock;
  readonly recorder: MetricsRecorder;
  readonly stopped: () => boolean;
  readonly onProgress: (nowNs: number) => void;
  readonly ticker: ((at: Scheduler) => void) | undefined;
}

/** Runs a callback at a simulated time; `idle` says nothing else is waiting (a batch that finished early). */
interface Scheduler {
  readonly at: (atNs: number, callback: () => void) => void;
  readonly idle: () => boolean;
  /** The time of the event before the one being handled. */
  readonly previousNs: () => number;
}

function eventQueueScheduler(queue: EventQueue): Scheduler {
  let callback: () => void = () => undefined;
  const id = queue.register({ wake: () => callback() });
  return {
    at: (atNs, next) => {
      callback = next;
      queue.at(atNs, id);
    },
    idle: () => queue.size === 0,
    previousNs: () => queue.previousEventNs,
  };
}

function virtualClockScheduler(clock: VirtualClock): Scheduler {
  return {
    at: (atNs, callback) => {
      clock.timer((atNs - clock.nowNs()) / 1e6, callback);
    },
    idle: () => clock.pending === 0,
    previousNs: () => clock.previousEventNs,
  };
}

/** What the once-a-second wake-up saw: whether the last event of the simulation was one of its own. */
interface Ticks {
  /** Set when a wake-up found nothing else waiting: the time of the run's own last event, before that wake-up. */
  runEndNs: number | undefined;
}

/**
 * Calls `tick` at every whole simulated second inside the schedule (1 s, 2 s, …) while anything else is still waiting
 * and the run is not stopped. A wake-up that finds nothing else waiting is the simulation's last event, at most one
 * second after the run's own end; `ticks.runEndNs` then holds that end, which the caller reports instead.
 */
function everySecond(scheduler: Scheduler, durationMs: number, stopped: () => boolean, tick: (nowNs: number) => void, ticks: Ticks): void {
  const lastSecond = Math.floor(durationMs / 1000);
  const step = (second: number): void =>
    scheduler.at(second * NS_PER_SEC, () => {
      tick(second * NS_PER_SEC);
      if (scheduler.idle()) ticks.runEndNs = scheduler.previousNs();
      else if (second + 1 <= lastSecond && !stopped()) step(second + 1);
    });
  if (lastSecond >= 1) step(1);
}

/** The fleet runner's async tasks on the virtual clock: every client kind, envelope operations and the SDK included. */
async function runPromiseDriven(plan: VariantPlan, setup: ThreadSetup, env: PromiseDriven): Promise<{ endNs: number; events: number }> {
  const { clock, recorder } = env;
  // No abort signal: nothing in a simulation aborts (a stopped run starts no new requests and lets those in flight
  // finish in simulated time), and a signal would cost the SDK an abort listener per request in flight — O(N) each in
  // Node's EventTarget, O(N²) over N clients.
  const fleets = setup.fleets.map((p) => ({ ...p, client: makeClient(p.fleet, plan, setup.model, clock, undefined, p.stream, setup.services) }));
  // Before time starts, as the wall worker does: the SDK's first calls and envelope messages (thread-setup.ts).
  await prepareFixtures(setup);
  // Only the SDK (the sdk client, and the KMSClient under the Encryption SDK) sleeps through the global setTimeout,
  // inside @smithy/core's retry strategy; the direct client sleeps only through `clock`.
  const usesSdk = fleets.some((f) => f.fleet.client !== 'direct');
  const restoreTimers = usesSdk ? installSimTimers(clock, seededRandom(plan.seed, 'sdk/math-random')) : undefined;
  const part = threadPart(plan, 0, 1);
  try {
    const runAll = (): Promise<void[]> => {
      env.ticker?.(virtualClockScheduler(clock));
      return Promise.all(
        fleets.map(({ fleet, mix, client, requests, arrivalGaps }) =>
          runFleetShare({
            fleet: fleet.name,
            workload: fleet.workload,
            // A simulation is one thread: its shard's part of every fleet (the whole fleet without --shard).
            worker: part.part,
            workers: part.parts,
            durationMs: plan.durationMs,
            startNs: 0,
            clock,
            client,
            mix,
            recorder,
            requests,
            arrivalGaps,
            stopped: env.stopped,
            onCompleted: () => env.onProgress(clock.nowNs()),
          }),
        ),
      );
    };
    // The SDK's middleware may use process.nextTick itself: step on full macrotask turns then.
    const { stats } = await clock.run(runAll, { drain: usesSdk ? 'immediate' : 'tick' });
    return { endNs: stats.endNs, events: stats.events };
  } finally {
    restoreTimers?.();
    finishClients(recorder, fleets, setup.services);
  }
}
