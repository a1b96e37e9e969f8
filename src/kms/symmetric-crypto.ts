/**
 * AES-256-GCM sealing of the model's ciphertext blobs. The blob header and the canonical encryption context are the
 * AAD (see ciphertext-blob.ts). IVs are 96-bit random values, as NIST SP 800-38D recommends for random IVs; they come
 * from the CSPRNG, drawn in batches because a 12-byte `randomBytes` call costs more than the AES work of a small
 * message.
 */
import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import { encodeBlobHeader, IV_BYTES, parseBlob, TAG_BYTES, type ParsedBlob } from './ciphertext-blob.js';
import { KmsError } from './errors.js';
import type { KeyRecord } from './keystore.js';

/**
 * `real` runs AES-256-GCM. `off` (virtual-clock planning runs) frames the same blob — header, IV, tag, body — without
 * cipher work: the body is the plaintext and the tag holds a 32-bit FNV-1a of the AAD, so a wrong encryption context
 * or a blob moved to another key is still InvalidCiphertextException. Never a protection: only for simulations.
 */
export type CryptoMode = 'real' | 'off';

const ZERO_IV = Buffer.alloc(IV_BYTES);

function aadCheck(header: Uint8Array, context: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < header.length; i++) h = Math.imul(h ^ (header[i] as number), 0x01000193);
  for (let i = 0; i < context.length; i++) h = Math.imul(h ^ (context[i] as number), 0x01000193);
  return h >>> 0;
}

function sealOff(header: Buffer, plaintext: Uint8Array, context: Buffer): Buffer {
  const out = Buffer.alloc(header.length + IV_BYTES + TAG_BYTES + plaintext.byteLength);
  header.copy(out, 0);
  ZERO_IV.copy(out, header.length);
  out.writeUInt32BE(aadCheck(header, context), header.length + IV_BYTES);
  out.set(plaintext, header.length + IV_BYTES + TAG_BYTES);
  return out;
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

function headerFor(key: KeyRecord, version: number): Buffer {
  let header = key.blobHeaders[version];
  if (header === undefined) {
    header = encodeBlobHeader({ keyId: key.keyId, accountId: key.accountId, region: key.region, backingVersion: version });
    key.blobHeaders[version] = header;
  }
  return header;
}

/** Encrypts under the key's current backing version. */
export function sealSymmetric(key: KeyRecord, plaintext: Uint8Array, context: Buffer, mode: CryptoMode = 'real'): Buffer {
  const version = key.secrets.length - 1;
  const header = headerFor(key, version);
  if (mode === 'off') return sealOff(header, plaintext, context);
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key.secrets[version] as Buffer, iv);
  cipher.setAAD(context.length === 0 ? header : Buffer.concat([header, context]));
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

/** Decrypts a parsed blob with the key that the blob names; a wrong tag, version or context is InvalidCiphertext. */
export function openSymmetric(key: KeyRecord, blob: ParsedBlob, context: Buffer, mode: CryptoMode = 'real'): Buffer {
  const secret = key.secrets[blob.backingVersion];
  if (secret === undefined) throw invalidCiphertext();
  if (mode === 'off') {
    const t = blob.tag;
    const stored = (((t[0] as number) << 24) | ((t[1] as number) << 16) | ((t[2] as number) << 8) | (t[3] as number)) >>> 0;
    if (stored !== aadCheck(blob.header, context)) throw invalidCiphertext();
    return Buffer.from(blob.ciphertext);
  }
  const decipher = createDecipheriv('aes-256-gcm', secret, blob.iv);
  decipher.setAAD(context.length === 0 ? blob.header : Buffer.concat([blob.header, context]));
  decipher.setAuthTag(blob.tag);
  const body = decipher.update(blob.ciphertext);
  try {
    decipher.final();
  } catch {
    body.fill(0);
    throw invalidCiphertext();
  }
  return body;
}

export { parseBlob };
