/**
 * A board of named rate limiters in shared memory: the same slot table, limiters and per-thread counters as the
 * {@link QuotaBoard}, keyed by any name its caller chooses, each slot's rate given by the caller when it is first
 * claimed. The KMS quota board knows KMS's buckets; this one knows nothing, so a layer above (the AWS services'
 * own request quotas: Secrets Manager per account and region, S3 per bucket prefix) keeps its own keys and rates
 * and still draws from one budget across threads, on either clock.
 */
import { wallTime } from '../base/time.js';
import { attachThread } from './board.js';
import { createLimiterBuffers, limiterBufferBytes, SlotViews, type LimiterBuffers } from './limiter-buffers.js';
import { createLimiter, limiterKind, MIN_QUOTA_PER_SEC, type Limiter, type NowNs, type QuotaEnforcement } from './limiters.js';
import { checkSlotTableBuffers, createSlotTableBuffers, SlotTable, type SlotTableBuffers } from './slot-table.js';
import { DEFAULT_QUOTA_MAX_THREADS } from './options.js';

/** Options of a {@link RateBoard}; every one is optional. */
export interface RateBoardOptions {
  /** `fixed-window` (default) or `token-bucket`, as for KMS quotas. */
  readonly enforcement?: QuotaEnforcement;
  /** Token bucket only: the burst in seconds of rate (default 1). */
  readonly burstSeconds?: number;
  /** Named slots the board holds: a power of two, default 1024. */
  readonly capacity?: number;
  /** Distinct threads that may use the board (default 64). */
  readonly maxThreads?: number;
}

/** Options with their defaults filled in; structured-cloneable. */
export interface ResolvedRateBoardOptions {
  readonly enforcement: QuotaEnforcement;
  readonly burstSeconds: number;
  readonly capacity: number;
  readonly maxThreads: number;
}

/** What another thread needs to draw from the same limiters (pass it in `workerData`). */
export interface SharedRateBoard {
  readonly kind: 'kms-bench.rate-board';
  readonly version: 1;
  readonly options: ResolvedRateBoardOptions;
  readonly buffers: SlotTableBuffers & LimiterBuffers & { readonly threads: SharedArrayBuffer };
}

/** One named slot's figures. */
export interface RateSlotSnapshot {
  readonly name: string;
  readonly ratePerSec: number;
  readonly admitted: number;
  readonly throttled: number;
}

/** The calling thread's handle on one named limiter: resolve it once, call {@link RateLimiter.admit} per request. */
export interface RateLimiter {
  /** Takes one request now: true if admitted, false if refused (counted as throttled unless `countRefusal` is false). */
  admit(countRefusal?: boolean): boolean;
}

const DEFAULT_CAPACITY = 1024;

function resolveOptions(options: RateBoardOptions): ResolvedRateBoardOptions {
  const capacity = options.capacity ?? DEFAULT_CAPACITY;
  const maxThreads = options.maxThreads ?? DEFAULT_QUOTA_MAX_THREADS;
  const burstSeconds = options.burstSeconds ?? 1;
  if (!Number.isInteger(capacity) || capacity < 1 || (capacity & (capacity - 1)) !== 0) {
    throw new Error(`RateBoard: capacity must be a power of two, got ${String(capacity)}`);
  }
  if (!Number.isInteger(maxThreads) || maxThreads < 1 || maxThreads > 4096) {
    throw new Error(`RateBoard: maxThreads must be an integer from 1 to 4096, got ${String(maxThreads)}`);
  }
  if (!(burstSeconds > 0 && Number.isFinite(burstSeconds))) {
    throw new Error(`RateBoard: burstSeconds must be a positive number, got ${String(burstSeconds)}`);
  }
  return { enforcement: options.enforcement ?? 'fixed-window', burstSeconds, capacity, maxThreads };
}

/** Set by {@link RateBoard.fromShared} for the constructor it calls: attach instead of allocating. */
let attaching: SharedRateBoard | undefined;

/**
 * Named rate limiters shared by every thread of a run.
 *
 * ```ts
 * const board = new RateBoard({}, () => clock.nowNs());
 * const limiter = board.limiter('111122223333\0us-east-1\0secretsmanager:GetSecretValue', 10_000);
 * if (!limiter.admit()) … // refused: the service answers with its own throttling error
 * ```
 */
