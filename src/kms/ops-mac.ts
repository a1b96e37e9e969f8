/**
 * GenerateMac and VerifyMac with HMAC keys. Checks run in AWS's order: validation → key resolution → key state → key
 * usage and algorithm → quota → cryptography. HMAC requests count against the symmetric quota (aws-kms-facts.md §1).
 */
import { bucketFor } from '../quota/index.js';
import { hmac, hmacEquals } from './asymmetric-crypto.js';
import { KmsError } from './errors.js';
import { KEY_SPECS } from './key-specs.js';
import { requireAlgorithmOfKeySpec, requireKeyId, resolveUsableKey } from './key-metadata.js';
import type { KeyRecord, Partition } from './keystore.js';
import { LIMITS } from './limits.js';
import { THROTTLED, type OpEnv, type OpHandler } from './op-env.js';
import type { KmsInput } from './types.js';
import { optionalStringList, requireBytes, requireEnum } from './validate.js';

/** The MacAlgorithmSpec enum of the KMS API (API reference, GenerateMac › MacAlgorithm). */
const MAC_ALGORITHMS = ['HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512'] as const;

interface MacRequest {
  readonly keyId: string;
  readonly message: Uint8Array;
  readonly algorithm: string;
}

function readMacRequest(input: KmsInput): MacRequest {
  const keyId = requireKeyId(input);
  const message = requireBytes(input, 'Message', LIMITS.messageMaxBytes);
  const algorithm = requireEnum(input, 'MacAlgorithm', MAC_ALGORITHMS);
  optionalStringList(input, 'GrantTokens');
  return { keyId, message, algorithm };
}

/** Resolves the HMAC key; each HMAC key spec allows exactly one MAC algorithm (HMAC_256 → HMAC_SHA_256, …). */
function macKey(env: OpEnv, caller: Partition, request: MacRequest, operation: string): KeyRecord {
  const key = resolveUsableKey(env, caller, request.keyId, 'GENERATE_VERIFY_MAC', operation);
  requireAlgorithmOfKeySpec(key, request.algorithm, KEY_SPECS[key.keySpec]?.macAlgorithms);
  return key;
}

/** HMAC keys are never rotated: the current (last) secret is the material. */
function macSecret(key: KeyRecord): Buffer {
  const secret = key.secrets[key.secrets.length - 1];
  if (secret === undefined) throw new Error(`key ${key.arn} has no HMAC material`);
  return secret;
}

const generateMac: OpHandler = (env, input, ctx, caller) => {
  const request = readMacRequest(input);
  const key = macKey(env, caller, request, 'GenerateMac');
  const bucket = bucketFor('GenerateMac', key.keySpec);
  env.authorize(ctx, caller, 'kms:GenerateMac', key, input, bucket);
  if (!env.admit(ctx, caller, bucket, key)) return THROTTLED;
  const mac = hmac(macSecret(key), request.algorithm, request.message);
  return { KeyId: key.arn, Mac: mac, MacAlgorithm: request.algorithm };
};

/** A MAC that does not match is an error, never `MacValid: false` (API reference, VerifyMac). */
const verifyMac: OpHandler = (env, input, ctx, caller) => {
  const request = readMacRequest(input);
  const mac = requireBytes(input, 'Mac', LIMITS.macMaxBytes);
  const key = macKey(env, caller, request, 'VerifyMac');
  const bucket = bucketFor('VerifyMac', key.keySpec);
  env.authorize(ctx, caller, 'kms:VerifyMac', key, input, bucket);
  if (!env.admit(ctx, caller, bucket, key)) return THROTTLED;
  if (!hmacEquals(hmac(macSecret(key), request.algorithm, request.message), mac)) {
    throw new KmsError(
      'KMSInvalidMacException',
      `The MAC is not valid for this message under ${key.arn} with ${request.algorithm}.`,
    );
  }
  return { KeyId: key.arn, MacValid: true, MacAlgorithm: request.algorithm };
};

/** HMAC operations by KMS API name, registered by `KmsModel`. */
export const MAC_OPS: Readonly<Record<string, OpHandler>> = {
  GenerateMac: generateMac,
  VerifyMac: verifyMac,
};
