import { describe, expect, test } from 'vitest';
import { MANAGEMENT_APIS, QUOTA_BUCKETS, bucketFor, bucketIndexOf, isQuotaBucket } from '../src/quota/index.js';

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
    ['GenerateDataKeyPair', 'SYMMETRIC_DEFAULT', undefined, /needs a key pair spec/],
    ['GenerateDataKeyPair', 'SYMMETRIC_DEFAULT', 'RSA_1024', /needs a key pair spec .* got RSA_1024/],
  ])('%s with %s / %s throws a clear error', (operation, keySpec, pairSpec, message) => {
    expect(() => bucketFor(operation, keySpec, pairSpec)).toThrow(message);
  });
});

describe('QUOTA_BUCKETS', () => {
  test('lists every bucket once, with its index', () => {
    expect(new Set(QUOTA_BUCKETS).size).toBe(QUOTA_BUCKETS.length);
    expect(QUOTA_BUCKETS).toContain('symmetric');
    expect(QUOTA_BUCKETS).toContain('gdkp:RSA_4096');
    expect(QUOTA_BUCKETS).toContain('custom-key-store');
    expect(QUOTA_BUCKETS.length).toBe(3 + 7 + MANAGEMENT_APIS.length + 1);
    QUOTA_BUCKETS.forEach((bucket, index) => expect(bucketIndexOf(bucket)).toBe(index));
    expect(bucketIndexOf('Symmetric')).toBe(-1);
  });
});
