/**
 * Encrypt, Decrypt, ReEncrypt, GenerateDataKey(WithoutPlaintext) and GenerateRandom. Checks run in AWS's order:
 * validation → key resolution → key state → key usage and algorithm → authorization → quota → cryptography.
 */
import { randomBytes } from 'node:crypto';
import { bucketFor } from '../quota/index.js';
import type { CachedBlobHead } from './blob-heads.js';
import { readContext, type EncodedContext } from './encryption-context.js';
import { KmsError } from './errors.js';
import { requireUsableKey, requireUsage, type KeyRecord, type Partition } from './keystore.js';
import { LIMITS, RSA_OAEP_MAX_PLAINTEXT_BYTES } from './limits.js';
import { rsaOaepDecrypt, rsaOaepEncrypt } from './asymmetric-crypto.js';
import { applyKeySchedule, requireKeyId, resolveKey, resolveUsableKey } from './key-metadata.js';
import { THROTTLED, type OpEnv, type OpHandler } from './op-env.js';
import { openSymmetric, sealSymmetric } from './symmetric-crypto.js';
import type { KmsAction } from './policy-actions.js';
import type { CallContext, KmsInput } from './types.js';
import {
  optionalBytes,
  optionalEnum,
  optionalInteger,
  optionalString,
  requireBytes,
  validationError,
} from './validate.js';

const ENCRYPTION_ALGORITHMS = ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'] as const;
const DATA_KEY_SPECS = ['AES_256', 'AES_128'] as const;
/** Data key bytes by KeySpec (API reference, GenerateDataKey › KeySpec). */
const DATA_KEY_BYTES: Readonly<Record<(typeof DATA_KEY_SPECS)[number], number>> = { AES_256: 32, AES_128: 16 };

function algorithmFor(key: KeyRecord, requested: string | undefined, operation: string): string {
  const algorithm = requested ?? 'SYMMETRIC_DEFAULT';
  if (key.family === 'symmetric' ? algorithm !== 'SYMMETRIC_DEFAULT' : !algorithm.startsWith('RSAES_OAEP')) {
    throw new KmsError(
      'InvalidKeyUsageException',
      `The encryption algorithm ${algorithm} is not compatible with ${key.arn} (${key.keySpec}) for ${operation}.`,
    );
  }
  return algorithm;
}

function checkAsymmetricContext(key: KeyRecord, context: EncodedContext): void {
  if (key.family !== 'symmetric' && context.pairs > 0) {
    throw validationError('EncryptionContext', 'EncryptionContext is supported only with symmetric encryption KMS keys');
  }
}

