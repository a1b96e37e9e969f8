/**
 * Seeded randomness for everything the simulation draws (arrivals, jitter, op choice, payload sizes, contexts, service
 * latency). Cryptographic values (IVs, data keys) use the CSPRNG instead: they never affect what is measured.
 */
import { createHash } from 'node:crypto';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A uniform draw in [0, 1). */
export type Random = () => number;

/**
 * A generator for one stream. Streams are derived from (seed, stream name) so adding a consumer does not shift the
 * draws of the others, and a worker's draws do not depend on how many workers run.
 */
export function seededRandom(seed: number, stream: string | number = 0): Random {
  const rng = xoroshiro128plus(mix(seed, stream));
  // The first outputs of xoroshiro from a small seed are poorly mixed; discard a few.
  for (let i = 0; i < 8; i++) rng.next();
  return () => uniformFloat64(rng);
}

function mix(seed: number, stream: string | number): number {
  // FNV-1a over the seed and stream name, folded to 32 bits.
  let h = 0x811c9dc5;
  const text = `${seed}/${stream}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** Uniform integer in [min, max]. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Exponential draw with the given mean (Poisson inter-arrival times). */
export function randomExponential(random: Random, mean: number): number {
  return -Math.log(1 - random()) * mean;
}

/** Standard normal draw (Box–Muller). */
export function randomNormal(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * A UUID fixed by `label`: the first 16 bytes of its SHA-256 with the RFC 9562 version 4 and variant bits set, so
 * derived ids (key ids of a seed) look like the UUIDs KMS issues and are the same in every run and every thread.
 */
export function seededUuid(label: string): string {
  const bytes = createHash('sha256').update(label).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** murmur3's 32-bit finalizer: every input bit affects every output bit. */
function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit key naming (seed, stream) for {@link keyedUniform}. */
export function streamKey(seed: number, stream: string): number {
  return mix(seed, stream) >>> 0;
}

/** One key for a pair of numbers (a closed client's iteration: client, iteration), for {@link keyedUniform}. */
export function pairKey(a: number, b: number): number {
  return fmix32(fmix32(a) ^ Math.imul(b + 0x9e3779b9, 0x27d4eb2f));
}

/**
 * Draw `n` of the item `key` in stream `stream`, uniform in [0, 1): a stateless hash of the three, so any thread,
 * worker or host computes the draws of item `key` without drawing anything before it. This is what lets a shard of a
 * run (`--shard k/n`) make exactly the choices the whole run makes for the same request.
 */
export function keyedUniform(stream: number, key: number, n: number): number {
  const a = fmix32(stream ^ fmix32(key ^ Math.imul(n, 0x9e3779b9)));
  const b = fmix32(a ^ 0x5bd1e995 ^ Math.imul(n + 1, 0x85ebca6b));
  // 53 bits: 32 of a, 21 of b.
  return (a * 2 ** 21 + (b >>> 11)) / 2 ** 53;
}

/**
 * A {@link Random} positioned on one item of a keyed stream: `at(key)` starts the draws of item `key` (draw 0, 1, …).
 * One object per stream, reused for every item, so choosing a request allocates nothing.
 */
export class KeyedRandom {
  readonly #stream: number;
  #key = 0;
  #n = 0;
  /** The draws of the current item, in order. */
  readonly random: Random = () => keyedUniform(this.#stream, this.#key, this.#n++);

  constructor(seed: number, stream: string) {
    this.#stream = streamKey(seed, stream);
  }

  /** Starts the draws of item `key` and returns them. */
  at(key: number): Random {
    this.#key = key;
    this.#n = 0;
    return this.random;
  }
}
