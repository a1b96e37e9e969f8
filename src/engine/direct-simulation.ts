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
import type { Random } from '../base/random.js';
import type { RequestMix } from '../workload/request-mix.js';
import { NS_PER_MS } from '../base/time.js';
import type { Actor, EventQueue } from './event-queue.js';
import { Operations, type FleetWorkload } from './fleet-runner.js';
import type { EnvelopeFleet } from './sim-envelope.js';
import { nsOf, Operation, type OperationFleet, type ServiceFleet } from './sim-operation.js';

/** One fleet as the event-driven simulation runs it. */
export interface DirectFleet {
  readonly name: string;
  readonly workload: FleetWorkload;
  readonly mix: RequestMix;
  /** The fleet runner's stream: arrivals (Poisson gaps) and request choices. */
  readonly random: Random;
  readonly policy: RetryPolicy;
  readonly context: CallContext;
  readonly latencyMs?: () => number;
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
  /** Called every {@link PROGRESS_EVERY_EVENTS} queued events with the simulated time reached. */
  readonly onProgress?: (nowNs: number) => void;
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
  const runs = options.fleets.map((fleet) => {
    const run = new FleetRun(fleet, options);
    if (fleet.workload.model === 'open') run.startOpen(fleet.workload);
    else run.startClosed(fleet.workload);
    return run;
  });
  let pops = 0;
  const onProgress = options.onProgress;
  for (let actor = queue.pop(); actor !== undefined; actor = queue.pop()) {
    actor.wake();
    if (++pops % PROGRESS_EVERY_EVENTS === 0) onProgress?.(queue.nowNs());
  }
  const lastAnswerNs = Math.max(0, ...runs.map((run) => run.lastAnswerNs));
  return { endNs: Math.max(queue.nowNs(), lastAnswerNs), events: queue.handled };
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

  constructor(fleet: DirectFleet, options: DirectSimulationOptions) {
    this.fleet = fleet;
    this.options = options;
    this.queue = options.queue;
    this.model = options.model;
    this.operations = new Operations(fleet.name, options.recorder);
    this.envelope = fleet.envelope;
    this.services = fleet.services;
    this.quietSuccess = fleet.policy.availableTokens === Infinity;
  }

  startOpen(workload: Extract<FleetWorkload, { model: 'open' }>): void {
    const schedule = new ArrivalSchedule({ ...workload, durationMs: this.options.durationMs }, 0, 1, this.fleet.random);
    this.limitsInFlight = workload.maxInFlight !== undefined;
    new OpenArrivals(this, schedule, workload.maxInFlight ?? Infinity).queueFirst();
  }

  startClosed(workload: Extract<FleetWorkload, { model: 'closed' }>): void {
    const endNs = this.options.startNs + this.options.durationMs * NS_PER_MS;
    // Clients start in order at the start time, as the promise-driven loop starts them. Millions of clients take
    // seconds to create: a stop ends the creating too, so Ctrl-C is answered at once at any size.
    for (let client = 0; client < workload.clients && !this.options.stopped(); client++) {
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

  constructor(run: FleetRun, schedule: ArrivalSchedule, maxInFlight: number) {
    this.#run = run;
    this.#schedule = schedule;
    this.#maxInFlight = maxInFlight;
    this.id = run.queue.register(this);
  }

  /**
   * Queues the first arrival. Never handled at once: at start-up the other fleets have not queued their first events
   * yet, so "nothing else comes before it" would be false news — the fleet would run its whole schedule before any
   * other fleet starts (and every later fleet's arrivals would bunch at the end of the run).
   */
  queueFirst(): void {
    const offsetMs = this.#schedule.next();
    if (offsetMs !== undefined) this.#run.queue.at(this.#run.options.startNs + offsetMs * NS_PER_MS, this.id);
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

  /** One arrival at the current time; false once the run is stopped (no more arrivals). */
  #arrive(): boolean {
    const run = this.#run;
    if (run.options.stopped()) return false;
    const request = run.fleet.mix.next(run.fleet.random);
    const handle = run.operations.handle(request.operation);
    handle.offered(run.queue.nowNs());
    if (run.inFlight >= this.#maxInFlight) {
      handle.dropped();
      return true;
    }
    // An event-driven arrival starts exactly at its intended time: a delay of 0, recorded as the promise-driven loop
    // records its own (fleet-runner.ts), so both drivers report the same start-delay distribution.
    handle.started(0, false);
    run.inFlight++;
    const operation = run.free.pop() ?? new Operation(run, undefined);
    operation.begin(handle, request, run.queue.nowNs());
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
    this.#operation = new Operation(run, this);
    this.id = run.queue.register(this);
  }

  /** The next iteration, at the current time. */
  wake(): void {
    const run = this.#run;
    const iterations = this.#workload.iterations;
    if (iterations !== undefined && this.#iterations >= iterations) return;
    this.#iterations++;
    const intendedNs = run.queue.nowNs();
    if (intendedNs >= this.#endNs || run.options.stopped()) return;
    const request = run.fleet.mix.next(run.fleet.random);
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
