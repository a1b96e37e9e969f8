/**
 * The event-driven simulation of direct-client fleets: the fleet runner, the harness retry loop, the direct client and
 * the envelope client with its data-key cache re-expressed as state machines on an {@link EventQueue}, with no promise
 * per request. The parts that decide outcomes are the same objects the promise-driven path uses — the model
 * (validation, key state, quota board), the request mix, the arrival schedule, the retry policy and its decision
 * (budget, backoff, seeded jitter), the data-key cache's rules, the latency sampler and the metrics handles — so only
 * the driving differs. Fleets whose clients await (the SDK, the Encryption SDK) keep the promise-driven
 * {@link VirtualClock}. Here: the fleets, their arrival generators and closed clients; one logical operation's state
 * machine is in sim-operation.ts, its envelope steps in sim-envelope.ts.
 */
import type { RetryPolicy } from '../client/retry-policy.js';
import type { KmsModel } from '../kms/model.js';
import type { CallContext } from '../kms/types.js';
import type { MetricsRecorder } from '../metrics/recorder.js';
import { ArrivalSchedule } from '../workload/arrivals.js';
import type { KeyedRandom } from '../base/random.js';
import type { RequestMix } from '../workload/request-mix.js';
import { NS_PER_MS, type TimeSource } from '../base/time.js';
import type { Actor, EventQueue } from './event-queue.js';
import { closedDrawKey, lateThresholdNs, Operations, recordStart, type FleetWorkload } from './fleet-runner.js';
import type { EnvelopeFleet } from './sim-envelope.js';
import { nsOf, Operation, type OperationFleet, type ServiceFleet } from './sim-operation.js';

/** One fleet as the event-driven simulation runs it. */
export interface DirectFleet {
  readonly name: string;
  readonly workload: FleetWorkload;
  readonly mix: RequestMix;
  /** Each request's choices, keyed by its global arrival number or closed client and iteration (thread-setup.ts). */
  readonly requests: KeyedRandom;
  /** The keyed stream of Poisson gaps (workload/arrivals.ts). */
  readonly arrivalGaps: number;
  readonly policy: RetryPolicy;
  readonly context: CallContext;
  readonly latencyMs?: (draw?: number, attempt?: number) => number;
  /** The data-key caches of a fleet whose mix has envelope operations. */
  readonly envelope?: EnvelopeFleet;
  /** The thread's services, the fleet as their caller and its secret caches, when its mix has service operations. */
  readonly services?: ServiceFleet;
}

export interface DirectSimulationOptions {
  readonly queue: EventQueue;
  readonly model: KmsModel;
  readonly recorder: MetricsRecorder;
  readonly durationMs: number;
  readonly startNs: number;
  /** True once the run is told to stop: no new requests start; those in flight finish in simulated time. */
  readonly stopped: () => boolean;
  readonly fleets: readonly DirectFleet[];
  /** This simulation's part of every fleet (a `--shard`): part p of P (fleet-runner.ts FleetShare). Default 0 of 1. */
  readonly part?: number;
  readonly parts?: number;
  /** Called every {@link PROGRESS_EVERY_EVENTS} queued events with the simulated time reached. */
  readonly onProgress?: (nowNs: number) => void;
  /** On the wall clock, real time: when an operation ends (see `OperationFleet.finishTime`). */
  readonly finishTime?: TimeSource;
}

export interface DirectSimulationStats {
  readonly endNs: number;
  readonly events: number;
}

/** How often (in events) the progress callback runs: rare enough to cost nothing, often enough to show movement. */
export const PROGRESS_EVERY_EVENTS = 1 << 18;

/** Runs every fleet to the end of its schedule and every operation in flight to its end. */
export function runDirectSimulation(options: DirectSimulationOptions): DirectSimulationStats {
  const { queue } = options;
  const runs = startFleets(options);
  let pops = 0;
  const onProgress = options.onProgress;
  for (let actor = queue.pop(); actor !== undefined; actor = queue.pop()) {
    actor.wake();
    if (++pops % PROGRESS_EVERY_EVENTS === 0) onProgress?.(queue.nowNs());
  }
  const lastAnswerNs = Math.max(0, ...runs.map((run) => run.lastAnswerNs));
  return { endNs: Math.max(queue.nowNs(), lastAnswerNs), events: queue.handled };
}

