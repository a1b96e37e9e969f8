/**
 * One per-second timeline of the recorder: counts by second that grow in chunks as time reaches them, up to the
 * planned length. A run's timelines then take the memory of the seconds it ran, not of the seconds it planned: a
 * 1,000-hour run stopped after 6 s holds 64 slots per series, where a fixed-length array held 3.6 million (and its
 * result.json was 274 MB). Counting stays allocation-free: a new chunk is allocated only when time first reaches a
 * second beyond the current one — at most once per chunk, never per count.
 */

/** Slots allocated up front: a minute of seconds, so most runs never grow. */
const FIRST_CHUNK = 64;

export class SecondCounts {
  /** The most slots this timeline holds: the planned seconds and the drain slot. */
  readonly capacity: number;
  #counts: Uint32Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#counts = new Uint32Array(Math.min(capacity, FIRST_CHUNK));
  }

  /** Counts one event in `slot` (0 ≤ slot < capacity). */
  add(slot: number): void {
    const counts = this.#counts;
    if (slot < counts.length) counts[slot]!++;
    else this.#grow(slot);
  }

  /** The count in `slot` (0 for a second not reached): the live view reads one second at a time, without copying. */
  at(slot: number): number {
    return this.#counts[slot] ?? 0;
  }

  /** Slots up to and including the last one counted in: 0 when nothing was counted. */
  get used(): number {
    const counts = this.#counts;
    for (let i = counts.length - 1; i >= 0; i--) if (counts[i] !== 0) return i + 1;
    return 0;
  }

  /** The first `length` slots as plain numbers (zeros for seconds not reached). */
  toArray(length: number): number[] {
    const counts = this.#counts;
    const out = new Array<number>(length).fill(0);
    const n = Math.min(length, counts.length);
    for (let i = 0; i < n; i++) out[i] = counts[i] as number;
    return out;
  }

  /** Doubles the slots (at least to `slot`, at most to the capacity) and counts in `slot`. */
  #grow(slot: number): void {
    const bigger = new Uint32Array(Math.min(this.capacity, Math.max(slot + 1, this.#counts.length * 2)));
    bigger.set(this.#counts);
    this.#counts = bigger;
    bigger[slot]!++;
  }
}
