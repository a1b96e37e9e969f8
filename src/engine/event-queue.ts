/**
 * The event queue of the event-driven simulation: a binary min-heap of (time, insertion order) → actor, kept in typed
 * arrays so a push or pop allocates nothing. It is also the simulation's `Clock`: time is the time of the event being
 * handled. Events at the same time are handled in the order they were pushed, so a simulation is a pure function of
 * its inputs.
 *
 * Unlike {@link VirtualClock}, nothing here awaits: actors are state machines whose `wake` runs synchronously and
 * pushes their next event. One event costs a heap pop (and usually a push), not a promise chain and an event-loop turn.
 */
import { NS_PER_MS, type Clock } from './clock.js';
import { DEFAULT_SIM_EPOCH_MS } from './virtual-clock.js';

/** Something the queue wakes: the arrival generator of an open fleet, a closed client, a request in flight. */
export interface Actor {
  wake(): void;
}

const INITIAL_CAPACITY = 1024;

export class EventQueue implements Clock {
  #nowNs = 0;
  #nextSeq = 0;
  #size = 0;
  #handled = 0;
  #times = new Float64Array(INITIAL_CAPACITY);
  #seqs = new Float64Array(INITIAL_CAPACITY);
  #ids = new Int32Array(INITIAL_CAPACITY);
  /** Every actor ever registered, by id: the heap holds ids, so moving an event moves numbers, not references. */
  readonly #registry: Actor[] = [];
  readonly #epochMs: number;

  constructor(epochMs = DEFAULT_SIM_EPOCH_MS) {
    this.#epochMs = epochMs;
  }

  nowNs(): number {
    return this.#nowNs;
  }
  nowEpochMs(): number {
    return this.#epochMs + this.#nowNs / NS_PER_MS;
  }
  /** Actors wake through {@link at}; a promise-style sleep has no place in this scheduler. */
  sleep(): Promise<void> {
    return Promise.reject(new Error('the event-driven simulation has no sleeping tasks: schedule an actor with at()'));
  }

  /** Registers an actor; events name it by the id returned. */
  register(actor: Actor): number {
    this.#registry.push(actor);
    return this.#registry.length - 1;
  }

  get size(): number {
    return this.#size;
  }
  /** Events handled so far: pops, and instants moved to by {@link advanceIfNext}. */
  get handled(): number {
    return this.#handled;
  }

  /** Wakes `actor` at `atNs` (never before now), after every event already queued for that time. */
  at(atNs: number, id: number): void {
    const time = atNs > this.#nowNs ? atNs : this.#nowNs;
    const seq = this.#nextSeq++;
    if (this.#size === this.#times.length) this.#grow();
    const times = this.#times;
    const seqs = this.#seqs;
    const ids = this.#ids;
    let i = this.#size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent] as number;
      if (pt < time || (pt === time && (seqs[parent] as number) < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent] as number;
      ids[i] = ids[parent] as number;
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    ids[i] = id;
  }

  /** Wakes `actor` `ms` from now. */
  after(ms: number, id: number): void {
    this.at(this.#nowNs + (ms > 0 ? ms * NS_PER_MS : 0), id);
  }

  /**
   * Moves time to `atNs` without queueing, when no queued event comes first (every queued event is strictly later):
   * the same order a push and pop would give, for half the work. False, and nothing changes, otherwise.
   */
  advanceIfNext(atNs: number): boolean {
    if (atNs < this.#nowNs || (this.#size > 0 && (this.#times[0] as number) <= atNs)) return false;
    this.#nowNs = atNs;
    this.#handled++;
    return true;
  }

  /** The time of the next event; Infinity when none is queued. */
  get nextNs(): number {
    return this.#size === 0 ? Infinity : (this.#times[0] as number);
  }

  /**
   * Moves time to the earliest event and returns its actor (the caller wakes it); undefined when none is queued.
   * Bottom-up: the hole at the root goes down to a leaf along the earlier child (one comparison a level, not two),
   * then the last event climbs back from there, which is seldom more than a level or two as it is late.
   */
  pop(): Actor | undefined {
    if (this.#size === 0) return undefined;
    const times = this.#times;
    const seqs = this.#seqs;
    const ids = this.#ids;
    const top = this.#registry[ids[0] as number] as Actor;
    this.#nowNs = times[0] as number;
    this.#handled++;
    const n = --this.#size;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n) {
        const ct = times[child] as number;
        const rt = times[right] as number;
        // Branch-free: which child is earlier is a coin toss, and a mispredicted branch per level is most of a pop.
        child += +(rt < ct) | (+(rt === ct) & +((seqs[right] as number) < (seqs[child] as number)));
      }
      times[i] = times[child] as number;
      seqs[i] = seqs[child] as number;
      ids[i] = ids[child] as number;
      i = child;
    }
    if (i < n) {
      const time = times[n] as number;
      const seq = seqs[n] as number;
      const id = ids[n] as number;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        const pt = times[parent] as number;
        if (pt < time || (pt === time && (seqs[parent] as number) < seq)) break;
        times[i] = pt;
        seqs[i] = seqs[parent] as number;
        ids[i] = ids[parent] as number;
        i = parent;
      }
      times[i] = time;
      seqs[i] = seq;
      ids[i] = id;
    }
    return top;
  }

  #grow(): void {
    const times = new Float64Array(this.#times.length * 2);
    times.set(this.#times);
    const seqs = new Float64Array(this.#seqs.length * 2);
    seqs.set(this.#seqs);
    const ids = new Int32Array(this.#ids.length * 2);
    ids.set(this.#ids);
    this.#times = times;
    this.#seqs = seqs;
    this.#ids = ids;
  }
}
