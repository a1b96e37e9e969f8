/**
 * Sign, Verify, GetPublicKey and GenerateDataKeyPair(WithoutPlaintext). Checks run in AWS's order: validation → key
 * resolution → key state → key usage and algorithm → quota → cryptography (aws-kms-facts.md §2–§3).
 */
import { generateKeyPairSync } from 'node:crypto';
import { bucketFor } from '../quota/index.js';
import { signMessage, verifyMessage } from './asymmetric-crypto.js';
import { readContext } from './encryption-context.js';
import { KmsError } from './errors.js';
import { ALGORITHM_HASH, DATA_KEY_PAIR_SPECS, KEY_SPECS } from './key-specs.js';
import {
  requireAlgorithmOfKeySpec,
  requireKeyId,
  resolveKey,
  resolveUsableKey,
  unsupportedOperation,
} from './key-metadata.js';
import { requireUsableKey, type KeyRecord, type Partition } from './keystore.js';
import { LIMITS } from './limits.js';
import { THROTTLED, type OpEnv, type OpHandler } from './op-env.js';
import { sealSymmetric } from './symmetric-crypto.js';
import type { KmsInput } from './types.js';
import type { KmsAction } from './policy-actions.js';
import { optionalEnum, optionalStringList, requireBytes, requireEnum } from './validate.js';

/** Verify › Signature: 1..6144 bytes (API reference, Verify). */
const SIGNATURE_MAX_BYTES = 6144;

/** The SigningAlgorithmSpec enum of the KMS API; a value outside it is a ValidationException, not a usage error. */
const SIGNING_ALGORITHMS = [
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'ECDSA_SHA_256',
  'ECDSA_SHA_384',
  'ECDSA_SHA_512',
  'SM2DSA',
  'ML_DSA_SHAKE_256',
] as const;
/** MessageType enum (API reference, Sign › MessageType). EXTERNAL_MU exists only for ML-DSA keys, which we lack. */
const MESSAGE_TYPES = ['RAW', 'DIGEST', 'EXTERNAL_MU'] as const;
type MessageType = (typeof MESSAGE_TYPES)[number];

interface SigningRequest {
  readonly keyId: string;
  readonly message: Uint8Array;
  readonly algorithm: string;
  readonly messageType: MessageType;
}

/**
 * Validation shared by Sign and Verify. A DIGEST must be exactly as long as the algorithm's hash (API reference,
 * Sign › MessageType); KMS words the violation "Digest is invalid length for algorithm …".
 */
function readSigningRequest(input: KmsInput): SigningRequest {
  const keyId = requireKeyId(input);
  const message = requireBytes(input, 'Message', LIMITS.messageMaxBytes);
  const algorithm = requireEnum(input, 'SigningAlgorithm', SIGNING_ALGORITHMS);
  const messageType = optionalEnum(input, 'MessageType', MESSAGE_TYPES) ?? 'RAW';
  optionalStringList(input, 'GrantTokens');
  const digestBytes = ALGORITHM_HASH[algorithm]?.digestBytes;
  if (messageType === 'DIGEST' && digestBytes !== undefined && message.byteLength !== digestBytes) {
    throw new KmsError('ValidationException', `Digest is invalid length for algorithm ${algorithm}.`);
  }
  return { keyId, message, algorithm, messageType };
}

function asymmetricOf(key: KeyRecord): NonNullable<KeyRecord['asymmetric']> {
  if (key.asymmetric === undefined) throw new Error(`key ${key.arn} has no asymmetric material`);
  return key.asymmetric;
}

/** Resolves the signing key and checks state, usage, the algorithm against the key spec, and the message type. */
function signingKey(env: OpEnv, caller: Partition, request: SigningRequest, operation: string): KeyRecord {
  const key = resolveUsableKey(env, caller, request.keyId, 'SIGN_VERIFY', operation);
  requireAlgorithmOfKeySpec(key, request.algorithm, KEY_SPECS[key.keySpec]?.signingAlgorithms);
  if (request.messageType === 'EXTERNAL_MU') {
    throw new KmsError(
      'InvalidKeyUsageException',
      `MessageType EXTERNAL_MU is valid only with ML-DSA keys, not ${key.keySpec} (${key.arn}).`,
    );
  }
  return key;
}

const signOp: OpHandler = (env, input, ctx, caller) => {
  const request = readSigningRequest(input);
  const key = signingKey(env, caller, request, 'Sign');
  const bucket = bucketFor('Sign', key.keySpec);
  env.authorize(ctx, caller, 'kms:Sign', key, input, bucket);
  if (!env.admit(ctx, caller, bucket, key)) return THROTTLED;
  const isDigest = request.messageType === 'DIGEST';
  const signature = signMessage(asymmetricOf(key).privateKey, request.algorithm, request.message, isDigest);
  return { KeyId: key.arn, Signature: signature, SigningAlgorithm: request.algorithm };
};

