/**
 * Rate limiters whose state lives in shared memory, so every thread holding the same buffers draws from one budget.
 *
 * Each slot's decision state is one 64-bit word changed only by `Atomics.compareExchange`: a plain load-modify-store
 * lets two threads read the same count and both admit, which over-admits badly under contention. Time comes from an
 * injected clock returning nanoseconds (wall: `process.hrtime.bigint()`, which is comparable across threads;
 * `performance.now()` is not — each thread has its own time origin).
 *
 * Shared memory:
 *   state     64 bytes per slot (one cache line, so hot slots do not false-share); bytes 0..7 are the decision word:
 *             fixed window `window << 32 | count`, token bucket the TAT in ns.
 *   counters  Float64 admitted and throttled per (thread, slot). Each thread writes only its own block, with plain
 *             stores: no atomic read-modify-write beyond the decision itself, and a throttled request (the common
 *             case under overload) only reads the shared decision word. Readers sum the blocks.
 *
 * A board no other thread can see yet (a simulation's, one model's own; never shared) decides on plain numbers held
 * by each limiter: no BigInt is made and no atomic instruction runs per request, which is most of a decision's cost
 * after the clock reading. Sharing the board writes each limiter's state into its decision word first, and from then
 * on every decision is the compare-and-swap above ({@link SlotViews.share}). The buffers and each thread's views over
 * them are in limiter-buffers.ts.
 */
import { NS_PER_SEC, type TimeSource } from '../base/time.js';
import { SLOT_BYTES, type SlotViews } from './limiter-buffers.js';

/** How a bucket enforces its quota (the limiters below; options.ts explains each to a scenario author). */
export type QuotaEnforcement = 'fixed-window' | 'token-bucket';

/** The enforcement modes, the default first: the one list, which options and the scenario schema read. */
export const QUOTA_ENFORCEMENTS: readonly QuotaEnforcement[] = ['fixed-window', 'token-bucket'];

/** A clock: nanoseconds as a number, from a common origin in every thread. */
export type NowNs = TimeSource['nowNs'];

/**
 * The smallest quota a limiter can enforce, in requests per second: one request every 10^15 ns (11.6 days). A slower
 * quota's window (fixed window) or emission interval (token bucket) leaves the range where nanosecond arithmetic on
 * doubles and the 64-bit state word is exact: at 1e-300/s the interval is infinite, a fixed window would count as
 * unlimited and a token bucket would fail on its first request. Quota options below it are refused (options.ts).
 */
export const MIN_QUOTA_PER_SEC = 1e-6;

const STATE_WORDS = SLOT_BYTES / 8;
const UINT32_MAX = 0xffff_ffff;
/** Window indexes use the state word's top 31 bits. */
const MAX_WINDOW_INDEX = 2 ** 31 - 1;

/** One slot's decision for the calling thread. */
export interface Limiter {
  /**
   * Takes one request from the budget now, or answers false (throttled). `countRefusal: false` leaves a refusal out of
   * the throttled counter: for a request answered otherwise (the KMS model's denied requests under `chargeDenied`).
   */
  admit(nowNs: NowNs, countRefusal?: boolean): boolean;
  /** A remote store's limiter: waits until its lease is settled for now (see `QuotaBoard.settle`). */
  settle?(): Promise<void>;
}

/** What enforces a slot: a finite quota in the board's mode, or no limit at all. */
export type LimiterKind = QuotaEnforcement | 'unlimited';

/**
 * Fixed-window parameters. KMS counts requests "in each one-second interval"; quotas below 1/s (GenerateDataKeyPair
 * RSA_3072 at 0.5/s, RSA_4096 at 0.1/s in the 2019 profile) cannot be whole requests per second, so the window
 * stretches to `max(1 s, 1/quota s)` and holds `round(quota × window)` admissions (at least 1): 0.1/s is one request
 * per 10 s window, 0.5/s one per 2 s. Windows are aligned to multiples of the window length from the clock's origin,
 * so every thread agrees on them. A fractional quota above 1/s (an override) rounds to whole requests per second.
 */
export function fixedWindowParams(quotaPerSec: number): { windowNs: number; limit: number } {
  const windowNs = quotaPerSec >= 1 ? NS_PER_SEC : NS_PER_SEC / quotaPerSec;
  return { windowNs, limit: Math.max(1, Math.round((quotaPerSec * windowNs) / NS_PER_SEC)) };
}

