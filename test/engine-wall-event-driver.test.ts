/**
 * The wall engine's event-driven driver (engine/wall-event-driver.ts): the simulator's state machines on real time.
 * Against the promise path on the wall clock, a deterministic workload (closed clients with a fixed number of
 * iterations, quotas unlimited) gives the same counts, per operation and in the data-key cache; under a quota its
 * throttles have the structure of the virtual run's. With an injected clock whose waits end late (a loaded machine),
 * starts are late by exactly that and latency runs from the intended start; a stop ends what is in flight as
 * Interrupted. No assertion reads a wall-clock duration.
 */
import { describe, expect, test } from 'vitest';
import { ManualClock, NS_PER_MS, wallClock } from '../src/base/time.js';
import { INTERRUPTED } from '../src/client/bench-client.js';
import { directFleets, finishDirectFleets } from '../src/engine/event-driven-run.js';
import { simulateVariant } from '../src/engine/simulate-variant.js';
import { prepareFixtures, setUpThread } from '../src/engine/thread-setup.js';
import { runWallEventDriven, wallEventQueue, type WallTimers } from '../src/engine/wall-event-driver.js';
import { CONTROL, createControl, writeStartNs, type EngineDriver, type FleetPlan, type VariantPlan } from '../src/engine/wire.js';
import runWorker from '../src/engine/worker.js';
import { mergeMetrics, MetricsRecorder, summarize } from '../src/metrics/index.js';
import type { WorkerMetrics } from '../src/metrics/wire.js';
import { QuotaBoard } from '../src/quota/index.js';
import { REGION, smallPlan } from './support/small-plan.js';

function totals(metrics: WorkerMetrics): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const op of metrics.operations) {
    for (const [name, value] of Object.entries(op.counters)) sum[name] = (sum[name] ?? 0) + value;
  }
  return sum;
}

function byOperation(metrics: WorkerMetrics): Record<string, number> {
  return Object.fromEntries(metrics.operations.map((op) => [op.operation, op.counters.succeeded]));
}

/** One wall-clock worker in this thread (the Piscina entry, called directly), released at once. */
async function wallRun(plan: VariantPlan, driver: EngineDriver) {
  const control = createControl(1);
  // A little ahead, so preparing the keys and fixtures is not counted against the first requests.
  writeStartNs(control, wallClock.nowNs() + 200 * NS_PER_MS);
  Atomics.store(new Int32Array(control.flags), CONTROL.GO, 1);
  const quota = new QuotaBoard(plan.quotas, () => wallClock.nowNs()).share();
  return runWorker({ plan, worker: 0, workers: 1, quota, control, driver });
}

const unlimited = { profile: 'unlimited' as const };

