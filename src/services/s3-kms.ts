/**
 * The KMS calls S3 makes for one object (aws-kms-facts.md §6; S3 User Guide, "Using server-side encryption with AWS KMS
 * keys (SSE-KMS)" and "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys"):
 *
 * - a write (PutObject, the destination of CopyObject, CreateMultipartUpload) makes one GenerateDataKey, encryption
 *   context `aws:s3:arn` = the object ARN — or, with a Bucket Key, none while the requester's bucket-level key lives and
 *   one GenerateDataKey with the bucket ARN as context when it does not;
 * - a read (GetObject, each ranged GET, the source of CopyObject, each UploadPart) makes one Decrypt of the object's
 *   encrypted key with the context it was made under — with a Bucket Key, none while the requester's key lives;
 * - DSSE-KMS makes the SSE-KMS calls and never uses a Bucket Key; SSE-S3 and SSE-C make none.
 *
 * Every call goes through the caller's `KmsRoute` for the bucket (kms-on-behalf.ts): on the caller's behalf,
 * `viaService` `s3.<region>.amazonaws.com`, the caller's principal, so the caller's account is charged and throttled,
 * and attributed to source `s3` and the bucket. A throttled call becomes S3's 503 SlowDown; an access denial S3's 403
 * AccessDenied; any other KMS error a 400 naming the KMS error.
 */
import type { KmsOutput } from '../kms/types.js';
import { KmsRefusal, THROTTLED, type KmsAnswer } from './kms-on-behalf.js';
import type { BucketKeyCache } from './s3-bucket-keys.js';
import type { BucketCounter, S3KmsOperation } from './s3-counts.js';
import { S3_ERRORS, type S3ErrorKind, type S3ErrorSpec } from './s3-facts.js';
import type { S3StoredObject } from './s3-objects.js';
import { SSE_HEADER, SSE_KMS_KEY_HEADER } from './s3-policy.js';

/** A refused or failed S3 request: S3's error, and the KMS calls made before it. */
export interface S3Failure {
  readonly ok: false;
  readonly kind: S3ErrorKind;
  readonly error: S3ErrorSpec;
  readonly kmsCalls: number;
  /** The KMS error behind it, when there is one (`ThrottlingException`, `AccessDeniedException: …`). */
  readonly cause?: string;
}

/** How S3 reaches KMS for one caller and bucket: a `KmsRoute`. */
export interface S3KmsRoute {
  call(operation: string, input: Record<string, unknown>): KmsAnswer;
}

/** What one object's KMS work needs to know of its bucket. */
export interface KmsBucket {
  readonly arn: string;
  readonly bucketKeys: BucketKeyCache;
  readonly counter: BucketCounter;
}

/** The encryption a write asks for (from its headers, else the bucket's default). */
export interface WriteEncryption {
  readonly type: S3StoredObject['type'];
  readonly kmsKeyArn: string | undefined;
  readonly bucketKey: boolean;
}

const KMS_TYPES: ReadonlySet<string> = new Set(['SSE-KMS', 'DSSE-KMS']);

/**
 * The encryption a write asks for: its `x-amz-server-side-encryption` header (`aws:kms` with the
 * `…-aws-kms-key-id` key or the bucket's, `aws:kms:dsse`, `AES256`), else the bucket's default; undefined for a header
 * value S3 does not know. A header naming SSE-KMS keeps the bucket's Bucket Key setting (S3 User Guide, "Configuring an
 * S3 Bucket Key at the object level": objects inherit the bucket's setting unless the request says otherwise).
 */
export function writeEncryptionOf(
  bucketDefault: WriteEncryption,
  headers: Readonly<Record<string, string | undefined>>,
  keyArnOf: (keyId: string) => string,
): WriteEncryption | undefined {
  const sse = headers[SSE_HEADER];
  if (sse === undefined) return bucketDefault;
  const named = headers[SSE_KMS_KEY_HEADER];
  const kmsKeyArn = named === undefined ? bucketDefault.kmsKeyArn : keyArnOf(named);
  switch (sse) {
    case 'aws:kms':
      return { type: 'SSE-KMS', kmsKeyArn, bucketKey: bucketDefault.type === 'SSE-KMS' && bucketDefault.bucketKey };
    case 'aws:kms:dsse':
      return { type: 'DSSE-KMS', kmsKeyArn, bucketKey: false };
    case 'AES256':
      return { type: 'SSE-S3', kmsKeyArn: undefined, bucketKey: false };
    default:
      return undefined;
  }
}

