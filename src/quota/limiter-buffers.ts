/**
 * The shared memory of a board's limiters (limiters.ts describes its layout and the decisions made on it) and the
 * calling thread's views over it: its own counter block, and whether its limiters still decide on plain state.
 */

/** Bytes per slot in the shared state buffer. */
export const SLOT_BYTES = 64;
/** Float64 counters per (thread, slot): admitted, throttled. */
const COUNTERS_PER_SLOT = 2;

/** The shared buffers of a board's limiters. */
export interface LimiterBuffers {
  /** `capacity × SLOT_BYTES` bytes of decision state. */
  readonly state: SharedArrayBuffer;
  /** `maxThreads × capacity × 2` Float64 counters. */
  readonly counters: SharedArrayBuffer;
}

/** Allocates zeroed limiter buffers. Pages never written stay unbacked, so a generous `maxThreads` costs little. */
export function createLimiterBuffers(capacity: number, maxThreads: number): LimiterBuffers {
  return {
    state: new SharedArrayBuffer(capacity * SLOT_BYTES),
    counters: new SharedArrayBuffer(maxThreads * capacity * COUNTERS_PER_SLOT * 8),
  };
}

/** The expected byte length of each limiter buffer. */
export function limiterBufferBytes(capacity: number, maxThreads: number): Record<keyof LimiterBuffers, number> {
  return { state: capacity * SLOT_BYTES, counters: maxThreads * capacity * COUNTERS_PER_SLOT * 8 };
}

/** The calling thread's views over limiter buffers; `thread` picks its counter block. */
export class SlotViews {
  readonly state: BigInt64Array;
  readonly counters: Float64Array;
  readonly #capacity: number;
  readonly #maxThreads: number;
  readonly #thread: number;
  /** True while only this thread can reach the buffers: limiters decide on their own plain state. */
  #local: boolean;
  /** Each local limiter's state, written into its decision word when the buffers are shared. */
  readonly #publishers: (() => void)[] = [];

  /** @param local true for a new board's buffers, which no other thread holds until {@link share}. */
  constructor(buffers: LimiterBuffers, capacity: number, maxThreads: number, thread: number, local = false) {
    this.state = new BigInt64Array(buffers.state);
    this.counters = new Float64Array(buffers.counters);
    this.#capacity = capacity;
    this.#maxThreads = maxThreads;
    this.#thread = thread;
    this.#local = local;
  }

  /** Whether the limiters may decide on plain state (see limiters.ts). */
  get local(): boolean {
    return this.#local;
  }

  /** Registers a local limiter's `publish`, run once when the buffers are shared. */
  onShare(publish: () => void): void {
    if (this.#local) this.#publishers.push(publish);
  }

  /**
   * Before the buffers go to another thread: every limiter's state into its decision word, and every decision from now
   * on by compare-and-swap. Idempotent.
   */
  share(): void {
    if (!this.#local) return;
    for (const publish of this.#publishers) publish();
    this.#publishers.length = 0;
    this.#local = false;
  }

  /** Index of the calling thread's admitted counter for `slot` (throttled is the next one). */
  counterIndex(slot: number): number {
    return (this.#thread * this.#capacity + slot) * COUNTERS_PER_SLOT;
  }

  /**
   * Admitted and throttled totals of a slot over every thread. Read while other threads admit, it is a moment's
   * view.
   */
  counts(slot: number): { admitted: number; throttled: number } {
    let admitted = 0;
    let throttled = 0;
    for (let thread = 0; thread < this.#maxThreads; thread++) {
      const index = (thread * this.#capacity + slot) * COUNTERS_PER_SLOT;
      admitted += this.counters[index] ?? 0;
      throttled += this.counters[index + 1] ?? 0;
    }
    return { admitted, throttled };
  }
}
