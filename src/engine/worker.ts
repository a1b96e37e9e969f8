/**
 * The Piscina worker entry: runs one worker's share of every fleet of one variant for the whole run and returns its
 * metrics. It prepares (keys, ciphertexts to decrypt, clients), reports ready, and blocks until the main thread
 * releases every worker at the same start time.
 *
 * Two drivers, chosen per fleet as in a simulation: a direct-client fleet under a harness retry policy (envelope
 * operations and their data-key cache included) runs on the event-driven state machines (wall-event-driver.ts); a
 * fleet whose client must await — the real `KMSClient`, the Encryption SDK — runs on the promise-driven fleet runner.
 * Both kinds share the thread, the model and its quota board. `driver: promises` in the task puts every fleet on the
 * promise path (to compare the two).
 */
import { setMaxListeners } from 'node:events';
import { interruption } from '../client/bench-client.js';
import { MetricsRecorder } from '../metrics/recorder.js';
import { QuotaBoard, RateBoard } from '../quota/index.js';
import { AbortableTimers } from './abortable-timers.js';
import { NS_PER_SEC } from '../base/time.js';
import { directFleets, finishDirectFleets } from './event-driven-run.js';
import { runsEventDriven } from './envelope-fleet.js';
import { hasServiceOps, makeClient } from './fleet-clients.js';
import { runFleetShare } from './fleet-runner.js';
import { LivePublisher } from './live-board.js';
import { finishClients, prepareFixtures, setUpThread } from './thread-setup.js';
import { timelineSlots } from './timeline-length.js';
import { runWallEventDriven, wallEventQueue } from './wall-event-driver.js';
import { CONTROL, readStartNs, threadPart, type WorkerResult, type WorkerTask } from './wire.js';

/** How often a worker looks at the stop flag to abort backoff sleeps in flight. */
const STOP_POLL_MS = 50;
/** How long a worker waits to be released before concluding the main thread is gone. */
const GO_TIMEOUT_MS = 120_000;
/**
 * How long a stopped worker waits for operations in flight before it returns what it measured. The harness's own
 * sleeps end at the stop; the SDK's retry strategy sleeps on its own timers (up to 20 s), which nothing can cut short,
 * and a Ctrl-C must not wait for them. Operations still in flight then are counted offered but not completed.
 */
const DRAIN_AFTER_STOP_MS = 500;

