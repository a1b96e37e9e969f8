/**
 * The model of Amazon S3 that kms-bench needs: S3's object requests on a set of buckets, each making exactly the KMS
 * calls S3 makes (s3-kms.ts) on the caller's behalf, behind S3's own per-prefix request rate (s3-request-quota.ts) and
 * bucket policies (s3-policy.ts). In each request S3's checks run in this order: the request rate (S3 counts every
 * request it receives), the bucket policy (a denial makes no KMS call), then the KMS calls.
 *
 * Requests answer an {@link S3Outcome} instead of throwing: under throttling most requests fail, and a throw per
 * request would cost more than the request.
 */
import { wallTime, type TimeSource } from '../base/time.js';
import type { KmsModel } from '../kms/model.js';
import type { CompiledPolicy } from '../kms/policy-compile.js';
import type { Principal } from '../kms/policy-request.js';
import { PrincipalRegistry } from '../kms/principals.js';
import type { CryptoMode } from '../kms/symmetric-crypto.js';
import type { CallContext } from '../kms/types.js';
import { BucketKeyCache } from './s3-bucket-keys.js';
import { objectArn, resolveBuckets, S3BucketError, type S3Bucket, type S3BucketSpec } from './s3-buckets.js';
import { BucketCounter, type S3BucketCounts, type S3Operation } from './s3-counts.js';
import { s3ViaService } from './s3-facts.js';
import { S3KmsCalls, writeEncryptionOf, type KmsBucket, type S3Failure, type WriteEncryption } from './s3-kms.js';
import { PreexistingKeys, S3ObjectStore, type S3StoredObject } from './s3-objects.js';
import { compileBucketPolicy, evaluateBucketPolicy, type S3Action } from './s3-policy.js';
import { S3RequestQuota, type S3PrefixCount, type S3RequestClass, type S3RequestQuotaOptions } from './s3-request-quota.js';

export type { S3Failure } from './s3-kms.js';

/** Who sends an S3 request: a principal ARN, else the root of `accountId` (default the KMS model's account). */
export interface S3Caller {
  readonly principal?: string;
  readonly accountId?: string;
}

/** Request headers the model reads: `x-amz-server-side-encryption` and `…-aws-kms-key-id`. */
export type S3Headers = Readonly<Record<string, string | undefined>>;

/** A request S3 answered 2xx: the KMS calls it made, and for CreateMultipartUpload the upload's id. */
export interface S3Success {
  readonly ok: true;
  readonly kmsCalls: number;
  readonly uploadId?: string;
}

export type S3Outcome = S3Success | S3Failure;

export interface S3ServiceOptions {
  /** The KMS model S3 calls; it charges and throttles the caller's account. */
  readonly model: KmsModel;
  readonly buckets: readonly S3BucketSpec[];
  /** The run's clock (Bucket Key lifetimes, the request-rate windows); default the wall clock. */
  readonly clock?: TimeSource;
  /** S3's per-prefix request rate; `false` leaves it unenforced. Default the documented rates. */
  readonly requestQuota?: S3RequestQuotaOptions | false;
  /** As the model's `crypto` option: how objects that existed before the run get their encrypted keys. */
  readonly crypto?: CryptoMode;
}

interface BucketState extends KmsBucket {
  readonly bucket: S3Bucket;
  readonly defaultEncryption: WriteEncryption;
  readonly policy: CompiledPolicy | undefined;
  readonly via: string;
}

const NO_HEADERS: S3Headers = Object.freeze({});
const SUCCESS: readonly S3Success[] = [0, 1, 2, 3].map((kmsCalls) => Object.freeze({ ok: true as const, kmsCalls }));
const MAX_OPEN_UPLOADS = 65_536;

/** The model of S3 over one KMS model. */
export class S3Service {
  readonly #model: KmsModel;
  readonly #clock: TimeSource;
  readonly #buckets = new Map<string, BucketState>();
  readonly #principals = new PrincipalRegistry();
  readonly #contexts = new Map<string, CallContext>();
  readonly #objects = new S3ObjectStore();
  readonly #uploads = new Map<string, { readonly object: S3StoredObject; readonly headers: S3Headers }>();
  readonly #preexisting: PreexistingKeys;
  readonly #rate: S3RequestQuota | undefined;
  readonly #kms: S3KmsCalls;
  readonly #keyArns = new Map<string, string>();
  #uploadCounter = 0;

