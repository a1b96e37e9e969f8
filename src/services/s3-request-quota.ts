/**
 * S3's own request rate, the second quota in front of a request (the caller's KMS quota is the first S3 meets on its
 * behalf): per bucket and partitioned prefix, 3,500 writes (PUT/COPY/POST/DELETE) and 5,500 reads (GET/HEAD) per second
 * (s3-facts.ts), past which S3 answers 503 SlowDown. Enforced by the same limiters as KMS's quotas (src/quota), one
 * per (bucket, prefix, class), claimed on first use.
 *
 * A prefix here is an object key up to and including its last `/` (the whole bucket for keys without one): S3 scales
 * by partitioned prefix, and the documented rate is the floor of one partition before S3 splits it.
 */
import { wallTime } from '../base/time.js';
import { createLimiter, createLimiterBuffers, limiterKind, SlotViews, type Limiter, type NowNs, type QuotaEnforcement } from '../quota/limiters.js';
import { S3_REQUEST_RATE_PER_PREFIX } from './s3-facts.js';

/** Which of S3's two per-prefix rates a request counts against. */
export type S3RequestClass = 'write' | 'read';

/** Options of S3's per-prefix request quota. */
export interface S3RequestQuotaOptions {
  /** Writes (PUT/COPY/POST/DELETE) per second per prefix; default 3,500. `Infinity`: not enforced. */
  readonly writePerSec?: number;
  /** Reads (GET/HEAD) per second per prefix; default 5,500. */
  readonly readPerSec?: number;
  /** How the rate is enforced, as for KMS's quotas; default `fixed-window` (per one-second interval). */
  readonly enforcement?: QuotaEnforcement;
  /** Token bucket only: the burst, in seconds of the rate. Default 1. */
  readonly burstSeconds?: number;
  /** How many (bucket, prefix, class) limiters it can hold; default 4,096. Past it, new prefixes are not limited. */
  readonly capacity?: number;
}

/** One (bucket, prefix, class) limiter's figures. */
export interface S3PrefixCount {
  readonly bucket: string;
  readonly prefix: string;
  readonly requestClass: S3RequestClass;
  readonly quotaPerSec: number;
  readonly admitted: number;
  readonly throttled: number;
}

/** The prefix S3 partitions `key` under (see the module comment). */
export function prefixOf(key: string): string {
  const slash = key.lastIndexOf('/');
  return slash < 0 ? '' : key.slice(0, slash + 1);
}

interface Slot {
  readonly limiter: Limiter;
  readonly slot: number;
  readonly bucket: string;
  readonly prefix: string;
  readonly requestClass: S3RequestClass;
  readonly quotaPerSec: number;
}

/**
 * S3's per-prefix request quota, for the requests of one thread. (Worker threads each hold their own: a wall-clock run
 * of N workers admits up to N times the rate; the virtual clock runs each simulation on one thread.)
 */
export class S3RequestQuota {
  readonly #nowNs: NowNs;
  readonly #views: SlotViews;
  readonly #capacity: number;
  readonly #rates: Readonly<Record<S3RequestClass, number>>;
  readonly #enforcement: QuotaEnforcement;
  readonly #burstSeconds: number;
  readonly #slots = new Map<string, Slot>();

  constructor(options: S3RequestQuotaOptions = {}, nowNs: NowNs = wallTime.nowNs) {
    this.#nowNs = nowNs;
    this.#capacity = options.capacity ?? 4096;
    this.#rates = {
      write: options.writePerSec ?? S3_REQUEST_RATE_PER_PREFIX.write.value,
      read: options.readPerSec ?? S3_REQUEST_RATE_PER_PREFIX.read.value,
    };
    this.#enforcement = options.enforcement ?? 'fixed-window';
    this.#burstSeconds = options.burstSeconds ?? 1;
    this.#views = new SlotViews(createLimiterBuffers(this.#capacity, 1), this.#capacity, 1, 0);
  }

  /** Takes one request of `requestClass` for `key`'s prefix in `bucket`, or answers false (S3's 503 SlowDown). */
  admit(bucket: string, key: string, requestClass: S3RequestClass): boolean {
    const prefix = prefixOf(key);
    const name = `${requestClass}\0${bucket}\0${prefix}`;
    let slot = this.#slots.get(name);
    if (slot === undefined) {
      if (this.#slots.size >= this.#capacity) return true;
      const quotaPerSec = this.#rates[requestClass];
      const index = this.#slots.size;
      const limiter = createLimiter(limiterKind(this.#enforcement, quotaPerSec), this.#views, index, quotaPerSec, this.#burstSeconds);
      slot = { limiter, slot: index, bucket, prefix, requestClass, quotaPerSec };
      this.#slots.set(name, slot);
    }
    return slot.limiter.admit(this.#nowNs);
  }

  /** Every prefix limiter used so far, with its admitted and throttled counts. */
  snapshot(): S3PrefixCount[] {
    return [...this.#slots.values()].map(({ bucket, prefix, requestClass, quotaPerSec, slot }) => ({
      bucket,
      prefix,
      requestClass,
      quotaPerSec,
      ...this.#views.counts(slot),
    }));
  }
}
