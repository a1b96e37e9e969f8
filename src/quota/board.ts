/**
 * The quota board: every (account, region, bucket) limiter of a run, in shared memory, usable from any thread.
 */
import { threadId } from 'node:worker_threads';
import { wallTime } from '../base/time.js';
import { QUOTA_BUCKETS, bucketIndexOf, unknownBucketError } from './buckets.js';
import { createLimiterBuffers, limiterBufferBytes, SlotViews, type LimiterBuffers } from './limiter-buffers.js';
import { limiterKind } from './limiters.js';
import type { Limiter, NowNs } from './limiters.js';
import { validateQuotaOptions } from './options.js';
import type { QuotaOptions, ResolvedQuotaOptions } from './options.js';
import { resolveQuotaPerSec } from './profiles.js';
import { checkSlotTableBuffers, createSlotTableBuffers, SlotTable } from './slot-table.js';
import type { SlotTableBuffers } from './slot-table.js';
import { RedisQuotaStore, epochNowNs } from './redis-store.js';
import { FaultBook, MemoryQuotaStore, type LeaseMiss, type QuotaStore, type QuotaStoreReport } from './store.js';

/** Everything another thread needs to draw from the same budget; structured-cloneable (pass it in `workerData`). */
export interface SharedQuotaBoard {
  readonly kind: 'kms-bench.quota-board';
  readonly version: 1;
  readonly options: ResolvedQuotaOptions;
  readonly buffers: SlotTableBuffers &
    LimiterBuffers & {
      /** Int32 per counter block: `threadId + 1` of the thread that owns it, 0 while free. */
      readonly threads: SharedArrayBuffer;
      /** A remote store's counts: decisions made without it, lease misses, admissions per second (`FaultBook`). */
      readonly faults: SharedArrayBuffer;
    };
}


/** One (account, region, bucket) slot's figures. */
export interface QuotaSlotSnapshot {
  readonly accountId: string;
  readonly region: string;
  readonly bucket: string;
  /** The quota in force (`Infinity` = unlimited). */
  readonly quotaPerSec: number;
  readonly admitted: number;
  readonly throttled: number;
}

/**
 * The buckets of one (account, region): resolve it once with {@link QuotaBoard.partition}, then call
 * {@link QuotaPartition.admit} per request. After a bucket's first request, a decision is one clock reading and one
 * compare-and-swap on shared memory; nothing is allocated beyond a BigInt.
 */
export class QuotaPartition {
  /** The account charged. */
  readonly accountId: string;
  readonly region: string;
  readonly #board: QuotaBoard;
  readonly #claim: (partition: QuotaPartition, bucketIndex: number) => Limiter;
  readonly #nowNs: NowNs;
  readonly #limiters: (Limiter | undefined)[] = new Array<Limiter | undefined>(QUOTA_BUCKETS.length).fill(undefined);
  #lastBucket: string | undefined;
  #lastIndex = 0;

  /** @internal Made by {@link QuotaBoard.partition}. */
  constructor(
    board: QuotaBoard,
    accountId: string,
    region: string,
    nowNs: NowNs,
    claim: (partition: QuotaPartition, bucketIndex: number) => Limiter,
  ) {
    this.#board = board;
    this.accountId = accountId;
    this.region = region;
    this.#nowNs = nowNs;
    this.#claim = claim;
  }

