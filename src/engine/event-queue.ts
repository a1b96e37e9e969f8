/**
 * The event queue of the event-driven simulation, also its time source: time is the time of the event being handled.
 * Events come out by time, then in the order they were queued, so a simulation is a pure function of its inputs.
 *
 * A calendar queue (Brown, 1988): simulated time is cut into buckets of {@link BUCKET_NS}; a ring of
 * {@link RING_BUCKETS} buckets holds the events of the near future as unsorted lists, and only the bucket being
 * handled is sorted, when time reaches it (a handful of events at 100,000 requests per simulated second). Events
 * beyond the ring wait in a binary heap (far-events.ts) and move into the ring as time approaches them. A push or pop
 * then costs a few array writes, where a heap of the 2,000 events of a 2,000-client fleet costs a dozen unpredictable
 * comparisons (≈ 200 ns an event measured, against ≈ 90 ns here). Events live in typed arrays (a pool with a free
 * list), so nothing allocates per event.
 *
 * Unlike {@link VirtualClock}, nothing here awaits: actors are state machines whose `wake` runs synchronously and
 * queues their next event.
 */
import { NS_PER_MS, type TimeSource } from '../base/time.js';
import { DEFAULT_SIM_EPOCH_MS } from './virtual-clock.js';
import { FarEvents, grown } from './far-events.js';

/** Something the queue wakes: the arrival generator of an open fleet, a closed client, a request in flight. */
export interface Actor {
  wake(): void;
}

/** Bucket width: 2^12 ns ≈ 4.1 µs, about one event per bucket at 200,000 events per simulated second. */
const BUCKET_NS = 4096;
/** Ring buckets: 16,384 × 4.1 µs ≈ 67 ms ahead (think times, service latency); later ones (long backoffs) wait in a heap. */
const RING_BUCKETS = 16384;
const RING_MASK = RING_BUCKETS - 1;
const NONE = -1;
/** Above this many events a bucket is sorted with the built-in sort, below by insertion. */
const INSERTION_SORT_MAX = 24;

export class EventQueue implements TimeSource {
  #nowNs = 0;
  /** The time of the event handled before the current one (see {@link previousEventNs}). */
  #previousNs = 0;
  #nextSeq = 0;
  #size = 0;
  #handled = 0;
  // The event pool: time, insertion order, actor id and the next event of the same bucket, by slot.
  #time = new Float64Array(1024);
  #seq = new Float64Array(1024);
  #actor = new Int32Array(1024);
  #next = new Int32Array(1024);
  #freeSlot = NONE;
  #slotsUsed = 0;
  /** Per ring bucket: the first and last event (appended in queue order, so equal times stay in order). */
  readonly #heads = new Int32Array(RING_BUCKETS).fill(NONE);
  readonly #tails = new Int32Array(RING_BUCKETS).fill(NONE);
  #inRing = 0;
  /** The bucket being handled (absolute number), its events sorted in `#active[#activeAt..#activeEnd)`. */
  #bucket = 0;
  #active = new Int32Array(256);
  #activeAt = 0;
  #activeEnd = 0;
  /** Events at or beyond `#bucket + RING_BUCKETS`. */
  readonly #far = new FarEvents();
  readonly #registry: Actor[] = [];
  readonly #epochMs: number;
  /** How far {@link advanceIfNext} may move: unbounded in a simulation, the real time of the batch on the wall clock. */
  #limitNs = Infinity;

  constructor(epochMs = DEFAULT_SIM_EPOCH_MS) {
    this.#epochMs = epochMs;
  }

  nowNs(): number {
    return this.#nowNs;
  }
  /** The time of the event before the one being handled: where a run ended when its last event is a no-op wake-up. */
  get previousEventNs(): number {
    return this.#previousNs;
  }
  nowEpochMs(): number {
    return this.#epochMs + this.#nowNs / NS_PER_MS;
  }

  /** Registers an actor; events name it by the id returned. */
  register(actor: Actor): number {
    this.#registry.push(actor);
    return this.#registry.length - 1;
  }

  /** Events queued. */
  get size(): number {
    return this.#size;
  }
  /** Events handled so far: pops, and instants moved to by {@link advanceIfNext}. */
  get handled(): number {
    return this.#handled;
  }

