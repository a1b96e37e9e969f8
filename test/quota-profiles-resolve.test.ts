import { describe, expect, test } from 'vitest';
import {
  MANAGEMENT_APIS,
  QUOTA_BUCKETS,
  QUOTA_PROFILES,
  QUOTA_PROFILE_NAMES,
  resolveQuotaPerSec,
} from '../src/quota/index.js';

describe('symmetric quota by region tier', () => {
  test.each([
    ['kms-2019', 'ca-central-1', 5_500],
    ['kms-2019', 'eu-west-2', 10_000],
    ['kms-2019', 'ap-northeast-1', 10_000],
    ['kms-2019', 'us-east-1', 30_000],
    ['kms-2019', 'eu-west-1', 30_000],
    ['kms-current', 'sa-east-1', 10_000],
    ['kms-current', 'us-east-2', 20_000],
    ['kms-current', 'eu-central-1', 20_000],
    ['kms-current', 'us-west-2', 100_000],
    ['unlimited', 'us-east-1', Infinity],
  ] as const)('%s in %s is %d/s', (profile, region, expected) => {
    expect(resolveQuotaPerSec(profile, region, 'symmetric')).toBe(expected);
  });
});

describe('other buckets', () => {
  test.each([
    ['kms-2019', 'rsa', 500],
    ['kms-2019', 'ecc', 300],
    ['kms-2019', 'gdkp:RSA_2048', 1],
    ['kms-2019', 'gdkp:RSA_3072', 0.5],
    ['kms-2019', 'gdkp:RSA_4096', 0.1],
    ['kms-2019', 'gdkp:ECC_NIST_P384', 10],
    ['kms-2019', 'gdkp:ECC_SECG_P256K1', 25],
    ['kms-2019', 'DescribeKey', 100],
    ['kms-2019', 'RevokeGrant', 15],
    ['kms-2019', 'GetPublicKey', 5],
    ['kms-current', 'rsa', 1_000],
    ['kms-current', 'ecc', 1_000],
    ['kms-current', 'gdkp:RSA_3072', 4],
    ['kms-current', 'gdkp:ECC_NIST_P521', 100],
    ['kms-current', 'DescribeKey', 2_000],
    ['kms-current', 'ListKeys', 500],
    ['kms-current', 'TagResource', 10],
    ['kms-current', 'RotateKeyOnDemand', 5],
    ['kms-current', 'custom-key-store', 1_800],
  ] as const)('%s %s is %d/s', (profile, bucket, expected) => {
    // Only symmetric varies by region.
    expect(resolveQuotaPerSec(profile, 'us-east-1', bucket)).toBe(expected);
    expect(resolveQuotaPerSec(profile, 'ca-central-1', bucket)).toBe(expected);
  });

  test('every profile has a finite positive value for every bucket, except unlimited which admits everything', () => {
    for (const profile of QUOTA_PROFILE_NAMES) {
      for (const bucket of QUOTA_BUCKETS) {
        const value = resolveQuotaPerSec(profile, 'eu-west-3', bucket);
        if (profile === 'unlimited') expect(value).toBe(Infinity);
        else expect(value, `${profile} ${bucket}`).toBeGreaterThan(0);
        if (profile !== 'unlimited') expect(Number.isFinite(value)).toBe(true);
      }
    }
    expect(Object.keys(QUOTA_PROFILES['kms-current'].management).sort()).toEqual([...MANAGEMENT_APIS].sort());
  });
});

describe('overrides', () => {
  const overrides = { 'us-east-1': { symmetric: 50, rsa: 7 }, '*': { symmetric: 3, CreateKey: 1 } };

  test('a named region wins over *, which wins over the profile', () => {
    expect(resolveQuotaPerSec('kms-current', 'us-east-1', 'symmetric', overrides)).toBe(50);
    expect(resolveQuotaPerSec('kms-current', 'us-east-1', 'rsa', overrides)).toBe(7);
    expect(resolveQuotaPerSec('kms-current', 'us-east-1', 'CreateKey', overrides)).toBe(1);
    expect(resolveQuotaPerSec('kms-current', 'eu-west-1', 'symmetric', overrides)).toBe(3);
    expect(resolveQuotaPerSec('kms-current', 'eu-west-1', 'rsa', overrides)).toBe(1_000);
  });

  test('unknown profile or bucket is a programming error', () => {
    expect(() => resolveQuotaPerSec('kms-1999' as 'kms-2019', 'us-east-1', 'symmetric')).toThrow(/unknown quota profile "kms-1999"/);
    expect(() => resolveQuotaPerSec('kms-current', 'us-east-1', 'symetric')).toThrow(/unknown quota bucket "symetric"/);
  });
});