/** A signature that does not verify is an error, never `SignatureValid: false` (API reference, Verify). */
const verifyOp: OpHandler = (env, input, ctx, caller) => {
  const request = readSigningRequest(input);
  const signature = requireBytes(input, 'Signature', SIGNATURE_MAX_BYTES);
  const key = signingKey(env, caller, request, 'Verify');
  const bucket = bucketFor('Verify', key.keySpec);
  env.authorize(ctx, caller, 'kms:Verify', key, input, bucket);
  if (!env.admit(ctx, caller, bucket, key)) return THROTTLED;
  const isDigest = request.messageType === 'DIGEST';
  if (!verifyMessage(asymmetricOf(key), request.algorithm, request.message, isDigest, signature)) {
    throw new KmsError(
      'KMSInvalidSignatureException',
      `The signature is not valid for this message under ${key.arn} with ${request.algorithm}.`,
    );
  }
  return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: request.algorithm };
};

/** The public half of an asymmetric key, as DER SubjectPublicKeyInfo; symmetric and HMAC keys have none. */
const getPublicKey: OpHandler = (env, input, ctx, caller) => {
  const keyId = requireKeyId(input);
  optionalStringList(input, 'GrantTokens');
  const key = resolveKey(env, caller, keyId);
  requireUsableKey(key);
  if (key.asymmetric === undefined) {
    throw unsupportedOperation(`${key.arn} is a ${key.keySpec} key; GetPublicKey is supported only for asymmetric KMS keys.`);
  }
  const bucket = bucketFor('GetPublicKey');
  env.authorize(ctx, caller, 'kms:GetPublicKey', key, input, bucket);
  env.charge(ctx, caller, bucket, key);
  const info = KEY_SPECS[key.keySpec];
  return {
    KeyId: key.arn,
    PublicKey: Buffer.from(key.asymmetric.publicKeyDer),
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    KeyUsage: key.keyUsage,
    ...(key.keyUsage === 'ENCRYPT_DECRYPT'
      ? { EncryptionAlgorithms: [...(info?.encryptionAlgorithms ?? [])] }
      : { SigningAlgorithms: [...(info?.signingAlgorithms ?? [])] }),
  };
};

type KeyPairSpec = (typeof DATA_KEY_PAIR_SPECS)[number];

function generatePair(spec: KeyPairSpec): { publicKey: Buffer; privateKey: Buffer } {
  const info = KEY_SPECS[spec];
  const publicKeyEncoding = { type: 'spki', format: 'der' } as const;
  const privateKeyEncoding = { type: 'pkcs8', format: 'der' } as const;
  if (info?.family === 'rsa') {
    return generateKeyPairSync('rsa', { modulusLength: info.modulusBits ?? 2048, publicKeyEncoding, privateKeyEncoding });
  }
  return generateKeyPairSync('ec', { namedCurve: info?.namedCurve ?? 'prime256v1', publicKeyEncoding, privateKeyEncoding });
}

/**
 * A fresh key pair for local use, its private key sealed under a symmetric KMS key in the model's blob format, so
 * `Decrypt` of `PrivateKeyCiphertextBlob` (with the same context) returns the PKCS#8 DER private key (API reference,
 * GenerateDataKeyPair). Each KeyPairSpec has its own quota bucket (aws-kms-facts.md §1).
 */
function generateDataKeyPair(withPlaintext: boolean, operation: string): OpHandler {
  const action = `kms:${operation}` as KmsAction;
  return (env, input, ctx, caller) => {
    const keyId = requireKeyId(input);
    const spec = requireEnum(input, 'KeyPairSpec', DATA_KEY_PAIR_SPECS);
    const context = readContext(input);
    optionalStringList(input, 'GrantTokens');
    if (withPlaintext && input['Recipient'] !== undefined && input['Recipient'] !== null) {
      // Nitro Enclaves attestation (CiphertextForRecipient) is outside the model; failing beats ignoring it silently.
      throw unsupportedOperation(`${operation} with a Recipient is not supported by this model.`);
    }
    const key = resolveUsableKey(env, caller, keyId, 'ENCRYPT_DECRYPT', operation);
    if (key.family !== 'symmetric') {
      throw new KmsError(
        'InvalidKeyUsageException',
        `${key.arn} (${key.keySpec}) cannot protect data key pairs; ${operation} needs a symmetric encryption KMS key.`,
      );
    }
    const bucket = bucketFor(operation, key.keySpec, spec); // `gdkp:<KeyPairSpec>`
    env.authorize(ctx, caller, action, key, input, bucket);
    if (!env.admit(ctx, caller, bucket, key)) return THROTTLED;
    const pair = generatePair(spec);
    const blob = sealSymmetric(key, pair.privateKey, context, env.crypto);
    const common = { PrivateKeyCiphertextBlob: blob, PublicKey: pair.publicKey, KeyId: key.arn, KeyPairSpec: spec };
    if (withPlaintext) return { ...common, PrivateKeyPlaintext: pair.privateKey };
    pair.privateKey.fill(0);
    return common;
  };
}

/** Asymmetric-key operations by KMS API name, registered by `KmsModel`. */
export const SIGNING_OPS: Readonly<Record<string, OpHandler>> = {
  Sign: signOp,
  Verify: verifyOp,
  GetPublicKey: getPublicKey,
  GenerateDataKeyPair: generateDataKeyPair(true, 'GenerateDataKeyPair'),
  GenerateDataKeyPairWithoutPlaintext: generateDataKeyPair(false, 'GenerateDataKeyPairWithoutPlaintext'),
};
