/**
 * S3 Bucket Keys (S3 User Guide, "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys"): instead of one KMS call
 * per object, S3 fetches a short-lived bucket-level key from KMS — with the bucket ARN as the encryption context — and
 * derives object keys from it for as long as it lives. "Amazon S3 will only share an S3 Bucket Key for objects
 * accessed by the same AWS Identity and Access Management (IAM) role" (ibid.): one key per (requester, bucket, KMS key),
 * reused for writes and reads until its lifetime (a bucket parameter, s3-facts.ts) runs out on the run's clock.
 */
import { NS_PER_MS } from '../base/time.js';

/** Read keys per requester before expired ones are swept: a long run rolls over to new Bucket Keys every lifetime. */
const SWEEP_AT = 64;

/** A live Bucket Key: when it expires, and its encrypted form (what objects written under it store). */
export interface BucketKeyEntry {
  readonly expiresAtNs: number;
  /** The ciphertext blob of the bucket-level key, context `aws:s3:arn` = the bucket ARN. */
  readonly encryptedKey: Uint8Array;
}

/** The live Bucket Keys of one bucket, per requester and KMS key. */
export class BucketKeyCache {
  readonly #lifetimeNs: number;
  /** requester → KMS key ARN → entry. Nested maps: no key string is built per request. */
  readonly #byRequester = new Map<string, Map<string, BucketKeyEntry>>();
  /**
   * requester → encrypted Bucket Key → expiry: keys the requester decrypted to read objects written under them (another
   * role's, or its own since replaced). Kept apart from the write key so reading old objects never changes which key new
   * writes use; keyed by the blob's identity, which each object shares with its Bucket Key (s3-kms.ts).
   */
  readonly #readKeys = new Map<string, Map<Uint8Array, number>>();

  constructor(lifetimeMs: number) {
    this.#lifetimeNs = lifetimeMs * NS_PER_MS;
  }

  /** The requester's live Bucket Key for `kmsKeyArn` at `nowNs`, or undefined (never fetched, or expired). */
  live(requester: string, kmsKeyArn: string, nowNs: number): BucketKeyEntry | undefined {
    const entry = this.#byRequester.get(requester)?.get(kmsKeyArn);
    return entry !== undefined && nowNs < entry.expiresAtNs ? entry : undefined;
  }

  /** True when `requester` holds the Bucket Key `encryptedKey` live at `nowNs`: its write key, or one it decrypted. */
  holds(requester: string, kmsKeyArn: string, encryptedKey: Uint8Array, nowNs: number): boolean {
    if (this.live(requester, kmsKeyArn, nowNs)?.encryptedKey === encryptedKey) return true;
    const expiresAtNs = this.#readKeys.get(requester)?.get(encryptedKey);
    return expiresAtNs !== undefined && nowNs < expiresAtNs;
  }

  /** Keeps a Bucket Key decrypted for a read for its lifetime; expired ones are swept as the map grows. */
  keepForReads(requester: string, encryptedKey: Uint8Array, nowNs: number): void {
    let keys = this.#readKeys.get(requester);
    if (keys === undefined) {
      keys = new Map();
      this.#readKeys.set(requester, keys);
    }
    if (keys.size >= SWEEP_AT) for (const [key, expiresAtNs] of keys) if (expiresAtNs <= nowNs) keys.delete(key);
    keys.set(encryptedKey, nowNs + this.#lifetimeNs);
  }

  /** Keeps a Bucket Key just fetched from KMS (GenerateDataKey for a write, Decrypt for a read) for its lifetime. */
  put(requester: string, kmsKeyArn: string, encryptedKey: Uint8Array, nowNs: number): BucketKeyEntry {
    let byKey = this.#byRequester.get(requester);
    if (byKey === undefined) {
      byKey = new Map();
      this.#byRequester.set(requester, byKey);
    }
    const entry: BucketKeyEntry = { expiresAtNs: nowNs + this.#lifetimeNs, encryptedKey };
    byKey.set(kmsKeyArn, entry);
    return entry;
  }
}