/**
 * Token-bucket (GCRA) parameters: one request per `intervalNs` (rounded up to a whole ns, so never faster than the
 * quota), up to `burst = max(1, burstSeconds × quota)` at once; `toleranceNs = (burst − 1) × intervalNs`. Over any
 * interval of length t at most `burst + t / intervalNs` requests are admitted.
 */
export function tokenBucketParams(
  quotaPerSec: number,
  burstSeconds: number,
): { intervalNs: number; burst: number; toleranceNs: number } {
  const intervalNs = Math.max(1, Math.ceil(NS_PER_SEC / quotaPerSec));
  const burst = Math.max(1, burstSeconds * quotaPerSec);
  return { intervalNs, burst, toleranceNs: (burst - 1) * intervalNs };
}

/**
 * Which limiter a slot gets. Quotas too large to count in a 32-bit window count (over ~4.29 billion per window), or
 * infinite, are unlimited: no real quota comes near.
 */
export function limiterKind(enforcement: QuotaEnforcement, quotaPerSec: number): LimiterKind {
  if (!Number.isFinite(quotaPerSec)) return 'unlimited';
  if (enforcement === 'fixed-window' && fixedWindowParams(quotaPerSec).limit >= UINT32_MAX) return 'unlimited';
  return enforcement;
}

/** Counts every request as admitted; reads no clock. */
class UnlimitedLimiter implements Limiter {
  readonly #counters: Float64Array;
  readonly #admitted: number;

  constructor(views: SlotViews, slot: number) {
    this.#counters = views.counters;
    this.#admitted = views.counterIndex(slot);
  }

  admit(): boolean {
    this.#counters[this.#admitted]! += 1;
    return true;
  }
}

/**
 * Fixed window: the state word is `window << 32 | count`. The first request of a new window swaps in
 * `window << 32 | 1`; within a window the count rises to the limit, after which requests are throttled until the
 * window ends. A request whose clock reading falls in a window older than the state's (a thread descheduled between
 * reading the clock and deciding) is throttled: that window is closed, and admitting it into a later window would let
 * the later one exceed its quota by the caller's timestamps. The BigInt bounds of the current window are cached per
 * thread, so the hot path compares without allocating and builds one BigInt (`count + 1`).
 */
class FixedWindowLimiter implements Limiter {
  readonly #views: SlotViews;
  readonly #state: BigInt64Array;
  readonly #stateIndex: number;
  readonly #counters: Float64Array;
  readonly #admitted: number;
  readonly #windowNs: number;
  readonly #limit: bigint;
  #startNs = Infinity;
  #endNs = -Infinity;
  /** `window << 32`, `window << 32 | 1`, `window << 32 | limit` for the window this thread last saw. */
  #base = 0n;
  #first = 0n;
  #full = 0n;
  /** The window of this thread's last clock reading, and the limit as a number (for the local path). */
  #window = 0;
  readonly #limitCount: number;
  /** The decision word as plain numbers while the board is local: its window and count. */
  #localWindow = 0;
  #localCount = 0;