  /**
   * Takes one request from `bucket`'s budget now: true if admitted, false if throttled (counted as throttled unless
   * `countRefusal` is false).
   * @throws Error for a name that is not in `QUOTA_BUCKETS`; `QuotaCapacityError` when the bucket has no slot yet and
   * every slot of the board is taken (buckets that hold one keep working).
   */
  admit(bucket: string, countRefusal = true): boolean {
    // Callers charge one bucket over and over (the KMS model: `symmetric`): remember the last name's index.
    if (bucket === this.#lastBucket) return this.admitIndex(this.#lastIndex, countRefusal);
    const index = bucketIndexOf(bucket);
    if (index < 0) throw unknownBucketError(bucket, 'QuotaPartition.admit');
    this.#lastBucket = bucket;
    this.#lastIndex = index;
    return this.admitIndex(index, countRefusal);
  }

  /**
   * {@link admit} by bucket index (`bucketIndexOf(name)`, the position in `QUOTA_BUCKETS`), skipping the name lookup.
   * @throws Error for an index outside `QUOTA_BUCKETS`.
   */
  admitIndex(bucketIndex: number, countRefusal = true): boolean {
    const limiter = this.#limiters[bucketIndex] ?? this.#claimLimiter(bucketIndex);
    return limiter.admit(this.#nowNs, countRefusal);
  }

  /** @internal The calling thread's limiter for a bucket index, claimed if need be. */
  limiterAt(bucketIndex: number): Limiter {
    return this.#limiters[bucketIndex] ?? this.#claimLimiter(bucketIndex);
  }

  /** The quota in force for `bucket` in this partition, in requests per second. */
  quotaPerSec(bucket: string): number {
    const { profile, overrides } = this.#board.options;
    return resolveQuotaPerSec(profile, this.region, bucket, overrides);
  }

  #claimLimiter(bucketIndex: number): Limiter {
    if (!(Number.isInteger(bucketIndex) && bucketIndex >= 0 && bucketIndex < QUOTA_BUCKETS.length)) {
      throw new Error(`QuotaPartition.admitIndex: ${bucketIndex} is not a bucket index (0 to ${QUOTA_BUCKETS.length - 1})`);
    }
    const limiter = this.#claim(this, bucketIndex);
    this.#limiters[bucketIndex] = limiter;
    return limiter;
  }
}

/**
 * The calling thread's counter block: the one holding its `threadId + 1`, else the first free one, claimed by
 * compare-and-swap. Blocks are never released (a thread id is never reused within a process), and only the owning
 * thread writes a block, so its counters need no atomic read-modify-write.
 */
export function attachThread(threads: Int32Array): number {
  const id = threadId + 1;
  for (let block = 0; block < threads.length; block++) {
    let owner = Atomics.load(threads, block);
    // compareExchange answers the previous owner: 0 means this thread won the block.
    if (owner === 0) owner = Atomics.compareExchange(threads, block, 0, id) || id;
    if (owner === id) return block;
  }
  throw new Error(
    `QuotaBoard: more than ${threads.length} threads have used this shared board; raise quotas.maxThreads`,
  );
}

/** Set by {@link QuotaBoard.fromShared} for the constructor it calls: attach instead of allocating. */
let attaching: SharedQuotaBoard | undefined;

/**
 * Per-account, per-region request quotas shared by every thread of a run.
 *
 * ```ts
 * const board = new QuotaBoard({ profile: 'kms-current', overrides: { 'us-east-1': { symmetric: 50 } } });
 * const quota = board.partition('111122223333', 'us-east-1');
 * if (!quota.admit('symmetric')) throw throttlingException();
 * new Worker(url, { workerData: board.share() }); // there: QuotaBoard.fromShared(workerData)
 * ```
 *
 * Slots are claimed lazily, from any thread, without a lock, in a table of `capacity` entries (default 4096; one per
 * account, region and bucket used). Each slot's quota is computed from the profile and overrides when it is claimed.
 * Each thread that uses the board takes one block of admitted/throttled counters (up to `maxThreads`, default 64).
 */
export class QuotaBoard {
  readonly #options: ResolvedQuotaOptions;
  readonly #nowNs: NowNs;
  readonly #buffers: SharedQuotaBoard['buffers'];
  readonly #table: SlotTable;
  readonly #views: SlotViews;
  readonly #store: QuotaStore;
  readonly #faults: FaultBook;
  readonly #partitions = new Map<string, Map<string, QuotaPartition>>();
  readonly #claim = (partition: QuotaPartition, bucketIndex: number): Limiter => {
    const bucket = QUOTA_BUCKETS[bucketIndex] as string;
    const { profile, overrides, enforcement, burstSeconds } = this.#options;
    const quota = resolveQuotaPerSec(profile, partition.region, bucket, overrides);
    const name = `${partition.accountId}\0${partition.region}\0${bucket}`;
    const slot = this.#table.claim(name, quota);
    return this.#store.limiter({ slot, name, quotaPerSec: quota, kind: limiterKind(enforcement, quota), burstSeconds }, this.#views);
  };

