/**
 * Envelope encryption: a data key from KMS (GenerateDataKey, or the cache), the payload encrypted locally with
 * AES-256-GCM, the encrypted data key stored beside the ciphertext and the plaintext key zero-filled after use (or
 * left to the cache, which zero-fills it on eviction). Decryption asks KMS (or the cache) for the data key's plaintext.
 *
 * Message format (version 1), all integers big-endian:
 *   'K' 'E' | version u8 | encrypted data key length u16 | encrypted data key | IV (12) | ciphertext | tag (16)
 * The AAD is the header (everything before the IV) followed by the canonical encryption context, so a changed header,
 * data key or context fails authentication locally, besides KMS refusing the data key under another context.
 */
import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import { contextId, type CacheLookup, type DataKeyCache, type DataKeyMaterial } from './data-key-cache.js';

const MAGIC_0 = 0x4b; // 'K'
const MAGIC_1 = 0x45; // 'E'
const VERSION = 1;
const HEADER_FIXED_BYTES = 5;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const DATA_KEY_BYTES = 32;

/** A KMS call as the envelope needs it: resolves with the output, or rejects with the KMS error (`name` set). */
export type KmsCall = (operation: 'GenerateDataKey' | 'Decrypt', input: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** A message that is not an envelope of this format, or whose authentication failed. */
export class EnvelopeError extends Error {
  constructor(name: 'EnvelopeFormatError' | 'EnvelopeAuthenticationError', message: string) {
    super(message);
    this.name = name;
  }
}

/** A sealed message and how its data key was obtained (`none` without a cache: always a KMS call). */
export class EnvelopeEncryptResult {
  #message: Buffer | undefined;
  constructor(
    /** The message as the chunks a writer would write (`writev`): header and IV, ciphertext, tag — no payload copy. */
    readonly parts: readonly Buffer[],
    readonly lookup: CacheLookup | 'none',
  ) {}
  /** The message in one buffer, joined on first use (a copy of the payload). */
  get message(): Buffer {
    this.#message ??= Buffer.concat(this.parts);
    return this.#message;
  }
}

export interface EnvelopeDecryptResult {
  readonly plaintext: Buffer;
  readonly lookup: CacheLookup | 'none';
}

type Context = Readonly<Record<string, string>> | undefined;

function bytesOf(value: unknown, field: string, operation: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new Error(`${operation} returned no ${field}`);
  return value;
}

function withContext(input: Record<string, unknown>, context: Context): Record<string, unknown> {
  return context === undefined ? input : { ...input, EncryptionContext: context };
}

/** The GenerateDataKey input for a data key of `keyArn` bound to `context`. */
export function generateDataKeyInput(keyArn: string, context: Context): Record<string, unknown> {
  return withContext({ KeyId: keyArn, KeySpec: 'AES_256' }, context);
}

/** The material of a GenerateDataKey answer, checked (a key of the wrong length is zero-filled and refused). */
export function dataKeyMaterialOf(output: Record<string, unknown>, keyArn: string): DataKeyMaterial {
  const plaintext = bytesOf(output['Plaintext'], 'Plaintext', 'GenerateDataKey');
  if (plaintext.byteLength !== DATA_KEY_BYTES) {
    plaintext.fill(0); // a key of the wrong length is still key material: zero it before dropping it
    throw new Error(`GenerateDataKey returned a ${plaintext.byteLength}-byte key`);
  }
  return {
    plaintext,
    encrypted: bytesOf(output['CiphertextBlob'], 'CiphertextBlob', 'GenerateDataKey'),
    keyArn: typeof output['KeyId'] === 'string' ? output['KeyId'] : keyArn,
  };
}

/** The Decrypt input for a message's encrypted data key under `context` (naming the KMS key when known). */
export function decryptDataKeyInput(encryptedKey: Uint8Array, context: Context, keyArn: string | undefined): Record<string, unknown> {
  return withContext({ CiphertextBlob: encryptedKey, ...(keyArn === undefined ? {} : { KeyId: keyArn }) }, context);
}

/** The plaintext data key of a Decrypt answer. */
export function plaintextKeyOf(output: Record<string, unknown>): Uint8Array {
  return bytesOf(output['Plaintext'], 'Plaintext', 'Decrypt');
}

async function generateDataKey(kms: KmsCall, keyArn: string, context: Context): Promise<DataKeyMaterial> {
  return dataKeyMaterialOf(await kms('GenerateDataKey', generateDataKeyInput(keyArn, context)), keyArn);
}

const contextBytes = new WeakMap<object, Buffer>();

/** Feeds the AAD (header, then canonical context) to a cipher: GCM's AAD is a stream, so two calls concatenate. */
function setAad(cipher: { setAAD(data: Uint8Array): unknown }, header: Uint8Array, context: Context): void {
  cipher.setAAD(header);
  if (context === undefined) return;
  let bytes = contextBytes.get(context);
  if (bytes === undefined) {
    bytes = Buffer.from(contextId(context), 'utf8');
    contextBytes.set(context, bytes);
  }
  cipher.setAAD(bytes);
}

/**
 * Seals `plaintext` under `dataKey` (32 bytes) with the encrypted data key in the header, as the message's chunks:
 * header and IV, ciphertext, tag. Synchronous; the payload is encrypted once and never copied.
 */
export function sealParts(dataKey: Uint8Array, encryptedKey: Uint8Array, plaintext: Uint8Array, context: Context): Buffer[] {
  if (encryptedKey.byteLength > 0xffff) throw new RangeError('encrypted data key longer than 65535 bytes');
  const headerBytes = HEADER_FIXED_BYTES + encryptedKey.byteLength;
  const prefix = Buffer.allocUnsafe(headerBytes + IV_BYTES);
  prefix[0] = MAGIC_0;
  prefix[1] = MAGIC_1;
  prefix[2] = VERSION;
  prefix.writeUInt16BE(encryptedKey.byteLength, 3);
  prefix.set(encryptedKey, HEADER_FIXED_BYTES);
  const iv = prefix.subarray(headerBytes);
  randomFillSync(iv);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  setAad(cipher, prefix.subarray(0, headerBytes), context);
  const body = cipher.update(plaintext);
  const final = cipher.final(); // empty for GCM
  return final.byteLength === 0 ? [prefix, body, cipher.getAuthTag()] : [prefix, body, final, cipher.getAuthTag()];
}

/** {@link sealParts} joined into one buffer. */
export function sealWithDataKey(dataKey: Uint8Array, encryptedKey: Uint8Array, plaintext: Uint8Array, context: Context): Buffer {
  return Buffer.concat(sealParts(dataKey, encryptedKey, plaintext, context));
}

/** The parts of a message, or an `EnvelopeFormatError`. */
export function parseEnvelope(message: Uint8Array): { header: Uint8Array; encryptedKey: Uint8Array; iv: Uint8Array; body: Uint8Array; tag: Uint8Array } {
  if (message.byteLength < HEADER_FIXED_BYTES + IV_BYTES + TAG_BYTES || message[0] !== MAGIC_0 || message[1] !== MAGIC_1) {
    throw new EnvelopeError('EnvelopeFormatError', 'not an envelope message');
  }
  if (message[2] !== VERSION) throw new EnvelopeError('EnvelopeFormatError', `unsupported envelope version ${String(message[2])}`);
  const keyBytes = ((message[3] as number) << 8) | (message[4] as number);
  const headerBytes = HEADER_FIXED_BYTES + keyBytes;
  if (message.byteLength < headerBytes + IV_BYTES + TAG_BYTES) throw new EnvelopeError('EnvelopeFormatError', 'envelope message truncated');
  return {
    header: message.subarray(0, headerBytes),
    encryptedKey: message.subarray(HEADER_FIXED_BYTES, headerBytes),
    iv: message.subarray(headerBytes, headerBytes + IV_BYTES),
    body: message.subarray(headerBytes + IV_BYTES, message.byteLength - TAG_BYTES),
    tag: message.subarray(message.byteLength - TAG_BYTES),
  };
}

/** Opens a parsed message with the plaintext data key. Synchronous. */
export function openWithDataKey(dataKey: Uint8Array, parts: ReturnType<typeof parseEnvelope>, context: Context): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', dataKey, parts.iv);
  setAad(decipher, parts.header, context);
  decipher.setAuthTag(parts.tag);
  const out = decipher.update(parts.body);
  try {
    decipher.final();
  } catch {
    out.fill(0);
    throw new EnvelopeError('EnvelopeAuthenticationError', 'envelope authentication failed: the message or its encryption context was changed');
  }
  return out;
}

