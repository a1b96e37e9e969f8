/**
 * The model's symmetric ciphertext blob, version 1. KMS's real format is undocumented; ours names everything Decrypt
 * needs, so Decrypt works without a KeyId, and authenticates all of it:
 *
 *   u8 version (=1) | u8 idKind (0 uuid, 1 mrk) | 16 B key id | u8 len + account | u8 len + region | u16 backing version
 *   | 12 B IV | 16 B GCM tag | ciphertext
 *
 * The header (everything before the IV) and the canonical encryption context form the AES-GCM AAD, so flipping any bit
 * of the blob, or decrypting under another context, fails authentication.
 */
import { KmsError } from './errors.js';

export const BLOB_VERSION = 1;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

export interface BlobHeader {
  readonly keyId: string;
  readonly accountId: string;
  readonly region: string;
  readonly backingVersion: number;
}

export interface ParsedBlob extends BlobHeader {
  /** The bytes authenticated as AAD (before the context). */
  readonly header: Uint8Array;
  readonly iv: Uint8Array;
  readonly tag: Uint8Array;
  readonly ciphertext: Uint8Array;
}

/**
 * A header as the hot paths use it: the fields, the header bytes (owned, never a view of a caller's blob, which the
 * caller may change later), and the crypto-off checksum state after those bytes (see symmetric-crypto.ts).
 */
export interface BlobHead extends BlobHeader {
  readonly header: Buffer;
  aadSeed: number | undefined;
}

/** The smallest header: version, id kind, 16-byte key id, two length bytes (empty account and region), version. */
export const MIN_HEADER_BYTES = 2 + 16 + 1 + 1 + 2;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MRK_RE = /^mrk-[0-9a-f]{32}$/;

/** True for the two key id forms KMS issues: a UUID, or `mrk-` and 32 hex digits (multi-Region keys). */
export function isKeyIdFormat(keyId: string): boolean {
  return UUID_RE.test(keyId) || MRK_RE.test(keyId);
}

export function encodeBlobHeader(header: BlobHeader): Buffer {
  const mrk = header.keyId.startsWith('mrk-');
  const hex = mrk ? header.keyId.slice(4) : header.keyId.replaceAll('-', '');
  const account = Buffer.from(header.accountId, 'ascii');
  const region = Buffer.from(header.region, 'ascii');
  const out = Buffer.allocUnsafe(2 + 16 + 1 + account.length + 1 + region.length + 2);
  let at = 0;
  out[at++] = BLOB_VERSION;
  out[at++] = mrk ? 1 : 0;
  at += out.write(hex, at, 'hex');
  out[at++] = account.length;
  at += account.copy(out, at);
  out[at++] = region.length;
  at += region.copy(out, at);
  out.writeUInt16BE(header.backingVersion, at);
  return out;
}

function corrupt(): KmsError {
  return new KmsError('InvalidCiphertextException', 'The ciphertext is invalid or has been tampered with.');
}

/**
 * The header fields of a symmetric blob and the header's length (where the IV starts); anything malformed is an
 * InvalidCiphertextException, as KMS answers.
 */
export function readBlobHeader(blob: Uint8Array): { fields: BlobHeader; headerBytes: number } {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < MIN_HEADER_BYTES + IV_BYTES + TAG_BYTES || buf[0] !== BLOB_VERSION) throw corrupt();
  const kind = buf[1];
  if (kind !== 0 && kind !== 1) throw corrupt();
  const hex = buf.toString('hex', 2, 18);
  const keyId =
    kind === 1
      ? `mrk-${hex}`
      : `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  let at = 18;
  const accountLen = buf[at++] ?? 0;
  const accountId = buf.toString('ascii', at, at + accountLen);
  at += accountLen;
  const regionLen = buf[at++] ?? 0;
  const region = buf.toString('ascii', at, at + regionLen);
  at += regionLen;
  if (at + 2 + IV_BYTES + TAG_BYTES > buf.length) throw corrupt();
  const backingVersion = buf.readUInt16BE(at);
  return { fields: { keyId, accountId, region, backingVersion }, headerBytes: at + 2 };
}

/** Parses a symmetric blob into its header fields and parts (views of `blob`). */
export function parseBlob(blob: Uint8Array): ParsedBlob {
  const { fields, headerBytes: at } = readBlobHeader(blob);
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const header = buf.subarray(0, at);
  const iv = buf.subarray(at, at + IV_BYTES);
  const tag = buf.subarray(at + IV_BYTES, at + IV_BYTES + TAG_BYTES);
  const ciphertext = buf.subarray(at + IV_BYTES + TAG_BYTES);
  return { ...fields, header, iv, tag, ciphertext };
}

const EMPTY = Buffer.alloc(0);

/**
 * Canonical encoding of an encryption context: pairs sorted by key, each key and value length-prefixed (u32 BE) and
 * UTF-8. Plain concatenation would make `{a: "bc"}` and `{ab: "c"}` equal; length prefixes cannot collide.
 */
export function encodeContext(context: Readonly<Record<string, string>> | undefined): Buffer {
  if (context === undefined) return EMPTY;
  const keys = Object.keys(context);
  if (keys.length === 0) return EMPTY;
  keys.sort();
  const parts: Buffer[] = [];
  let total = 4;
  for (const key of keys) {
    const k = Buffer.from(key, 'utf8');
    const v = Buffer.from(context[key] as string, 'utf8');
    parts.push(k, v);
    total += 8 + k.length + v.length;
  }
  const out = Buffer.allocUnsafe(total);
  out.writeUInt32BE(keys.length, 0);
  let at = 4;
  for (const part of parts) {
    out.writeUInt32BE(part.length, at);
    at += 4;
    at += part.copy(out, at);
  }
  return out;
}
