/**
 * Live figures while a run goes: each worker thread (wall clock) or simulation (virtual clock) publishes, as each
 * second of the run ends, its per-fleet counts of that second and its running totals into shared memory; the main
 * thread adds them up a few times a second for the progress line, `--stream` and thresholds that abort.
 *
 * Why this shape: the hot path stays as it is (the recorder's per-second timelines already hold every count), and a
 * publisher reads one finished second out of them per tick — never per request, no lock. Seconds go into a small
 * ring: the main thread reads every 250 ms, so it is at most a second behind a ring of {@link RING_SECONDS}. The
 * `published` counter is written with Atomics after the rows, so a reader that sees it sees the rows.
 */
import type { MetricsRecorder } from '../metrics/recorder.js';
import { readSecondRow, SECOND_FIELDS, TOTAL_FIELDS, type LiveSecondCounts } from '../metrics/live-fields.js';
import { NS_PER_SEC } from '../base/time.js';

/** Seconds each source keeps for the reader. */
export const RING_SECONDS = 64;

/** The shared buffers of one live board: structured-cloneable, sent to every worker or simulation. */
export interface LiveBoard {
  readonly sources: number;
  readonly fleets: number;
  readonly seconds: SharedArrayBuffer;
  readonly totals: SharedArrayBuffer;
  /** Int32 per source: seconds (timeline slots) published, 0.. */
  readonly published: SharedArrayBuffer;
}

/** A board for `sources` publishers of `fleets` fleets each. */
export function createLiveBoard(sources: number, fleets: number): LiveBoard {
  const f64 = Float64Array.BYTES_PER_ELEMENT;
  return {
    sources,
    fleets,
    seconds: new SharedArrayBuffer(f64 * sources * RING_SECONDS * fleets * SECOND_FIELDS),
    totals: new SharedArrayBuffer(f64 * sources * fleets * TOTAL_FIELDS),
    published: new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * sources),
  };
}

const rowOffset = (board: LiveBoard, source: number, second: number, fleet: number): number =>
  ((source * RING_SECONDS + (second % RING_SECONDS)) * board.fleets + fleet) * SECOND_FIELDS;

/** The publishing side, in a worker thread or a simulation. */
export class LivePublisher {
  readonly #board: LiveBoard;
  readonly #source: number;
  /** Fleet names in board order (the plan's), `undefined` for a fleet this publisher does not run. */
  readonly #fleets: readonly (string | undefined)[];
  readonly #recorder: MetricsRecorder;
  readonly #seconds: Float64Array;
  readonly #totals: Float64Array;
  readonly #published: Int32Array;
  /** The last slot of the recorder's timelines holds the drain: published only by {@link finish}. */
  readonly #wholeSlots: number;
  #next = 0;
  /** Each fleet's counts published so far, a second row per fleet: what {@link finish}'s last row makes up. */
  readonly #sent: Float64Array;
  /** Every published row in order, when asked to collect (the virtual clock writes `--stream` from these). */
  readonly collected: number[] | undefined;

  constructor(board: LiveBoard, source: number, fleets: readonly (string | undefined)[], recorder: MetricsRecorder, collect = false) {
    this.#board = board;
    this.#source = source;
    this.#fleets = fleets;
    this.#recorder = recorder;
    this.#seconds = new Float64Array(board.seconds);
    this.#totals = new Float64Array(board.totals);
    this.#published = new Int32Array(board.published);
    this.#wholeSlots = recorder.timelineSeconds - 1;
    this.#sent = new Float64Array(board.fleets * SECOND_FIELDS);
    this.collected = collect ? [] : undefined;
  }

  /** Seconds published so far. */
  get published(): number {
    return this.#next;
  }

