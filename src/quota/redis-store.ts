/**
 * Budgets in Redis, shared by every process and host that names the same Redis and run id. A decision never waits on
 * Redis: each thread holds a lease of tokens per slot, answers from it synchronously, and takes the next lease in the
 * background once half of the current one is spent. Each worker thread leases for itself over its own connection
 * (docs/QUOTA-STORE.md says why and what it costs in accuracy).
 *
 * - Fixed window: a lease is tokens of the current window (windows aligned to the store's clock, the Unix epoch, so
 *   every host agrees on them); it lapses when the window ends. A grant smaller than asked means the window is spent:
 *   the thread refuses until the window ends without asking again.
 * - Token bucket: a lease is GCRA tokens that conformed when taken; they lapse a second later, so tokens held back
 *   cannot become a burst beyond the bucket's.
 *
 * With no token in hand and the next lease not yet come, a request is throttled (a lease miss: under-admission, never
 * over-admission). While Redis cannot be reached the run's fault policy decides (`fail-open`, `fail-closed`, or
 * `local`: a shared-memory limiter holding `quota / share`), every such decision counted.
 */
import { fixedWindowParams, limiterKind, tokenBucketParams, createLimiter, type Limiter, type NowNs, type QuotaEnforcement } from './limiters.js';
import type { SlotViews } from './limiter-buffers.js';
import { RedisConnection, type LeaseGrant } from './redis-connection.js';
import { quotaKey } from './redis-scripts.js';
import type { ClaimedSlot, FaultBook, LeaseMiss, QuotaStore } from './store.js';
import type { RedisStoreSpec } from './store-options.js';

/** How long token-bucket tokens stay usable after they are granted. */
const TOKEN_LEASE_LIFETIME_NS = 1e9;

/** The Unix epoch in ns, from any thread (each thread's `timeOrigin` differs, their sum does not). */
export const epochNowNs: NowNs = () => (performance.timeOrigin + performance.now()) * 1e6;

