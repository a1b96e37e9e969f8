/**
 * The records a partition holds — keys and aliases of one (account, region) — and the partition itself, whose maps
 * report their changes to the keystore (cache generations, key counts).
 */
import type { BlobHead } from './ciphertext-blob.js';
import type { AsymmetricMaterial } from './key-material.js';
import type { KeyFamily, KeyUsage } from './key-specs.js';
import type { QuotaPartition } from '../quota/index.js';

export type KeyState =
  | 'Creating'
  | 'Enabled'
  | 'Disabled'
  | 'PendingDeletion'
  | 'PendingImport'
  | 'PendingReplicaDeletion'
  | 'Unavailable'
  | 'Updating';

export const KEY_STATES: readonly KeyState[] = [
  'Creating',
  'Enabled',
  'Disabled',
  'PendingDeletion',
  'PendingImport',
  'PendingReplicaDeletion',
  'Unavailable',
  'Updating',
];

export interface KeyRecord {
  readonly keyId: string;
  readonly arn: string;
  readonly accountId: string;
  readonly region: string;
  readonly keySpec: string;
  readonly keyUsage: KeyUsage;
  readonly family: KeyFamily;
  readonly creationDate: Date;
  readonly multiRegion: boolean;
  readonly keyManager: 'CUSTOMER' | 'AWS';
  /** AWS-owned keys live in AWS's accounts; their use does not count against the caller's quota. */
  readonly awsOwned: boolean;
  description: string;
  state: KeyState;
  deletionDate?: Date;
  pendingWindowDays?: number;
  /** Symmetric and HMAC material, one entry per backing-key version (rotation appends). */
  readonly secrets: Buffer[];
  /** Ciphertext-blob heads by backing version, built on first use (hot path of Encrypt). */
  readonly blobHeads: BlobHead[];
  readonly asymmetric?: AsymmetricMaterial;
  rotation: { enabled: boolean; periodDays: number; nextRotationMs?: number; onDemand: Date[] };
  policy: string;
  /**
   * `policy` compiled, with the decisions planned under it (authorize.ts; typed loosely so the policy modules stay out
   * of this record's imports): made on first use, replaced whenever `policy` changes (`setKeyPolicy`).
   */
  authz?: unknown;
  readonly tags: Map<string, string>;
}

/** Replaced, never changed in place, so that retargeting an alias is a change of `Partition.aliases`. */
export interface AliasRecord {
  readonly aliasName: string;
  readonly aliasArn: string;
  readonly targetKeyId: string;
  readonly creationDate: Date;
  readonly lastUpdatedDate: Date;
}

/**
 * A Map that reports every change, so that what was looked up in it can be forgotten, and every change of its size,
 * so that the keystore can bound what callers create without walking every partition.
 */
class WatchedMap<K, V> extends Map<K, V> {
  readonly #changed: () => void;
  readonly #resized: (delta: number) => void;
  constructor(changed: () => void, resized: (delta: number) => void = () => undefined) {
    super();
    this.#changed = changed;
    this.#resized = resized;
  }
  override set(key: K, value: V): this {
    this.#changed();
    const added = !super.has(key);
    super.set(key, value);
    if (added) this.#resized(1);
    return this;
  }
  override delete(key: K): boolean {
    this.#changed();
    const removed = super.delete(key);
    if (removed) this.#resized(-1);
    return removed;
  }
  override clear(): void {
    this.#changed();
    const size = this.size;
    super.clear();
    this.#resized(-size);
  }
}


export class Partition {
  readonly keys: Map<string, KeyRecord>;
  readonly aliases: Map<string, AliasRecord>;
  /** This (account, region)'s request-quota limiters, resolved on first use by the model. */
  quota: QuotaPartition | undefined;
  /** KeyId strings this caller resolved, valid while the keystore's generation is `resolvedGeneration`. */
  readonly resolved = new Map<string, KeyRecord>();
  resolvedGeneration = -1;
  constructor(
    readonly accountId: string,
    readonly region: string,
    changed: () => void,
    keysResized?: (delta: number) => void,
  ) {
    this.keys = new WatchedMap(changed, keysResized);
    this.aliases = new WatchedMap(changed);
  }

  keyArn(keyId: string): string {
    return `arn:aws:kms:${this.region}:${this.accountId}:key/${keyId}`;
  }
  aliasArn(aliasName: string): string {
    return `arn:aws:kms:${this.region}:${this.accountId}:${aliasName}`;
  }
}
