/**
 * S3 buckets as the model of S3 holds them: name, region, owning account, default encryption (SSE-KMS with or without
 * a Bucket Key, DSSE-KMS, SSE-S3, SSE-C) and an optional bucket policy, each checked once with every problem named by
 * its option path (the scenario schema reports the same issues at its own paths).
 */
import { optionsIssue, OptionsError, type OptionsIssue } from '../base/options-error.js';
import { isRegionName } from '../base/region-name.js';
import { describeValue, listOf } from '../base/text.js';
import { DEFAULT_BUCKET_KEY_LIFETIME_MS } from './s3-facts.js';

/** How S3 encrypts a bucket's objects at rest (S3 User Guide, "Protecting data with encryption"). */
export const S3_ENCRYPTION_TYPES = ['SSE-KMS', 'DSSE-KMS', 'SSE-S3', 'SSE-C'] as const;
export type S3EncryptionType = (typeof S3_ENCRYPTION_TYPES)[number];

/** The `x-amz-server-side-encryption` header value of each type (S3 API Reference, PutObject; SSE-C sends none). */
export const SSE_HEADER_OF: Readonly<Record<S3EncryptionType, string | undefined>> = {
  'SSE-KMS': 'aws:kms',
  'DSSE-KMS': 'aws:kms:dsse',
  'SSE-S3': 'AES256',
  'SSE-C': undefined,
};

/** A bucket's default encryption, as given. */
export interface S3BucketEncryptionSpec {
  readonly type: S3EncryptionType;
  /** The KMS key (id, ARN or alias) of SSE-KMS and DSSE-KMS; required for them, refused for the others. */
  readonly key?: string;
  /** SSE-KMS only: S3 Bucket Keys ("S3 Bucket Keys aren't supported for DSSE-KMS", S3 User Guide). Default false. */
  readonly bucketKey?: boolean;
  /** How long a Bucket Key is reused, in ms (default `DEFAULT_BUCKET_KEY_LIFETIME_MS`, see s3-facts.ts). */
  readonly bucketKeyLifetimeMs?: number;
}

/** One bucket, as given to the model of S3. */
export interface S3BucketSpec {
  readonly name: string;
  readonly region: string;
  /** The owning account; default the KMS model's account. */
  readonly accountId?: string;
  readonly encryption: S3BucketEncryptionSpec;
  /** A bucket policy document (a JSON object or its text), checked with S3's vocabulary (s3-policy.ts). */
  readonly policy?: string | object;
}

/** A bucket with its defaults filled in and its ARN made, ready for requests. */
export interface S3Bucket {
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly arn: string;
  readonly encryption: Required<Omit<S3BucketEncryptionSpec, 'key'>> & { readonly key: string | undefined };
}

/**
 * Bucket naming rules for general purpose buckets (S3 User Guide, "Bucket naming rules"): 3–63 characters, lower-case
 * letters, digits, dots and hyphens, beginning and ending with a letter or digit, not shaped like an IP address.
 */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d+\.\d+\.\d+\.\d+$/;
/**
 * Prefixes and suffixes the same rules reserve (for punycode, S3 access points, Object Lambda, Multi-Region Access
 * Points, directory and table buckets): S3 refuses a general purpose bucket named with them.
 */
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** Why S3 refuses `name` as a bucket name, or undefined when it is one. */
function bucketNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || !BUCKET_NAME.test(name) || IP_ADDRESS.test(name) || name.includes('..')) {
    return `must be an S3 bucket name (3–63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit), got ${describeValue(name)}`;
  }
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix !== undefined) return `must not begin with ${prefix} (reserved by S3's bucket naming rules), got ${describeValue(name)}`;
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix !== undefined) return `must not end with ${suffix} (reserved by S3's bucket naming rules), got ${describeValue(name)}`;
  return undefined;
}

/** The ARN S3 names a bucket by, and the `aws:s3:arn` encryption context of a Bucket Key. */
export function bucketArn(bucket: string): string {
  return `arn:aws:s3:::${bucket}`;
}

/** The ARN of one object, and its `aws:s3:arn` encryption context without a Bucket Key. */
export function objectArn(bucket: string, key: string): string {
  return `arn:aws:s3:::${bucket}/${key}`;
}

/**
 * The prefix S3 partitions `key` under, for its per-prefix request rate: the key up to and including its last `/` (the
 * bucket's root for keys without one). S3 scales by partitioned prefix; the documented rate is one partition's floor.
 */
export function prefixOf(key: string): string {
  const slash = key.lastIndexOf('/');
  return slash < 0 ? '' : key.slice(0, slash + 1);
}

