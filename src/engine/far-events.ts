/**
 * The event queue's far events (event-queue.ts): those beyond its near-future ring (long backoffs, late arrivals),
 * kept in a binary heap of pool slots by time, then by the order they were queued. The queue passes its pool's time
 * and order arrays with each call instead of the heap holding them, because the queue replaces them as its pool grows.
 */

export class FarEvents {
  #heap = new Int32Array(64);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** The earliest far event's slot; only when {@link size} > 0. */
  top(): number {
    return this.#heap[0] as number;
  }

  push(slot: number, time: Float64Array, seq: Float64Array): void {
    if (this.#size === this.#heap.length) this.#heap = grown(this.#heap);
    const heap = this.#heap;
    let i = this.#size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(slot, heap[parent] as number, time, seq)) break;
      heap[i] = heap[parent] as number;
      i = parent;
    }
    heap[i] = slot;
  }

  /** Removes and returns the earliest far event's slot; only when {@link size} > 0. */
  pop(time: Float64Array, seq: Float64Array): number {
    const heap = this.#heap;
    const top = heap[0] as number;
    const last = heap[--this.#size] as number;
    const n = this.#size;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && earlier(heap[child + 1] as number, heap[child] as number, time, seq)) child++;
      if (!earlier(heap[child] as number, last, time, seq)) break;
      heap[i] = heap[child] as number;
      i = child;
    }
    if (n > 0) heap[i] = last;
    return top;
  }
}

function earlier(a: number, b: number, time: Float64Array, seq: Float64Array): boolean {
  const ta = time[a] as number;
  const tb = time[b] as number;
  return ta < tb || (ta === tb && (seq[a] as number) < (seq[b] as number));
}

/** `array` copied into one twice its length (the queue's pool and lists grow this way too). */
export function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
