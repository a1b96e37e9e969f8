/**
 * The quota store: where a board's budgets live and who decides. The board (board.ts) keeps what every store shares —
 * the slot table of (account, region, bucket), each slot's quota, the per-thread admitted/throttled counters — and
 * asks its store for each slot's limiter:
 *
 * - {@link MemoryQuotaStore}: the shared-memory limiters (limiters.ts), one compare-and-swap per decision, for the
 *   threads of one process;
 * - `RedisQuotaStore` (redis-store.ts): leases of tokens from Redis, for several processes and hosts.
 *
 * The limiter objects are what a decision runs, so the store costs the shared-memory path nothing per request.
 */
import { createLimiter, type Limiter, type LimiterKind } from './limiters.js';
import type { SlotViews } from './limiter-buffers.js';
import type { ResolvedQuotaOptions } from './options.js';

/** One slot a thread has claimed, as a store needs it to build the slot's limiter. */
export interface ClaimedSlot {
  readonly slot: number;
  /** `account\0region\0bucket`. */
  readonly name: string;
  readonly quotaPerSec: number;
  readonly kind: LimiterKind;
  readonly burstSeconds: number;
}

/** Where budgets live; each thread holds its own instance over the board's shared memory. */
export interface QuotaStore {
  /** The calling thread's limiter for a slot. */
  limiter(claimed: ClaimedSlot, views: SlotViews): Limiter;
  /** Resolves when the store can decide (connected, or given up connecting); never rejects. */
  ready(): Promise<void>;
  /** Releases connections; decisions after it follow the fault policy. */
  close(): void;
  /**
   * The lease miss of the calling thread's last refused decision, if that is why it was refused: a promise that
   * settles when the lease has come, and `undo` to take the refusal back out of the throttled count before the caller
   * decides again. Cleared by reading it.
   */
  takeLeaseMiss?(): LeaseMiss | undefined;
}

/** A decision refused only because the next lease had not come yet. */
export interface LeaseMiss {
  readonly settled: Promise<void>;
  undo(): void;
}

/** Budgets in shared memory: today's limiters, unchanged. */
export class MemoryQuotaStore implements QuotaStore {
  limiter({ kind, slot, quotaPerSec, burstSeconds }: ClaimedSlot, views: SlotViews): Limiter {
    return createLimiter(kind, views, slot, quotaPerSec, burstSeconds);
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {}
}

/** What a board's store did: for a remote store, how many decisions it could not take from the remote, and when. */
export interface QuotaStoreReport {
  /** `memory`, or the Redis URL (without credentials). */
  readonly store: string;
  readonly runId: string;
  /** Redis: tokens per lease, and the fault policy. */
  readonly lease?: number;
  readonly fault?: string;
  /** Decisions taken under the fault policy because Redis could not be reached or was too slow. */
  readonly faultDecisions: number;
  /** Requests throttled because the lease in hand was spent and the next had not come (under-admission). */
  readonly leaseMisses: number;
  /** Runs of seconds (from the run's start) with decisions under the fault policy. */
  readonly faultWindows: readonly { readonly fromSecond: number; readonly toSecond: number; readonly decisions: number }[];
  /**
   * Requests admitted from leases per Unix second (the store's fixed windows), over every slot: summed across the
   * processes of one run id, each second is what the shared quota admitted in that window.
   */
  readonly admittedPerUnixSecond: { readonly fromUnixSecond: number; readonly counts: readonly number[] };
}

/** Seconds of fault timeline a board keeps (a day); later seconds count in the last. */
export const FAULT_TIMELINE_SECONDS = 86_400;

/** Int32 counters per slot in the shared `faults` buffer: decisions under the fault policy, lease misses. */
const FAULT_COUNTERS_PER_SLOT = 2;

/** The shared counts of decisions a remote store made without its remote: per slot, and per second of the run. */
export class FaultBook {
  readonly #slots: Int32Array;
  readonly #seconds: Int32Array;
  /** `[0]`: the Unix second the board was made in; then admissions per Unix second from it, over every slot. */
  readonly #admitted: Int32Array;

