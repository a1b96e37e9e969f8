/**
 * The names of the request-quota buckets. A bucket is the unit KMS counts requests in: every (account, region, bucket)
 * has its own per-second budget (aws-kms-facts.md §1; AWS KMS Developer Guide, "Request quotas").
 */

/** Key specs GenerateDataKeyPair(+WithoutPlaintext) can be asked for; each has its own quota. */
export const DATA_KEY_PAIR_SPECS = [
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
] as const;

/** A GenerateDataKeyPair key spec. */
export type DataKeyPairSpec = (typeof DATA_KEY_PAIR_SPECS)[number];

/** Management APIs with their own quota; each bucket is named after its API. */
export const MANAGEMENT_APIS = [
  'CreateKey',
  'DescribeKey',
  'ListKeys',
  'ListAliases',
  'CreateGrant',
  'RetireGrant',
  'RevokeGrant',
  'GetKeyPolicy',
  'GetKeyRotationStatus',
  'GetPublicKey',
  'PutKeyPolicy',
  'ScheduleKeyDeletion',
  'EnableKeyRotation',
  'DeleteAlias',
  'ListGrants',
  'ListResourceTags',
  'TagResource',
  'CancelKeyDeletion',
  'CreateAlias',
  'UpdateAlias',
  'DisableKey',
  'EnableKey',
  'DisableKeyRotation',
  'UntagResource',
  'UpdateKeyDescription',
  'RotateKeyOnDemand',
] as const;

/** A management API name, which is also its bucket name. */
export type ManagementApi = (typeof MANAGEMENT_APIS)[number];

/** The bucket of GenerateDataKeyPair requests for one key spec. */
export type DataKeyPairBucket = `gdkp:${DataKeyPairSpec}`;

/**
 * Every bucket name. `custom-key-store` is the per-store quota of an AWS CloudHSM key store; {@link bucketFor} never
 * returns it (requests on such keys also count against the account's bucket), but a caller that models key stores can
 * admit against it with the store id in place of the account.
 */
export type QuotaBucket = 'symmetric' | 'rsa' | 'ecc' | DataKeyPairBucket | ManagementApi | 'custom-key-store';

/** The `gdkp:<spec>` bucket name for each GenerateDataKeyPair key spec (precomputed: no concatenation per request). */
export const DATA_KEY_PAIR_BUCKETS: Readonly<Record<DataKeyPairSpec, DataKeyPairBucket>> = Object.freeze(
  Object.fromEntries(DATA_KEY_PAIR_SPECS.map((spec) => [spec, `gdkp:${spec}` as const])) as Record<
    DataKeyPairSpec,
    DataKeyPairBucket
  >,
);

/** All bucket names, in a fixed order; a bucket's position is its index for {@link QuotaPartition.admitIndex}. */
export const QUOTA_BUCKETS: readonly QuotaBucket[] = Object.freeze([
  'symmetric',
  'rsa',
  'ecc',
  ...DATA_KEY_PAIR_SPECS.map((spec) => DATA_KEY_PAIR_BUCKETS[spec]),
  ...MANAGEMENT_APIS,
  'custom-key-store',
] satisfies QuotaBucket[]);

const BUCKET_INDEX: ReadonlyMap<string, number> = new Map(QUOTA_BUCKETS.map((name, index) => [name, index]));

/** True when `name` is one of {@link QUOTA_BUCKETS}. */
export function isQuotaBucket(name: string): name is QuotaBucket {
  return BUCKET_INDEX.has(name);
}

/**
 * The index of a bucket in {@link QUOTA_BUCKETS}, or -1 when `name` is not a bucket. Resolve it once and pass the
 * number to {@link QuotaPartition.admitIndex} to skip the name lookup on every request.
 */
export function bucketIndexOf(name: string): number {
  return BUCKET_INDEX.get(name) ?? -1;
}

/** The error every quota API throws for a bucket name it does not know. */
export function unknownBucketError(name: string, where: string): Error {
  return new Error(
    `${where}: unknown quota bucket "${name}"; expected symmetric, rsa, ecc, gdkp:<key pair spec>, custom-key-store ` +
      `or a management API name (${MANAGEMENT_APIS.slice(0, 3).join(', ')}, …)`,
  );
}
