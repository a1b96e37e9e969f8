/**
 * Request quotas of AWS KMS as data: requests per second, per account, per region, per bucket.
 *
 * Source for every row: aws-kms-facts.md §1, which transcribes the AWS KMS Developer Guide, "Request quotas"
 * (https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html), as of the December 2019 edition
 * (`kms-2019`) and as checked late 2026 (`kms-current`). Scenarios override any value per region and bucket.
 */
import { DATA_KEY_PAIR_SPECS, MANAGEMENT_APIS, isQuotaBucket, unknownBucketError } from './buckets.js';
import type { DataKeyPairSpec, ManagementApi } from './buckets.js';

/** The quota profiles a scenario can choose. */
export const QUOTA_PROFILE_NAMES = ['kms-2019', 'kms-current', 'unlimited'] as const;

/** A quota profile name. */
export type QuotaProfileName = (typeof QUOTA_PROFILE_NAMES)[number];

/**
 * Per-region overrides: `{ 'us-east-1': { symmetric: 50 } }`. The region `*` applies to every region; a named region
 * wins over `*`. Values are requests per second (`Infinity` removes the limit).
 */
export type QuotaOverrides = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** The symmetric quota's region tiers (the same regions in both profiles; aws-kms-facts.md §1). */
export const SYMMETRIC_TIER_REGIONS = {
  /** "the six regions" (Developer Guide, Request quotas, 2019 / current). */
  high: ['us-east-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'eu-central-1', 'eu-west-2'],
  /** "the three regions" (Developer Guide, Request quotas, 2019 / current). */
  highest: ['us-east-1', 'us-west-2', 'eu-west-1'],
} as const;

/** One quota profile: the symmetric quota by region tier and one value for every other bucket. */
export interface QuotaProfile {
  readonly name: QuotaProfileName;
  /** Where the numbers come from. */
  readonly source: string;
  readonly symmetric: { readonly default: number; readonly high: number; readonly highest: number };
  readonly rsa: number;
  readonly ecc: number;
  readonly dataKeyPair: Readonly<Record<DataKeyPairSpec, number>>;
  readonly management: Readonly<Record<ManagementApi, number>>;
  /** Per AWS CloudHSM key store, not per account (requests also count against the account's buckets). */
  readonly customKeyStore: number;
}

const KMS_2019: QuotaProfile = {
  name: 'kms-2019',
  source: 'AWS KMS Developer Guide, Request quotas, December 2019 edition (aws-kms-facts.md §1)',
  symmetric: { default: 5_500, high: 10_000, highest: 30_000 }, // Developer Guide, Request quotas, 2019
  rsa: 500, // Developer Guide, Request quotas, 2019
  ecc: 300, // Developer Guide, Request quotas, 2019
  dataKeyPair: {
    RSA_2048: 1, // Developer Guide, Request quotas, 2019
    RSA_3072: 0.5, // Developer Guide, Request quotas, 2019
    RSA_4096: 0.1, // Developer Guide, Request quotas, 2019
    ECC_NIST_P256: 25, // Developer Guide, Request quotas, 2019
    ECC_NIST_P384: 10, // Developer Guide, Request quotas, 2019
    ECC_NIST_P521: 5, // Developer Guide, Request quotas, 2019
    ECC_SECG_P256K1: 25, // Developer Guide, Request quotas, 2019
  },
  management: {
    CreateKey: 5, // Developer Guide, Request quotas, 2019
    DescribeKey: 100, // Developer Guide, Request quotas, 2019
    ListKeys: 100, // Developer Guide, Request quotas, 2019
    ListAliases: 100, // Developer Guide, Request quotas, 2019
    CreateGrant: 50, // Developer Guide, Request quotas, 2019
    RetireGrant: 15, // Developer Guide, Request quotas, 2019
    RevokeGrant: 15, // Developer Guide, Request quotas, 2019
    GetKeyPolicy: 30, // Developer Guide, Request quotas, 2019
    GetKeyRotationStatus: 30, // Developer Guide, Request quotas, 2019
    GetPublicKey: 5, // Developer Guide, Request quotas, 2019
    PutKeyPolicy: 5, // Developer Guide, Request quotas, 2019
    ScheduleKeyDeletion: 5, // Developer Guide, Request quotas, 2019
    EnableKeyRotation: 5, // Developer Guide, Request quotas, 2019
    DeleteAlias: 5, // Developer Guide, Request quotas, 2019
    ListGrants: 100, // Developer Guide, Request quotas, 2019
    ListResourceTags: 100, // Developer Guide, Request quotas, 2019
    TagResource: 5, // Developer Guide, Request quotas, 2019
    CancelKeyDeletion: 5, // Developer Guide, Request quotas, 2019
    CreateAlias: 5, // Developer Guide, Request quotas, 2019
    UpdateAlias: 5, // Developer Guide, Request quotas, 2019
    DisableKey: 5, // Developer Guide, Request quotas, 2019
    EnableKey: 5, // Developer Guide, Request quotas, 2019
    DisableKeyRotation: 5, // Developer Guide, Request quotas, 2019
    UntagResource: 5, // Developer Guide, Request quotas, 2019
    UpdateKeyDescription: 5, // Developer Guide, Request quotas, 2019
    // RotateKeyOnDemand did not exist in 2019 (the facts list "—"); the current value keeps the API usable.
    RotateKeyOnDemand: 5, // Developer Guide, Request quotas, current
  },
  customKeyStore: 1_800, // Developer Guide, Request quotas, 2019 (per CloudHSM key store)
};

const KMS_CURRENT: QuotaProfile = {
  name: 'kms-current',
  source: 'AWS KMS Developer Guide, Request quotas, current edition as checked late 2026 (aws-kms-facts.md §1)',
  symmetric: { default: 10_000, high: 20_000, highest: 100_000 }, // Developer Guide, Request quotas, current
  rsa: 1_000, // Developer Guide, Request quotas, current
  ecc: 1_000, // Developer Guide, Request quotas, current
  dataKeyPair: {
    RSA_2048: 20, // Developer Guide, Request quotas, current
    RSA_3072: 4, // Developer Guide, Request quotas, current
    RSA_4096: 1, // Developer Guide, Request quotas, current
    ECC_NIST_P256: 100, // Developer Guide, Request quotas, current
    ECC_NIST_P384: 100, // Developer Guide, Request quotas, current
    ECC_NIST_P521: 100, // Developer Guide, Request quotas, current
    ECC_SECG_P256K1: 100, // Developer Guide, Request quotas, current
  },
  management: {
    CreateKey: 5, // Developer Guide, Request quotas, current
    DescribeKey: 2_000, // Developer Guide, Request quotas, current
    ListKeys: 500, // Developer Guide, Request quotas, current
    ListAliases: 500, // Developer Guide, Request quotas, current
    CreateGrant: 50, // Developer Guide, Request quotas, current
    RetireGrant: 50, // Developer Guide, Request quotas, current
    RevokeGrant: 50, // Developer Guide, Request quotas, current
    GetKeyPolicy: 1_000, // Developer Guide, Request quotas, current
    GetKeyRotationStatus: 1_000, // Developer Guide, Request quotas, current
    GetPublicKey: 2_000, // Developer Guide, Request quotas, current
    PutKeyPolicy: 15, // Developer Guide, Request quotas, current
    ScheduleKeyDeletion: 15, // Developer Guide, Request quotas, current
    EnableKeyRotation: 15, // Developer Guide, Request quotas, current
    DeleteAlias: 15, // Developer Guide, Request quotas, current
    ListGrants: 100, // Developer Guide, Request quotas, current
    ListResourceTags: 2_000, // Developer Guide, Request quotas, current
    TagResource: 10, // Developer Guide, Request quotas, current
    CancelKeyDeletion: 5, // Developer Guide, Request quotas, current
    CreateAlias: 5, // Developer Guide, Request quotas, current
    UpdateAlias: 5, // Developer Guide, Request quotas, current
    DisableKey: 5, // Developer Guide, Request quotas, current
    EnableKey: 5, // Developer Guide, Request quotas, current
    DisableKeyRotation: 5, // Developer Guide, Request quotas, current
    UntagResource: 5, // Developer Guide, Request quotas, current
    UpdateKeyDescription: 5, // Developer Guide, Request quotas, current
    RotateKeyOnDemand: 5, // Developer Guide, Request quotas, current
  },
  customKeyStore: 1_800, // Developer Guide, Request quotas, current (per CloudHSM key store)
};

function everything(value: number): QuotaProfile {
  return {
    name: 'unlimited',
    source: 'kms-bench: no quota (the baseline the emulators give, and the floor for overhead benchmarks)',
    symmetric: { default: value, high: value, highest: value },
    rsa: value,
    ecc: value,
    dataKeyPair: Object.fromEntries(DATA_KEY_PAIR_SPECS.map((s) => [s, value])) as Record<DataKeyPairSpec, number>,
    management: Object.fromEntries(MANAGEMENT_APIS.map((api) => [api, value])) as Record<ManagementApi, number>,
    customKeyStore: value,
  };
}

/** The quota profiles by name. */
export const QUOTA_PROFILES: Readonly<Record<QuotaProfileName, QuotaProfile>> = {
  'kms-2019': KMS_2019,
  'kms-current': KMS_CURRENT,
  unlimited: everything(Infinity),
};

/** True when `name` is one of {@link QUOTA_PROFILE_NAMES}. */
export function isQuotaProfileName(name: string): name is QuotaProfileName {
  return Object.hasOwn(QUOTA_PROFILES, name);
}

const HIGH: ReadonlySet<string> = new Set(SYMMETRIC_TIER_REGIONS.high);
const HIGHEST: ReadonlySet<string> = new Set(SYMMETRIC_TIER_REGIONS.highest);

function profileValue(profile: QuotaProfile, region: string, bucket: string): number {
  switch (bucket) {
    case 'symmetric':
      return HIGHEST.has(region) ? profile.symmetric.highest : HIGH.has(region) ? profile.symmetric.high : profile.symmetric.default;
    case 'rsa':
      return profile.rsa;
    case 'ecc':
      return profile.ecc;
    case 'custom-key-store':
      return profile.customKeyStore;
    default:
      if (bucket.startsWith('gdkp:')) return profile.dataKeyPair[bucket.slice(5) as DataKeyPairSpec];
      return profile.management[bucket as ManagementApi];
  }
}

/**
 * The quota in requests per second for one (region, bucket) under a profile, after overrides (a named region's
 * override wins over the `*` override, which wins over the profile). `Infinity` means unlimited.
 *
 * @throws Error for an unknown profile or bucket (options are validated earlier; this is a programming error).
 */
export function resolveQuotaPerSec(
  profile: QuotaProfileName,
  region: string,
  bucket: string,
  overrides: QuotaOverrides = {},
): number {
  if (!isQuotaProfileName(profile)) throw new Error(`resolveQuotaPerSec: unknown quota profile "${String(profile)}"`);
  if (!isQuotaBucket(bucket)) throw unknownBucketError(bucket, 'resolveQuotaPerSec');
  const named = Object.hasOwn(overrides, region) ? overrides[region] : undefined;
  if (named !== undefined && Object.hasOwn(named, bucket)) return named[bucket] as number;
  const every = Object.hasOwn(overrides, '*') ? overrides['*'] : undefined;
  if (every !== undefined && Object.hasOwn(every, bucket)) return every[bucket] as number;
  return profileValue(QUOTA_PROFILES[profile], region, bucket);
}
