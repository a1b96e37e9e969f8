/**
 * What the model of S3 counts per bucket: requests by S3 operation and how each ended (succeeded, denied, throttled by
 * which quota, failed), the KMS calls it made on callers' behalf by KMS operation and by principal, and the KMS calls
 * Bucket Keys saved (each live-key hit is one call the same request makes without a Bucket Key).
 */
import type { S3ErrorKind } from './s3-facts.js';

/** S3's requests the model answers, by API name. */
export const S3_OPERATIONS = [
  'PutObject',
  'GetObject',
  'HeadObject',
  'CopyObject',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
] as const;
export type S3Operation = (typeof S3_OPERATIONS)[number];

/** The KMS operations S3 calls (aws-kms-facts.md §6). */
export type S3KmsOperation = 'GenerateDataKey' | 'Decrypt';

/** One bucket's figures, JSON-safe. */
export interface S3BucketCounts {
  readonly bucket: string;
  readonly region: string;
  /** S3 requests received, by operation. */
  readonly requests: Readonly<Record<S3Operation, number>>;
  readonly succeeded: number;
  /** Refused by the bucket policy or the KMS key's policy (403 AccessDenied); no KMS call made by a bucket-policy denial. */
  readonly denied: number;
  /** Answered 503 SlowDown by S3's per-prefix request rate. */
  readonly throttledByRequestRate: number;
  /** Answered 503 SlowDown because S3's KMS call was throttled in the caller's account. */
  readonly throttledByKms: number;
  /** Any other error (a KMS key disabled or missing, an unknown encryption header). */
  readonly failed: number;
  /** KMS calls S3 made (admitted and throttled), by KMS operation. */
  readonly kmsCalls: Readonly<Record<S3KmsOperation, number>>;
  /** KMS calls S3 made, by the principal they were made for (charged to that principal's account). */
  readonly kmsCallsByPrincipal: Readonly<Record<string, number>>;
  /** KMS calls a live Bucket Key made unnecessary. */
  readonly kmsCallsSavedByBucketKey: number;
}

/** The mutable counters behind one bucket's {@link S3BucketCounts}. */
export class BucketCounter {
  readonly bucket: string;
  readonly region: string;
  readonly requests: Record<S3Operation, number> = {
    PutObject: 0,
    GetObject: 0,
    HeadObject: 0,
    CopyObject: 0,
    CreateMultipartUpload: 0,
    UploadPart: 0,
    CompleteMultipartUpload: 0,
  };
  succeeded = 0;
  denied = 0;
  throttledByRequestRate = 0;
  throttledByKms = 0;
  failed = 0;
  readonly kmsCalls: Record<S3KmsOperation, number> = { GenerateDataKey: 0, Decrypt: 0 };
  readonly kmsCallsByPrincipal = new Map<string, number>();
  kmsCallsSavedByBucketKey = 0;

  constructor(bucket: string, region: string) {
    this.bucket = bucket;
    this.region = region;
  }

  kmsCall(operation: S3KmsOperation, principal: string): void {
    this.kmsCalls[operation] += 1;
    this.kmsCallsByPrincipal.set(principal, (this.kmsCallsByPrincipal.get(principal) ?? 0) + 1);
  }

  /** Counts how a request ended. */
  ended(error: S3ErrorKind | undefined): void {
    if (error === undefined) this.succeeded += 1;
    else if (error === 'accessDenied') this.denied += 1;
    else if (error === 'requestRate') this.throttledByRequestRate += 1;
    else if (error === 'kmsThrottled') this.throttledByKms += 1;
    else this.failed += 1;
  }

  snapshot(): S3BucketCounts {
    return {
      bucket: this.bucket,
      region: this.region,
      requests: { ...this.requests },
      succeeded: this.succeeded,
      denied: this.denied,
      throttledByRequestRate: this.throttledByRequestRate,
      throttledByKms: this.throttledByKms,
      failed: this.failed,
      kmsCalls: { ...this.kmsCalls },
      kmsCallsByPrincipal: Object.fromEntries([...this.kmsCallsByPrincipal].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      kmsCallsSavedByBucketKey: this.kmsCallsSavedByBucketKey,
    };
  }
}
