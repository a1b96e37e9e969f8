/**
 * The virtual clock: a discrete-event scheduler behind the engine's `Clock`. Simulated time stands still while any
 * task can run; it jumps to the earliest pending sleep only when every task is waiting. Sleeps due at the same
 * simulated time wake in the order they were scheduled (time, then insertion order), so a simulation is a pure
 * function of its inputs.
 *
 * "Every task is waiting" means the microtask (and, for the SDK, nextTick) queues are empty. JavaScript offers no way
 * to ask that directly; the driver steps from a callback Node runs only once they are (see {@link VirtualClock.run}),
 * once per distinct event time, not per task. (A promise-hook-counting microtask check was measured too: V8 turns off
 * its fast await paths while promise hooks are on, and it was slower, and blind to `process.nextTick`.)
 *
 * A task awaiting real I/O (a lazy `import()`, a file, libuv-pool crypto) is neither runnable nor asleep on this clock:
 * if other sleeps are pending, time moves on without it and the run is no longer reproducible. Anything that does
 * such I/O must happen before the simulation starts (the simulator warms the SDK up for this reason); if nothing at
 * all is pending, the driver reports a stall instead of hanging.
 */
import { NS_PER_MS, type Clock } from '../base/time.js';

/** Simulated epoch of nanosecond 0 by default, so model dates are fixed too. */
export const DEFAULT_SIM_EPOCH_MS = Date.UTC(2026, 0, 1);

interface SimEvent {
  readonly atNs: number;
  readonly seq: number;
  readonly resolve: () => void;
  /** Set when the event was cancelled (a cleared timer): it is dropped when it reaches the top of the heap. */
  cancelled: boolean;
}

function earlier(a: SimEvent, b: SimEvent): boolean {
  return a.atNs < b.atNs || (a.atNs === b.atNs && a.seq < b.seq);
}

/** A binary min-heap of events by (time, insertion order). */
class EventHeap {
  readonly #items: SimEvent[] = [];