/** Queues every fleet's first events: its arrival generator, or its closed clients. */
export function startFleets(options: DirectSimulationOptions): FleetRun[] {
  return options.fleets.map((fleet) => {
    const run = new FleetRun(fleet, options);
    if (fleet.workload.model === 'open') run.startOpen(fleet.workload);
    else run.startClosed(fleet.workload);
    return run;
  });
}

/** What every operation of one fleet shares. */
export class FleetRun implements OperationFleet {
  readonly queue: EventQueue;
  readonly model: KmsModel;
  readonly fleet: DirectFleet;
  readonly options: DirectSimulationOptions;
  readonly operations: Operations;
  readonly envelope: EnvelopeFleet | undefined;
  readonly services: ServiceFleet | undefined;
  /** Finished operations of an open fleet, reused by later arrivals. */
  readonly free: Operation[] = [];
  inFlight = 0;
  /** Whether an open fleet limits operations in flight (then when each ends matters to later arrivals). */
  limitsInFlight = false;
  /**
   * True when a success changes nothing another operation can see: the policy has no token budget to refund. A
   * success answer then needs no event of its own (see `Operation.#attempt`).
   */
  readonly quietSuccess: boolean;
  /** The latest answer finished without an event of its own: the simulation lasts at least until then. */
  lastAnswerNs = 0;
  completed = 0;
  readonly finishTime: TimeSource | undefined;
  /** Every operation made (a closed client's, or an open fleet's in flight or free): a stopped wall run ends them. */
  readonly made: Operation[] = [];

  constructor(fleet: DirectFleet, options: DirectSimulationOptions) {
    this.fleet = fleet;
    this.options = options;
    this.queue = options.queue;
    this.model = options.model;
    this.operations = new Operations(fleet.name, options.recorder);
    this.envelope = fleet.envelope;
    this.finishTime = options.finishTime;
    this.services = fleet.services;
    // On the wall clock an answer is handled when it is handled: every operation ends on an event of its own.
    this.quietSuccess = fleet.policy.availableTokens === Infinity && options.finishTime === undefined;
  }

  /** A new operation of this fleet; `client` numbers a closed client. */
  operation(client?: ClosedClient): Operation {
    const operation = new Operation(this, client);
    this.made.push(operation);
    return operation;
  }

  /** Ends every operation in flight now, as interrupted (a stopped wall run). */
  interrupt(nowNs: number): void {
    for (const operation of this.made) operation.interrupt(nowNs);
  }

  startOpen(workload: Extract<FleetWorkload, { model: 'open' }>): void {
    const schedule = new ArrivalSchedule({ ...workload, durationMs: this.options.durationMs }, this.options.part ?? 0, this.options.parts ?? 1, this.fleet.arrivalGaps);
    this.limitsInFlight = workload.maxInFlight !== undefined;
    new OpenArrivals(this, schedule, workload.maxInFlight ?? Infinity, lateThresholdNs(workload)).queueFirst();
  }

  startClosed(workload: Extract<FleetWorkload, { model: 'closed' }>): void {
    const endNs = this.options.startNs + this.options.durationMs * NS_PER_MS;
    // Clients start in order at the start time, as the promise-driven loop starts them. Millions of clients take
    // seconds to create: a stop ends the creating too, so Ctrl-C is answered at once at any size.
    // Part p of P runs clients p, p+P, … (their global numbers, as the promise-driven loop numbers them).
    const parts = this.options.parts ?? 1;
    for (let client = this.options.part ?? 0; client < workload.clients && !this.options.stopped(); client += parts) {
      this.queue.at(this.options.startNs, new ClosedClient(this, workload, endNs, client).id);
    }
  }
}

/** An open fleet's arrival generator: starts one operation per intended arrival time. */
class OpenArrivals implements Actor {
  readonly id: number;
  readonly #run: FleetRun;
  readonly #schedule: ArrivalSchedule;
  readonly #maxInFlight: number;
  /** A start later than this after its intended time is late. */
  readonly #lateNs: number;
  /** The intended time of the arrival queued: the queue's time when it is handled may be later on the wall clock. */
  #intendedNs = 0;

