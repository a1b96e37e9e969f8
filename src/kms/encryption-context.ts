/**
 * Encryption contexts as the symmetric operations take them: validated (a map of string to string), and encoded
 * canonically (ciphertext-blob.ts) once per context object instead of once per request. Fleets send a few context
 * objects over and over, so the encoding is remembered per object; a caller may still change an object between
 * requests, so every use first checks that the object's keys and values are still the ones that were encoded.
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

const remembered = new WeakMap<object, EncodedContext>();

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
  const known = remembered.get(map);
  if (known !== undefined && unchanged(known, keys, map)) return known;
  const values: string[] = [];
  for (const key of keys) {
    const entry = map[key];
    if (typeof entry !== 'string') throw notAMap(field);
    values.push(entry);
  }
  const context = encoded(encodeContext(map as Readonly<Record<string, string>>), keys, values);
  remembered.set(map, context);
  return context;
}

/** True when `map` still has exactly the keys, in the same order, and values of the remembered encoding. */
function unchanged(known: EncodedContext, keys: readonly string[], map: Readonly<Record<string, unknown>>): boolean {
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