  get size(): number {
    return this.#items.length;
  }
  peek(): SimEvent | undefined {
    return this.#items[0];
  }
  push(event: SimEvent): void {
    const items = this.#items;
    let i = items.length;
    items.push(event);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as SimEvent;
      if (!earlier(event, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = event;
  }
  pop(): SimEvent | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    const n = items.length;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = items[child + 1];
      if (right !== undefined && earlier(right, items[child] as SimEvent)) child++;
      const c = items[child] as SimEvent;
      if (!earlier(c, last)) break;
      items[i] = c;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

/** Options of {@link VirtualClock}. */
export interface VirtualClockOptions {
  /** Epoch milliseconds at simulated nanosecond 0 (model dates). Default 2026-01-01T00:00:00Z. */
  readonly epochMs?: number;
}

/** What {@link VirtualClock.run} reports besides the task's value. */
export interface SimulationStats {
  /** Simulated time when the task finished, in ns from 0. */
  readonly endNs: number;
  /** Events (sleeps) that woke. */
  readonly events: number;
  /** Distinct simulated instants the driver stepped to. */
  readonly steps: number;
}

/**
 * A deterministic simulated clock. Time starts at 0 ns (so fixed quota windows fall on whole simulated seconds) and
 * moves only inside {@link VirtualClock.run}.
 */
export class VirtualClock implements Clock {
  #nowNs = 0;
  /** The time of the wake-ups before the current ones (see {@link previousEventNs}). */
  #previousNs = 0;
  #seq = 0;
  #events = 0;
  readonly #heap = new EventHeap();
  readonly #epochMs: number;

  constructor(options: VirtualClockOptions = {}) {
    this.#epochMs = options.epochMs ?? DEFAULT_SIM_EPOCH_MS;
  }

  nowNs(): number {
    return this.#nowNs;
  }
  nowEpochMs(): number {
    return this.#epochMs + this.#nowNs / NS_PER_MS;
  }

  /** The time of the wake-ups before the current ones: where a run ended when its last event is a no-op wake-up. */
  get previousEventNs(): number {
    return this.#previousNs;
  }

  /** Pending sleeps (including cancelled timers not yet discarded). */
  get pending(): number {
    return this.#heap.size;
  }

  /**
   * Sleeps `ms` of simulated time. A signal already aborted rejects at once; an abort during the sleep is not observed
   * (nothing in a simulation aborts: a stopped run simply starts no new requests, and in-flight ones finish in
   * simulated time, which costs little).
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    return new Promise<void>((resolve) => {
      this.#schedule(ms, resolve);
    });
  }

  /**
   * A timer on simulated time for callback-style code (the SDK's `setTimeout`); returns a cancel function. The
   * callback runs when the driver reaches its time, in the same order as sleeps.
   */
  timer(ms: number, callback: () => void): () => void {
    const event = this.#schedule(ms, callback);
    return () => {
      event.cancelled = true;
    };
  }

  #schedule(ms: number, resolve: () => void): SimEvent {
    const delayNs = Number.isFinite(ms) && ms > 0 ? ms * NS_PER_MS : 0;
    const event: SimEvent = { atNs: this.#nowNs + delayNs, seq: this.#seq++, resolve, cancelled: false };
    this.#heap.push(event);
    return event;
  }

  /**
   * Runs `task` to completion in simulated time and returns its value. Between distinct event times the driver lets
   * every runnable task run; when none can, it advances to the earliest pending event and wakes every event due then.
   * If the task is still pending when nothing is scheduled, it waits on something outside the simulation: that is a
   * harness bug, reported as an error rather than a hang.
   *
   * Drain modes: `tick` steps from a `process.nextTick` callback, which Node runs only once the microtask queue is
   * empty — exact for promise-only code (the direct client, the harness retry loop), and several times cheaper than a
   * macrotask turn; every {@link YIELD_EVERY_STEPS} steps it still takes a `setImmediate` turn so I/O (Piscina
   * messages, signals) is not starved. `immediate` waits a full macrotask turn per step, which also covers code that
   * itself uses `process.nextTick` or `setImmediate` (the SDK's middleware stack); use it whenever the SDK runs.
   */
  run<T>(task: () => Promise<T>, options: { readonly drain?: DrainMode } = {}): Promise<{ value: T; stats: SimulationStats }> {
    const drain = options.drain ?? 'immediate';
    return new Promise((resolveRun, rejectRun) => {
      let settled: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
      let steps = 0;
      const finish = (): void => {
        const stats = { endNs: this.#nowNs, events: this.#events, steps };
        if (settled?.ok === true) resolveRun({ value: settled.value, stats });
        else rejectRun(settled?.ok === false ? settled.error : new Error('simulation ended without a result'));
      };
      const deferStep = (): void => {
        process.nextTick(step);
      };
      const step = (): void => {
        try {
          if (settled !== undefined) return finish();
          this.#advance();
          steps++;
          // A tick queued from a tick would run before the microtasks just queued; queued from a microtask, it runs
          // once the microtask queue is empty.
          if (drain === 'tick' && steps % YIELD_EVERY_STEPS !== 0) queueMicrotask(deferStep);
          else setImmediate(step);
        } catch (error: unknown) {
          rejectRun(error);
        }
      };
      task().then(
        (value) => (settled = { ok: true, value }),
        (error: unknown) => (settled = { ok: false, error }),
      );
      setImmediate(step);
    });
  }

  /** Moves time to the earliest pending event and wakes every event due then, in insertion order. */
  #advance(): void {
    let first = this.#heap.pop();
    while (first?.cancelled === true) first = this.#heap.pop();
    if (first === undefined) throw new Error('simulation stalled: a task waits on something other than the simulated clock');
    this.#previousNs = this.#nowNs;
    this.#nowNs = first.atNs;
    this.#events++;
    first.resolve();
    for (let next = this.#heap.peek(); next !== undefined && next.atNs === first.atNs; next = this.#heap.peek()) {
      this.#heap.pop();
      if (next.cancelled) continue;
      this.#events++;
      next.resolve();
    }
  }
}

/** How the driver waits for every runnable task to block between steps; see {@link VirtualClock.run}. */
export type DrainMode = 'tick' | 'immediate';
/** In `tick` mode, a macrotask turn every this many steps so the thread still answers messages and signals. */
const YIELD_EVERY_STEPS = 4096;

/**
 * Routes this thread's global `setTimeout`/`clearTimeout` and `Date.now` to a virtual clock (and `Math.random` to
 * `random`, when given) until the returned function is called. The real `KMSClient`'s retry strategy sleeps with the global `setTimeout` (in `@smithy/core`:
 * `StandardRetryStrategy.refreshRetryTokenForRetry` and the adaptive `DefaultRateLimiter`) and the adaptive limiter
 * reads `Date.now()`; with these routed, the SDK's own backoff code runs unchanged and its delays advance simulated
 * time. Only one simulation may run in a thread while this is installed (the sim worker runs one at a time).
 *
 * Why not `@sinonjs/fake-timers`: it keeps its own timer queue (found by a linear scan) and cannot share one with
 * this scheduler; two queues would need a merge on every step, and ordering between SDK timers and engine sleeps at
 * equal times would no longer be by insertion. The shim is the part of fake-timers needed here, on the same heap.
 */
/** Node's largest timer delay, 2^31 − 1 ms; beyond it `setTimeout` uses 1 ms. */
const TIMEOUT_MAX_MS = 2 ** 31 - 1;

export function installSimTimers(clock: VirtualClock, random?: () => number): () => void {
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = { setTimeout: g['setTimeout'], clearTimeout: g['clearTimeout'], dateNow: Date.now, random: Math.random };
  // The SDK's backoff jitter is `Math.random()` (DefaultRetryBackoffStrategy): seeded, the run stays reproducible.
  if (random !== undefined) Math.random = random;
  const cancels = new Map<object, () => void>();
  class SimTimeout {
    #ref = true;
    ref(): this {
      this.#ref = true;
      return this;
    }
    unref(): this {
      this.#ref = false;
      return this;
    }
    hasRef(): boolean {
      return this.#ref;
    }
    refresh(): this {
      return this;
    }
    [Symbol.toPrimitive](): number {
      return 0;
    }
  }
  g['setTimeout'] = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]): SimTimeout => {
    const handle = new SimTimeout();
    // Node's rule: a delay below 1 ms (or not a number, or above the 32-bit maximum) is 1 ms. The SDK's adaptive rate
    // limiter relies on it: it sleeps sub-millisecond token deficits and re-reads the millisecond `Date.now()`.
    const delayMs = typeof ms === 'number' && ms >= 1 && ms <= TIMEOUT_MAX_MS ? ms : 1;
    const cancel = clock.timer(delayMs, () => {
      cancels.delete(handle);
      callback(...args);
    });
    cancels.set(handle, cancel);
    return handle;
  };
  g['clearTimeout'] = (handle: unknown): void => {
    if (typeof handle !== 'object' || handle === null) return;
    cancels.get(handle)?.();
    cancels.delete(handle);
  };
  Date.now = () => Math.floor(clock.nowEpochMs());
  return () => {
    g['setTimeout'] = saved.setTimeout;
    g['clearTimeout'] = saved.clearTimeout;
    Date.now = saved.dateNow;
    Math.random = saved.random;
  };
}