  constructor(run: FleetRun, schedule: ArrivalSchedule, maxInFlight: number, lateNs: number) {
    this.#run = run;
    this.#schedule = schedule;
    this.#maxInFlight = maxInFlight;
    this.#lateNs = lateNs;
    this.id = run.queue.register(this);
  }

  /**
   * Queues the first arrival. Never handled at once: at start-up the other fleets have not queued their first events
   * yet, so "nothing else comes before it" would be false news — the fleet would run its whole schedule before any
   * other fleet starts (and every later fleet's arrivals would bunch at the end of the run).
   */
  queueFirst(): void {
    const offsetMs = this.#schedule.next();
    if (offsetMs === undefined) return;
    this.#intendedNs = this.#run.options.startNs + offsetMs * NS_PER_MS;
    this.#run.queue.at(this.#intendedNs, this.id);
  }

  /**
   * Queues the next arrival, or handles it at once when nothing else comes before it. Only called from a wake-up, when
   * every other actor's next event is already queued.
   */
  #scheduleNext(): void {
    const run = this.#run;
    for (;;) {
      const offsetMs = this.#schedule.next();
      if (offsetMs === undefined) return;
      const intendedNs = run.options.startNs + offsetMs * NS_PER_MS;
      this.#intendedNs = intendedNs;
      if (!run.queue.advanceIfNext(intendedNs)) {
        run.queue.at(intendedNs, this.id);
        return;
      }
      if (!this.#arrive()) return;
    }
  }

  wake(): void {
    if (this.#arrive()) this.#scheduleNext();
  }

  /** The arrival intended at `#intendedNs`, now; false once the run is stopped (no more arrivals). */
  #arrive(): boolean {
    const run = this.#run;
    if (run.options.stopped()) return false;
    const intendedNs = this.#intendedNs;
    const request = run.fleet.mix.nextKeyed(run.fleet.requests, this.#schedule.arrival);
    const handle = run.operations.handle(request.operation);
    handle.offered(intendedNs);
    if (run.inFlight >= this.#maxInFlight) {
      handle.dropped();
      return true;
    }
    // A simulated arrival starts exactly at its intended time (a delay of 0); a wall-clock one when the harness gets
    // to it. Recorded as the promise-driven loop records its own (fleet-runner.ts): the same start-delay figures.
    recordStart(handle, run.queue.nowNs() - intendedNs, this.#lateNs);
    run.inFlight++;
    const operation = run.free.pop() ?? run.operation();
    operation.begin(handle, request, intendedNs);
    return true;
  }
}

/** One client of a closed fleet: sends, waits for the answer (retries included), thinks, sends again. */
class ClosedClient implements Actor {
  readonly id: number;
  readonly #run: FleetRun;
  readonly #workload: Extract<FleetWorkload, { model: 'closed' }>;
  readonly #endNs: number;
  readonly #operation: Operation;
  /** This client's number, as the promise-driven loop numbers them: its data-key cache with `partition: client`. */
  readonly #client: number;
  #iterations = 0;

  constructor(run: FleetRun, workload: Extract<FleetWorkload, { model: 'closed' }>, endNs: number, client: number) {
    this.#run = run;
    this.#client = client;
    this.#workload = workload;
    this.#endNs = endNs;
    this.#operation = run.operation(this);
    this.id = run.queue.register(this);
  }

  /** The next iteration, at the current time. */
  wake(): void {
    const run = this.#run;
    const iterations = this.#workload.iterations;
    if (iterations !== undefined && this.#iterations >= iterations) return;
    const iteration = this.#iterations++;
    const intendedNs = run.queue.nowNs();
    if (intendedNs >= this.#endNs || run.options.stopped()) return;
    const request = run.fleet.mix.nextKeyed(run.fleet.requests, closedDrawKey(this.#client, iteration));
    const handle = run.operations.handle(request.operation);
    handle.offered(intendedNs);
    this.#operation.begin(handle, request, intendedNs, this.#client);
  }

  /**
   * The operation ended at `endNs`: think, then wake for the next one (a zero think time still lets other clients due
   * at the same time go first).
   */
  finished(endNs: number): void {
    this.#run.queue.at(endNs + nsOf(this.#workload.thinkTimeMs), this.id);
  }
}