  /** @throws S3BucketError naming every bad bucket, bad policy and KMS key the model does not hold. */
  constructor(options: S3ServiceOptions) {
    this.#model = options.model;
    this.#clock = options.clock ?? wallTime;
    const nowNs = (): number => this.#clock.nowNs();
    this.#rate = options.requestQuota === false ? undefined : new S3RequestQuota(options.requestQuota ?? {}, nowNs);
    this.#kms = new S3KmsCalls(this.#model, nowNs);
    this.#preexisting = new PreexistingKeys(this.#model, options.crypto ?? 'real');
    const buckets = resolveBuckets(options.buckets, this.#model.accountId);
    const issues: { path: string; message: string }[] = [];
    buckets.forEach((bucket, i) => {
      let policy: CompiledPolicy | undefined;
      const spec = options.buckets[i] as S3BucketSpec;
      try {
        policy = spec.policy === undefined ? undefined : compileBucketPolicy(spec.policy);
      } catch (error) {
        issues.push({ path: `buckets[${i}].policy`, message: `buckets[${i}].policy: ${(error as Error).message}` });
      }
      const key = bucket.encryption.key;
      const kmsKeyArn = key === undefined ? undefined : this.#keyArn(key, bucket.region, bucket.accountId);
      if (key !== undefined && kmsKeyArn === undefined) {
        issues.push({ path: `buckets[${i}].encryption.key`, message: `buckets[${i}].encryption.key: the KMS model holds no key ${key} in ${bucket.region}` });
      }
      const { type, bucketKey, bucketKeyLifetimeMs } = bucket.encryption;
      this.#buckets.set(bucket.name, {
        bucket,
        arn: bucket.arn,
        defaultEncryption: { type, kmsKeyArn, bucketKey },
        policy,
        via: s3ViaService(bucket.region),
        bucketKeys: new BucketKeyCache(bucketKeyLifetimeMs),
        counter: new BucketCounter(bucket.name, bucket.region),
      });
    });
    if (issues.length > 0) throw new S3BucketError(issues);
  }

  /** PutObject: one write; one GenerateDataKey under SSE-KMS / DSSE-KMS (none with a live Bucket Key). */
  putObject(caller: S3Caller, bucket: string, key: string, headers: S3Headers = NO_HEADERS): S3Outcome {
    return this.#request('PutObject', bucket, (state) => {
      if (!this.#admit(state, key, 'write')) return this.#kms.failure('requestRate');
      return this.#store(state, key, this.#write(state, caller, key, headers));
    });
  }

  /** GetObject (one ranged GET is one call of this): one read; one Decrypt under SSE-KMS / DSSE-KMS. */
  getObject(caller: S3Caller, bucket: string, key: string): S3Outcome {
    return this.#request('GetObject', bucket, (state) => this.#read(state, caller, key, 'read'));
  }

  /**
   * HeadObject: one read, no KMS call. HEAD "retrieves metadata from an object without returning the object itself"
   * (S3 API Reference, HeadObject) and the encryption headers it returns (type, KMS key id, Bucket Key) are stored
   * metadata, so S3 needs no data key; it authorizes as `s3:GetObject` (ibid., "Permissions").
   */
  headObject(caller: S3Caller, bucket: string, key: string): S3Outcome {
    return this.#request('HeadObject', bucket, (state) => {
      if (!this.#admit(state, key, 'read')) return this.#kms.failure('requestRate');
      const principal = this.#principalOf(caller);
      const ctx = this.#contextOf(principal, state);
      return this.#allowed(state, principal, 's3:GetObject', objectArn(state.bucket.name, key), NO_HEADERS, ctx) ? this.#ok() : this.#kms.failure('accessDenied');
    });
  }

  /**
   * CopyObject: one write on the destination; a Decrypt for the source and a GenerateDataKey for the destination under
   * SSE-KMS (aws-kms-facts.md §6); authorized as `s3:GetObject` on the source and `s3:PutObject` on the destination.
   */
  copyObject(caller: S3Caller, source: { bucket: string; key: string }, bucket: string, key: string, headers: S3Headers = NO_HEADERS): S3Outcome {
    return this.#request('CopyObject', bucket, (state) => {
      const from = this.#buckets.get(source.bucket);
      if (from === undefined) return this.#kms.failure('noSuchBucket');
      if (!this.#admit(state, key, 'write')) return this.#kms.failure('requestRate');
      return this.#readKey(from, caller, source.key) ?? this.#store(state, key, this.#write(state, caller, key, headers));
    });
  }

  /** CreateMultipartUpload: one write; one GenerateDataKey, whose key every part is encrypted with. */
  createMultipartUpload(caller: S3Caller, bucket: string, key: string, headers: S3Headers = NO_HEADERS): S3Outcome {
    return this.#request('CreateMultipartUpload', bucket, (state) => {
      if (!this.#admit(state, key, 'write')) return this.#kms.failure('requestRate');
      const object = this.#write(state, caller, key, headers);
      if ('ok' in object) return object;
      const uploadId = `${++this.#uploadCounter}`;
      if (this.#uploads.size >= MAX_OPEN_UPLOADS) this.#uploads.delete(this.#uploads.keys().next().value as string);
      this.#uploads.set(uploadId, { object, headers });
      return { ok: true, kmsCalls: this.#kms.calls, uploadId };
    });
  }

  /** UploadPart: one write; one Decrypt of the upload's data key (none with a live Bucket Key). */
  uploadPart(caller: S3Caller, bucket: string, key: string, uploadId: string): S3Outcome {
    return this.#request('UploadPart', bucket, (state) => this.#part(state, caller, key, uploadId, false));
  }

  /** CompleteMultipartUpload: one write, no KMS call; the object is stored. */
  completeMultipartUpload(caller: S3Caller, bucket: string, key: string, uploadId: string): S3Outcome {
    return this.#request('CompleteMultipartUpload', bucket, (state) => this.#part(state, caller, key, uploadId, true));
  }

  /** Create, `parts` × UploadPart, Complete: stops at the first failure; the KMS calls of every request made. */
  multipartUpload(caller: S3Caller, bucket: string, key: string, parts: number, headers: S3Headers = NO_HEADERS): S3Outcome {
    const created = this.createMultipartUpload(caller, bucket, key, headers);
    if (!created.ok) return created;
    let calls = created.kmsCalls;
    const uploadId = created.uploadId as string;
    for (let i = 0; i <= parts; i++) {
      const step = i < parts ? this.uploadPart(caller, bucket, key, uploadId) : this.completeMultipartUpload(caller, bucket, key, uploadId);
      calls += step.kmsCalls;
      if (!step.ok) return { ...step, kmsCalls: calls };
    }
    return { ok: true, kmsCalls: calls };
  }

  /** Every bucket's counts, in the order the buckets were given. */
  counts(): S3BucketCounts[] {
    return [...this.#buckets.values()].map((state) => state.counter.snapshot());
  }

  /** S3's per-prefix request-rate limiters and their counts. */
  prefixCounts(): S3PrefixCount[] {
    return this.#rate?.snapshot() ?? [];
  }

  #request(operation: S3Operation, bucket: string, run: (state: BucketState) => S3Outcome): S3Outcome {
    this.#kms.calls = 0;
    const state = this.#buckets.get(bucket);
    if (state === undefined) return this.#kms.failure('noSuchBucket');
    state.counter.requests[operation] += 1;
    const outcome = run(state);
    state.counter.ended(outcome.ok ? undefined : outcome.kind);
    return outcome;
  }

  #ok(): S3Success {
    return SUCCESS[this.#kms.calls] ?? { ok: true, kmsCalls: this.#kms.calls };
  }

  #admit(state: BucketState, key: string, requestClass: S3RequestClass): boolean {
    return this.#rate === undefined || this.#rate.admit(state.bucket.name, key, requestClass);
  }

  /** Stores a written object and answers success, or passes a failure on. */
  #store(state: BucketState, key: string, written: S3StoredObject | S3Failure): S3Outcome {
    if ('ok' in written) return written;
    this.#objects.put(state.bucket.name, key, written);
    return this.#ok();
  }

  /** A write of `key` authorized and its key made (S3's KMS call): the object to store, or a failure. */
  #write(state: BucketState, caller: S3Caller, key: string, headers: S3Headers): S3StoredObject | S3Failure {
    const principal = this.#principalOf(caller);
    const ctx = this.#contextOf(principal, state);
    const arn = objectArn(state.bucket.name, key);
    if (!this.#allowed(state, principal, 's3:PutObject', arn, headers, ctx)) return this.#kms.failure('accessDenied');
    const encryption = writeEncryptionOf(state.defaultEncryption, headers, (id) => this.#keyArn(id, state.bucket.region, state.bucket.accountId) ?? id);
    if (encryption === undefined) return this.#kms.failure('invalidEncryption');
    const encryptedKey = this.#kms.writeKey(state, encryption, arn, principal.arn, ctx);
    if (encryptedKey !== undefined && !(encryptedKey instanceof Uint8Array)) return encryptedKey;
    return { type: encryption.type, kmsKeyArn: encryption.kmsKeyArn, bucketKey: encryption.bucketKey, encryptedKey };
  }

  #read(state: BucketState, caller: S3Caller, key: string, requestClass: S3RequestClass): S3Outcome {
    if (!this.#admit(state, key, requestClass)) return this.#kms.failure('requestRate');
    return this.#readKey(state, caller, key) ?? this.#ok();
  }

  /** Authorizes a read of `key` and makes its KMS call; a failure, or undefined when it may proceed. */
  #readKey(state: BucketState, caller: S3Caller, key: string): S3Failure | undefined {
    const principal = this.#principalOf(caller);
    const ctx = this.#contextOf(principal, state);
    const arn = objectArn(state.bucket.name, key);
    if (!this.#allowed(state, principal, 's3:GetObject', arn, NO_HEADERS, ctx)) return this.#kms.failure('accessDenied');
    const object = this.#objects.get(state.bucket.name, key) ?? this.#preexistingObject(state, key, arn);
    return this.#kms.readKey(state, object, arn, principal.arn, ctx);
  }

  #part(state: BucketState, caller: S3Caller, key: string, uploadId: string, complete: boolean): S3Outcome {
    const upload = this.#uploads.get(uploadId);
    if (upload === undefined) return this.#kms.failure('kmsError', `NoSuchUpload: ${uploadId}`);
    if (!this.#admit(state, key, 'write')) return this.#kms.failure('requestRate');
    const principal = this.#principalOf(caller);
    const ctx = this.#contextOf(principal, state);
    const arn = objectArn(state.bucket.name, key);
    // Parts carry no encryption headers: the upload's, given at create, are what the bucket policy reads.
    if (!this.#allowed(state, principal, 's3:PutObject', arn, upload.headers, ctx)) return this.#kms.failure('accessDenied');
    if (complete) {
      this.#uploads.delete(uploadId);
      this.#objects.put(state.bucket.name, key, upload.object);
      return this.#ok();
    }
    return this.#kms.readKey(state, upload.object, arn, principal.arn, ctx) ?? this.#ok();
  }

  /** An object read before any write in the run: it existed before, under the bucket's default encryption. */
  #preexistingObject(state: BucketState, key: string, arn: string): S3StoredObject {
    const { type, kmsKeyArn, bucketKey } = state.defaultEncryption;
    const encryptedKey = kmsKeyArn === undefined ? undefined : this.#preexisting.make(kmsKeyArn, bucketKey ? state.arn : arn, state.bucket.region, bucketKey);
    const object: S3StoredObject = { type, kmsKeyArn, bucketKey, encryptedKey };
    this.#objects.put(state.bucket.name, key, object);
    return object;
  }

  #allowed(state: BucketState, principal: Principal, action: S3Action, resource: string, headers: S3Headers, ctx: CallContext): boolean {
    if (state.policy === undefined && principal.accountId === state.bucket.accountId) return true;
    return evaluateBucketPolicy(state.policy, { action, principal, ctx, key: undefined, input: headers }, resource, state.bucket.accountId) === 'allowed';
  }

  #principalOf(caller: S3Caller): Principal {
    return caller.principal === undefined ? this.#principals.root(caller.accountId ?? this.#model.accountId) : this.#principals.get(caller.principal);
  }

  /** The call context of S3's KMS calls for `principal` in the bucket's region: on the caller's behalf, via S3. */
  #contextOf(principal: Principal, state: BucketState): CallContext {
    const id = `${principal.arn}\0${state.bucket.region}`;
    let ctx = this.#contexts.get(id);
    if (ctx === undefined) {
      ctx = principal.isRoot
        ? { region: state.bucket.region, accountId: principal.accountId, viaService: state.via }
        : { region: state.bucket.region, principal: principal.arn, viaService: state.via };
      this.#contexts.set(id, ctx);
    }
    return ctx;
  }

  #keyArn(keyId: string, region: string, accountId: string): string | undefined {
    const id = `${accountId}\0${region}\0${keyId}`;
    let arn = this.#keyArns.get(id);
    if (arn === undefined) {
      arn = this.#model.peekKey({ KeyId: keyId }, { region, accountId })?.arn;
      if (arn !== undefined) this.#keyArns.set(id, arn);
    }
    return arn;
  }
}