export default async function runWorker(task: WorkerTask): Promise<WorkerResult> {
  const flags = new Int32Array(task.control.flags);
  const abort = new AbortController();
  // The harness's sleeps given abort.signal end together at the stop, in O(1) each (see abortable-timers.ts).
  const clock = new AbortableTimers(abort.signal);
  const { plan } = task;
  // The quota's windows start at the run's start (set when every worker is released), so the timelines' seconds,
  // which count from the same start, are exactly the quota's windows: a timeline second never mixes two windows.
  // Every worker reads the same start, so all of them still agree on every window.
  let windowOriginNs = 0;
  const quotaBoard = QuotaBoard.fromShared(task.quota, () => clock.nowNs() - windowOriginNs);
  const setup = setUpThread({
    plan,
    fleetIndices: plan.fleets.map((_, index) => index),
    worker: task.worker,
    clock,
    quotaBoard,
    ...(task.serviceQuota === undefined ? {} : { serviceBoard: RateBoard.fromShared(task.serviceQuota, () => clock.nowNs() - windowOriginNs) }),
  });
  // The SDK client adds an abort listener per request in flight (its request handler races the signal).
  setMaxListeners(0, abort.signal);
  // Direct fleets run on the event-driven state machines; on the promise path: the SDK's and the ESDK's, fleets
  // sending AWS service operations (their service clients await), and every fleet when the quota lives in Redis (a
  // request that misses its thread's lease waits for the next one there; the state machines would count it throttled).
  const remoteQuota = task.quota.options.store.kind !== 'memory';
  const eventDriven = (prepared: (typeof setup.fleets)[number]): boolean =>
    task.driver !== 'promises' && !remoteQuota && runsEventDriven(prepared.fleet) && !hasServiceOps(prepared.fleet);
  const fleets = setup.fleets
    .filter((prepared) => !eventDriven(prepared))
    .map((prepared) => ({ ...prepared, client: makeClient(prepared.fleet, plan, setup.model, clock, abort.signal, prepared.stream, setup.services) }));
  const queue = wallEventQueue(clock);
  const stateMachines = directFleets(plan, setup, setup.fleets.filter(eventDriven), queue, 'real');
  await prepareFixtures(setup);
  // A Redis quota store connects before the start, so the first requests find it ready (or its fault policy decided).
  await quotaBoard.ready();
  Atomics.add(flags, CONTROL.READY, 1);
  Atomics.notify(flags, CONTROL.READY);
  if (Atomics.wait(flags, CONTROL.GO, 0, GO_TIMEOUT_MS) === 'timed-out') throw new Error('worker was never released to start');
  const startNs = readStartNs(task.control);
  windowOriginNs = startNs;
  const recorder = new MetricsRecorder({ startNs, timelineSeconds: timelineSlots(plan.durationMs) });
  const stopped = (): boolean => Atomics.load(flags, CONTROL.STOP) !== 0;
  // Live figures for the main thread, read off the recorder's timelines on this timer, never per request.
  const live = task.live === undefined ? undefined : new LivePublisher(task.live, task.worker, plan.fleets.map((f) => f.name), recorder);
  const poll = setInterval(() => {
    if (stopped()) abort.abort(interruption());
    live?.publish(clock.nowNs(), true);
  }, STOP_POLL_MS);
  const crash =
    task.crashAfterMs === undefined
      ? undefined
      : new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`injected crash of worker ${task.worker}`)), task.crashAfterMs),
        );
  try {
    const part = threadPart(plan, task.worker, task.workers);
    const waitMs = (startNs - clock.nowNs()) / (NS_PER_SEC / 1000);
    if (waitMs > 0) await clock.sleep(waitMs);
    const onCompleted = (count: number): void => void Atomics.add(flags, CONTROL.PROGRESS_BASE + task.worker, count);
    const events =
      stateMachines.length === 0
        ? undefined
        : runWallEventDriven({
            queue,
            clock,
            model: setup.model,
            recorder,
            fleets: stateMachines,
            durationMs: plan.durationMs,
            startNs,
            part: part.part,
            parts: part.parts,
            stopped,
            signal: abort.signal,
            onCompleted,
          });
    const promises = fleets.map(({ fleet, mix, client, requests, arrivalGaps }) =>
        runFleetShare({
          fleet: fleet.name,
          workload: fleet.workload,
          worker: part.part,
          workers: part.parts,
          durationMs: plan.durationMs,
          startNs,
          clock,
          client,
          mix,
          recorder,
          requests,
          arrivalGaps,
          stopped,
          signal: abort.signal,
          onCompleted: () => onCompleted(1),
        }),
    );
    const runs = Promise.all(events === undefined ? promises : [events, ...promises]);
    const drainDeadline = new Promise<void>((resolve) =>
      abort.signal.addEventListener('abort', () => setTimeout(resolve, DRAIN_AFTER_STOP_MS).unref(), { once: true }),
    );
    // Operations left in flight at the deadline may still fail later: nobody is waiting for them then.
    runs.catch(() => undefined);
    await Promise.race(crash === undefined ? [runs, drainDeadline] : [runs, drainDeadline, crash]);
  } finally {
    clearInterval(poll);
    finishClients(recorder, fleets, setup.services);
    finishDirectFleets(recorder, stateMachines);
    quotaBoard.close();
  }
  // A stopped run's timelines end at what ran (a 1,000-hour run stopped at 6 s returns 7 seconds, not 3.6 million).
  const stoppedEarly = stopped();
  const metrics = recorder.toWire(stoppedEarly ? { untilNs: clock.nowNs() } : undefined);
  // The rest of the seconds, the drain included, so the live rows add up to the result.
  live?.finish(metrics.timelineSeconds);
  return { worker: task.worker, metrics, stoppedEarly };
}