describe('the wall engine: event-driven and promise-driven drivers agree', () => {
  test('closed clients with fixed iterations, quotas unlimited: the same operations, every one succeeding', async () => {
    const plan = smallPlan({ durationMs: 30_000, quotas: unlimited, fleet: { workload: { model: 'closed', clients: 4, thinkTimeMs: 0, iterations: 50 } } });
    const [events, promises] = [await wallRun(plan, 'events'), await wallRun(plan, 'promises')];
    const a = totals(events.metrics);
    const b = totals(promises.metrics);
    expect(a['offered']).toBe(200);
    for (const name of ['offered', 'completed', 'succeeded', 'attempts', 'admitted', 'throttled', 'errors']) expect(a[name]).toBe(b[name]);
    expect(a['succeeded']).toBe(200);
    // The same seeded mix: the same Encrypt/Decrypt split.
    expect(byOperation(events.metrics)).toEqual(byOperation(promises.metrics));
  });

  test('envelope operations with a per-client data-key cache: the same cache hits and misses', async () => {
    const cache = { capacity: 8, maxAgeMs: 60_000, maxMessagesEncrypted: 5, partition: 'client' as const, dedupeInFlight: true };
    const fleet: Partial<FleetPlan> = {
      workload: { model: 'closed', clients: 3, thinkTimeMs: 0, iterations: 40 },
      mix: [
        { op: 'envelopeEncrypt', weight: 3, key: 'app', payloadBytes: 128, contexts: 2 },
        { op: 'envelopeDecrypt', weight: 1, key: 'app', payloadBytes: 128, contexts: 2 },
      ],
      cache,
    };
    const plan = smallPlan({ durationMs: 30_000, quotas: unlimited, fleet });
    const [events, promises] = [await wallRun(plan, 'events'), await wallRun(plan, 'promises')];
    expect(totals(events.metrics)['succeeded']).toBe(120);
    expect(totals(events.metrics)).toEqual(totals(promises.metrics));
    // Every count; not the oldest key's age, which is real time.
    const stats = (run: typeof events) => ({ ...run.metrics.caches?.[0]?.stats, maxKeyAgeMs: undefined });
    expect(stats(events)?.encryptHits).toBeGreaterThan(0);
    expect(stats(events)).toEqual(stats(promises));
  });

  test('an open fleet over its quota throttles as the virtual run does: the same arrivals, the same admitted', async () => {
    const quotas = { profile: 'kms-current' as const, overrides: { [REGION]: { symmetric: 100 } } };
    // Arrivals end at 900 ms, 100 ms before the second quota window: the first 100 fill the first window, the rest are
    // throttled, and only a start 100 ms late or more could land in the next window and be admitted there.
    const plan = smallPlan({ durationMs: 900, quotas, fleet: { workload: { model: 'open', arrivalRatePerSec: 300 } } });
    const run = await wallRun(plan, 'events');
    const wall = totals(run.metrics);
    const virtual = totals((await simulateVariant({ plan, crypto: 'real' })).metrics);
    expect(wall['offered']).toBe(virtual['offered']);
    expect(wall['attempts']).toBe(wall['offered']); // retry: none
    expect((wall['admitted'] ?? 0) + (wall['throttled'] ?? 0)).toBe(wall['attempts']);
    expect(wall['succeeded']).toBe(wall['admitted']);
    expect(virtual['admitted']).toBe(100);
    // How many starts this run's slowest could have moved past the window's end (none unless a start was ≥ 100 ms late).
    const maxDelayMs = (summarize(mergeMetrics([run.metrics]), { durationSec: 0.9 }).total.startDelayUs?.max ?? 0) / 1000;
    const movable = maxDelayMs < 100 ? 0 : Math.floor(((maxDelayMs - 100) * 300) / 1000) + 1;
    expect((wall['admitted'] ?? 0) - 100).toBeGreaterThanOrEqual(0);
    expect((wall['admitted'] ?? 0) - 100).toBeLessThanOrEqual(movable);
  });
});

/** Waits that move the injected clock instead of real time, each ending `lagMs` late; `onWait` sees every one. */
function laggingTimers(clock: ManualClock, lagMs: number, onWait: () => void = () => undefined): WallTimers {
  return {
    after(ms, callback) {
      const turn = setImmediate(() => {
        clock.advanceMs(ms > 0 ? ms + lagMs : 0);
        onWait();
        callback();
      });
      return () => clearImmediate(turn);
    },
  };
}

function recorderFor(plan: VariantPlan): MetricsRecorder {
  return new MetricsRecorder({ startNs: 0, timelineSeconds: Math.ceil(plan.durationMs / 1000) + 1 });
}

/** The driver alone on `clock`, the model's quota board on the same clock. */
async function onInjectedClock(plan: VariantPlan, clock: ManualClock, timers: WallTimers, abort = new AbortController(), recorder = recorderFor(plan)) {
  const setup = setUpThread({ plan, fleetIndices: [0], worker: 0, clock, quotaBoard: new QuotaBoard(plan.quotas, () => clock.nowNs()) });
  const queue = wallEventQueue(clock);
  const fleets = directFleets(plan, setup, setup.fleets, queue, 'real');
  await prepareFixtures(setup);
  const signal = abort.signal;
  let completed = 0;
  const options = { queue, clock, model: setup.model, recorder, fleets, durationMs: plan.durationMs, startNs: 0, part: 0, parts: 1 };
  await runWallEventDriven({ ...options, stopped: () => signal.aborted, signal, timers, onCompleted: (count) => (completed += count) });
  finishDirectFleets(recorder, fleets);
  return { total: summarize(mergeMetrics([recorder.toWire()]), { durationSec: plan.durationMs / 1000 }).total, completed, metrics: recorder.toWire() };
}

