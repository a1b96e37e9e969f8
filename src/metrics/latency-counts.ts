/**
 * The hot-path half of a latency histogram: counts in HdrHistogram's own bucket layout, recorded with a few integer
 * operations, then added into an hdr-histogram-js histogram when the metrics are read. hdr-histogram-js's
 * `recordValue` costs 100–200 ns (range checks, min/max tracking, its generic index code); a simulation that handles a
 * million requests a second has about 1 µs for each, model included.
 *
 * The layout is HdrHistogram's (lowest discernible value 1, so unit magnitude 0): with S significant digits, each
 * bucket holds `subBucketHalfCount` sub-buckets, values below `subBucketCount` are exact, and a value's slot is found
 * from its leading zeros. A count is added back as the lowest value of its slot, which HdrHistogram files in the same
 * slot, so the flushed histogram equals one recorded value by value.
 */
import type { Histogram } from './histogram.js';

/** Values from 2^31 µs (about 36 minutes) up go straight to the histogram: the fast index uses 32-bit arithmetic. */
const FAST_LIMIT = 2 ** 31;

export class LatencyCounts {
  readonly #halfCountMagnitude: number;
  readonly #halfCount: number;
  readonly #mask: number;
  /** 64 − unitMagnitude − subBucketHalfCountMagnitude − 1, taken down by the 32 leading zeros of a 32-bit value. */
  readonly #zeroCountBase: number;
  readonly #counts: Float64Array;
  readonly #histogram: Histogram;
  #pending = 0;

  /** Counts for `histogram` (lowest discernible value 1, `significantDigits` digits), flushed into it on demand. */
  constructor(histogram: Histogram, significantDigits: number) {
    const largestSingleUnit = 2 * 10 ** significantDigits;
    const countMagnitude = Math.ceil(Math.log2(largestSingleUnit));
    this.#halfCountMagnitude = countMagnitude - 1;
    this.#halfCount = 2 ** this.#halfCountMagnitude;
    this.#mask = 2 ** countMagnitude - 1;
    this.#zeroCountBase = 64 - this.#halfCountMagnitude - 1 - 32;
    const buckets = Math.ceil(Math.log2(FAST_LIMIT)) - countMagnitude + 1;
    this.#counts = new Float64Array((buckets + 1) * this.#halfCount);
    this.#histogram = histogram;
  }

  /** Records one value (an integer ≥ 0). */
  record(value: number): void {
    if (value >= FAST_LIMIT) {
      this.#histogram.recordValue(value);
      return;
    }
    const bucket = this.#zeroCountBase - Math.clz32(value | this.#mask);
    const sub = value >>> bucket;
    this.#counts[((bucket + 1) << this.#halfCountMagnitude) + sub - this.#halfCount]!++;
    this.#pending++;
  }

  /** Adds every count recorded since the last flush into the histogram, and returns it. */
  flush(): Histogram {
    if (this.#pending === 0) return this.#histogram;
    const counts = this.#counts;
    for (let index = 0; index < counts.length; index++) {
      const count = counts[index] as number;
      if (count === 0) continue;
      this.#histogram.recordValueWithCount(this.#lowestValueAt(index), count);
      counts[index] = 0;
    }
    this.#pending = 0;
    return this.#histogram;
  }

  #lowestValueAt(index: number): number {
    let bucket = (index >> this.#halfCountMagnitude) - 1;
    let sub = (index & (this.#halfCount - 1)) + this.#halfCount;
    if (bucket < 0) {
      sub -= this.#halfCount;
      bucket = 0;
    }
    return sub * 2 ** bucket;
  }
}
