/**
 * Runs one worker's share of one fleet for the whole run, on any `Clock`. Latency is measured from each request's
 * *intended* start, so a generator that falls behind shows up as latency and as `late`, never as a quietly lower rate
 * (no coordinated omission).
 */
import type { BenchClient } from '../client/bench-client.js';
import type { MetricsHandle, MetricsRecorder } from '../metrics/recorder.js';
import { ArrivalSchedule, type RampStage } from '../workload/arrivals.js';
import { pairKey, type KeyedRandom } from '../base/random.js';
import type { PlannedRequest, RequestMix } from '../workload/request-mix.js';
import { NS_PER_MS, type Clock } from '../base/time.js';
import { LATENESS_DEFAULTS } from '../scenario/lateness.js';

export type FleetWorkload =
  | {
      readonly model: 'open';
      readonly arrivalRatePerSec: number;
      readonly stages?: readonly RampStage[];
      readonly poisson?: boolean;
      readonly maxInFlight?: number;
      /**
       * A start more than this after its intended time counts as late (the scenario's `lateness.threshold`); default
       * {@link LATENESS_DEFAULTS}' `thresholdMs`.
       */
      readonly lateThresholdMs?: number;
    }
  | { readonly model: 'closed'; readonly clients: number; readonly thinkTimeMs: number; readonly iterations?: number };

export interface FleetShare {
  readonly fleet: string;
  readonly workload: FleetWorkload;
  /**
   * This share's part of the fleet and the number of parts: a worker thread, a `--shard` of a run on several hosts,
   * or both (wire.ts `threadPart`). Part p of P takes global arrivals p+1, p+1+P, … and closed clients p, p+P, …
   */
  readonly worker: number;
  readonly workers: number;
  readonly durationMs: number;
  readonly startNs: number;
  readonly clock: Clock;
  readonly client: BenchClient;
  readonly mix: RequestMix;
  readonly recorder: MetricsRecorder;
  /** Each request's choices, keyed by its global arrival number or closed client and iteration (thread-setup.ts). */
  readonly requests: KeyedRandom;
  /** The keyed stream of Poisson gaps (workload/arrivals.ts). */
  readonly arrivalGaps: number;
  /** True once the run is told to stop (Ctrl-C, a crashed worker): no new requests start. */
  readonly stopped: () => boolean;
  /** Aborted when the run stops: cuts short the wait for the next arrival or the end of a think time. */
  readonly signal?: AbortSignal;
  /** Called once per finished logical operation (progress display). */
  readonly onCompleted?: () => void;
}

/** How many requests the open loop starts back to back before it yields to let responses through. */
const START_BURST = 64;

export async function runFleetShare(share: FleetShare): Promise<void> {
  if (share.workload.model === 'open') await runOpen(share, share.workload);
  else await runClosed(share, share.workload);
}

/** One fleet's metrics handles by operation, resolved on first use (shared with the event-driven simulation). */
export class Operations {
  readonly #handles = new Map<string, MetricsHandle>();
  constructor(
    readonly fleet: string,
    readonly recorder: MetricsRecorder,
  ) {}
  handle(operation: string): MetricsHandle {
    let handle = this.#handles.get(operation);
    if (handle === undefined) {
      handle = this.recorder.handle(this.fleet, operation);
      this.#handles.set(operation, handle);
    }
    return handle;
  }
}

async function execute(share: FleetShare, handle: MetricsHandle, request: PlannedRequest, intendedNs: number): Promise<void> {
  const { clock, client } = share;
  const result = await client.send(request, (outcome) => handle.attempt(request.bucket, outcome, clock.nowNs()));
  const endNs = clock.nowNs();
  const latencyUs = Math.max(1, Math.round((endNs - intendedNs) / 1000));
  handle.completed(result.ok, result.errorName, latencyUs, result.attempts, endNs);
  share.onCompleted?.();
}

async function runOpen(share: FleetShare, workload: Extract<FleetWorkload, { model: 'open' }>): Promise<void> {
  const { clock, startNs } = share;
  const operations = new Operations(share.fleet, share.recorder);
  const schedule = new ArrivalSchedule({ ...workload, durationMs: share.durationMs }, share.worker, share.workers, share.arrivalGaps);
  const maxInFlight = workload.maxInFlight ?? Infinity;
  const lateNs = lateThresholdNs(workload);
  let inFlight = 0;
  let drained: (() => void) | undefined;
  let startedWithoutYield = 0;

  for (let offsetMs = schedule.next(); offsetMs !== undefined; offsetMs = schedule.next()) {
    const intendedNs = startNs + offsetMs * NS_PER_MS;
    const waitMs = (intendedNs - clock.nowNs()) / NS_PER_MS;
    if (waitMs > 0 || startedWithoutYield >= START_BURST) {
      await clock.sleep(Math.max(0, waitMs), share.signal).catch(() => undefined);
      startedWithoutYield = 0;
    }
    if (share.stopped()) break;
    const request = share.mix.nextKeyed(share.requests, schedule.arrival);
    const handle = operations.handle(request.operation);
    handle.offered(intendedNs);
    if (inFlight >= maxInFlight) {
      handle.dropped();
      continue;
    }
    recordStart(handle, clock.nowNs() - intendedNs, lateNs);
    inFlight++;
    startedWithoutYield++;
    void execute(share, handle, request, intendedNs).finally(() => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
  }
  if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
}

/** How late, in ns, an open workload's start may be before it counts as late: its own threshold or the default. */
export function lateThresholdNs(workload: Extract<FleetWorkload, { model: 'open' }>): number {
  return (workload.lateThresholdMs ?? LATENESS_DEFAULTS.thresholdMs) * NS_PER_MS;
}

/**
 * Records how late an operation started: its delay (clamped at 0: a timer never fires early by design, but the clock
 * may round) into the start-delay histogram, and whether that is past `lateNs`. Allocation-free.
 */
export function recordStart(handle: MetricsHandle, delayNs: number, lateNs: number): void {
  handle.started(delayNs > 0 ? delayNs / 1000 : 0, delayNs > lateNs);
}

/** This worker's part of `total` clients: an even split, the remainder going to the first workers. */
export function shareOf(total: number, worker: number, workers: number): number {
  return Math.floor(total / workers) + (worker < total % workers ? 1 : 0);
}

/**
 * The draw key of a closed client's iteration: the client's global number and the iteration, so the same client and
 * iteration make the same request in whichever part runs it.
 */
export function closedDrawKey(client: number, iteration: number): number {
  return pairKey(client, iteration);
}

async function runClosed(share: FleetShare, workload: Extract<FleetWorkload, { model: 'closed' }>): Promise<void> {
  const { clock, startNs } = share;
  const operations = new Operations(share.fleet, share.recorder);
  const endNs = startNs + share.durationMs * NS_PER_MS;
  const clients = shareOf(workload.clients, share.worker, share.workers);
  // Each client has its global number (part p's are p, p+P, …): it keys the client's requests, and a per-client
  // data-key cache (partition: client) tells clients apart by it.
  const loop = async (client: number): Promise<void> => {
    for (let i = 0; workload.iterations === undefined || i < workload.iterations; i++) {
      const intendedNs = clock.nowNs();
      if (intendedNs >= endNs || share.stopped()) return;
      const request = { ...share.mix.nextKeyed(share.requests, closedDrawKey(client, i)), client };
      const handle = operations.handle(request.operation);
      handle.offered(intendedNs);
      await execute(share, handle, request, intendedNs);
      // A zero think time still yields, so clients interleave and timers run.
      await clock.sleep(workload.thinkTimeMs, share.signal).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, local) => loop(share.worker + local * share.workers)));
}