export class RedisQuotaStore implements QuotaStore {
  readonly #spec: RedisStoreSpec;
  readonly #runId: string;
  readonly #connection: RedisConnection;
  readonly #storeNowNs: NowNs;
  readonly #faults: FaultBook;
  #lastMiss: LeaseMiss | undefined;
  readonly #onMiss = (miss: LeaseMiss): void => {
    this.#lastMiss = miss;
  };

  /**
   * @param storeNowNs the clock windows and GCRA are reckoned in, common to every process (default the Unix epoch).
   * @param faults where decisions under the fault policy and lease misses are counted.
   */
  constructor(spec: RedisStoreSpec, runId: string, faults: FaultBook, storeNowNs: NowNs = epochNowNs) {
    this.#spec = spec;
    this.#runId = runId;
    this.#connection = new RedisConnection(spec);
    this.#storeNowNs = storeNowNs;
    this.#faults = faults;
  }

  limiter(claimed: ClaimedSlot, views: SlotViews): Limiter {
    if (claimed.kind === 'unlimited') return createLimiter('unlimited', views, claimed.slot, claimed.quotaPerSec, claimed.burstSeconds);
    const take = this.#taker(claimed);
    const share = claimed.quotaPerSec / this.#spec.share;
    const fallback = (): Limiter => createLimiter(limiterKind(claimed.kind as QuotaEnforcement, share), views, claimed.slot, share, claimed.burstSeconds);
    return new LeasedLimiter({ ...this.#spec, slot: claimed.slot, views, take, fallback, storeNowNs: this.#storeNowNs, faults: this.#faults, connection: this.#connection, onMiss: this.#onMiss });
  }

  takeLeaseMiss(): LeaseMiss | undefined {
    const miss = this.#lastMiss;
    this.#lastMiss = undefined;
    return miss;
  }

  /** How one slot takes a lease of `n` at `now`: the grant, and until when its tokens may be spent. */
  #taker(claimed: ClaimedSlot): (now: number, n: number) => Promise<Grant> {
    const key = quotaKey(this.#runId, claimed.name);
    const connection = this.#connection;
    if (claimed.kind === 'fixed-window') {
      const { windowNs, limit } = fixedWindowParams(claimed.quotaPerSec);
      return async (now, n) => {
        const window = Math.floor(now / windowNs);
        const endNs = (window + 1) * windowNs;
        const grant = await connection.fixedWindow(`${key}:w${window}`, limit, n, (2 * windowNs) / 1e6 + 1000, now);
        // Fewer than asked: the window is spent once these are.
        return { ...grant, validUntilNs: endNs, ...(grant.granted < n ? { spentUntilNs: endNs } : {}) };
      };
    }
    const { intervalNs, toleranceNs } = tokenBucketParams(claimed.quotaPerSec, claimed.burstSeconds);
    return async (now, n) => {
      const grant: LeaseGrant = await connection.tokenBucket(`${key}:tat`, Math.floor(now), intervalNs, toleranceNs, n);
      const spent = grant.granted < n && grant.retryAtNs !== undefined ? { spentUntilNs: grant.retryAtNs } : {};
      return { ...grant, validUntilNs: now + TOKEN_LEASE_LIFETIME_NS, ...spent };
    };
  }

  ready(): Promise<void> {
    return this.#connection.connect();
  }

  close(): void {
    this.#connection.close();
  }
}

/** A lease as the limiter keeps it. */
interface Grant {
  readonly granted: number;
  readonly validUntilNs: number;
  /** Set when Redis had fewer tokens than asked: no point asking again before this. */
  readonly spentUntilNs?: number;
}

interface LeasedLimiterParts {
  readonly slot: number;
  readonly views: SlotViews;
  readonly lease: number;
  readonly fault: RedisStoreSpec['fault'];
  readonly take: (now: number, n: number) => Promise<Grant>;
  readonly fallback: () => Limiter;
  readonly storeNowNs: NowNs;
  readonly faults: FaultBook;
  readonly connection: RedisConnection;
  readonly onMiss: (miss: LeaseMiss) => void;
}

/** One thread's decisions for one slot, from its lease. */
class LeasedLimiter implements Limiter {
  readonly #parts: LeasedLimiterParts;
  readonly #counters: Float64Array;
  readonly #admitted: number;
  /**
   * The next lease is asked for when fewer than this many tokens are left: half a lease, so it normally arrives before
   * the last is spent. A lease of 1 asks only when a decision finds none: nothing is taken before it is needed, which
   * makes it exact (and one round trip per request).
   */
  readonly #refillBelow: number;
  #tokens = 0;
  #validUntilNs = -Infinity;
  #spentUntilNs = -Infinity;
  #inFlight: Promise<void> | undefined;
  #local: Limiter | undefined;

  constructor(parts: LeasedLimiterParts) {
    this.#parts = parts;
    this.#counters = parts.views.counters;
    this.#admitted = parts.views.counterIndex(parts.slot);
    this.#refillBelow = parts.lease >= 2 ? Math.ceil(parts.lease / 2) : 0;
  }

  admit(nowNs: NowNs, countRefusal = true): boolean {
    const now = this.#parts.storeNowNs();
    if (this.#tokens > 0 && now < this.#validUntilNs) {
      this.#tokens -= 1;
      this.#counters[this.#admitted]! += 1;
      this.#parts.faults.admitted(now);
      if (this.#tokens < this.#refillBelow && now >= this.#spentUntilNs) this.#refill(now);
      return true;
    }
    const { connection, faults, slot } = this.#parts;
    if (!connection.healthy) {
      // Probe (at most once per probe interval): the first lease granted ends the fault.
      this.#refill(now);
      faults.fault(slot, nowNs());
      return this.#underFault(nowNs, countRefusal);
    }
    if (countRefusal) this.#counters[this.#admitted + 1]! += 1;
    if (now >= this.#spentUntilNs) {
      this.#refill(now);
      faults.miss(slot);
      const counters = this.#counters;
      const throttled = this.#admitted + 1;
      if (this.#inFlight !== undefined) this.#parts.onMiss({ settled: this.#inFlight, undo: () => void (countRefusal && (counters[throttled]! -= 1)) });
    }
    return false;
  }

  /** Settles the lease for now: waits for a lease in flight, then takes one if none is in hand and tokens remain. */
  async settle(): Promise<void> {
    await this.#inFlight;
    const now = this.#parts.storeNowNs();
    if ((this.#tokens === 0 || now >= this.#validUntilNs) && now >= this.#spentUntilNs) {
      this.#refill(now);
      await this.#inFlight;
    }
  }

  #underFault(nowNs: NowNs, countRefusal: boolean): boolean {
    switch (this.#parts.fault) {
      case 'fail-open':
        this.#counters[this.#admitted]! += 1;
        return true;
      case 'fail-closed':
        if (countRefusal) this.#counters[this.#admitted + 1]! += 1;
        return false;
      case 'local':
        this.#local ??= this.#parts.fallback();
        return this.#local.admit(nowNs, countRefusal);
    }
  }

  #refill(now: number): void {
    if (this.#inFlight !== undefined || !this.#parts.connection.maySend(now)) return;
    this.#inFlight = this.#parts
      .take(now, this.#parts.lease)
      .then((grant) => {
        // Tokens of a lapsed lease are gone (a grant for a window already over lapses in its turn, unspent).
        if (this.#parts.storeNowNs() >= this.#validUntilNs) this.#tokens = 0;
        this.#tokens += grant.granted;
        this.#validUntilNs = grant.validUntilNs;
        this.#spentUntilNs = grant.spentUntilNs ?? -Infinity;
      })
      .catch(() => undefined)
      .finally(() => {
        this.#inFlight = undefined;
      });
  }
}
