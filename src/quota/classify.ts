/**
 * Which quota bucket a KMS request is charged to (aws-kms-facts.md §1; AWS KMS Developer Guide, "Request quotas").
 * This layer knows KMS operations only by name: no dependency on the model.
 */
import { DATA_KEY_PAIR_BUCKETS, MANAGEMENT_APIS } from './buckets.js';
import type { DataKeyPairSpec, QuotaBucket } from './buckets.js';

export { QUOTA_BUCKETS } from './buckets.js';

const MANAGEMENT: ReadonlySet<string> = new Set(MANAGEMENT_APIS);

/** Symmetric-only operations: always the `symmetric` bucket, whatever the key (HMAC counts here too). */
const ALWAYS_SYMMETRIC: ReadonlySet<string> = new Set([
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateRandom',
  'GenerateMac',
  'VerifyMac',
]);

/** Operations that take an RSA key as well as a symmetric one. */
const ENCRYPTING: ReadonlySet<string> = new Set(['Encrypt', 'Decrypt', 'ReEncrypt']);

function isRsa(keySpec: string | undefined): boolean {
  return keySpec !== undefined && keySpec.startsWith('RSA_');
}

function isEcc(keySpec: string | undefined): boolean {
  return keySpec !== undefined && keySpec.startsWith('ECC_');
}

/**
 * The bucket a request is charged to.
 *
 * - `symmetric`: Encrypt, Decrypt, ReEncrypt with a symmetric key (or no key spec given), GenerateDataKey,
 *   GenerateDataKeyWithoutPlaintext, GenerateRandom, GenerateMac, VerifyMac (HMAC counts here).
 * - `rsa`: Encrypt, Decrypt, ReEncrypt, Sign, Verify with an `RSA_*` key.
 * - `ecc`: Sign, Verify with an `ECC_*` key.
 * - `gdkp:<spec>`: GenerateDataKeyPair(+WithoutPlaintext), keyed by the *requested* key pair spec, not the KMS key's.
 * - a management API (CreateKey, DescribeKey, GetPublicKey, …): its own bucket, named after it.
 *
 * ReEncrypt uses two keys; call this once per key whose quota should be charged.
 *
 * @param operation KMS API name, e.g. `Encrypt`.
 * @param keySpec the KMS key's `KeySpec` (`SYMMETRIC_DEFAULT`, `RSA_2048`, `ECC_NIST_P256`, `HMAC_256`, …).
 * @param dataKeyPairSpec GenerateDataKeyPair's `KeyPairSpec`.
 * @throws Error for an unknown operation, a Sign/Verify without an asymmetric key spec, an ECC key on an encrypting
 *   operation, or a GenerateDataKeyPair without a known key pair spec.
 */
export function bucketFor(operation: string, keySpec?: string, dataKeyPairSpec?: string): QuotaBucket {
  if (ENCRYPTING.has(operation)) {
    if (isRsa(keySpec)) return 'rsa';
    if (isEcc(keySpec)) {
      throw new Error(`bucketFor: ${operation} cannot use the ECC key spec ${keySpec}; ECC keys only sign and verify`);
    }
    return 'symmetric';
  }
  if (ALWAYS_SYMMETRIC.has(operation)) return 'symmetric';
  if (operation === 'Sign' || operation === 'Verify') {
    if (isRsa(keySpec)) return 'rsa';
    if (isEcc(keySpec)) return 'ecc';
    throw new Error(
      `bucketFor: ${operation} needs an asymmetric key spec (RSA_* or ECC_*) to pick the rsa or ecc bucket, got ${String(keySpec)}`,
    );
  }
  if (operation === 'GenerateDataKeyPair' || operation === 'GenerateDataKeyPairWithoutPlaintext') {
    const bucket =
      dataKeyPairSpec !== undefined && Object.hasOwn(DATA_KEY_PAIR_BUCKETS, dataKeyPairSpec)
        ? DATA_KEY_PAIR_BUCKETS[dataKeyPairSpec as DataKeyPairSpec]
        : undefined;
    if (bucket === undefined) {
      throw new Error(
        `bucketFor: ${operation} needs a key pair spec (${Object.keys(DATA_KEY_PAIR_BUCKETS).join(', ')}), got ${String(dataKeyPairSpec)}`,
      );
    }
    return bucket;
  }
  if (MANAGEMENT.has(operation)) return operation as QuotaBucket;
  throw new Error(`bucketFor: unknown KMS operation "${operation}"; no request quota bucket is defined for it`);
}