  constructor(views: SlotViews, slot: number, quotaPerSec: number) {
    const { windowNs, limit } = fixedWindowParams(quotaPerSec);
    this.#views = views;
    this.#limitCount = limit;
    views.onShare(() => Atomics.store(this.#state, this.#stateIndex, (BigInt(this.#localWindow) << 32n) | BigInt(this.#localCount)));
    this.#state = views.state;
    this.#stateIndex = slot * STATE_WORDS;
    this.#counters = views.counters;
    this.#admitted = views.counterIndex(slot);
    this.#windowNs = windowNs;
    this.#limit = BigInt(limit);
  }

  admit(nowNs: NowNs, countRefusal = true): boolean {
    const now = nowNs();
    if (now >= this.#endNs || now < this.#startNs) this.#enter(now);
    if (this.#views.local) return this.#admitLocal(countRefusal);
    const state = this.#state;
    const index = this.#stateIndex;
    for (;;) {
      const current = Atomics.load(state, index);
      let next: bigint;
      if (current < this.#base) next = this.#first;
      else if (current < this.#full) next = current + 1n;
      else {
        if (countRefusal) this.#counters[this.#admitted + 1]! += 1;
        return false;
      }
      if (Atomics.compareExchange(state, index, current, next) === current) {
        this.#counters[this.#admitted]! += 1;
        return true;
      }
    }
  }

  /** The same decision as the compare-and-swap loop, on plain numbers: a new window, room in this one, or none. */
  #admitLocal(countRefusal: boolean): boolean {
    if (this.#localWindow < this.#window) {
      this.#localWindow = this.#window;
      this.#localCount = 0;
    }
    if (this.#localWindow === this.#window && this.#localCount < this.#limitCount) {
      this.#localCount++;
      this.#counters[this.#admitted]! += 1;
      return true;
    }
    if (countRefusal) this.#counters[this.#admitted + 1]! += 1;
    return false;
  }

  #enter(now: number): void {
    const window = Math.floor(now / this.#windowNs);
    if (!(window >= 0 && window <= MAX_WINDOW_INDEX)) {
      throw new RangeError(`quota clock reading ${now} ns is outside the fixed-window range (0 to 2^31 windows)`);
    }
    this.#window = window;
    this.#startNs = window * this.#windowNs;
    this.#endNs = (window + 1) * this.#windowNs;
    this.#base = BigInt(window) << 32n;
    this.#first = this.#base | 1n;
    this.#full = this.#base | this.#limit;
  }
}

/**
 * GCRA (the generic cell rate algorithm): the state word is the theoretical arrival time (TAT) in ns. A request at
 * `now` conforms when `max(TAT, now) − now ≤ tolerance`; it then moves TAT to `max(TAT, now) + interval`.
 */
class TokenBucketLimiter implements Limiter {
  readonly #views: SlotViews;
  readonly #state: BigInt64Array;
  readonly #stateIndex: number;
  readonly #counters: Float64Array;
  readonly #admitted: number;
  readonly #intervalNs: number;
  readonly #toleranceNs: number;
  /** The TAT as a number while the board is local. */
  #localTat = 0;

  constructor(views: SlotViews, slot: number, quotaPerSec: number, burstSeconds: number) {
    const { intervalNs, toleranceNs } = tokenBucketParams(quotaPerSec, burstSeconds);
    this.#views = views;
    views.onShare(() => Atomics.store(this.#state, this.#stateIndex, BigInt(this.#localTat)));
    this.#state = views.state;
    this.#stateIndex = slot * STATE_WORDS;
    this.#counters = views.counters;
    this.#admitted = views.counterIndex(slot);
    this.#intervalNs = intervalNs;
    this.#toleranceNs = toleranceNs;
  }

  admit(nowNs: NowNs, countRefusal = true): boolean {
    // Whole nanoseconds: the TAT is stored as a BigInt.
    const now = Math.floor(nowNs());
    if (this.#views.local ? this.#takeLocal(now) : this.#takeShared(now)) {
      this.#counters[this.#admitted]! += 1;
      return true;
    }
    if (countRefusal) this.#counters[this.#admitted + 1]! += 1;
    return false;
  }

  #takeLocal(now: number): boolean {
    const next = this.#after(this.#localTat, now);
    if (next < 0) return false;
    this.#localTat = next;
    return true;
  }

  #takeShared(now: number): boolean {
    const state = this.#state;
    const index = this.#stateIndex;
    for (;;) {
      const current = Atomics.load(state, index);
      const next = this.#after(Number(current), now);
      if (next < 0) return false;
      if (Atomics.compareExchange(state, index, current, BigInt(next)) === current) return true;
    }
  }

  /**
   * The TAT once a request at `now` is admitted on top of `tat`, or -1 when it does not conform (a TAT is never
   * negative: it starts at 0 and only grows).
   */
  #after(tat: number, now: number): number {
    const start = tat > now ? tat : now;
    return start - now > this.#toleranceNs ? -1 : start + this.#intervalNs;
  }
}

/** The calling thread's limiter for one slot. */
export function createLimiter(
  kind: LimiterKind,
  views: SlotViews,
  slot: number,
  quotaPerSec: number,
  burstSeconds: number,
): Limiter {
  switch (kind) {
    case 'unlimited':
      return new UnlimitedLimiter(views, slot);
    case 'fixed-window':
      return new FixedWindowLimiter(views, slot, quotaPerSec);
    case 'token-bucket':
      return new TokenBucketLimiter(views, slot, quotaPerSec, burstSeconds);
  }
}