  /** Over one shared buffer of {@link FaultBook.bytes}: per-slot counters, then fault seconds, then admitted seconds. */
  constructor(faults: SharedArrayBuffer, capacity: number, storeNowNs: () => number) {
    const slotInts = capacity * FAULT_COUNTERS_PER_SLOT;
    this.#slots = new Int32Array(faults, 0, slotInts);
    this.#seconds = new Int32Array(faults, slotInts * 4, FAULT_TIMELINE_SECONDS);
    this.#admitted = new Int32Array(faults, (slotInts + FAULT_TIMELINE_SECONDS) * 4, FAULT_TIMELINE_SECONDS + 1);
    Atomics.compareExchange(this.#admitted, 0, 0, Math.floor(storeNowNs() / 1e9));
  }

  static bytes(capacity: number): { faults: number } {
    return { faults: (capacity * FAULT_COUNTERS_PER_SLOT + 2 * FAULT_TIMELINE_SECONDS + 1) * 4 };
  }

  /**
   * A request admitted from a lease at `storeNs` (the store's clock: the Unix epoch). Counted per Unix second — the
   * store's fixed windows — so the results of several processes show what each window admitted in total.
   */
  admitted(storeNs: number): void {
    const second = Math.floor(storeNs / 1e9) - (this.#admitted[0] ?? 0);
    if (second >= 0 && second < FAULT_TIMELINE_SECONDS) Atomics.add(this.#admitted, second + 1, 1);
  }

  /** Admissions per Unix second, from the first second with one to the last. */
  admittedPerSecond(): { fromUnixSecond: number; counts: number[] } {
    const counts = Array.from(this.#admitted.subarray(1));
    const first = counts.findIndex((count) => count > 0);
    if (first < 0) return { fromUnixSecond: this.#admitted[0] ?? 0, counts: [] };
    const last = counts.length - 1 - [...counts].reverse().findIndex((count) => count > 0);
    return { fromUnixSecond: (this.#admitted[0] ?? 0) + first, counts: counts.slice(first, last + 1) };
  }

  /** A decision taken under the fault policy at `runNs` (the board's clock: ns since the run's start). */
  fault(slot: number, runNs: number): void {
    Atomics.add(this.#slots, slot * FAULT_COUNTERS_PER_SLOT, 1);
    const second = Math.min(FAULT_TIMELINE_SECONDS - 1, Math.max(0, Math.floor(runNs / 1e9)));
    Atomics.add(this.#seconds, second, 1);
  }

  /** A request throttled because the lease in hand was spent and the next one had not come yet. */
  miss(slot: number): void {
    Atomics.add(this.#slots, slot * FAULT_COUNTERS_PER_SLOT + 1, 1);
  }

  counts(slot: number): { faultDecisions: number; leaseMisses: number } {
    const at = slot * FAULT_COUNTERS_PER_SLOT;
    return { faultDecisions: Atomics.load(this.#slots, at), leaseMisses: Atomics.load(this.#slots, at + 1) };
  }

  /** The store's account of a board: its options, and these counts summed over `slots`. */
  report(options: Pick<ResolvedQuotaOptions, 'store' | 'runId'>, slots: readonly number[]): QuotaStoreReport {
    const { store, runId } = options;
    let faultDecisions = 0;
    let leaseMisses = 0;
    for (const slot of slots) {
      const counts = this.counts(slot);
      faultDecisions += counts.faultDecisions;
      leaseMisses += counts.leaseMisses;
    }
    const remote = store.kind === 'redis' ? { lease: store.lease, fault: store.fault } : {};
    return { store: store.kind === 'redis' ? store.url : 'memory', runId, ...remote, faultDecisions, leaseMisses, faultWindows: this.windows(), admittedPerUnixSecond: this.admittedPerSecond() };
  }

  /** The runs of consecutive seconds with fault decisions, as `[fromSecond, toSecond)` with their decision counts. */
  windows(): { fromSecond: number; toSecond: number; decisions: number }[] {
    const out: { fromSecond: number; toSecond: number; decisions: number }[] = [];
    for (let second = 0; second < FAULT_TIMELINE_SECONDS; second++) {
      const count = Atomics.load(this.#seconds, second);
      if (count === 0) continue;
      const last = out.at(-1);
      if (last !== undefined && last.toSecond === second) {
        last.toSecond = second + 1;
        last.decisions += count;
      } else out.push({ fromSecond: second, toSecond: second + 1, decisions: count });
    }
    return out;
  }
}
