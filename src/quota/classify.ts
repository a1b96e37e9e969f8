/**
 * Which quota bucket a KMS request is charged to (aws-kms-facts.md §1; AWS KMS Developer Guide, "Request quotas").
 * This layer knows KMS operations only by name: no dependency on the model.
 */
import { DATA_KEY_PAIR_BUCKETS, MANAGEMENT_APIS } from './buckets.js';
import type { DataKeyPairSpec, QuotaBucket } from './buckets.js';

export { QUOTA_BUCKETS } from './buckets.js';

const MANAGEMENT: ReadonlySet<string> = new Set(MANAGEMENT_APIS);

function isRsa(keySpec: string | undefined): boolean {
  return keySpec !== undefined && keySpec.startsWith('RSA_');
}

function isEcc(keySpec: string | undefined): boolean {
  return keySpec !== undefined && keySpec.startsWith('ECC_');
}

/**
 * The bucket a request is charged to.
 *
 * - `symmetric`: Encrypt, Decrypt, ReEncrypt with symmetric keys (or no key spec given), GenerateDataKey,
 *   GenerateDataKeyWithoutPlaintext, GenerateRandom, GenerateMac, VerifyMac (HMAC counts here).
 * - `rsa`: Encrypt, Decrypt, Sign, Verify with an `RSA_*` key; ReEncrypt when either of its keys is `RSA_*`.
 * - `ecc`: Sign, Verify with an `ECC_*` key.
 * - `gdkp:<spec>`: GenerateDataKeyPair(+WithoutPlaintext), keyed by the *requested* key pair spec, not the KMS key's.
 * - a management API (CreateKey, DescribeKey, GetPublicKey, …): its own bucket, named after it.
 *
 * ReEncrypt decrypts and re-encrypts inside KMS: one request with two keys, charged once. The Developer Guide lists it
 * under both shared quotas; the model charges the `rsa` bucket when either key is RSA, else `symmetric`.
 *
 * The model charges every request to the bucket this returns (src/kms/ops-*.ts); the request mix tags each request
 * with the same answer for the per-bucket timelines (ReEncrypt by both its keys, as the model charges it), and the work
 * estimate and the reports read it too: one rule.
 *
 * @param operation KMS API name, e.g. `Encrypt`.
 * @param keySpec the KMS key's `KeySpec` (`SYMMETRIC_DEFAULT`, `RSA_2048`, `ECC_NIST_P256`, `HMAC_256`, …); for
 *   ReEncrypt, the source key's.
 * @param otherSpec GenerateDataKeyPair's `KeyPairSpec`, or ReEncrypt's destination key spec.
 * @throws Error for an unknown operation, a Sign/Verify without an asymmetric key spec, an ECC key on an encrypting
 *   operation, or a GenerateDataKeyPair without a known key pair spec.
 */
export function bucketFor(operation: string, keySpec?: string, otherSpec?: string): QuotaBucket {
  // The model calls this for every request: a switch on the name (no lookups, no allocation) for the cryptographic
  // operations, which fleets send at rate; the management APIs, named after their buckets, come last.
  switch (operation) {
    case 'Encrypt':
    case 'Decrypt':
    case 'ReEncrypt': {
      // Operations that take an RSA key as well as a symmetric one; ReEncrypt's destination counts too.
      const destination = operation === 'ReEncrypt' ? otherSpec : undefined;
      const ecc = isEcc(keySpec) ? keySpec : isEcc(destination) ? destination : undefined;
      if (ecc !== undefined) throw new Error(`bucketFor: ${operation} cannot use the ECC key spec ${ecc}; ECC keys only sign and verify`);
      return isRsa(keySpec) || isRsa(destination) ? 'rsa' : 'symmetric';
    }
    case 'GenerateDataKey':
    case 'GenerateDataKeyWithoutPlaintext':
    case 'GenerateRandom':
    case 'GenerateMac':
    case 'VerifyMac':
      // Symmetric-only operations: always the `symmetric` bucket, whatever the key (HMAC counts here too).
      return 'symmetric';
    case 'Sign':
    case 'Verify':
      if (isRsa(keySpec)) return 'rsa';
      if (isEcc(keySpec)) return 'ecc';
      throw new Error(
        `bucketFor: ${operation} needs an asymmetric key spec (RSA_* or ECC_*) to pick the rsa or ecc bucket, got ${String(keySpec)}`,
      );
    case 'GenerateDataKeyPair':
    case 'GenerateDataKeyPairWithoutPlaintext': {
      const bucket =
        otherSpec !== undefined && Object.hasOwn(DATA_KEY_PAIR_BUCKETS, otherSpec) ? DATA_KEY_PAIR_BUCKETS[otherSpec as DataKeyPairSpec] : undefined;
      if (bucket === undefined) {
        throw new Error(
          `bucketFor: ${operation} needs a key pair spec (${Object.keys(DATA_KEY_PAIR_BUCKETS).join(', ')}), got ${String(otherSpec)}`,
        );
      }
      return bucket;
    }
    default:
      if (MANAGEMENT.has(operation)) return operation as QuotaBucket;
      throw new Error(`bucketFor: unknown KMS operation "${operation}"; no request quota bucket is defined for it`);
  }
}
