/**
 * What S3 keeps of each object that the KMS calls depend on: how it was encrypted and its encrypted data key (or, with a
 * Bucket Key, the encrypted bucket-level key). A GET decrypts exactly that blob, with exactly the context it was made
 * under, so a read of an object written in the run is a real round trip through the model.
 *
 * Objects a run reads without having written them existed "before the run": their encrypted key is made on first read
 * by the services' `prepare` (a quota-free model holding the same key material), so making it charges no one's quota
 * and writes no count — the read's own Decrypt is then charged as S3 charges it. The store is bounded; an object pushed out is made
 * again on its next read, as if it had been written before the run.
 */
import type { PrepareKms } from './definition.js';
import type { S3EncryptionType } from './s3-buckets.js';

/** One stored object's encryption. */
export interface S3StoredObject {
  readonly type: S3EncryptionType;
  /** The KMS key ARN (SSE-KMS, DSSE-KMS); undefined otherwise. */
  readonly kmsKeyArn: string | undefined;
  /** True when encrypted under a Bucket Key: `encryptedKey` is the bucket-level key, context the bucket ARN. */
  readonly bucketKey: boolean;
  /** The encrypted data key (or bucket-level key); undefined for SSE-S3 and SSE-C. */
  readonly encryptedKey: Uint8Array | undefined;
}

/** Objects remembered per store; past it, the first stored is forgotten. */
export const OBJECT_STORE_CAPACITY = 65_536;

/** The objects of every bucket of one model of S3. */
export class S3ObjectStore {
  readonly #objects = new Map<string, S3StoredObject>();
  readonly #capacity: number;

  constructor(capacity = OBJECT_STORE_CAPACITY) {
    this.#capacity = capacity;
  }

  /** The object of `arn` (s3-buckets.ts `objectArn`), if stored. */
  get(arn: string): S3StoredObject | undefined {
    return this.#objects.get(arn);
  }

  put(arn: string, object: S3StoredObject): void {
    // An object written again keeps its place: the store is bounded, not an LRU, and a delete per write costs.
    if (this.#objects.size >= this.#capacity && !this.#objects.has(arn)) {
      const oldest = this.#objects.keys().next();
      if (oldest.done !== true) this.#objects.delete(oldest.value);
    }
    this.#objects.set(arn, object);
  }
}

/** Makes encrypted data keys for objects that existed before the run, spending no measured quota. */
export class PreexistingKeys {
  readonly #prepare: PrepareKms;
  /** Bucket-key objects of one (bucket, KMS key) share one encrypted bucket-level key. */
  readonly #bucketKeys = new Map<string, Uint8Array>();

  constructor(prepare: PrepareKms) {
    this.#prepare = prepare;
  }

  /** An encrypted 256-bit data key of `kmsKeyArn` under context `aws:s3:arn` = `contextArn`. */
  make(kmsKeyArn: string, contextArn: string, region: string, accountId: string, bucketKey: boolean): Uint8Array {
    const id = `${kmsKeyArn}\0${contextArn}`;
    if (bucketKey) {
      const known = this.#bucketKeys.get(id);
      if (known !== undefined) return known;
    }
    const input = { KeyId: kmsKeyArn, KeySpec: 'AES_256', EncryptionContext: { 'aws:s3:arn': contextArn } };
    const blob = this.#prepare('GenerateDataKeyWithoutPlaintext', input, { region, accountId })['CiphertextBlob'] as Uint8Array;
    if (bucketKey) this.#bucketKeys.set(id, blob);
    return blob;
  }
}
