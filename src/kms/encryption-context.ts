/**
 * Encryption contexts as the symmetric operations take them: validated (a map of string to string), and encoded
 * canonically (ciphertext-blob.ts) once per distinct content instead of once per request. Fleets send a few contexts
 * over and over, as shared objects or as fresh objects with the same pairs (a decoded JSON request), so encodings are
 * remembered by content: a hash of the pairs picks a slot, and the slot's encoding is used only if its keys and values
 * equal the request's, in the same order. The objects used last are also remembered, to skip the hash; a caller may
 * change an object between requests, so its content is compared with the encoding's all the same.
 */
import { encodeContext, type BlobHead } from './ciphertext-blob.js';
import type { KmsInput } from './types.js';
import { validationError } from './validate.js';

/**
 * What crypto-off sealing and opening compute from (blob head, context): a fleet uses one key per context, so a
 * memo per context answers nearly every request. The head's header bytes never change, so the head identifies them.
 */
export interface AadMemo {
  readonly head: BlobHead;
  /** FNV-1a of header ‖ context: the first 4 bytes of the tag. */
  readonly check: number;
  /** Header, IV and tag of a sealed blob, built on first seal. */
  prefix: Buffer | undefined;
}

export interface EncodedContext {
  /** The canonical encoding: what follows the blob header in the AAD. */
  readonly bytes: Buffer;
  /** Number of key-value pairs. */
  readonly pairs: number;
  /** The own enumerable keys (in `Object.keys` order) and their values when the encoding was made. */
  readonly keys: readonly string[];
  readonly values: readonly string[];
  /**
   * Crypto-off tags: the figures for the blob head last sealed, and last opened, with this context (see
   * symmetric-crypto.ts). Two slots: sealing uses the key's own head, opening the head read from the blob, which are
   * different objects for the same bytes.
   */
  sealMemo: AadMemo | undefined;
  openMemo: AadMemo | undefined;
}

function encoded(bytes: Buffer, keys: readonly string[], values: readonly string[]): EncodedContext {
  return { bytes, pairs: keys.length, keys, values, sealMemo: undefined, openMemo: undefined };
}

/** An absent context: no AAD beyond the header. */
export const NO_CONTEXT: EncodedContext = encoded(encodeContext(undefined), [], []);

/**
 * The context objects used last, with their encodings: a caller that shares context objects across requests finds its
 * object here without hashing the pairs (the encoding is still checked against the object's content).
 */
const RECENT = 8;
const recentObjects: (object | undefined)[] = new Array<object | undefined>(RECENT).fill(undefined);
const recentContexts: (EncodedContext | undefined)[] = new Array<EncodedContext | undefined>(RECENT).fill(undefined);
let recentNext = 0;

/** Direct-mapped by content hash: a colliding context replaces the slot's, so memory stays bounded. */
const SLOTS = 256;
const remembered: (EncodedContext | undefined)[] = new Array<EncodedContext | undefined>(SLOTS).fill(undefined);

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function hashString(state: number, text: string): number {
  let h = Math.imul(state ^ text.length, FNV_PRIME);
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * The encryption context in `input[field]`, validated as KMS does (a map of string to string: API reference, Encrypt ›
 * EncryptionContext; else ValidationException), and encoded; an absent context is {@link NO_CONTEXT}.
 */
export function readContext(input: KmsInput, field = 'EncryptionContext'): EncodedContext {
  const value = input[field];
  if (value === undefined || value === null) return NO_CONTEXT;
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) throw notAMap(field);
  const map = value as Readonly<Record<string, unknown>>;
  const keys = Object.keys(map);
  let recent = -1;
  for (let i = 0; i < RECENT; i++) {
    if (recentObjects[i] !== map) continue;
    const known = recentContexts[i] as EncodedContext;
    if (sameContent(known, keys, map)) return known;
    recent = i;
    break;
  }
  const context = byContent(field, keys, map);
  if (recent < 0) {
    recent = recentNext;
    recentNext = (recentNext + 1) % RECENT;
  }
  recentObjects[recent] = map;
  recentContexts[recent] = context;
  return context;
}

/** The remembered encoding of these pairs, else a new one; ValidationException for a value that is not a string. */
function byContent(field: string, keys: readonly string[], map: Readonly<Record<string, unknown>>): EncodedContext {
  let hash = FNV_OFFSET;
  for (const key of keys) {
    const entry = map[key];
    if (typeof entry !== 'string') throw notAMap(field);
    hash = hashString(hashString(hash, key), entry);
  }
  const slot = hash & (SLOTS - 1);
  const known = remembered[slot];
  if (known !== undefined && sameContent(known, keys, map)) return known;
  const values = keys.map((key) => map[key] as string);
  const context = encoded(encodeContext(map as Readonly<Record<string, string>>), keys, values);
  remembered[slot] = context;
  return context;
}

/** True when `map` has exactly the keys, in the same order, and values of the remembered encoding. */
function sameContent(known: EncodedContext, keys: readonly string[], map: Readonly<Record<string, unknown>>): boolean {
  const count = keys.length;
  if (count !== known.keys.length) return false;
  for (let i = 0; i < count; i++) {
    const key = keys[i] as string;
    if (key !== known.keys[i] || map[key] !== known.values[i]) return false;
  }
  return true;
}

function notAMap(field: string): Error {
  return validationError(field, 'Member must be a map of string to string');
}
