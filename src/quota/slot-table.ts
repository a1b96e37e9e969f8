/**
 * A fixed-capacity, lock-free table of quota slots in shared memory, keyed by `account\0region\0bucket`.
 *
 * Accounts and regions are not known up front, so any thread may claim a slot the first time it sees a key. The
 * table is open addressing with linear probing over a 64-bit FNV-1a hash of the key's UTF-8 bytes:
 *
 * 1. probe from `hash mod capacity`; an empty entry (hash 0) is claimed by `compareExchange(0 → hash)`;
 * 2. the winner writes the key's bytes and quota, then publishes the entry by storing `ready = 1` (a sequentially
 *    consistent store, so a thread that sees `ready` also sees the name and quota);
 * 3. a thread that finds the same hash waits for `ready`, then compares the full name (two keys may share a hash) and
 *    either uses the entry or keeps probing.
 *
 * Entries are never removed. When every entry is taken, claiming a new key throws {@link QuotaCapacityError}; keys
 * that already hold a slot keep working, so a full table refuses only the newcomer.
 */

/** Bytes of name stored per slot: a 2-byte length, then the UTF-8 key. */
const NAME_BYTES = 128;
const MAX_NAME_BYTES = NAME_BYTES - 2;
/** How many 1 ms waits a thread spends on an entry another thread claimed but has not yet published. */
const PUBLISH_MAX_WAITS = 5_000;
const FNV_OFFSET = 0xcbf2_9ce4_8422_2325n;
const FNV_PRIME = 0x100_0000_01b3n;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Every slot of the table is taken: the (account, region, bucket) named in `slotKey` cannot get a limiter. Callers
 * above the quota layer turn it into their own answer (the KMS model: a `LimitExceededException` for that request).
 */
export class QuotaCapacityError extends Error {
  override readonly name = 'QuotaCapacityError';
  constructor(
    readonly capacity: number,
    readonly slotKey: string,
  ) {
    super(
      `QuotaBoard: all ${capacity} quota slots are taken (one per account, region and bucket used); ` +
        `raise quotas.capacity (a power of two)`,
    );
  }
}

/** The shared buffers behind a slot table. */
export interface SlotTableBuffers {
  /** BigInt64 per slot: the key's hash, 0 while free. */
  readonly keys: SharedArrayBuffer;
  /** Int32 per slot: 1 once the claimer has written name and quota. */
  readonly ready: SharedArrayBuffer;
  /** `NAME_BYTES` per slot: length-prefixed UTF-8 key. */
  readonly names: SharedArrayBuffer;
  /** Float64 per slot: the quota in requests per second (`Infinity` = unlimited). */
  readonly quotas: SharedArrayBuffer;
}

/** Allocates zeroed buffers for `capacity` slots. */
export function createSlotTableBuffers(capacity: number): SlotTableBuffers {
  return {
    keys: new SharedArrayBuffer(capacity * 8),
    ready: new SharedArrayBuffer(capacity * 4),
    names: new SharedArrayBuffer(capacity * NAME_BYTES),
    quotas: new SharedArrayBuffer(capacity * 8),
  };
}

/** The problems with buffers received from another thread, or an empty list when they fit `capacity`. */
export function checkSlotTableBuffers(buffers: Partial<Record<keyof SlotTableBuffers, unknown>>, capacity: number): string[] {
  const expected: Record<keyof SlotTableBuffers, number> = {
    keys: capacity * 8,
    ready: capacity * 4,
    names: capacity * NAME_BYTES,
    quotas: capacity * 8,
  };
  const problems: string[] = [];
  for (const [name, bytes] of Object.entries(expected)) {
    const buffer = buffers[name as keyof SlotTableBuffers];
    if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength !== bytes) {
      problems.push(`buffers.${name} must be a SharedArrayBuffer of ${bytes} bytes`);
    }
  }
  return problems;
}

function fnv1a64(bytes: Uint8Array): bigint {
  let hash = FNV_OFFSET;
  for (const byte of bytes) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * FNV_PRIME);
  // 0 marks a free entry.
  return hash === 0n ? 1n : BigInt.asIntN(64, hash);
}

/** One published slot, as seen by {@link SlotTable.entries}. */
export interface SlotEntry {
  readonly slot: number;
  readonly name: string;
  readonly quotaPerSec: number;
}

