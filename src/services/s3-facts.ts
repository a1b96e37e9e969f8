/**
 * Amazon S3's numbers and answers that the model of S3 uses, each row with its source. Scenarios may override the
 * numbers (a bucket's `bucketKeyLifetime`, the request-rate quota); nothing else in src/services/ writes them.
 */
import type { ServiceErrorCause, ServiceErrorShape } from './service-error.js';
import type { ServiceQuotaRow } from './service-quota.js';

/** One documented figure and where it comes from. */
export interface SourcedNumber {
  readonly value: number;
  readonly source: string;
}

/**
 * S3's request rate per partitioned prefix: "at least 3,500 PUT/COPY/POST/DELETE or 5,500 GET/HEAD requests per second
 * per partitioned Amazon S3 prefix" (S3 User Guide, "Best practices design patterns: optimizing Amazon S3 performance",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html; AWS Knowledge Center
 * "http-5xx-errors-s3"). S3 scales a prefix past these over 30–60 minutes; the model holds the documented floor.
 */
export const S3_REQUEST_RATE_PER_PREFIX = Object.freeze({
  write: { value: 3_500, source: 'S3 User Guide, optimizing-performance.html: 3,500 PUT/COPY/POST/DELETE per second per prefix' },
  read: { value: 5_500, source: 'S3 User Guide, optimizing-performance.html: 5,500 GET/HEAD per second per prefix' },
} satisfies Record<'write' | 'read', SourcedNumber>);

/**
 * How long a Bucket Key is reused. AWS does not publish it: the S3 User Guide ("Reducing the cost of SSE-KMS with
 * Amazon S3 Bucket Keys") says only that S3 uses a "time-limited bucket-level key" and calls KMS again when it expires.
 * The default, 5 minutes, is the shortest lifetime consistent with AWS's "up to 99%" fewer KMS requests at modest
 * per-requester rates (≥ 100 objects per key at one request every 3 s): shorter would contradict the published saving,
 * and longer would make a planner's "will we throttle?" more optimistic than anything AWS states.
 */
export const DEFAULT_BUCKET_KEY_LIFETIME_MS: SourcedNumber = Object.freeze({
  value: 5 * 60_000,
  source: 'not published by AWS; chosen as the conservative lifetime consistent with "up to 99%" fewer KMS requests',
});

/** What S3 answers with when it refuses a request: the service error shape, why, and where it comes from. */
export interface S3ErrorSpec extends ServiceErrorShape {
  readonly cause: ServiceErrorCause;
  readonly source: string;
}

/** S3's 503 SlowDown: a throttle, retried by AWS's SDKs (S3 API Reference, "Error codes": SlowDown, 503). */
const SLOW_DOWN = { code: 'SlowDown', httpStatus: 503, retry: 'throttle' } as const;
const ACCESS_DENIED = { code: 'AccessDenied', httpStatus: 403, retry: 'fatal', message: 'Access Denied' } as const;

