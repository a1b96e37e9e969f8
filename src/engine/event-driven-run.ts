/**
 * The event-driven driver of one simulation (simulate-variant.ts picks it): the direct fleets' state machines on the
 * event queue (direct-simulation.ts), their envelope operations and data-key caches included, and the caches' counters
 * handed to the recorder at the end as the promise driver hands its clients' (envelope-fleet.ts `recordCacheReport`).
 */
import type { CryptoMode } from '../kms/symmetric-crypto.js';
import type { MetricsRecorder } from '../metrics/index.js';
import { runDirectSimulation, type DirectFleet } from './direct-simulation.js';
import { envelopeFleetOf, recordCacheReport } from './envelope-fleet.js';
import type { EventQueue } from './event-queue.js';
import { fleetCaller, fleetClientParts, harnessRetryPolicy, hasServiceOps, secretCachesOf } from './fleet-clients.js';
import type { ServiceFleet } from './sim-operation.js';
import { prepareFixtures, type ThreadFleet, type ThreadSetup } from './thread-setup.js';
import { threadPart, type FleetPlan, type VariantPlan } from './wire.js';

export interface EventDriven {
  readonly queue: EventQueue;
  readonly recorder: MetricsRecorder;
  readonly stopped: () => boolean;
  readonly onProgress: (nowNs: number) => void;
  readonly crypto: CryptoMode;
}

/** The state machines on the event queue: direct fleets, their envelope operations and data-key caches included. */
export async function runEventDriven(plan: VariantPlan, setup: ThreadSetup, env: EventDriven): Promise<{ endNs: number; events: number }> {
  const { queue, recorder } = env;
  // Before time starts, as on the promise path: the messages envelope fleets decrypt (thread-setup.ts).
  await prepareFixtures(setup);
  const fleets = directFleets(plan, setup, setup.fleets, queue, env.crypto);
  try {
    const { stopped, onProgress } = env;
    // A simulation is one thread: its shard's part of every fleet (the whole fleet without --shard).
    const { part, parts } = threadPart(plan, 0, 1);
    return runDirectSimulation({ queue, model: setup.model, recorder, durationMs: plan.durationMs, startNs: 0, stopped, onProgress, fleets, part, parts });
  } finally {
    if (setup.services !== undefined) recorder.services(setup.services.counts());
    finishDirectFleets(recorder, fleets);
  }
}

/**
 * The thread's fleets as the state machines run them, drawing from the same seeded streams (`stream`: latency, retry
 * jitter; `requests` and `arrivalGaps`: request choices and arrivals, keyed) as the promise path's clients
 * (fleet-clients.ts `makeClient`), with the thread's AWS services for a fleet that sends service operations.
 */
export function directFleets(plan: VariantPlan, setup: ThreadSetup, fleets: readonly ThreadFleet[], queue: EventQueue, crypto: CryptoMode): DirectFleet[] {
  return fleets.map(({ fleet, stream, mix, requests, arrivalGaps }): DirectFleet => {
    const parts = fleetClientParts(fleet, plan, stream);
    const envelope = envelopeFleetOf(fleet, queue, crypto);
    const policy = harnessRetryPolicy(fleet, plan, stream);
    const services = serviceFleetOf(fleet, plan, stream, setup, queue);
    return {
      name: fleet.name,
      workload: fleet.workload,
      mix,
      requests,
      arrivalGaps,
      policy,
      ...parts,
      ...(envelope === undefined ? {} : { envelope }),
      ...(services === undefined ? {} : { services }),
    };
  });
}

/** At the end of a run: each envelope fleet's cache counters to the recorder, as the promise path's clients hand theirs. */
export function finishDirectFleets(recorder: MetricsRecorder, fleets: readonly DirectFleet[]): void {
  for (const fleet of fleets) {
    const caches = fleet.envelope?.caches;
    if (caches === undefined) continue;
    recordCacheReport(recorder, fleet.name, { cacheStats: () => caches.report() });
    caches.clear();
  }
}

/** A fleet's part of the thread's services, when its mix sends service operations: who it is, and its secret caches. */
function serviceFleetOf(fleet: FleetPlan, plan: VariantPlan, stream: string, setup: ThreadSetup, queue: EventQueue): ServiceFleet | undefined {
  if (!hasServiceOps(fleet)) return undefined;
  if (setup.services === undefined) throw new Error(`fleet ${fleet.name}: service operations need the thread's services (setUpThread)`);
  const caches = secretCachesOf(fleet, plan, stream, queue);
  return { world: setup.services, caller: fleetCaller(fleet, plan), ...(caches === undefined ? {} : { caches }) };
}