/** The calling thread's view of a shared slot table. */
export class SlotTable {
  readonly #capacity: number;
  readonly #keys: BigInt64Array;
  readonly #ready: Int32Array;
  readonly #names: Uint8Array;
  readonly #quotas: Float64Array;

  constructor(buffers: SlotTableBuffers, capacity: number) {
    this.#capacity = capacity;
    this.#keys = new BigInt64Array(buffers.keys);
    this.#ready = new Int32Array(buffers.ready);
    this.#names = new Uint8Array(buffers.names);
    this.#quotas = new Float64Array(buffers.quotas);
  }

  /**
   * The slot for `name`, claiming a free one if no thread has yet. `quotaPerSec` is recorded by the thread that
   * claims; every thread computes the same value from the same options.
   *
   * @throws Error when the name is longer than a slot holds; {@link QuotaCapacityError} when every slot is taken.
   */
  claim(name: string, quotaPerSec: number): number {
    const bytes = encoder.encode(name);
    if (bytes.length > MAX_NAME_BYTES) {
      throw new Error(
        `QuotaBoard: the slot key ${JSON.stringify(name)} is ${bytes.length} UTF-8 bytes; a slot holds at most ${MAX_NAME_BYTES}`,
      );
    }
    const hash = fnv1a64(bytes);
    const mask = this.#capacity - 1;
    let slot = Number(BigInt.asUintN(64, hash) & BigInt(mask));
    for (let probes = 0; probes < this.#capacity; probes++, slot = (slot + 1) & mask) {
      let found = Atomics.load(this.#keys, slot);
      if (found === 0n) {
        found = Atomics.compareExchange(this.#keys, slot, 0n, hash);
        if (found === 0n) {
          this.#publish(slot, bytes, quotaPerSec);
          return slot;
        }
      }
      if (found === hash) {
        this.#awaitPublished(slot);
        if (this.#nameEquals(slot, bytes)) return slot;
      }
    }
    throw new QuotaCapacityError(this.#capacity, name);
  }

  /** Every published slot. */
  entries(): SlotEntry[] {
    const out: SlotEntry[] = [];
    for (let slot = 0; slot < this.#capacity; slot++) {
      if (Atomics.load(this.#ready, slot) !== 1) continue;
      out.push({ slot, name: this.#readName(slot), quotaPerSec: this.#quotas[slot] ?? NaN });
    }
    return out;
  }

  #publish(slot: number, bytes: Uint8Array, quotaPerSec: number): void {
    const offset = slot * NAME_BYTES;
    this.#names[offset] = bytes.length & 0xff;
    this.#names[offset + 1] = bytes.length >> 8;
    this.#names.set(bytes, offset + 2);
    this.#quotas[slot] = quotaPerSec;
    Atomics.store(this.#ready, slot, 1);
    Atomics.notify(this.#ready, slot);
  }

  #awaitPublished(slot: number): void {
    // The claimer is between its compareExchange and its publish: a few stores away. Each wait lasts at most 1 ms
    // (less when notified), so the loop bounds the wait without reading a clock.
    for (let waits = 0; Atomics.load(this.#ready, slot) !== 1; waits++) {
      Atomics.wait(this.#ready, slot, 0, 1);
      if (waits > PUBLISH_MAX_WAITS) {
        throw new Error(`QuotaBoard: slot ${slot} was claimed but never published (did a thread die while claiming?)`);
      }
    }
  }

  #nameLength(slot: number): number {
    const offset = slot * NAME_BYTES;
    return (this.#names[offset] ?? 0) | ((this.#names[offset + 1] ?? 0) << 8);
  }

  #nameEquals(slot: number, bytes: Uint8Array): boolean {
    if (this.#nameLength(slot) !== bytes.length) return false;
    const offset = slot * NAME_BYTES + 2;
    for (let i = 0; i < bytes.length; i++) if (this.#names[offset + i] !== bytes[i]) return false;
    return true;
  }

  #readName(slot: number): string {
    const offset = slot * NAME_BYTES + 2;
    // TextDecoder does not take views of shared memory: copy first.
    return decoder.decode(this.#names.slice(offset, offset + this.#nameLength(slot)));
  }
}