function encryptWith(env: OpEnv, key: KeyRecord, algorithm: string, plaintext: Uint8Array, context: EncodedContext): Buffer {
  if (key.family === 'symmetric') return sealSymmetric(key, plaintext, context, env.crypto);
  const max = RSA_OAEP_MAX_PLAINTEXT_BYTES[key.keySpec]?.[algorithm as 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256'] ?? 0;
  if (plaintext.byteLength > max) {
    throw validationError('Plaintext', `Member must have length less than or equal to ${max} for ${key.keySpec} with ${algorithm}`);
  }
  return rsaOaepEncrypt((key.asymmetric as NonNullable<KeyRecord['asymmetric']>).publicKey, algorithm, plaintext);
}

const encrypt: OpHandler = (env, input, ctx, caller) => {
  const keyId = requireKeyId(input);
  const plaintext = requireBytes(input, 'Plaintext', LIMITS.symmetricPlaintextMaxBytes);
  const context = readContext(input);
  const requested = optionalEnum(input, 'EncryptionAlgorithm', ENCRYPTION_ALGORITHMS);
  const key = resolveUsableKey(env, caller, keyId, 'ENCRYPT_DECRYPT', 'Encrypt');
  const algorithm = algorithmFor(key, requested, 'Encrypt');
  checkAsymmetricContext(key, context);
  const bucket = bucketFor('Encrypt', key.keySpec);
  env.authorize(ctx, caller, 'kms:Encrypt', key, input, bucket);
  if (!env.admit(ctx, caller, bucket, key)) return THROTTLED;
  const blob = encryptWith(env, key, algorithm, plaintext, context);
  return { CiphertextBlob: blob, KeyId: key.arn, EncryptionAlgorithm: algorithm };
};

interface Opened {
  readonly key: KeyRecord;
  readonly plaintext: Buffer;
  readonly algorithm: string;
}

/** The request fields that name the blob, key, context and algorithm of the ciphertext to open. */
interface OpenFields {
  readonly blob: string;
  readonly keyId: string;
  readonly context: string;
  readonly algorithm: string;
}

const DECRYPT_FIELDS: OpenFields = {
  blob: 'CiphertextBlob',
  keyId: 'KeyId',
  context: 'EncryptionContext',
  algorithm: 'EncryptionAlgorithm',
};
const RE_ENCRYPT_FIELDS: OpenFields = {
  blob: 'CiphertextBlob',
  keyId: 'SourceKeyId',
  context: 'SourceEncryptionContext',
  algorithm: 'SourceEncryptionAlgorithm',
};

/**
 * The decrypt half shared by Decrypt and ReEncrypt. Symmetric blobs name their key, so KeyId is optional; when given it
 * must be the key that encrypted the blob (IncorrectKeyException). RSA blobs are raw OAEP and need KeyId. With `charge`,
 * undefined when the quota throttled the request.
 */
function openCiphertext(
  env: OpEnv,
  ctx: CallContext,
  caller: Partition,
  input: KmsInput,
  fields: OpenFields,
  operation: string,
  action: KmsAction,
  charge: true,
): Opened | undefined;
function openCiphertext(
  env: OpEnv,
  ctx: CallContext,
  caller: Partition,
  input: KmsInput,
  fields: OpenFields,
  operation: string,
  action: KmsAction,
  charge: false,
): Opened;
function openCiphertext(
  env: OpEnv,
  ctx: CallContext,
  caller: Partition,
  input: KmsInput,
  fields: OpenFields,
  operation: string,
  action: KmsAction,
  charge: boolean,
): Opened | undefined {
  const blobBytes = requireBytes(input, fields.blob, LIMITS.ciphertextBlobMaxBytes, LIMITS.ciphertextBlobMinBytes);
  const keyId = optionalString(input, fields.keyId, LIMITS.keyIdMaxChars);
  const context = readContext(input, fields.context);
  const requested = optionalEnum(input, fields.algorithm, ENCRYPTION_ALGORITHMS);
  const named = keyId === undefined ? undefined : resolveKey(env, caller, keyId);
  if (named !== undefined && named.family !== 'symmetric') {
    requireUsableKey(named);
    requireUsage(named, 'ENCRYPT_DECRYPT', operation);
    const algorithm = algorithmFor(named, requested, operation);
    checkAsymmetricContext(named, context);
    const bucket = bucketFor(operation, named.keySpec);
    env.authorize(ctx, caller, action, named, input, bucket);
    if (charge && !env.admit(ctx, caller, bucket, named)) return undefined;
    const plaintext = rsaOaepDecrypt((named.asymmetric as NonNullable<KeyRecord['asymmetric']>).privateKey, algorithm, blobBytes);
    return { key: named, plaintext, algorithm };
  }
  if (requested !== undefined && requested !== 'SYMMETRIC_DEFAULT') {
    throw validationError(fields.keyId, `${fields.keyId} is required with encryption algorithm ${requested}`);
  }
  const head = env.store.blobHead(blobBytes);
  const key = blobKey(env, ctx, head);
  if (named !== undefined && named !== key) {
    throw new KmsError('IncorrectKeyException', 'The key ID in the request does not identify a KMS key that can perform this operation.');
  }
  requireUsableKey(key);
  requireUsage(key, 'ENCRYPT_DECRYPT', operation);
  const bucket = bucketFor(operation, key.keySpec);
  env.authorize(ctx, caller, action, key, input, bucket);
  if (charge && !env.admit(ctx, caller, bucket, key)) return undefined;
  return { key, plaintext: openSymmetric(key, head, blobBytes, context, env.crypto), algorithm: 'SYMMETRIC_DEFAULT' };
}

/** The key a symmetric blob names. A blob from another region, or naming no key we hold, is invalid ciphertext. */
function blobKey(env: OpEnv, ctx: CallContext, head: CachedBlobHead): KeyRecord {
  if (head.region !== ctx.region) {
    throw new KmsError('InvalidCiphertextException', 'The ciphertext was not made in this region.');
  }
  const key = env.store.blobKey(head);
  if (key === undefined) throw new KmsError('InvalidCiphertextException', 'The ciphertext refers to a KMS key that does not exist.');
  applyKeySchedule(env, key);
  return key;
}

const decrypt: OpHandler = (env, input, ctx, caller) => {
  const opened = openCiphertext(
    env,
    ctx,
    caller,
    input,
    DECRYPT_FIELDS,
    'Decrypt',
    'kms:Decrypt',
    true,
  );
  if (opened === undefined) return THROTTLED;
  return { KeyId: opened.key.arn, Plaintext: opened.plaintext, EncryptionAlgorithm: opened.algorithm };
};

/**
 * ReEncrypt decrypts and re-encrypts inside KMS. It is one request, charged once, to the bucket of its two keys
 * (`bucketFor`: `rsa` when either is RSA, else `symmetric`).
 */
const reEncrypt: OpHandler = (env, input, ctx, caller) => {
  const destinationId = requireKeyId(input, 'DestinationKeyId');
  const destinationContext = readContext(input, 'DestinationEncryptionContext');
  const destinationRequested = optionalEnum(input, 'DestinationEncryptionAlgorithm', ENCRYPTION_ALGORITHMS);
  const opened = openCiphertext(
    env,
    ctx,
    caller,
    input,
    RE_ENCRYPT_FIELDS,
    'ReEncrypt',
    'kms:ReEncryptFrom',
    false,
  );
  try {
    const destination = resolveUsableKey(env, caller, destinationId, 'ENCRYPT_DECRYPT', 'ReEncrypt');
    const algorithm = algorithmFor(destination, destinationRequested, 'ReEncrypt');
    checkAsymmetricContext(destination, destinationContext);
    const bucket = bucketFor('ReEncrypt', opened.key.keySpec, destination.keySpec);
    // ReEncrypt needs kms:ReEncryptFrom on the source key (checked as it was opened) and kms:ReEncryptTo here.
    env.authorize(ctx, caller, 'kms:ReEncryptTo', destination, input, bucket);
    if (!env.admit(ctx, caller, bucket, destination.awsOwned ? opened.key : destination)) return THROTTLED;
    const blob = encryptWith(env, destination, algorithm, opened.plaintext, destinationContext);
    return {
      CiphertextBlob: blob,
      SourceKeyId: opened.key.arn,
      KeyId: destination.arn,
      SourceEncryptionAlgorithm: opened.algorithm,
      DestinationEncryptionAlgorithm: algorithm,
    };
  } finally {
    opened.plaintext.fill(0);
  }
};

function dataKeyLength(input: KmsInput): number {
  const keySpec = optionalEnum(input, 'KeySpec', DATA_KEY_SPECS);
  const numberOfBytes = optionalInteger(input, 'NumberOfBytes', LIMITS.numberOfBytesMin, LIMITS.numberOfBytesMax);
  if ((keySpec === undefined) === (numberOfBytes === undefined)) {
    throw new KmsError('ValidationException', 'Please specify either number of bytes or key spec.');
  }
  return keySpec === undefined ? (numberOfBytes as number) : DATA_KEY_BYTES[keySpec];
}

function generateDataKey(withPlaintext: boolean, operation: string): OpHandler {
  const action = `kms:${operation}` as KmsAction;
  return (env, input, ctx, caller) => {
    const keyId = requireKeyId(input);
    const length = dataKeyLength(input);
    const context = readContext(input);
    const key = resolveUsableKey(env, caller, keyId, 'ENCRYPT_DECRYPT', operation);
    if (key.family !== 'symmetric') {
      throw new KmsError('InvalidKeyUsageException', `${key.arn} (${key.keySpec}) cannot generate data keys; use a symmetric key.`);
    }
    const bucket = bucketFor(operation, key.keySpec);
    env.authorize(ctx, caller, action, key, input, bucket);
    if (!env.admit(ctx, caller, bucket, key)) return THROTTLED;
    const plaintext = env.crypto === 'off' ? Buffer.alloc(length) : randomBytes(length);
    const blob = sealSymmetric(key, plaintext, context, env.crypto);
    if (withPlaintext) return { CiphertextBlob: blob, Plaintext: plaintext, KeyId: key.arn };
    plaintext.fill(0);
    return { CiphertextBlob: blob, KeyId: key.arn };
  };
}

const generateRandom: OpHandler = (env, input, ctx, caller) => {
  const length = optionalInteger(input, 'NumberOfBytes', LIMITS.numberOfBytesMin, LIMITS.numberOfBytesMax);
  if (length === undefined) throw validationError('NumberOfBytes', 'Member must not be null');
  optionalBytes(input, 'Recipient', LIMITS.ciphertextBlobMaxBytes);
  const bucket = bucketFor('GenerateRandom');
  env.authorize(ctx, caller, 'kms:GenerateRandom', undefined, input, bucket);
  if (!env.admit(ctx, caller, bucket)) return THROTTLED;
  return { Plaintext: randomBytes(length) };
};

export const ENCRYPTION_OPS: Readonly<Record<string, OpHandler>> = {
  Encrypt: encrypt,
  Decrypt: decrypt,
  ReEncrypt: reEncrypt,
  GenerateDataKey: generateDataKey(true, 'GenerateDataKey'),
  GenerateDataKeyWithoutPlaintext: generateDataKey(false, 'GenerateDataKeyWithoutPlaintext'),
  GenerateRandom: generateRandom,
};
