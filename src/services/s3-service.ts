/**
 * The model of Amazon S3 that kms-bench needs: S3's object requests on a set of buckets, each making exactly the KMS
 * calls S3 makes (s3-kms.ts) on the caller's behalf, behind S3's own per-prefix request rate (`s3:writes`, `s3:reads`
 * in s3-facts.ts, enforced by the services' quotas) and bucket policies (s3-policy.ts). In each request S3's checks
 * run in this order: the request rate (S3 counts every request it receives), the bucket policy (a denial makes no KMS
 * call), then the KMS calls.
 *
 * Requests answer an {@link S3Outcome} instead of throwing: under throttling most requests fail, and a throw per
 * request would cost more than the request. s3-definition.ts plugs the model into the services' registry.
 */
import type { TimeSource } from '../base/time.js';
import type { CompiledPolicy } from '../kms/policy-compile.js';
import type { Principal } from '../kms/policy-request.js';
import { PrincipalRegistry } from '../kms/principals.js';
import type { ServiceAttribution } from './attribution.js';
import type { PrepareKms } from './definition.js';
import { KmsRoute } from './kms-on-behalf.js';
import { BucketKeyCache } from './s3-bucket-keys.js';
import { objectArn, prefixOf, resolveBuckets, S3BucketError, type S3Bucket, type S3BucketSpec } from './s3-buckets.js';
import { BucketCounter, type S3BucketCounts, type S3Operation } from './s3-counts.js';
import { S3_QUOTAS } from './s3-facts.js';
import { S3KmsCalls, writeEncryptionOf, type KmsBucket, type S3Failure, type WriteEncryption } from './s3-kms.js';
import { PreexistingKeys, S3ObjectStore, type S3StoredObject } from './s3-objects.js';
import { compileBucketPolicy, evaluateBucketPolicy, type S3Action } from './s3-policy.js';
import type { ServiceQuotaRow, ServiceQuotas } from './service-quota.js';
import type { RateLimiter } from '../quota/index.js';
import { rootPrincipal, type ServiceCaller, type ServiceKms } from './types.js';

export type { S3Failure } from './s3-kms.js';

/** Request headers the model reads: `x-amz-server-side-encryption` and `…-aws-kms-key-id`. */
export type S3Headers = Readonly<Record<string, string | undefined>>;

/** A request S3 answered 2xx: the KMS calls it made, and for CreateMultipartUpload the upload's id. */
export interface S3Success {
  readonly ok: true;
  readonly kmsCalls: number;
  readonly uploadId?: string;
}

export type S3Outcome = S3Success | S3Failure;

/** What the model of S3 is built over (s3-definition.ts: the services' world; s3-standalone.ts: one KMS model). */
export interface S3ServiceOptions {
  /** The measured KMS model: it charges and throttles the caller's account. */
  readonly kms: ServiceKms;
  /** The account that owns buckets naming none. */
  readonly accountId: string;
  readonly buckets: readonly S3BucketSpec[];
  /** The run's clock (Bucket Key lifetimes). */
  readonly time: TimeSource;
  /** A bucket's `encryption.key` (scenario key name, id, ARN or alias) → the key ARN, or undefined when unknown. */
  readonly keyArn: (key: string, region: string, accountId: string) => string | undefined;
  /** A quota-free model with the same keys: encrypted keys of objects that existed before the run. */
  readonly prepare: PrepareKms;
  /** The services' quotas, holding S3's rows; undefined leaves S3's request rate unenforced. */
  readonly quotas: ServiceQuotas | undefined;
  /** Where S3's KMS calls are counted, by caller and bucket. */
  readonly attribution: ServiceAttribution;
}

interface BucketState extends KmsBucket {
  readonly bucket: S3Bucket;
  readonly defaultEncryption: WriteEncryption;
  readonly policy: CompiledPolicy | undefined;
  /** The bucket owner as a caller: prefix rates are the bucket's, whoever calls. */
  readonly owner: ServiceCaller;
  /** A header's key id → its ARN in the bucket's region and account (made once per bucket). */
  readonly keyArnOf: (keyId: string) => string;
  /** Per quota row, the prefix limiters resolved so far (a request then builds no slot name). */
  readonly limiters: Map<ServiceQuotaRow, Map<string, RateLimiter>>;
}