export class RateBoard {
  readonly #options: ResolvedRateBoardOptions;
  readonly #nowNs: NowNs;
  readonly #buffers: SharedRateBoard['buffers'];
  readonly #table: SlotTable;
  readonly #views: SlotViews;
  readonly #limiters = new Map<string, RateLimiter>();

  /**
   * A new board with fresh shared state.
   * @param nowNs the clock, in ns from an origin common to all threads (default the wall clock's).
   */
  constructor(options: RateBoardOptions = {}, nowNs: NowNs = wallTime.nowNs) {
    const shared = attaching;
    attaching = undefined;
    this.#options = shared?.options ?? resolveOptions(options);
    this.#nowNs = nowNs;
    const { capacity, maxThreads } = this.#options;
    this.#buffers = shared?.buffers ?? {
      ...createSlotTableBuffers(capacity),
      ...createLimiterBuffers(capacity, maxThreads),
      threads: new SharedArrayBuffer(maxThreads * 4),
    };
    this.#table = new SlotTable(this.#buffers, capacity);
    this.#views = new SlotViews(this.#buffers, capacity, maxThreads, attachThread(new Int32Array(this.#buffers.threads)));
  }

  /**
   * A board over the same shared state as the one that called {@link share}, typically in another thread.
   * @throws Error when `shared` is not what `share()` returns.
   */
  static fromShared(shared: SharedRateBoard, nowNs: NowNs = wallTime.nowNs): RateBoard {
    const problems: string[] = [];
    if (shared?.kind !== 'kms-bench.rate-board' || shared.version !== 1) {
      problems.push('not a shared rate board (kind "kms-bench.rate-board", version 1)');
    } else {
      const { capacity, maxThreads } = shared.options;
      const buffers = (shared.buffers ?? {}) as unknown as Partial<Record<string, unknown>>;
      problems.push(...checkSlotTableBuffers(buffers, capacity));
      const expected = { ...limiterBufferBytes(capacity, maxThreads), threads: maxThreads * 4 };
      for (const [name, bytes] of Object.entries(expected)) {
        const buffer = buffers[name];
        if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength !== bytes) problems.push(`buffers.${name} must be a SharedArrayBuffer of ${bytes} bytes`);
      }
    }
    if (problems.length > 0) throw new Error(`RateBoard.fromShared: ${problems.join('; ')}`);
    attaching = shared;
    try {
      return new RateBoard(shared.options, nowNs);
    } finally {
      attaching = undefined;
    }
  }

  get options(): ResolvedRateBoardOptions {
    return this.#options;
  }

  /**
   * The limiter named `name` (at most 126 UTF-8 bytes), claiming its slot at `ratePerSec` if no thread has yet; cached
   * per thread. Every thread must give a name the same rate. `Infinity` counts without limiting.
   * @throws Error for a rate that is not positive; `QuotaCapacityError` when every slot is taken.
   */
  limiter(name: string, ratePerSec: number): RateLimiter {
    const cached = this.#limiters.get(name);
    if (cached !== undefined) return cached;
    if (!(ratePerSec >= MIN_QUOTA_PER_SEC)) throw new Error(`RateBoard.limiter: the rate of ${JSON.stringify(name)} must be at least ${MIN_QUOTA_PER_SEC}/s, got ${String(ratePerSec)}`);
    const slot = this.#table.claim(name, ratePerSec);
    const { enforcement, burstSeconds } = this.#options;
    const inner: Limiter = createLimiter(limiterKind(enforcement, ratePerSec), this.#views, slot, ratePerSec, burstSeconds);
    const nowNs = this.#nowNs;
    const limiter: RateLimiter = { admit: (countRefusal = true) => inner.admit(nowNs, countRefusal) };
    this.#limiters.set(name, limiter);
    return limiter;
  }

  /** Every slot claimed by any thread, sorted by name; a moment's view while other threads admit. */
  snapshot(): RateSlotSnapshot[] {
    return this.#table
      .entries()
      .map(({ slot, name, quotaPerSec }) => ({ name, ratePerSec: quotaPerSec, ...this.#views.counts(slot) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The shared state and options, for {@link RateBoard.fromShared} in another thread. */
  share(): SharedRateBoard {
    return { kind: 'kms-bench.rate-board', version: 1, options: this.#options, buffers: this.#buffers };
  }
}
