/**
 * The virtual clock: a discrete-event scheduler behind the engine's `Clock`. Simulated time stands still while any
 * task can run; it jumps to the earliest pending sleep only when every task is waiting. Sleeps due at the same
 * simulated time wake in the order they were scheduled (time, then insertion order), so a simulation is a pure
 * function of its inputs.
 *
 * "Every task is waiting" means the microtask and nextTick queues are empty. JavaScript offers no way to ask that
 * directly, so the driver waits one macrotask turn (`setImmediate`) between distinct event times: Node runs every
 * nextTick and microtask before it. A turn costs about a microsecond, paid once per distinct event time, not per task.
 * (A promise-hook-counting microtask check was measured too: V8 turns off its fast await paths while promise hooks are
 * on, and it was slower, and blind to `process.nextTick`.)
 */
import { NS_PER_MS, type Clock } from './clock.js';

/** Simulated epoch of nanosecond 0 by default, so model dates are fixed too. */
export const DEFAULT_SIM_EPOCH_MS = Date.UTC(2026, 0, 1);

interface SimEvent {
  readonly atNs: number;
  readonly seq: number;
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
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
  clear(): SimEvent[] {
    return this.#items.splice(0);
  }
}

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
  /** Distinct simulated instants the driver stepped to (one macrotask turn each). */
  readonly steps: number;
}

/**
 * A deterministic simulated clock. Time starts at 0 ns (so fixed quota windows fall on whole simulated seconds) and
 * moves only inside {@link VirtualClock.run}.
 */
export class VirtualClock implements Clock {
  #nowNs = 0;
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
  /** Pending sleeps (including cancelled timers not yet discarded). */
  get pending(): number {
    return this.#heap.size;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    return new Promise<void>((resolve, reject) => {
      this.#schedule(ms, resolve, reject);
    });
  }

  /**
   * A timer on simulated time for callback-style code (the SDK's `setTimeout`); returns a cancel function. The
   * callback runs when the driver reaches its time, in the same order as sleeps.
   */
  timer(ms: number, callback: () => void): () => void {
    const event = this.#schedule(ms, callback, () => {});
    return () => {
      event.cancelled = true;
    };
  }

  #schedule(ms: number, resolve: () => void, reject: (reason: unknown) => void): SimEvent {
    const delayNs = Number.isFinite(ms) && ms > 0 ? ms * NS_PER_MS : 0;
    const event: SimEvent = { atNs: this.#nowNs + delayNs, seq: this.#seq++, resolve, reject, cancelled: false };
    this.#heap.push(event);
    return event;
  }

  /**
   * Runs `task` to completion in simulated time and returns its value. Between distinct event times the driver lets
   * every runnable task run; when none can, it advances to the earliest pending event and wakes every event due then.
   * If the task is still pending when nothing is scheduled, it waits on something outside the simulation: that is a
   * harness bug, reported as an error rather than a hang.
   *
   * @param shouldStop checked between steps: when it returns a reason, every pending sleep is rejected with it.
   */
  async run<T>(task: () => Promise<T>, shouldStop?: () => Error | undefined): Promise<{ value: T; stats: SimulationStats }> {
    let settled: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    task().then(
      (value) => (settled = { ok: true, value }),
      (error: unknown) => (settled = { ok: false, error }),
    );
    let steps = 0;
    for (;;) {
      await macrotaskTurn();
      if (settled !== undefined) break;
      const stop = shouldStop?.();
      if (stop !== undefined) {
        for (const event of this.#heap.clear()) if (!event.cancelled) event.reject(stop);
        continue;
      }
      let first = this.#heap.pop();
      while (first?.cancelled === true) first = this.#heap.pop();
      if (first === undefined) {
        throw new Error('simulation stalled: a task waits on something other than the simulated clock');
      }
      steps++;
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
    const stats = { endNs: this.#nowNs, events: this.#events, steps };
    if (settled.ok) return { value: settled.value, stats };
    throw settled.error;
  }
}

function macrotaskTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Routes this thread's global `setTimeout`/`clearTimeout` and `Date.now` to a virtual clock until the returned
 * function is called. The real `KMSClient`'s retry strategy sleeps with the global `setTimeout` (in `@smithy/core`:
 * `StandardRetryStrategy.refreshRetryTokenForRetry` and the adaptive `DefaultRateLimiter`) and the adaptive limiter
 * reads `Date.now()`; with these routed, the SDK's own backoff code runs unchanged and its delays advance simulated
 * time. Only one simulation may run in a thread while this is installed (the sim worker runs one at a time).
 *
 * Why not `@sinonjs/fake-timers`: it keeps its own timer queue (found by a linear scan) and cannot share one with
 * this scheduler; two queues would need a merge on every step, and ordering between SDK timers and engine sleeps at
 * equal times would no longer be by insertion. The shim is the part of fake-timers needed here, on the same heap.
 */
export function installSimTimers(clock: VirtualClock): () => void {
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = { setTimeout: g['setTimeout'], clearTimeout: g['clearTimeout'], dateNow: Date.now };
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
    const cancel = clock.timer(ms ?? 0, () => {
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
  };
}
