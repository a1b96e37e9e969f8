/**
 * One abort path for a run's sleeps: however many clients sleep, the run's signal carries one listener, and aborting
 * cancels every sleep through it (before, each sleep added a listener, and Node's EventTarget walks its list on every
 * add: O(N) a sleep, O(N²) in all). On the virtual clock a sleep never listens to a signal. Measured by listeners,
 * pending and cancelled sleeps and simulation events, never by wall time.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, test } from 'vitest';
import { interruption } from '../src/client/bench-client.js';
import { AbortableTimers } from '../src/engine/abortable-timers.js';
import { ManualClock, NS_PER_MS, type Clock } from '../src/base/time.js';
import { fleetContext, makeClient } from '../src/engine/fleet-clients.js';
import { runFleetShare } from '../src/engine/fleet-runner.js';
import { VirtualClock } from '../src/engine/virtual-clock.js';
import type { FleetPlan, VariantPlan } from '../src/engine/wire.js';
import { KmsModel } from '../src/kms/model.js';
import { MetricsRecorder } from '../src/metrics/recorder.js';
import { KeyedRandom, seededRandom } from '../src/base/random.js';
import { RequestMix } from '../src/workload/request-mix.js';
import { smallPlan } from './support/small-plan.js';

const N = 100_000;
const HOUR_MS = 3_600_000;

/** Lets every task that can run, run (microtasks and one macrotask turn). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('AbortableTimers', () => {
  test(`${N.toLocaleString('en-US')} sleeps on the run's signal add one abort listener; the abort cancels them all through it`, async () => {
    const abort = new AbortController();
    const timers = new AbortableTimers(abort.signal);
    const sleeps = Array.from({ length: N }, () => timers.sleep(HOUR_MS, abort.signal).then(() => 'woke', (error: Error) => error));
    try {
      expect(getEventListeners(abort.signal, 'abort')).toHaveLength(1);
      expect(timers.pending).toBe(N);
    } finally {
      // Hour-long timers must not outlive a failed assertion.
      abort.abort(interruption());
    }
    const outcomes = await Promise.all(sleeps);
    expect(timers.cancelled).toBe(N);
    expect(timers.pending).toBe(0);
    // Rejected as Node's timers/promises rejects an aborted sleep: an AbortError caused by the run's reason.
    const first = outcomes[0] as Error;
    expect(first.name).toBe('AbortError');
    expect((first.cause as Error).name).toBe('Interrupted');
    expect(outcomes.every((outcome) => outcome instanceof Error)).toBe(true);
  });

  test('a sleep that ends on its own leaves the set', async () => {
    const abort = new AbortController();
    const timers = new AbortableTimers(abort.signal);
    await Promise.all([timers.sleep(0, abort.signal), timers.sleep(1, abort.signal)]);
    expect(timers.pending).toBe(0);
    abort.abort();
    expect(timers.cancelled).toBe(0);
  });

  test("a sleep without the run's signal is the base clock's, and an aborted run's sleep rejects at once", async () => {
    const abort = new AbortController();
    const base = new ManualClock();
    const timers = new AbortableTimers(abort.signal, base);
    await timers.sleep(5);
    expect(base.nowNs()).toBe(5 * NS_PER_MS);
    expect(timers.pending).toBe(0);
    abort.abort();
    await expect(timers.sleep(5, abort.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});

/** A closed fleet of `clients` direct clients that each send one request, then think for an hour. */
function closedFleet(clients: number): { plan: VariantPlan; fleet: FleetPlan } {
  const plan = smallPlan({
    durationMs: HOUR_MS,
    quotas: { profile: 'unlimited' },
    fleet: { workload: { model: 'closed', clients, thinkTimeMs: HOUR_MS }, mix: [{ op: 'Encrypt', weight: 1, key: 'app', payloadBytes: 16 }] },
  });
  return { plan, fleet: plan.fleets[0] as FleetPlan };
}

function share(plan: VariantPlan, fleet: FleetPlan, clock: Clock, signal: AbortSignal | undefined, stopped: () => boolean) {
  const model = new KmsModel({ accountId: plan.accountId, seed: plan.seed, keys: plan.keySeeds, clock });
  const keys = new Map(Object.entries(plan.keys));
  const mix = new RequestMix(fleet.mix, keys, (op, input) => model.callSync(op, input, fleetContext(fleet)), seededRandom(1, 'setup'));
  const recorder = new MetricsRecorder({ startNs: clock.nowNs(), timelineSeconds: 2 });
  const run = runFleetShare({
    fleet: fleet.name,
    workload: fleet.workload,
    worker: 0,
    workers: 1,
    durationMs: plan.durationMs,
    startNs: clock.nowNs(),
    clock,
    client: makeClient(fleet, plan, model, clock, signal, '0/0'),
    mix,
    recorder,
    requests: new KeyedRandom(1, 'fleet'),
    arrivalGaps: 1,
    stopped,
    ...(signal === undefined ? {} : { signal }),
  });
  return { run, recorder };
}

describe(`${N.toLocaleString('en-US')} closed clients`, () => {
  test('on the wall clock: one abort listener while they think, and the stop cancels every think time at once', async () => {
    const { plan, fleet } = closedFleet(N);
    const abort = new AbortController();
    const timers = new AbortableTimers(abort.signal);
    let stopped = false;
    const { run, recorder } = share(plan, fleet, timers, abort.signal, () => stopped);
    try {
      await settle();
      expect(timers.pending).toBe(N);
      expect(getEventListeners(abort.signal, 'abort')).toHaveLength(1);
    } finally {
      // Hour-long think times must not outlive a failed assertion.
      stopped = true;
      abort.abort(interruption());
    }
    await run;
    expect(timers.cancelled).toBe(N);
    expect(recorder.toWire().operations[0]?.counters).toMatchObject({ offered: N, succeeded: N });
  });

  test('on the virtual clock: no abort listener at all, and one event per client', async () => {
    const { plan, fleet } = closedFleet(N);
    const clock = new VirtualClock();
    const abort = new AbortController();
    const iterations = { ...fleet, workload: { model: 'closed' as const, clients: N, thinkTimeMs: 1, iterations: 1 } };
    const { stats } = await clock.run(
      () => {
        const { run } = share(plan, iterations, clock, abort.signal, () => false);
        return run;
      },
      { drain: 'tick' },
    );
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
    expect(stats.events).toBe(N);
    // Every client thinks 1 ms from the same instant: the driver steps once for all of them.
    expect(stats.steps).toBe(1);
  });
});