export interface EnvelopeOptions {
  readonly kms: KmsCall;
  /** Without a cache every message makes one KMS call. */
  readonly cache?: DataKeyCache;
}

/** Encrypts `plaintext` under a data key of `keyArn` bound to `context`. */
export async function envelopeEncrypt(
  options: EnvelopeOptions,
  keyArn: string,
  plaintext: Uint8Array,
  context: Context,
): Promise<EnvelopeEncryptResult> {
  const { kms, cache } = options;
  if (cache === undefined) {
    const material = await generateDataKey(kms, keyArn, context);
    try {
      return new EnvelopeEncryptResult(sealParts(material.plaintext, material.encrypted, plaintext, context), 'none');
    } finally {
      material.plaintext.fill(0);
    }
  }
  const lease =
    cache.cachedEncryptionKey(keyArn, context, plaintext.byteLength) ??
    (await cache.encryptionKey(keyArn, context, plaintext.byteLength, () => generateDataKey(kms, keyArn, context)));
  // Used before yielding: the cache may zero-fill the key once another request runs.
  try {
    return new EnvelopeEncryptResult(sealParts(lease.material.plaintext, lease.material.encrypted, plaintext, context), lease.lookup);
  } finally {
    if (!lease.cached) lease.material.plaintext.fill(0);
  }
}

/** Decrypts an envelope message made under `context` (the same context must be given). */
export async function envelopeDecrypt(
  options: EnvelopeOptions,
  message: Uint8Array,
  context: Context,
  keyArn?: string,
): Promise<EnvelopeDecryptResult> {
  const { kms, cache } = options;
  const parts = parseEnvelope(message);
  const fetch = async (): Promise<Uint8Array> => plaintextKeyOf(await kms('Decrypt', decryptDataKeyInput(parts.encryptedKey, context, keyArn)));
  if (cache === undefined) {
    const dataKey = await fetch();
    try {
      return { plaintext: openWithDataKey(dataKey, parts, context), lookup: 'none' };
    } finally {
      dataKey.fill(0);
    }
  }
  const lease = await cache.decryptionKey(parts.encryptedKey, context, fetch);
  try {
    return { plaintext: openWithDataKey(lease.plaintext, parts, context), lookup: lease.lookup };
  } finally {
    if (!lease.cached) lease.plaintext.fill(0);
  }
}