  /** Wakes actor `id` at `atNs` (never before now), after every event already queued for that time. */
  at(atNs: number, id: number): void {
    const time = atNs > this.#nowNs ? atNs : this.#nowNs;
    const slot = this.#allocate();
    this.#time[slot] = time;
    this.#seq[slot] = this.#nextSeq++;
    this.#actor[slot] = id;
    this.#size++;
    const bucket = Math.floor(time / BUCKET_NS);
    if (bucket === this.#bucket) this.#insertActive(slot, time);
    else if (bucket < this.#bucket + RING_BUCKETS) this.#append(bucket & RING_MASK, slot);
    else this.#far.push(slot, this.#time, this.#seq);
  }

  /** Wakes actor `id` `ms` from now. */
  after(ms: number, id: number): void {
    this.at(this.#nowNs + (ms > 0 ? ms * NS_PER_MS : 0), id);
  }

  /**
   * Moves time to `atNs` without queueing, when no queued event comes first (every queued event is strictly later):
   * the same order a push and pop would give, for less work. False, and nothing changes, when that is not certain.
   */
  advanceIfNext(atNs: number): boolean {
    if (atNs < this.#nowNs || atNs > this.#limitNs) return false;
    const bucket = Math.floor(atNs / BUCKET_NS);
    if (this.#activeAt < this.#activeEnd) {
      if ((this.#time[this.#active[this.#activeAt] as number] as number) <= atNs) return false;
    } else if (bucket !== this.#bucket) {
      // Nothing in the ring, and the far events still beyond the ring once it starts here: time may jump ahead, the
      // bucket with it (skipping empty ones), without any far event belonging to a bucket the ring has passed.
      if (this.#inRing > 0) return false;
      if (this.#far.size > 0 && Math.floor((this.#time[this.#far.top()] as number) / BUCKET_NS) < bucket + RING_BUCKETS) return false;
      this.#bucket = bucket;
    }
    this.#previousNs = this.#nowNs;
    this.#nowNs = atNs;
    this.#handled++;
    return true;
  }

  /** Moves time to the earliest event and returns its actor (the caller wakes it); undefined when none is queued. */
  pop(): Actor | undefined {
    while (this.#activeAt === this.#activeEnd) {
      if (this.#size === 0) return undefined;
      this.#openNextBucket();
    }
    const slot = this.#active[this.#activeAt++] as number;
    this.#previousNs = this.#nowNs;
    this.#nowNs = this.#time[slot] as number;
    this.#handled++;
    this.#size--;
    this.#next[slot] = this.#freeSlot;
    this.#freeSlot = slot;
    return this.#registry[this.#actor[slot] as number];
  }

  /**
   * The wall clock's pop: the earliest event if it is due by `dueNs` (the real time now), undefined otherwise. Time
   * becomes `dueNs`, not the event's own time: a wake-up is handled when the harness gets to it, and what it measures
   * (a start's delay, a latency) includes how late that is. `dueNs` never goes back (a monotonic clock's reading), and a
   * bucket is opened only once its start has come, so an event queued "now" never lands behind the bucket handled.
   */
  popDue(dueNs: number): Actor | undefined {
    if (dueNs > this.#nowNs) this.#nowNs = dueNs;
    // Also when time did not move: a first batch at the queue's own time 0 must bound advanceIfNext too.
    this.#limitNs = this.#nowNs;
    while (this.#activeAt === this.#activeEnd) {
      if (this.#size === 0 || this.#nextBucket() * BUCKET_NS > dueNs) return undefined;
      this.#openNextBucket();
    }
    const slot = this.#active[this.#activeAt] as number;
    if ((this.#time[slot] as number) > dueNs) return undefined;
    this.#activeAt++;
    this.#handled++;
    this.#size--;
    this.#next[slot] = this.#freeSlot;
    this.#freeSlot = slot;
    return this.#registry[this.#actor[slot] as number];
  }

  /** The time of the earliest queued event (undefined when none is): how long the wall clock's driver may sleep. */
  peekNs(): number | undefined {
    if (this.#activeAt < this.#activeEnd) return this.#time[this.#active[this.#activeAt] as number] as number;
    if (this.#inRing > 0) {
      for (let bucket = this.#bucket + 1; ; bucket++) {
        let earliest = Infinity;
        for (let slot = this.#heads[bucket & RING_MASK] as number; slot !== NONE; slot = this.#next[slot] as number) {
          earliest = Math.min(earliest, this.#time[slot] as number);
        }
        if (earliest !== Infinity) return earliest;
      }
    }
    return this.#far.size > 0 ? (this.#time[this.#far.top()] as number) : undefined;
  }

  /** The bucket {@link #openNextBucket} opens next: the following one, or the earliest far event's past an empty ring. */
  #nextBucket(): number {
    if (this.#inRing === 0 && this.#far.size > 0) {
      return Math.max(this.#bucket + 1, Math.floor((this.#time[this.#far.top()] as number) / BUCKET_NS));
    }
    return this.#bucket + 1;
  }

  /** Moves to the next bucket holding events (jumping empty stretches), pulling in far events that now fit the ring. */
  #openNextBucket(): void {
    if (this.#inRing === 0 && this.#far.size > 0) {
      const earliest = Math.floor((this.#time[this.#far.top()] as number) / BUCKET_NS);
      if (earliest > this.#bucket + 1) this.#bucket = earliest - 1;
    }
    this.#bucket++;
    const horizon = this.#bucket + RING_BUCKETS;
    while (this.#far.size > 0 && Math.floor((this.#time[this.#far.top()] as number) / BUCKET_NS) < horizon) {
      const slot = this.#far.pop(this.#time, this.#seq);
      this.#append(Math.floor((this.#time[slot] as number) / BUCKET_NS) & RING_MASK, slot);
    }
    const ring = this.#bucket & RING_MASK;
    let count = 0;
    for (let slot = this.#heads[ring] as number; slot !== NONE; slot = this.#next[slot] as number) {
      if (count === this.#active.length) this.#active = grown(this.#active);
      this.#active[count++] = slot;
    }
    this.#heads[ring] = NONE;
    this.#tails[ring] = NONE;
    this.#inRing -= count;
    this.#activeAt = 0;
    this.#activeEnd = count;
    if (count > 1) this.#sortActive(count);
  }

  #sortActive(count: number): void {
    const active = this.#active;
    const time = this.#time;
    const seq = this.#seq;
    // Buckets are mostly filled in queue order, so a bucket whose events share one time (clients in lockstep) or come
    // in time order is often sorted already: one pass to see. (Events from the far heap join late: seq decides ties.)
    let sorted = true;
    for (let i = 1; i < count && sorted; i++) {
      const a = active[i - 1] as number;
      const b = active[i] as number;
      sorted = (time[a] as number) < (time[b] as number) || ((time[a] as number) === (time[b] as number) && (seq[a] as number) < (seq[b] as number));
    }
    if (sorted) return;
    if (count > INSERTION_SORT_MAX) {
      const sorted = Array.from(active.subarray(0, count)).sort((a, b) => (time[a] as number) - (time[b] as number) || (seq[a] as number) - (seq[b] as number));
      active.set(sorted);
      return;
    }
    for (let i = 1; i < count; i++) {
      const slot = active[i] as number;
      const t = time[slot] as number;
      const s = seq[slot] as number;
      let j = i - 1;
      for (; j >= 0; j--) {
        const other = active[j] as number;
        const ot = time[other] as number;
        if (ot < t || (ot === t && (seq[other] as number) < s)) break;
        active[j + 1] = other;
      }
      active[j + 1] = slot;
    }
  }

  /** A new event in the bucket being handled: after every event with an earlier or equal time (it is the newest). */
  #insertActive(slot: number, time: number): void {
    if (this.#activeEnd === this.#active.length) this.#active = grown(this.#active);
    const active = this.#active;
    let i = this.#activeEnd++;
    while (i > this.#activeAt && (this.#time[active[i - 1] as number] as number) > time) {
      active[i] = active[i - 1] as number;
      i--;
    }
    active[i] = slot;
  }

  #append(ring: number, slot: number): void {
    this.#next[slot] = NONE;
    const tail = this.#tails[ring] as number;
    if (tail === NONE) this.#heads[ring] = slot;
    else this.#next[tail] = slot;
    this.#tails[ring] = slot;
    this.#inRing++;
  }

  #allocate(): number {
    const free = this.#freeSlot;
    if (free !== NONE) {
      this.#freeSlot = this.#next[free] as number;
      return free;
    }
    if (this.#slotsUsed === this.#time.length) {
      this.#time = grownFloat(this.#time);
      this.#seq = grownFloat(this.#seq);
      this.#actor = grown(this.#actor);
      this.#next = grown(this.#next);
    }
    return this.#slotsUsed++;
  }
}

function grownFloat(array: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