/** S3's errors the model answers, by why the request failed. */
export const S3_ERRORS = Object.freeze({
  /**
   * S3's own request rate past a prefix's quota: "503 Slow Down" (S3 User Guide, optimizing-performance.html; AWS
   * Knowledge Center "http-5xx-errors-s3": "Slow Down (Service: Amazon S3; Status Code: 503; Error Code: 503 Slow
   * Down …)").
   */
  requestRate: {
    ...SLOW_DOWN,
    message: 'Please reduce your request rate.',
    cause: 'service-quota',
    source: 'S3 User Guide optimizing-performance.html; S3 API Reference, Error codes: SlowDown, 503',
  },
  /**
   * The KMS call S3 made for the request was throttled in the caller's account: S3 answers 503 SlowDown with its own
   * message, not KMS's ThrottlingException — "Please reduce your request rate for operations involving AWS KMS.
   * (Service: Amazon S3; Status Code: 503; Error Code: SlowDown …)", as reported in aws-samples/cql-replicator#92.
   */
  kmsThrottled: {
    ...SLOW_DOWN,
    message: 'Please reduce your request rate for operations involving AWS KMS.',
    cause: 'kms-throttled',
    source: 'S3 SlowDown surfaced for KMS throttling, aws-samples/cql-replicator#92',
  },
  /** The bucket policy refused the request: S3's 403 AccessDenied, "Access Denied" (S3 API Reference, Error codes). */
  accessDenied: { ...ACCESS_DENIED, cause: 'access-denied', source: 'S3 API Reference, Error codes: AccessDenied, 403' },
  /**
   * KMS refused S3's call on the caller's behalf (key policy, IAM, kms:ViaService): S3 answers the same 403
   * AccessDenied (boto/boto3#2952: GetObject without kms:Decrypt is "AccessDenied … Access Denied").
   */
  kmsAccessDenied: { ...ACCESS_DENIED, cause: 'kms-access-denied', source: 'boto/boto3#2952: a KMS denial surfaces as S3 AccessDenied' },
  /** An `x-amz-server-side-encryption` value S3 does not know: S3's 400 InvalidArgument. */
  invalidEncryption: {
    code: 'InvalidArgument',
    httpStatus: 400,
    retry: 'fatal',
    message: 'The encryption method specified is not supported',
    cause: 'invalid-request',
    source: 'S3 API Reference, PutObject: x-amz-server-side-encryption is AES256, aws:kms or aws:kms:dsse',
  },
  /** A bucket the model was not given: S3's 404 NoSuchBucket. */
  noSuchBucket: {
    code: 'NoSuchBucket',
    httpStatus: 404,
    retry: 'fatal',
    message: 'The specified bucket does not exist',
    cause: 'not-found',
    source: 'S3 API Reference, Error codes: NoSuchBucket, 404',
  },
  /** A part or completion for an upload the model does not hold: S3's 404 NoSuchUpload. */
  noSuchUpload: {
    code: 'NoSuchUpload',
    httpStatus: 404,
    retry: 'fatal',
    message: 'The specified multipart upload does not exist.',
    cause: 'not-found',
    source: 'S3 API Reference, Error codes: NoSuchUpload, 404',
  },
  /** Any other error of the KMS call (a disabled key, a missing key): S3 passes KMS's failure on as a 400. */
  kmsError: {
    code: 'KMS.Failure',
    httpStatus: 400,
    retry: 'fatal',
    message: "The KMS call S3 made on the caller's behalf failed",
    cause: 'kms-error',
    source: 'S3 prefixes KMS errors with "KMS." (e.g. KMS.NotFoundException, aws/aws-cli#4507), 400',
  },
} satisfies Record<string, S3ErrorSpec>);

/** The names of S3's errors the model answers. */
export type S3ErrorKind = keyof typeof S3_ERRORS;

/**
 * S3's request-rate quotas as service quota rows (src/services/service-quota.ts): one budget per bucket prefix, shared
 * by every caller of the bucket; a scenario's `serviceQuotas` overrides `s3:writes` and `s3:reads`.
 */
export const S3_QUOTAS: readonly ServiceQuotaRow[] = [
  {
    service: 's3',
    name: 'writes',
    operations: ['s3:PutObject', 's3:CopyObject', 's3:multipartUpload'],
    ratePerSec: S3_REQUEST_RATE_PER_PREFIX.write.value,
    scope: 'resource',
    error: S3_ERRORS.requestRate,
    source: S3_REQUEST_RATE_PER_PREFIX.write.source,
  },
  {
    service: 's3',
    name: 'reads',
    operations: ['s3:GetObject', 's3:HeadObject'],
    ratePerSec: S3_REQUEST_RATE_PER_PREFIX.read.value,
    scope: 'resource',
    error: S3_ERRORS.requestRate,
    source: S3_REQUEST_RATE_PER_PREFIX.read.source,
  },
];