const NO_HEADERS: S3Headers = Object.freeze({});
const SUCCESS: readonly S3Success[] = [0, 1, 2, 3].map((kmsCalls) => Object.freeze({ ok: true as const, kmsCalls }));
const MAX_OPEN_UPLOADS = 65_536;
const MAX_CACHED_PREFIXES = 4096;
const [WRITES, READS] = S3_QUOTAS as [ServiceQuotaRow, ServiceQuotaRow];

/** The model of S3 in one thread. */
export class S3Service {
  readonly #options: S3ServiceOptions;
  readonly #buckets = new Map<string, BucketState>();
  readonly #principals = new PrincipalRegistry();
  readonly #routes = new WeakMap<ServiceCaller, Map<BucketState, KmsRoute>>();
  readonly #objects = new S3ObjectStore();
  readonly #uploads = new Map<string, { readonly object: S3StoredObject; readonly headers: S3Headers }>();
  readonly #preexisting: PreexistingKeys;
  readonly #kms: S3KmsCalls;
  #uploadCounter = 0;

  /** @throws S3BucketError naming every bad bucket, bad policy and KMS key that cannot be found. */
  constructor(options: S3ServiceOptions) {
    this.#options = options;
    this.#kms = new S3KmsCalls(() => options.time.nowNs());
    this.#preexisting = new PreexistingKeys(options.prepare);
    const issues: { path: string; message: string }[] = [];
    resolveBuckets(options.buckets, options.accountId).forEach((bucket, i) => {
      const spec = options.buckets[i] as S3BucketSpec;
      let policy: CompiledPolicy | undefined;
      try {
        policy = spec.policy === undefined ? undefined : compileBucketPolicy(spec.policy);
      } catch (error) {
        issues.push({ path: `buckets[${i}].policy`, message: `buckets[${i}].policy: ${(error as Error).message}` });
      }
      const key = bucket.encryption.key;
      const kmsKeyArn = key === undefined ? undefined : options.keyArn(key, bucket.region, bucket.accountId);
      if (key !== undefined && kmsKeyArn === undefined) {
        issues.push({ path: `buckets[${i}].encryption.key`, message: `buckets[${i}].encryption.key: no KMS key ${key} in ${bucket.region}` });
      }
      const { type, bucketKey, bucketKeyLifetimeMs } = bucket.encryption;
      const ownerArn = rootPrincipal(bucket.accountId);
      this.#buckets.set(bucket.name, {
        bucket,
        arn: bucket.arn,
        defaultEncryption: { type, kmsKeyArn, bucketKey },
        policy,
        keyArnOf: (id: string) => options.keyArn(id, bucket.region, bucket.accountId) ?? id,
        owner: { region: bucket.region, accountId: bucket.accountId, principal: ownerArn, kmsContext: { region: bucket.region, accountId: bucket.accountId } },
        limiters: new Map([
          [WRITES, new Map()],
          [READS, new Map()],
        ]),
        bucketKeys: new BucketKeyCache(bucketKeyLifetimeMs),
        counter: new BucketCounter(bucket.name, bucket.region),
      });
    });
    if (issues.length > 0) throw new S3BucketError(issues);
  }

  /** PutObject: one write; one GenerateDataKey under SSE-KMS / DSSE-KMS (none with a live Bucket Key). */
  putObject(caller: ServiceCaller, bucket: string, key: string, headers: S3Headers = NO_HEADERS): S3Outcome {
    // The busiest request, written without #request's closure: the same steps, in the same order.
    this.#kms.calls = 0;
    const state = this.#buckets.get(bucket);
    if (state === undefined) return this.#kms.failure('noSuchBucket');
    state.counter.requests.PutObject += 1;
    let outcome: S3Outcome;
    if (!this.#admit(state, key, WRITES)) outcome = this.#kms.failure('requestRate');
    else {
      const arn = objectArn(state.bucket.name, key);
      outcome = this.#store(arn, this.#write(state, caller, arn, headers));
    }
    state.counter.ended(outcome.ok ? undefined : outcome.kind);
    return outcome;
  }

  /** GetObject (one ranged GET is one call of this): one read; one Decrypt under SSE-KMS / DSSE-KMS. */
  getObject(caller: ServiceCaller, bucket: string, key: string): S3Outcome {
    return this.#request('GetObject', bucket, (state) => {
      if (!this.#admit(state, key, READS)) return this.#kms.failure('requestRate');
      return this.#readKey(state, caller, key) ?? this.#ok();
    });
  }

  /**
   * HeadObject: one read, no KMS call. HEAD "retrieves metadata from an object without returning the object itself"
   * (S3 API Reference, HeadObject) and the encryption headers it returns (type, KMS key id, Bucket Key) are stored
   * metadata, so S3 needs no data key; it authorizes as `s3:GetObject` (ibid., "Permissions").
   */
  headObject(caller: ServiceCaller, bucket: string, key: string): S3Outcome {
    return this.#request('HeadObject', bucket, (state) => {
      if (!this.#admit(state, key, READS)) return this.#kms.failure('requestRate');
      return this.#allowed(state, caller, 's3:GetObject', objectArn(state.bucket.name, key), NO_HEADERS) ? this.#ok() : this.#kms.failure('accessDenied');
    });
  }

  /**
   * CopyObject: one write on the destination; a Decrypt for the source and a GenerateDataKey for the destination under
   * SSE-KMS (aws-kms-facts.md §6); authorized as `s3:GetObject` on the source and `s3:PutObject` on the destination.
   */
  copyObject(caller: ServiceCaller, source: { bucket: string; key: string }, bucket: string, key: string, headers: S3Headers = NO_HEADERS): S3Outcome {
    return this.#request('CopyObject', bucket, (state) => {
      const from = this.#buckets.get(source.bucket);
      if (from === undefined) return this.#kms.failure('noSuchBucket');
      if (!this.#admit(state, key, WRITES)) return this.#kms.failure('requestRate');
      const arn = objectArn(state.bucket.name, key);
      return this.#readKey(from, caller, source.key) ?? this.#store(arn, this.#write(state, caller, arn, headers));
    });
  }

  /** CreateMultipartUpload: one write; one GenerateDataKey, whose key every part is encrypted with. */
  createMultipartUpload(caller: ServiceCaller, bucket: string, key: string, headers: S3Headers = NO_HEADERS): S3Outcome {
    return this.#request('CreateMultipartUpload', bucket, (state) => {
      if (!this.#admit(state, key, WRITES)) return this.#kms.failure('requestRate');
      const object = this.#write(state, caller, objectArn(state.bucket.name, key), headers);
      if ('ok' in object) return object;
      const uploadId = `${++this.#uploadCounter}`;
      if (this.#uploads.size >= MAX_OPEN_UPLOADS) this.#uploads.delete(this.#uploads.keys().next().value as string);
      this.#uploads.set(uploadId, { object, headers });
      return { ok: true, kmsCalls: this.#kms.calls, uploadId };
    });
  }

  /** UploadPart: one write; one Decrypt of the upload's data key (none with a live Bucket Key). */
  uploadPart(caller: ServiceCaller, bucket: string, key: string, uploadId: string): S3Outcome {
    return this.#request('UploadPart', bucket, (state) => this.#part(state, caller, key, uploadId, false));
  }

  /** CompleteMultipartUpload: one write, no KMS call; the object is stored. */
  completeMultipartUpload(caller: ServiceCaller, bucket: string, key: string, uploadId: string): S3Outcome {
    return this.#request('CompleteMultipartUpload', bucket, (state) => this.#part(state, caller, key, uploadId, true));
  }

  /** Create, `parts` × UploadPart, Complete: stops at the first failure; the KMS calls of every request made. */
  multipartUpload(caller: ServiceCaller, bucket: string, key: string, parts: number, headers: S3Headers = NO_HEADERS): S3Outcome {
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

  #admit(state: BucketState, key: string, row: ServiceQuotaRow): boolean {
    const quotas = this.#options.quotas;
    if (quotas === undefined) return true;
    const prefix = prefixOf(key);
    const byPrefix = state.limiters.get(row) as Map<string, RateLimiter>;
    let limiter = byPrefix.get(prefix);
    if (limiter === undefined) {
      limiter = quotas.limiter(state.owner, row, `${state.bucket.name}/${prefix}`);
      // Bounded like the rate board's slots: a fleet writing under endless prefixes re-resolves instead of growing this.
      if (byPrefix.size >= MAX_CACHED_PREFIXES) byPrefix.clear();
      byPrefix.set(prefix, limiter);
    }
    return limiter.admit();
  }

  /** Stores a written object and answers success, or passes a failure on. */
  #store(arn: string, written: S3StoredObject | S3Failure): S3Outcome {
    if ('ok' in written) return written;
    this.#objects.put(arn, written);
    return this.#ok();
  }

  /** A write of the object `arn` authorized and its key made (S3's KMS call): the object to store, or a failure. */
  #write(state: BucketState, caller: ServiceCaller, arn: string, headers: S3Headers): S3StoredObject | S3Failure {
    if (!this.#allowed(state, caller, 's3:PutObject', arn, headers)) return this.#kms.failure('accessDenied');
    const encryption = writeEncryptionOf(state.defaultEncryption, headers, state.keyArnOf);
    if (encryption === undefined) return this.#kms.failure('invalidEncryption');
    const encryptedKey = this.#kms.writeKey(state, encryption, arn, caller.principal, this.#route(caller, state));
    if (encryptedKey !== undefined && !(encryptedKey instanceof Uint8Array)) return encryptedKey;
    return { type: encryption.type, kmsKeyArn: encryption.kmsKeyArn, bucketKey: encryption.bucketKey, encryptedKey };
  }

  /** Authorizes a read of `key` and makes its KMS call; a failure, or undefined when it may proceed. */
  #readKey(state: BucketState, caller: ServiceCaller, key: string): S3Failure | undefined {
    const arn = objectArn(state.bucket.name, key);
    if (!this.#allowed(state, caller, 's3:GetObject', arn, NO_HEADERS)) return this.#kms.failure('accessDenied');
    const object = this.#objects.get(arn) ?? this.#preexistingObject(state, arn);
    return this.#kms.readKey(state, object, arn, caller.principal, this.#route(caller, state));
  }

  #part(state: BucketState, caller: ServiceCaller, key: string, uploadId: string, complete: boolean): S3Outcome {
    const upload = this.#uploads.get(uploadId);
    if (upload === undefined) return this.#kms.failure('noSuchUpload');
    if (!this.#admit(state, key, WRITES)) return this.#kms.failure('requestRate');
    const arn = objectArn(state.bucket.name, key);
    // Parts carry no encryption headers: the upload's, given at create, are what the bucket policy reads.
    if (!this.#allowed(state, caller, 's3:PutObject', arn, upload.headers)) return this.#kms.failure('accessDenied');
    if (complete) {
      this.#uploads.delete(uploadId);
      this.#objects.put(arn, upload.object);
      return this.#ok();
    }
    return this.#kms.readKey(state, upload.object, arn, caller.principal, this.#route(caller, state)) ?? this.#ok();
  }

  /** An object read before any write in the run: it existed before, under the bucket's default encryption. */
  #preexistingObject(state: BucketState, arn: string): S3StoredObject {
    const { type, kmsKeyArn, bucketKey } = state.defaultEncryption;
    const { region, accountId } = state.bucket;
    const encryptedKey = kmsKeyArn === undefined ? undefined : this.#preexisting.make(kmsKeyArn, bucketKey ? state.arn : arn, region, accountId, bucketKey);
    const object: S3StoredObject = { type, kmsKeyArn, bucketKey, encryptedKey };
    this.#objects.put(arn, object);
    return object;
  }

  #allowed(state: BucketState, caller: ServiceCaller, action: S3Action, resource: string, headers: S3Headers): boolean {
    if (state.policy === undefined && caller.accountId === state.bucket.accountId) return true;
    const principal: Principal = this.#principals.get(caller.principal);
    const request = { action, principal, ctx: caller.kmsContext, key: undefined, input: headers };
    return evaluateBucketPolicy(state.policy, request, resource, state.bucket.accountId) === 'allowed';
  }

  /**
   * The caller's route to KMS for a bucket, resolved once: the caller's principal and account, in the bucket's region
   * (S3 calls KMS where the bucket is), via S3, counted against the bucket.
   */
  #route(caller: ServiceCaller, state: BucketState): KmsRoute {
    let byBucket = this.#routes.get(caller);
    if (byBucket === undefined) {
      byBucket = new Map();
      this.#routes.set(caller, byBucket);
    }
    let route = byBucket.get(state);
    if (route === undefined) {
      const region = state.bucket.region;
      const here = caller.region === region ? caller : { ...caller, region, kmsContext: { ...caller.kmsContext, region } };
      route = new KmsRoute(this.#options.kms, this.#options.attribution, here, 's3', state.bucket.name);
      byBucket.set(state, route);
    }
    return route;
  }
}