/** Every problem with one bucket's encryption, at `at` (the bucket entry), fields below `encryption`. */
function encryptionIssues(at: string, encryption: unknown): OptionsIssue[] {
  if (encryption === null || typeof encryption !== 'object' || Array.isArray(encryption)) {
    return [optionsIssue(at, ['encryption'], `must be an object such as { type: SSE-KMS, key: app }, got ${describeValue(encryption)}`)];
  }
  const issues: OptionsIssue[] = [];
  const { type, key, bucketKey, bucketKeyLifetimeMs } = encryption as Record<string, unknown>;
  if (!S3_ENCRYPTION_TYPES.includes(type as S3EncryptionType)) {
    issues.push(optionsIssue(at, ['encryption', 'type'], `must be ${listOf([...S3_ENCRYPTION_TYPES])}, got ${describeValue(type)}`));
  }
  const usesKms = type === 'SSE-KMS' || type === 'DSSE-KMS';
  if (usesKms && (typeof key !== 'string' || key === '')) {
    issues.push(optionsIssue(at, ['encryption', 'key'], `is required for ${String(type)}: the KMS key (name, id, ARN or alias) S3 encrypts with`));
  } else if (!usesKms && key !== undefined) {
    issues.push(optionsIssue(at, ['encryption', 'key'], `is only for SSE-KMS and DSSE-KMS; ${String(type)} uses no KMS key`));
  }
  if (bucketKey !== undefined && typeof bucketKey !== 'boolean') {
    issues.push(optionsIssue(at, ['encryption', 'bucketKey'], `must be true or false, got ${describeValue(bucketKey)}`));
  } else if (bucketKey === true && type !== 'SSE-KMS') {
    issues.push(optionsIssue(at, ['encryption', 'bucketKey'], `is only for SSE-KMS (S3 Bucket Keys are not supported for ${String(type)})`));
  }
  if (bucketKeyLifetimeMs !== undefined && (typeof bucketKeyLifetimeMs !== 'number' || !(bucketKeyLifetimeMs > 0) || !Number.isFinite(bucketKeyLifetimeMs))) {
    issues.push(optionsIssue(at, ['encryption', 'bucketKeyLifetimeMs'], `must be a positive duration, got ${describeValue(bucketKeyLifetimeMs)}`));
  }
  return issues;
}

/**
 * Every problem with one bucket (name, region, encryption), each at `at` (`buckets[0]`) with its field below the entry
 * (`['encryption', 'key']`): the scenario schema reports the same issues at its own paths.
 */
export function bucketEntryIssues(raw: unknown, at: string): OptionsIssue[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return [optionsIssue(at, [], `must be an object { name, region, encryption }, got ${describeValue(raw)}`)];
  }
  const issues: OptionsIssue[] = [];
  const { name, region, encryption } = raw as Record<string, unknown>;
  const nameProblem = bucketNameProblem(name);
  if (nameProblem !== undefined) issues.push(optionsIssue(at, ['name'], nameProblem));
  if (!isRegionName(region)) issues.push(optionsIssue(at, ['region'], `must be a region name like us-east-1, got ${describeValue(region)}`));
  return [...issues, ...encryptionIssues(at, encryption)];
}

/** Every problem with a list of buckets: each entry's, and names repeated (bucket names are unique). */
export function bucketIssues(buckets: readonly unknown[], base = 'buckets'): OptionsIssue[] {
  const issues: OptionsIssue[] = [];
  const seen = new Set<string>();
  buckets.forEach((raw, i) => {
    const at = `${base}[${i}]`;
    issues.push(...bucketEntryIssues(raw, at));
    const name = (raw as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return;
    if (seen.has(name)) issues.push(optionsIssue(at, ['name'], `repeats bucket ${name}: bucket names are unique`));
    seen.add(name);
  });
  return issues;
}

/** Thrown for buckets the model of S3 cannot hold; carries every problem. */
export class S3BucketError extends OptionsError {
  constructor(issues: readonly OptionsIssue[]) {
    super('S3BucketError', issues);
  }
}

/** The buckets with defaults filled in; throws an {@link S3BucketError} naming every problem. */
export function resolveBuckets(specs: readonly S3BucketSpec[], defaultAccountId: string): S3Bucket[] {
  const issues = bucketIssues(specs);
  if (issues.length > 0) throw new S3BucketError(issues);
  return specs.map((spec) => ({
    name: spec.name,
    region: spec.region,
    accountId: spec.accountId ?? defaultAccountId,
    arn: bucketArn(spec.name),
    encryption: {
      type: spec.encryption.type,
      key: spec.encryption.key,
      bucketKey: spec.encryption.bucketKey ?? false,
      bucketKeyLifetimeMs: spec.encryption.bucketKeyLifetimeMs ?? DEFAULT_BUCKET_KEY_LIFETIME_MS.value,
    },
  }));
}
