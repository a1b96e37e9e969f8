/**
 * The wall clock's event-driven driver: the state machines of the event-driven simulation (direct-simulation.ts,
 * sim-operation.ts, sim-envelope.ts) run on real time instead of simulated time. A request then costs the harness a
 * queue push and pop, not a chain of promises (the promise-driven fleet runner allocates an async frame per request,
 * per attempt and per sleep), so a wall-clock fleet pays about what it pays in the simulator.
 *
 * The driver runs every event that is due in batches: read the clock, pop and wake each event whose time has come,
 * reading the clock again after each (a wake-up is stamped with the real time it runs at, so a start's delay and a
 * latency include how late the harness was), and yield after {@link BATCH_NS} so timers and I/O run — the worker's
 * stop poll and live figures, and any promise-driven fleet of the same worker. Between batches it sleeps on one timer
 * until the next event is due. What decides outcomes is the same as in both simulators and the promise path: the
 * model, its quota board on real time, the request mix, the arrival schedule, the retry policy and its decision, the
 * data-key cache, the metrics handles.
 *
 * A stop (Ctrl-C, a crashed worker, an `abortOnFail` threshold) starts nothing more and ends every operation in flight
 * at once as `Interrupted`, as the promise path's sleeps end when the run's signal aborts them.
 */
import { NS_PER_MS, type TimeSource } from '../base/time.js';
import type { KmsModel } from '../kms/model.js';
import type { MetricsRecorder } from '../metrics/recorder.js';
import { startFleets, type DirectFleet, type FleetRun } from './direct-simulation.js';
import { EventQueue } from './event-queue.js';

/**
 * How long one batch of due events may run before the driver yields a turn. Long enough that the yield (a
 * `setImmediate`, a few µs) is lost in the batch's work; short enough that the worker's 50 ms stop poll and the
 * promise-driven fleets sharing the thread are never held up noticeably.
 */
const BATCH_NS = 2 * NS_PER_MS;

/** How the driver waits between batches. */
export interface WallTimers {
  /** Calls `callback` after `ms` (after a turn when `ms` < 1); the function returned cancels it. */
  after(ms: number, callback: () => void): () => void;
}

/**
 * Node's timers: one `setTimeout` until the next event is due, or a `setImmediate` turn when it is due in under 1 ms
 * (or already): a `setTimeout` waits at least 1 ms, which would make every such event late by the rest of it.
 */
const NODE_TIMERS: WallTimers = {
  after(ms, callback) {
    if (ms >= 1) {
      const timer = setTimeout(callback, ms);
      return () => clearTimeout(timer);
    }
    const immediate = setImmediate(callback);
    return () => clearImmediate(immediate);
  },
};

export interface WallEventOptions {
  /** The queue the fleets' envelope caches read their time from: made by {@link wallEventQueue}. */
  readonly queue: EventQueue;
  /** Real time (the worker's clock). */
  readonly clock: TimeSource;
  readonly model: KmsModel;
  readonly recorder: MetricsRecorder;
  readonly fleets: readonly DirectFleet[];
  readonly durationMs: number;
  /** The run's start, on `clock`. */
  readonly startNs: number;
  /** This worker's part of every fleet: part `part` of `parts` (wire.ts `threadPart`: worker and `--shard`). */
  readonly part: number;
  readonly parts: number;
  readonly stopped: () => boolean;
  /** The run's stop: aborting it ends the operations in flight at once. */
  readonly signal: AbortSignal;
  /** Called after each batch with the logical operations finished in it (the progress count). */
  readonly onCompleted?: (count: number) => void;
  /** How to wait between batches: Node's timers unless a test injects its own (with its own `clock`). */
  readonly timers?: WallTimers;
}

/** An event queue on `clock`'s time: its epoch is `clock`'s, so dates read from it are real dates. */
export function wallEventQueue(clock: TimeSource): EventQueue {
  return new EventQueue(clock.nowEpochMs() - clock.nowNs() / NS_PER_MS);
}

/** Runs the fleets until every one has finished its schedule and every operation in flight has ended, or the run stops. */
export function runWallEventDriven(options: WallEventOptions): Promise<void> {
  return new Promise<void>((resolve) => new WallEventLoop(options, resolve).start());
}

class WallEventLoop {
  readonly #options: WallEventOptions;
  readonly #resolve: () => void;
  #runs: readonly FleetRun[] = [];
  readonly #timers: WallTimers;
  /** Cancels the wait for the next batch. */
  #cancel: (() => void) | undefined;
  #reported = 0;
  #ended = false;

  constructor(options: WallEventOptions, resolve: () => void) {
    this.#options = options;
    this.#resolve = resolve;
    this.#timers = options.timers ?? NODE_TIMERS;
  }

  start(): void {
    const o = this.#options;
    if (o.signal.aborted) return this.#end();
    o.signal.addEventListener('abort', this.#interrupt, { once: true });
    this.#runs = startFleets({
      queue: o.queue,
      model: o.model,
      recorder: o.recorder,
      durationMs: o.durationMs,
      startNs: o.startNs,
      stopped: o.stopped,
      fleets: o.fleets,
      part: o.part,
      parts: o.parts,
      finishTime: o.clock,
    });
    this.#next();
  }

  /** One batch: every event due, until none is or the batch has run its time. */
  readonly #tick = (): void => {
    this.#cancel = undefined;
    // A wait already firing when the run stopped: the operations it would wake have ended.
    if (this.#ended) return;
    const { queue, clock } = this.#options;
    let nowNs = clock.nowNs();
    const yieldNs = nowNs + BATCH_NS;
    for (let actor = queue.popDue(nowNs); actor !== undefined; actor = queue.popDue(nowNs)) {
      actor.wake();
      nowNs = clock.nowNs();
      if (nowNs >= yieldNs) break;
    }
    this.#report();
    this.#next();
  };

  /** Waits for the next event's time (a turn when it is due within 1 ms), or ends when nothing is left. */
  #next(): void {
    const dueNs = this.#options.queue.peekNs();
    if (dueNs === undefined) return this.#end();
    const waitMs = (dueNs - this.#options.clock.nowNs()) / NS_PER_MS;
    this.#cancel = this.#timers.after(waitMs, this.#tick);
  }

  /** The run stopped: every operation in flight ends now; nothing queued runs. */
  readonly #interrupt = (): void => {
    if (this.#ended) return;
    this.#cancel?.();
    const nowNs = this.#options.clock.nowNs();
    for (const run of this.#runs) run.interrupt(nowNs);
    this.#report();
    this.#end();
  };

  #report(): void {
    let completed = 0;
    for (const run of this.#runs) completed += run.completed;
    if (completed > this.#reported) this.#options.onCompleted?.(completed - this.#reported);
    this.#reported = completed;
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#options.signal.removeEventListener('abort', this.#interrupt);
    this.#resolve();
  }
}
