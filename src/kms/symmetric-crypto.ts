/**
 * AES-256-GCM sealing of the model's ciphertext blobs. The blob header and the canonical encryption context are the
 * AAD (see ciphertext-blob.ts). IVs are 96-bit random values, as NIST SP 800-38D recommends for random IVs; they come
 * from the CSPRNG, drawn in batches because a 12-byte `randomBytes` call costs more than the AES work of a small
 * message.
 */
import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import { encodeBlobHeader, IV_BYTES, TAG_BYTES, type BlobHead } from './ciphertext-blob.js';
import type { AadMemo, EncodedContext } from './encryption-context.js';
import { KmsError } from './errors.js';
import type { KeyRecord } from './keystore.js';

/**
 * `real` runs AES-256-GCM. `off` (virtual-clock planning runs) frames the same blob — header, IV, tag, body — without
 * cipher work: the body is the plaintext and the tag holds a 32-bit FNV-1a of the AAD, so a wrong encryption context
 * or a blob moved to another key is still InvalidCiphertextException. Never a protection: only for simulations.
 */
export type CryptoMode = 'real' | 'off';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv1a(state: number, bytes: Uint8Array): number {
  let h = state;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ (bytes[i] as number), FNV_PRIME);
  return h;
}

/** FNV-1a of header ‖ context, and the memo that remembers it for this (head, context). */
function aadMemo(head: BlobHead, context: EncodedContext): AadMemo {
  head.aadSeed ??= fnv1a(FNV_OFFSET, head.header);
  return { head, check: fnv1a(head.aadSeed, context.bytes) >>> 0, prefix: undefined };
}

function sealMemo(head: BlobHead, context: EncodedContext): AadMemo {
  const memo = context.sealMemo;
  return memo?.head === head ? memo : (context.sealMemo = aadMemo(head, context));
}

function openMemo(head: BlobHead, context: EncodedContext): AadMemo {
  const memo = context.openMemo;
  return memo?.head === head ? memo : (context.openMemo = aadMemo(head, context));
}

/** Header, zero IV, the check in the tag's first 4 bytes (the rest zero), then the plaintext. */
function sealOff(head: BlobHead, plaintext: Uint8Array, context: EncodedContext): Buffer {
  const memo = sealMemo(head, context);
  const prefix = (memo.prefix ??= offPrefix(head.header, memo.check));
  const out = Buffer.allocUnsafe(prefix.length + plaintext.byteLength);
  out.set(prefix, 0);
  out.set(plaintext, prefix.length);
  return out;
}

/** The plaintext of a crypto-off blob, if its tag holds the check of (header, context). */
function openOff(head: BlobHead, blob: Uint8Array, context: EncodedContext): Buffer {
  const tagAt = head.header.length + IV_BYTES;
  const stored =
    (((blob[tagAt] as number) << 24) |
      ((blob[tagAt + 1] as number) << 16) |
      ((blob[tagAt + 2] as number) << 8) |
      (blob[tagAt + 3] as number)) >>>
    0;
  if (stored !== openMemo(head, context).check) throw invalidCiphertext();
  return copyOf(blob, tagAt + TAG_BYTES);
}

/** Header, zero IV, tag (check, then zeros). Every byte written, so a pooled allocation serves. */
function offPrefix(header: Buffer, check: number): Buffer {
  const tagAt = header.length + IV_BYTES;
  const prefix = Buffer.allocUnsafe(tagAt + TAG_BYTES);
  prefix.set(header, 0);
  prefix.fill(0, header.length);
  prefix.writeUInt32BE(check, tagAt);
  return prefix;
}

const IV_BATCH = 256;
const ivPool = Buffer.allocUnsafe(IV_BYTES * IV_BATCH);
let ivAt = ivPool.length;

function nextIv(): Buffer {
  if (ivAt >= ivPool.length) {
    randomFillSync(ivPool);
    ivAt = 0;
  }
  const iv = ivPool.subarray(ivAt, ivAt + IV_BYTES);
  ivAt += IV_BYTES;
  return iv;
}

function headFor(key: KeyRecord, version: number): BlobHead {
  let head = key.blobHeads[version];
  if (head === undefined) {
    const fields = { keyId: key.keyId, accountId: key.accountId, region: key.region, backingVersion: version };
    const header = encodeBlobHeader(fields);
    head = { keyId: key.keyId, accountId: key.accountId, region: key.region, backingVersion: version, header, aadSeed: undefined };
    key.blobHeads[version] = head;
  }
  return head;
}

function aad(head: BlobHead, context: EncodedContext): Buffer {
  return context.bytes.length === 0 ? head.header : Buffer.concat([head.header, context.bytes]);
}

/** Encrypts under the key's current backing version. */
export function sealSymmetric(key: KeyRecord, plaintext: Uint8Array, context: EncodedContext, mode: CryptoMode = 'real'): Buffer {
  const version = key.secrets.length - 1;
  const head = headFor(key, version);
  if (mode === 'off') return sealOff(head, plaintext, context);
  const header = head.header;
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key.secrets[version] as Buffer, iv);
  cipher.setAAD(aad(head, context));
  const body = cipher.update(plaintext);
  cipher.final(); // GCM is a stream mode: final() emits nothing
  const out = Buffer.allocUnsafe(header.length + IV_BYTES + TAG_BYTES + body.length);
  header.copy(out, 0);
  iv.copy(out, header.length);
  cipher.getAuthTag().copy(out, header.length + IV_BYTES);
  body.copy(out, header.length + IV_BYTES + TAG_BYTES);
  return out;
}

function invalidCiphertext(): KmsError {
  return new KmsError('InvalidCiphertextException', 'The ciphertext is invalid or the encryption context does not match.');
}

/**
 * Decrypts `blob`, whose header is `head` (as read by the keystore), with the key the head names; a wrong tag, version
 * or context is InvalidCiphertext. The plaintext is always a new buffer: callers zero-fill plaintexts (ReEncrypt,
 * data-key caches), which must never reach the caller's blob.
 */
export function openSymmetric(
  key: KeyRecord,
  head: BlobHead,
  blob: Uint8Array,
  context: EncodedContext,
  mode: CryptoMode = 'real',
): Buffer {
  const secret = key.secrets[head.backingVersion];
  if (secret === undefined) throw invalidCiphertext();
  if (mode === 'off') return openOff(head, blob, context);
  const ivAt = head.header.length;
  const tagAt = ivAt + IV_BYTES;
  const bodyAt = tagAt + TAG_BYTES;
  const decipher = createDecipheriv('aes-256-gcm', secret, blob.subarray(ivAt, tagAt));
  decipher.setAAD(aad(head, context));
  decipher.setAuthTag(blob.subarray(tagAt, bodyAt));
  const body = decipher.update(blob.subarray(bodyAt));
  try {
    decipher.final();
  } catch {
    body.fill(0);
    throw invalidCiphertext();
  }
  return body;
}

/** A copy of `bytes` from `from` to the end, through a plain view (cheaper than a Buffer `subarray`). */
function copyOf(bytes: Uint8Array, from: number): Buffer {
  const length = bytes.length - from;
  const out = Buffer.allocUnsafe(length);
  out.set(new Uint8Array(bytes.buffer, bytes.byteOffset + from, length));
  return out;
}