/** Makes S3's KMS calls for one request, counting them; `calls` is reset per S3 request by the caller. */
export class S3KmsCalls {
  readonly #nowNs: () => number;
  calls = 0;

  constructor(nowNs: () => number) {
    this.#nowNs = nowNs;
  }

  failure(kind: S3ErrorKind, cause?: string): S3Failure {
    const error = S3_ERRORS[kind];
    return cause === undefined ? { ok: false, kind, error, kmsCalls: this.calls } : { ok: false, kind, error, kmsCalls: this.calls, cause };
  }

  /** The encrypted key a new object (or multipart upload) of `objectArn` is stored with; undefined for SSE-S3 / SSE-C. */
  writeKey(bucket: KmsBucket, encryption: WriteEncryption, objectArn: string, requester: string, route: S3KmsRoute): Uint8Array | undefined | S3Failure {
    const keyArn = encryption.kmsKeyArn;
    if (!KMS_TYPES.has(encryption.type) || keyArn === undefined) return undefined;
    if (!encryption.bucketKey) return this.#generate(bucket, keyArn, objectArn, requester, route);
    const now = this.#nowNs();
    const live = bucket.bucketKeys.live(requester, keyArn, now);
    if (live !== undefined) {
      bucket.counter.kmsCallsSavedByBucketKey += 1;
      return live.encryptedKey;
    }
    const fresh = this.#generate(bucket, keyArn, bucket.arn, requester, route);
    if (fresh instanceof Uint8Array) bucket.bucketKeys.put(requester, keyArn, fresh, now);
    return fresh;
  }

  /**
   * Reads an object's key: nothing for SSE-S3 / SSE-C, or when the requester's live Bucket Key is the very one the
   * object was written under; else one Decrypt. An object written under another requester's Bucket Key, or under one
   * that has since expired, needs its own Decrypt: S3 shares a Bucket Key only within one IAM role. A failure or undefined.
   */
  readKey(bucket: KmsBucket, object: S3StoredObject, objectArn: string, requester: string, route: S3KmsRoute): S3Failure | undefined {
    const keyArn = object.kmsKeyArn;
    const blob = object.encryptedKey;
    if (keyArn === undefined || blob === undefined) return undefined;
    if (!object.bucketKey) return this.#decrypt(bucket, keyArn, blob, objectArn, requester, route);
    const now = this.#nowNs();
    // The object stores its Bucket Key's encrypted form itself (writeKey), so identity says "written under this key".
    if (bucket.bucketKeys.holds(requester, keyArn, blob, now)) {
      bucket.counter.kmsCallsSavedByBucketKey += 1;
      return undefined;
    }
    const failed = this.#decrypt(bucket, keyArn, blob, bucket.arn, requester, route);
    if (failed !== undefined) return failed;
    bucket.bucketKeys.keepForReads(requester, blob, now);
    // A requester with no live key writes under this one too; a live one stays, so its writes go on reusing it.
    if (bucket.bucketKeys.live(requester, keyArn, now) === undefined) bucket.bucketKeys.put(requester, keyArn, blob, now);
    return undefined;
  }

  #generate(bucket: KmsBucket, keyArn: string, contextArn: string, requester: string, route: S3KmsRoute): Uint8Array | S3Failure {
    const input = { KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext: { 'aws:s3:arn': contextArn } };
    const output = this.#call(bucket, 'GenerateDataKey', input, requester, route);
    return 'ok' in output ? (output as S3Failure) : (output['CiphertextBlob'] as Uint8Array);
  }

  #decrypt(bucket: KmsBucket, keyArn: string, blob: Uint8Array, contextArn: string, requester: string, route: S3KmsRoute): S3Failure | undefined {
    const input = { KeyId: keyArn, CiphertextBlob: blob, EncryptionContext: { 'aws:s3:arn': contextArn } };
    const output = this.#call(bucket, 'Decrypt', input, requester, route);
    return 'ok' in output ? (output as S3Failure) : undefined;
  }

  #call(bucket: KmsBucket, operation: S3KmsOperation, input: Record<string, unknown>, requester: string, route: S3KmsRoute): KmsOutput | S3Failure {
    bucket.counter.kmsCall(operation, requester);
    this.calls += 1;
    const answer = route.call(operation, input);
    if (answer === THROTTLED) return this.failure('kmsThrottled', 'ThrottlingException');
    if (!(answer instanceof KmsRefusal)) return answer;
    const error = answer.error as { message?: unknown };
    const cause = `${answer.name}: ${typeof error?.message === 'string' ? error.message : ''}`;
    return this.failure(answer.denied ? 'kmsAccessDenied' : 'kmsError', cause);
  }
}
