/**
 * The event-driven simulation driver against the promise-driven one: direct fleets take the event driver, fleets
 * that await (the SDK) take the promise driver, and both give the same counts for the same plan (they differ only in how ties
 * between events at one simulated instant are ordered). Also: a stopped run starts nothing, in-flight limits drop.
 */
import { describe, expect, test } from 'vitest';
import { createLiveBoard } from '../src/engine/live-board.js';
import { simulateVariant, type SimulationResult } from '../src/engine/simulate-variant.js';
import type { FleetPlan } from '../src/engine/wire.js';
import { smallPlan, REGION } from './support/small-plan.js';

function totals(result: SimulationResult): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const op of result.metrics.operations) {
    for (const [name, value] of Object.entries(op.counters)) sum[name] = (sum[name] ?? 0) + value;
  }
  return sum;
}

function expectClose(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(2, tolerance * expected));
}

const quotas = { profile: 'kms-current' as const, overrides: { [REGION]: { symmetric: 200 } } };

async function bothDrivers(fleet: Partial<FleetPlan>, serviceLatency = {}): Promise<[SimulationResult, SimulationResult]> {
  const plan = { ...smallPlan({ durationMs: 6000, quotas, fleet }), serviceLatency };
  const events = await simulateVariant({ plan, crypto: 'off' });
  const promises = await simulateVariant({ plan, crypto: 'off', driver: 'promises' });
  return [events, promises];
}

describe('event-driven and promise-driven simulations', () => {
  test('an open fleet with jittered retries and service latency: the same arrivals, counts within 1%', async () => {
    const [events, promises] = await bothDrivers(
      { workload: { model: 'open', arrivalRatePerSec: 300, poisson: true }, retry: { policy: 'full-jitter', maxAttempts: 4, baseMs: 50, capMs: 2000 } },
      { default: { distribution: 'lognormal', medianMs: 8, p99Ms: 40 } },
    );
    expect(events.driver).toBe('events');
    expect(promises.driver).toBe('promises');
    const a = totals(events);
    const b = totals(promises);
    expect(a['offered']).toBe(b['offered']); // arrivals come from the same seeded schedule
    expect(a['throttled']).toBeGreaterThan(500);
    for (const name of ['attempts', 'admitted', 'throttled', 'succeeded', 'retries']) expectClose(a[name] ?? 0, b[name] ?? 0, 0.01);
    expect(events.simulatedSeconds).toBeGreaterThanOrEqual(6);
  });

  test('a closed fleet with think time: counts within 1%, and both run to the same simulated end', async () => {
    const [events, promises] = await bothDrivers(
      { workload: { model: 'closed', clients: 40, thinkTimeMs: 100 }, retry: { policy: 'exponential', maxAttempts: 3, baseMs: 20, capMs: 500 } },
      { default: { distribution: 'constant', ms: 5 } },
    );
    const a = totals(events);
    const b = totals(promises);
    expect(a['throttled']).toBeGreaterThan(100);
    for (const name of ['offered', 'attempts', 'admitted', 'throttled', 'succeeded']) expectClose(a[name] ?? 0, b[name] ?? 0, 0.01);
    expect(Math.abs(events.simulatedSeconds - promises.simulatedSeconds)).toBeLessThan(0.6);
  });

  test('closed clients with a fixed number of iterations each send exactly that many', async () => {
    const [events] = await bothDrivers({ workload: { model: 'closed', clients: 7, thinkTimeMs: 0, iterations: 5 } });
    expect(totals(events)['offered']).toBe(35);
    expect(totals(events)['completed']).toBe(35);
  });

  test('a batch that ends inside the first second reports its own end, not the next live-figure wake-up', async () => {
    const plan = smallPlan({ durationMs: 5000, fleet: { workload: { model: 'closed', clients: 3, thinkTimeMs: 10, iterations: 4 } } });
    for (const driver of ['events', 'promises'] as const) {
      const live = { board: createLiveBoard(1, plan.fleets.length), source: 0, collect: false };
      const [quiet, watched] = [await simulateVariant({ plan, crypto: 'off', driver }), await simulateVariant({ plan, crypto: 'off', driver, live })];
      expect(quiet.simulatedSeconds).toBeGreaterThan(0);
      expect(quiet.simulatedSeconds).toBeLessThan(1);
      expect(watched.simulatedSeconds).toBe(quiet.simulatedSeconds);
    }
  });

  test('an in-flight limit drops arrivals while every slot waits on latency', async () => {
    const [events, promises] = await bothDrivers(
      { workload: { model: 'open', arrivalRatePerSec: 100, maxInFlight: 2 } },
      { default: { distribution: 'constant', ms: 45 } },
    );
    // Arrivals every 10 ms, answers after 45 ms: the two slots take the arrivals at 0 and 10 ms, drop 20, 30 and 40,
    // are free again at 45 and 55 for 50 and 60, and so on: 3 of every 5 of the 600 arrivals are dropped.
    expect(totals(events)['dropped']).toBe(360);
    expect(totals(promises)['dropped']).toBe(360);
  });

  test('a stopped run starts no request and says it stopped early', async () => {
    const stop = new SharedArrayBuffer(4);
    Atomics.store(new Int32Array(stop), 0, 1);
    const result = await simulateVariant({ plan: smallPlan(), crypto: 'off', stop });
    expect(result.driver).toBe('events');
    expect(result.stoppedEarly).toBe(true);
    expect(totals(result)['offered'] ?? 0).toBe(0);
  });

  test('an sdk fleet takes the promise driver; envelope operations on the direct client take the event driver', async () => {
    const sdk = await simulateVariant({
      plan: smallPlan({ durationMs: 1000, fleet: { client: 'sdk', workload: { model: 'open', arrivalRatePerSec: 20 } } }),
      crypto: 'off',
    });
    const envelope = await simulateVariant({
      plan: smallPlan({
        durationMs: 1000,
        fleet: { workload: { model: 'open', arrivalRatePerSec: 20 }, mix: [{ op: 'envelopeEncrypt', weight: 1, key: 'app', payloadBytes: 64 }] },
      }),
      crypto: 'off',
    });
    expect(sdk.driver).toBe('promises');
    expect(envelope.driver).toBe('events');
    expect(totals(sdk)['succeeded']).toBe(20);
    expect(totals(envelope)['succeeded']).toBe(20);
  });

  test('simulation progress is written to the given slot, ending at the simulated end', async () => {
    const buffer = new SharedArrayBuffer(16);
    const result = await simulateVariant({ plan: smallPlan({ durationMs: 2000 }), crypto: 'off', progress: { buffer, index: 1 } });
    expect(new Float64Array(buffer)[1]).toBe(result.simulatedSeconds);
    expect(new Float64Array(buffer)[0]).toBe(0);
  });
});