  /**
   * Publishes every second that ended by clock time `nowNs` and, with `refreshTotals`, the running totals even when
   * no second ended (the wall clock's in-flight count and abort checks read them between seconds). True when a
   * second ended.
   */
  publish(nowNs: number, refreshTotals = false): boolean {
    const ended = Math.min(this.#wholeSlots, Math.floor((nowNs - this.#recorder.startNs) / NS_PER_SEC));
    if (this.#publishThrough(ended)) return true;
    if (refreshTotals) this.#writeTotals();
    return false;
  }

  /**
   * The run is over and its timelines are `slots` long: publishes the rest, the drain slot included. The last row of
   * each fleet carries everything its published rows left out, so the rows add up to the totals: the drain, and any
   * count that landed in a second already published (an open loop behind schedule counts an offer, or a drop, in
   * the second it was due, which may have ended before the offer was made).
   */
  finish(slots: number): void {
    const last = Math.max(slots - 1, this.#next);
    this.#publishThrough(last);
    this.#publishThrough(last + 1, slots);
  }

  /** Writes this source's running totals into `out` (a totals row per fleet), as they are now. */
  totalsInto(out: Float64Array): Float64Array {
    out.fill(0);
    this.#fleets.forEach((name, fleet) => {
      if (name !== undefined) this.#recorder.addFleetTotals(name, out, fleet * TOTAL_FIELDS);
    });
    return out;
  }

  #writeTotals(): void {
    const width = this.#board.fleets * TOTAL_FIELDS;
    this.totalsInto(this.#totals.subarray(this.#source * width, (this.#source + 1) * width));
  }

  /**
   * Publishes seconds up to `slots`. With `rest`, the last of them is each fleet's remainder: the counts of the
   * timelines' first `rest` slots not yet published.
   */
  #publishThrough(slots: number, rest?: number): boolean {
    if (slots <= this.#next) return false;
    const board = this.#board;
    for (let second = this.#next; second < slots; second++) {
      const remainder = rest !== undefined && second === slots - 1;
      this.#fleets.forEach((name, fleet) => {
        const offset = rowOffset(board, this.#source, second, fleet);
        this.#seconds.fill(0, offset, offset + SECOND_FIELDS);
        if (name !== undefined) {
          if (remainder) {
            for (let slot = 0; slot < rest; slot++) this.#recorder.addFleetSecond(name, slot, this.#seconds, offset);
            for (let i = 0; i < SECOND_FIELDS; i++) this.#seconds[offset + i]! -= this.#sent[fleet * SECOND_FIELDS + i] ?? 0;
          } else {
            this.#recorder.addFleetSecond(name, second, this.#seconds, offset);
          }
        }
        for (let i = 0; i < SECOND_FIELDS; i++) {
          const value = this.#seconds[offset + i] ?? 0;
          this.#sent[fleet * SECOND_FIELDS + i]! += value;
          this.collected?.push(value);
        }
      });
    }
    this.#writeTotals();
    this.#next = slots;
    Atomics.store(this.#published, this.#source, slots);
    return true;
  }
}

/** One fleet's counts in one second, as the main thread reads them. */
export interface SecondRow {
  readonly second: number;
  /** Plan index of the fleet. */
  readonly fleet: number;
  readonly counts: LiveSecondCounts;
}

/** The reading side, on the main thread: adds up the sources of one variant (or reads one simulation). */
export class LiveReader {
  readonly #board: LiveBoard;
  readonly #sources: readonly number[];
  readonly #seconds: Float64Array;
  readonly #totals: Float64Array;
  readonly #published: Int32Array;
  readonly #sum: Float64Array;
  #next = 0;
  /** Seconds overwritten before they were read (the main thread fell more than a ring behind). */
  lost = 0;

  constructor(board: LiveBoard, sources: readonly number[]) {
    this.#board = board;
    this.#sources = sources;
    this.#seconds = new Float64Array(board.seconds);
    this.#totals = new Float64Array(board.totals);
    this.#published = new Int32Array(board.published);
    this.#sum = new Float64Array(board.fleets * TOTAL_FIELDS);
  }

  /** Seconds every source has published. */
  get complete(): number {
    let least = Infinity;
    for (const source of this.#sources) least = Math.min(least, Atomics.load(this.#published, source));
    return least === Infinity ? 0 : least;
  }

  /** The seconds every source has finished since the last call, each fleet's counts added across sources. */
  take(): SecondRow[] {
    const board = this.#board;
    const upTo = this.complete;
    let newest = 0;
    for (const source of this.#sources) newest = Math.max(newest, Atomics.load(this.#published, source));
    const rows: SecondRow[] = [];
    const row = new Float64Array(SECOND_FIELDS);
    for (let second = this.#next; second < upTo; second++) {
      if (second < newest - RING_SECONDS) {
        this.lost++;
        continue;
      }
      for (let fleet = 0; fleet < board.fleets; fleet++) {
        row.fill(0);
        for (const source of this.#sources) {
          const offset = rowOffset(board, source, second, fleet);
          for (let i = 0; i < SECOND_FIELDS; i++) row[i]! += this.#seconds[offset + i] ?? 0;
        }
        rows.push({ second, fleet, counts: readSecondRow(row) });
      }
    }
    this.#next = Math.max(this.#next, upTo);
    return rows;
  }

  /** Each fleet's running totals added across sources (a totals row per fleet; the array is reused). */
  totals(): Float64Array {
    const sum = this.#sum;
    sum.fill(0);
    const width = this.#board.fleets * TOTAL_FIELDS;
    for (const source of this.#sources) {
      for (let i = 0; i < width; i++) sum[i]! += this.#totals[source * width + i] ?? 0;
    }
    return sum;
  }
}

/** Rows of a publisher's `collected` numbers: fleet after fleet, second after second. */
export function collectedRows(collected: readonly number[], fleets: number): SecondRow[] {
  const rows: SecondRow[] = [];
  const perSecond = fleets * SECOND_FIELDS;
  for (let start = 0; start + perSecond <= collected.length; start += perSecond) {
    const second = start / perSecond;
    for (let fleet = 0; fleet < fleets; fleet++) rows.push({ second, fleet, counts: readSecondRow(collected, start + fleet * SECOND_FIELDS) });
  }
  return rows;
}
