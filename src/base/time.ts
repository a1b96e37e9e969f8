/**
 * Time, at the bottom of every layer: a {@link TimeSource} for whatever reads the time (the model's dates, quota
 * windows, caches, recorders) and a {@link Sleeper} for whatever waits (retry backoff, think time, arrival pacing). The
 * wall clock runs in real time across worker threads; the simulators implement the same interfaces, so the model,
 * clients, retry policies, caches and quotas run unchanged under either. The event-driven simulator is only a time
 * source: its actors never sleep, they queue their next event.
 */
import { setImmediate as nextTurn, setTimeout as delay } from 'node:timers/promises';

/** Reads the time. */
export interface TimeSource {
  /**
   * Monotonic nanoseconds. On the wall clock this is `process.hrtime.bigint()`, which is comparable across worker
   * threads of one process (`performance.now()` is not: each thread has its own time origin).
   */
  nowNs(): number;
  /** Epoch milliseconds, for dates in KMS responses and reports. */
  nowEpochMs(): number;
}

/** Waits. */
export interface Sleeper {
  /**
   * Resolves after `ms` of this clock's time; rejects with the signal's reason if aborted. `sleep(0)` yields to other
   * pending work (timers, I/O, other simulated clients) before resolving.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Reads the time and waits: what promise-driven code (clients, fleets, retry loops) runs on. */
export interface Clock extends TimeSource, Sleeper {}

export const NS_PER_MS = 1_000_000;
export const NS_PER_SEC = 1_000_000_000;

/** Real time, read. */
export const wallTime: TimeSource = {
  nowNs: () => Number(process.hrtime.bigint()),
  nowEpochMs: () => Date.now(),
};

/** Real time, read and waited on. */
export const wallClock: Clock = {
  nowNs: wallTime.nowNs,
  nowEpochMs: wallTime.nowEpochMs,
  sleep: (ms, signal) => {
    const options = signal === undefined ? undefined : { signal };
    return ms <= 0 ? nextTurn(undefined, options) : delay(ms, undefined, options);
  },
};

/** A clock that moves only when told to: for unit tests of components that read time but do not sleep. */
export class ManualClock implements Clock {
  #ns: number;
  readonly #epochMsAtZero: number;

  constructor(startNs = 0, epochMsAtZero = Date.UTC(2026, 0, 1)) {
    this.#ns = startNs;
    this.#epochMsAtZero = epochMsAtZero;
  }
  nowNs(): number {
    return this.#ns;
  }
  nowEpochMs(): number {
    return this.#epochMsAtZero + this.#ns / NS_PER_MS;
  }
  advanceMs(ms: number): void {
    this.#ns += ms * NS_PER_MS;
  }
  setNs(ns: number): void {
    this.#ns = ns;
  }
  sleep(ms: number): Promise<void> {
    this.advanceMs(ms);
    return Promise.resolve();
  }
}