describe('the wall engine on an injected clock', () => {
  /** 20 requests/s for a second: arrivals 50 ms apart, each waited for on its own (late) timer. */
  const open = (lateThresholdMs: number) => smallPlan({ durationMs: 1000, quotas: unlimited, fleet: { workload: { model: 'open', arrivalRatePerSec: 20, lateThresholdMs } } });

  test.each([
    { lagMs: 7, thresholdMs: 5, late: 20 },
    { lagMs: 7, thresholdMs: 10, late: 0 },
    { lagMs: 0, thresholdMs: 1, late: 0 },
  ])('timers $lagMs ms late, threshold $thresholdMs ms: $late of 20 starts late', async ({ lagMs, thresholdMs, late }) => {
    const clock = new ManualClock();
    const { total, completed } = await onInjectedClock(open(thresholdMs), clock, laggingTimers(clock, lagMs));
    expect(total.offered).toBe(20);
    expect(total.late).toBe(late);
    expect(completed).toBe(20);
  });

  test('the start delay is how late the harness got to each arrival, and latency runs from the intended start', async () => {
    const clock = new ManualClock();
    const { total } = await onInjectedClock(open(10), clock, laggingTimers(clock, 7));
    expect(total.startDelayUs?.count).toBe(20);
    for (const stat of [total.startDelayUs?.p50, total.startDelayUs?.max]) expect(Math.abs((stat ?? 0) - 7000)).toBeLessThanOrEqual(70);
    expect(total.latencyUs.min).toBeGreaterThanOrEqual(7000);
  });

  test('an in-flight limit drops the arrivals that find every slot waiting on service latency', async () => {
    const clock = new ManualClock();
    const plan = { ...smallPlan({ durationMs: 1000, quotas: unlimited, fleet: { workload: { model: 'open', arrivalRatePerSec: 100, maxInFlight: 2 } } }), serviceLatency: { default: { distribution: 'constant' as const, ms: 35 } } };
    const { total } = await onInjectedClock(plan, clock, laggingTimers(clock, 0));
    expect(total.offered).toBe(100);
    // Each slot is busy for 35 ms, four arrivals' time: of every four arrivals two start and two are dropped.
    expect(total.dropped).toBeGreaterThanOrEqual(40);
    expect(total.completed + total.dropped).toBe(100);
  });

  test('a stop ends every operation in flight as Interrupted, and nothing new starts', async () => {
    const clock = new ManualClock();
    const abort = new AbortController();
    const quotas = { profile: 'kms-current' as const, overrides: { [REGION]: { symmetric: 2 } } };
    const fleet: Partial<FleetPlan> = { workload: { model: 'closed', clients: 5, thinkTimeMs: 100 }, retry: { policy: 'constant', maxAttempts: 10, baseMs: 10_000 } };
    const plan = smallPlan({ durationMs: 60_000, quotas, fleet });
    const recorder = recorderFor(plan);
    let offeredAtStop: number | undefined;
    const timers = laggingTimers(clock, 0, () => {
      if (clock.nowNs() < 3000 * NS_PER_MS || abort.signal.aborted) return;
      offeredAtStop = totals(recorder.toWire())['offered'];
      abort.abort();
    });
    const { total, metrics } = await onInjectedClock(plan, clock, timers, abort, recorder);
    const failed = metrics.operations.reduce((sum, op) => sum + (op.failed[INTERRUPTED] ?? 0), 0);
    // At 0 the first window admits two clients and throttles three, which back off 10 s (no retry budget to refuse
    // them); the two think 100 ms, are throttled and back off too. The wait that ends at 10 s finds all five backing off.
    expect(total.succeeded).toBe(2);
    expect(failed).toBe(5);
    expect(offeredAtStop).toBe(7);
    expect(total.offered).toBe(offeredAtStop);
    expect(total.completed).toBe(total.offered);
    expect(total.attempts).toBe(total.completed + total.retries);
  });
});
