import { describe, expect, test } from 'vitest';
import { KEY_SPECS } from '../src/kms/key-specs.js';
import { KMS_OPERATIONS } from '../src/kms/types.js';
import { DATA_KEY_PAIR_SPECS, MANAGEMENT_APIS, QUOTA_BUCKETS, bucketFor, bucketIndexOf, isQuotaBucket } from '../src/quota/index.js';

describe('bucketFor', () => {
  test.each([
    ['Encrypt', 'SYMMETRIC_DEFAULT', undefined, 'symmetric'],
    ['Encrypt', undefined, undefined, 'symmetric'],
    ['Decrypt', 'SYMMETRIC_DEFAULT', undefined, 'symmetric'],
    ['ReEncrypt', 'SYMMETRIC_DEFAULT', undefined, 'symmetric'],
    ['GenerateDataKey', 'SYMMETRIC_DEFAULT', undefined, 'symmetric'],
    ['GenerateDataKeyWithoutPlaintext', undefined, undefined, 'symmetric'],
    ['GenerateRandom', undefined, undefined, 'symmetric'],
    ['GenerateMac', 'HMAC_256', undefined, 'symmetric'],
    ['VerifyMac', 'HMAC_512', undefined, 'symmetric'],
    ['Encrypt', 'RSA_2048', undefined, 'rsa'],
    ['Decrypt', 'RSA_4096', undefined, 'rsa'],
    ['ReEncrypt', 'RSA_3072', undefined, 'rsa'],
    // ReEncrypt is one request with two keys: `rsa` when either is RSA (the third argument is the destination's spec).
    ['ReEncrypt', 'SYMMETRIC_DEFAULT', 'SYMMETRIC_DEFAULT', 'symmetric'],
    ['ReEncrypt', 'SYMMETRIC_DEFAULT', 'RSA_2048', 'rsa'],
    ['ReEncrypt', 'RSA_4096', 'SYMMETRIC_DEFAULT', 'rsa'],
    ['Sign', 'RSA_2048', undefined, 'rsa'],
    ['Verify', 'RSA_3072', undefined, 'rsa'],
    ['Sign', 'ECC_NIST_P256', undefined, 'ecc'],
    ['Verify', 'ECC_SECG_P256K1', undefined, 'ecc'],
    ['GenerateDataKeyPair', 'SYMMETRIC_DEFAULT', 'RSA_2048', 'gdkp:RSA_2048'],
    ['GenerateDataKeyPair', 'SYMMETRIC_DEFAULT', 'ECC_NIST_P521', 'gdkp:ECC_NIST_P521'],
    ['GenerateDataKeyPairWithoutPlaintext', 'SYMMETRIC_DEFAULT', 'ECC_SECG_P256K1', 'gdkp:ECC_SECG_P256K1'],
    ['GetPublicKey', 'RSA_2048', undefined, 'GetPublicKey'],
    ['DescribeKey', 'SYMMETRIC_DEFAULT', undefined, 'DescribeKey'],
  ])('%s with %s / %s → %s', (operation, keySpec, pairSpec, expected) => {
    expect(bucketFor(operation, keySpec, pairSpec)).toBe(expected);
  });

  test.each(MANAGEMENT_APIS)('management API %s has its own bucket', (api) => {
    expect(bucketFor(api)).toBe(api);
    expect(isQuotaBucket(api)).toBe(true);
  });

  test.each([
    ['Encryptt', undefined, undefined, /unknown KMS operation "Encryptt"/],
    ['Sign', undefined, undefined, /Sign needs an asymmetric key spec/],
    ['Verify', 'SYMMETRIC_DEFAULT', undefined, /Verify needs an asymmetric key spec/],
    ['Encrypt', 'ECC_NIST_P256', undefined, /ECC keys only sign and verify/],
    ['ReEncrypt', 'SYMMETRIC_DEFAULT', 'ECC_NIST_P384', /ReEncrypt cannot use the ECC key spec ECC_NIST_P384/],
    ['GenerateDataKeyPair', 'SYMMETRIC_DEFAULT', undefined, /needs a key pair spec/],
    ['GenerateDataKeyPair', 'SYMMETRIC_DEFAULT', 'RSA_1024', /needs a key pair spec .* got RSA_1024/],
  ])('%s with %s / %s throws a clear error', (operation, keySpec, pairSpec, message) => {
    expect(() => bucketFor(operation, keySpec, pairSpec)).toThrow(message);
  });
});

describe('QUOTA_BUCKETS', () => {
  /**
   * Every bucket bucketFor charges, for every operation the model serves or a quota names, with every key spec and no
   * spec as the second argument and every key spec, key pair spec and none as the third (a pair spec, or ReEncrypt's
   * destination key spec).
   */
  function chargedBuckets(): { byOperation: Map<string, Set<string>>; all: Set<string> } {
    const keySpecs = [undefined, ...Object.keys(KEY_SPECS)];
    const secondSpecs = [...new Set([...keySpecs, ...DATA_KEY_PAIR_SPECS])];
    const byOperation = new Map<string, Set<string>>();
    const all = new Set<string>();
    for (const operation of new Set<string>([...KMS_OPERATIONS, ...MANAGEMENT_APIS])) {
      const buckets = new Set<string>();
      for (const keySpec of keySpecs) {
        for (const secondSpec of secondSpecs) {
          try {
            buckets.add(bucketFor(operation, keySpec, secondSpec));
          } catch {
            // a combination KMS refuses (an ECC key on Encrypt, GenerateDataKeyPair without a pair spec, …)
          }
        }
      }
      byOperation.set(operation, buckets);
      for (const bucket of buckets) all.add(bucket);
    }
    return { byOperation, all };
  }

  test('every operation the model serves is charged to a listed bucket, whose index leads back to it', () => {
    const { byOperation } = chargedBuckets();
    for (const operation of KMS_OPERATIONS) {
      const buckets = [...(byOperation.get(operation) ?? [])];
      expect(buckets.length, operation).toBeGreaterThan(0);
      for (const bucket of buckets) expect(QUOTA_BUCKETS[bucketIndexOf(bucket)], `${operation} → ${bucket}`).toBe(bucket);
    }
  });

  test('every listed bucket but the per-key-store quota is charged by some request, and each is listed once', () => {
    const { all } = chargedBuckets();
    expect([...all, 'custom-key-store'].sort()).toEqual([...QUOTA_BUCKETS].sort());
    expect(new Set(QUOTA_BUCKETS).size).toBe(QUOTA_BUCKETS.length);
    expect(bucketIndexOf('Symmetric')).toBe(-1);
  });
});

describe('DATA_KEY_PAIR_SPECS', () => {
  test('one list: each key pair spec is an asymmetric key spec of the model, and the kms layer re-exports the same list', async () => {
    const kmsSpecs = await import('../src/kms/key-specs.js');
    expect(kmsSpecs.DATA_KEY_PAIR_SPECS).toBe(DATA_KEY_PAIR_SPECS);
    for (const spec of DATA_KEY_PAIR_SPECS) expect(['rsa', 'ecc'], spec).toContain(KEY_SPECS[spec]?.family);
    expect(kmsSpecs.CUSTOMER_MASTER_KEY_SPECS.slice(0, DATA_KEY_PAIR_SPECS.length)).toEqual([...DATA_KEY_PAIR_SPECS]);
  });
});