  /**
   * A new board with fresh shared state.
   * @param options quota options (validated here).
   * @param nowNs the clock, in ns from an origin common to all threads (default the wall clock's `nowNs`).
   * @param storeNowNs a remote store's clock, common to every process (default the Unix epoch in ns).
   * @throws QuotaOptionsError naming every bad option.
   */
  constructor(options: QuotaOptions = {}, nowNs: NowNs = wallTime.nowNs, storeNowNs: NowNs = epochNowNs) {
    const shared = attaching;
    attaching = undefined;
    this.#options = validateQuotaOptions(shared?.options ?? options);
    this.#nowNs = nowNs;
    const { capacity, maxThreads } = this.#options;
    this.#buffers = shared?.buffers ?? {
      ...createSlotTableBuffers(capacity),
      ...createLimiterBuffers(capacity, maxThreads),
      threads: new SharedArrayBuffer(maxThreads * 4),
      faults: new SharedArrayBuffer(FaultBook.bytes(capacity).faults),
    };
    this.#faults = new FaultBook(this.#buffers.faults, capacity, storeNowNs);
    const { store, runId } = this.#options;
    // A Redis store connects on first use (or `ready()`): a board that never decides, like the run's main thread, never does.
    this.#store = store.kind === 'redis' ? new RedisQuotaStore(store, runId, this.#faults, storeNowNs) : new MemoryQuotaStore();
    this.#table = new SlotTable(this.#buffers, capacity);
    const thread = attachThread(new Int32Array(this.#buffers.threads));
    // A new board's buffers are this thread's alone until share(): its limiters decide on plain state till then.
    this.#views = new SlotViews(this.#buffers, capacity, maxThreads, thread, shared === undefined);
  }

  /**
   * A board over the same shared state as the one that called {@link share}, typically in another thread: both draw
   * from the same budgets.
   * @throws Error when `shared` is not what `share()` returns.
   */
  static fromShared(shared: SharedQuotaBoard, nowNs: NowNs = wallTime.nowNs, storeNowNs: NowNs = epochNowNs): QuotaBoard {
    const problems: string[] = [];
    if (shared?.kind !== 'kms-bench.quota-board' || shared.version !== 1) {
      problems.push('not a shared quota board (kind "kms-bench.quota-board", version 1)');
    } else {
      const { capacity, maxThreads } = shared.options ?? {};
      const buffers = (shared.buffers ?? {}) as unknown as Partial<Record<string, unknown>>;
      problems.push(...checkSlotTableBuffers(buffers, capacity));
      const expected = { ...limiterBufferBytes(capacity, maxThreads), threads: maxThreads * 4, ...FaultBook.bytes(capacity) };
      for (const [name, bytes] of Object.entries(expected)) {
        const buffer = buffers[name];
        if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength !== bytes) {
          problems.push(`buffers.${name} must be a SharedArrayBuffer of ${bytes} bytes`);
        }
      }
    }
    if (problems.length > 0) throw new Error(`QuotaBoard.fromShared: ${problems.join('; ')}`);
    attaching = shared;
    try {
      return new QuotaBoard(shared.options, nowNs, storeNowNs);
    } finally {
      attaching = undefined;
    }
  }

  /** The validated options, defaults filled in. */
  get options(): ResolvedQuotaOptions {
    return this.#options;
  }

  /**
   * True while this board's limiters decide on plain numbers: a new board until {@link share}; never a board attached
   * by {@link fromShared}.
   */
  get local(): boolean {
    return this.#views.local;
  }

  /**
   * The buckets of one (account, region), cached per thread: call it once per partition, not per request.
   * @throws Error for an empty id or region, or one containing a NUL character.
   */
  partition(accountId: string, region: string): QuotaPartition {
    let byRegion = this.#partitions.get(accountId);
    const cached = byRegion?.get(region);
    if (cached !== undefined) return cached;
    for (const [what, value] of [['accountId', accountId], ['region', region]] as const) {
      if (typeof value !== 'string' || value.length === 0 || value.includes('\0')) {
        throw new Error(`QuotaBoard.partition: ${what} must be a non-empty string without NUL, got ${JSON.stringify(value)}`);
      }
    }
    if (byRegion === undefined) {
      byRegion = new Map();
      this.#partitions.set(accountId, byRegion);
    }
    const partition = new QuotaPartition(this, accountId, region, this.#nowNs, this.#claim);
    byRegion.set(region, partition);
    return partition;
  }

  /**
   * Every slot claimed by any thread, sorted by account, region and bucket. Taken while other threads admit, it is a
   * moment's view.
   */
  snapshot(): QuotaSlotSnapshot[] {
    const rows = this.#table.entries().map(({ slot, name, quotaPerSec }): QuotaSlotSnapshot => {
      const [accountId = '', region = '', bucket = ''] = name.split('\0');
      return { accountId, region, bucket, quotaPerSec, ...this.#views.counts(slot) };
    });
    const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    return rows.sort((a, b) => order(a.accountId, b.accountId) || order(a.region, b.region) || order(a.bucket, b.bucket));
  }

  /** Resolves when the store can decide: a Redis store connected, or given up connecting (then its fault policy decides). */
  ready(): Promise<void> {
    return this.#store.ready();
  }

  /** Settles a remote store's lease for `bucket` now (in flight: come; none in hand: taken). Lease 1 then decides exactly. */
  async settle(accountId: string, region: string, bucket: string): Promise<void> {
    const index = bucketIndexOf(bucket);
    if (index < 0) throw unknownBucketError(bucket, 'QuotaBoard.settle');
    await this.partition(accountId, region).limiterAt(index).settle?.();
  }

  /** See {@link QuotaStore.takeLeaseMiss}: why the calling thread's last refusal happened, if a lease was on its way. */
  takeLeaseMiss(): LeaseMiss | undefined {
    return this.#store.takeLeaseMiss?.();
  }

  /** Closes a remote store's connection (decisions after it follow the fault policy). */
  close(): void {
    this.#store.close();
  }

  /** What the store did, for the result: fault decisions and lease misses summed over every slot, and fault windows. */
  storeReport(): QuotaStoreReport {
    return this.#faults.report(this.#options, this.#table.entries().map(({ slot }) => slot));
  }

  /** The shared state and options, for `QuotaBoard.fromShared` in another thread. */
  share(): SharedQuotaBoard {
    this.#views.share();
    return { kind: 'kms-bench.quota-board', version: 1, options: this.#options, buffers: this.#buffers };
  }
}
