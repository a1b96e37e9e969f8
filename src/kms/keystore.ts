/**
 * Keys and aliases, partitioned by (account, region) as KMS partitions them. Resolution accepts every KeyId form KMS
 * does: key id, key ARN, alias name, alias ARN (AWS KMS Developer Guide, "Key identifiers (KeyId)").
 */
import { BlobHeadCache, type CachedBlobHead } from './blob-heads.js';
import { KmsError } from './errors.js';
import { isKeyIdFormat, type BlobHead } from './ciphertext-blob.js';
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

/** A Map that reports every change, so that what was looked up in it can be forgotten. */
class WatchedMap<K, V> extends Map<K, V> {
  readonly #changed: () => void;
  constructor(changed: () => void) {
    super();
    this.#changed = changed;
  }
  override set(key: K, value: V): this {
    this.#changed();
    return super.set(key, value);
  }
  override delete(key: K): boolean {
    this.#changed();
    return super.delete(key);
  }
  override clear(): void {
    this.#changed();
    super.clear();
  }
}

/** Resolved KeyIds per caller partition: a bound on what one partition remembers before starting over. */
const RESOLVED_MAX = 1024;

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
  ) {
    this.keys = new WatchedMap(changed);
    this.aliases = new WatchedMap(changed);
  }

  keyArn(keyId: string): string {
    return `arn:aws:kms:${this.region}:${this.accountId}:key/${keyId}`;
  }
  aliasArn(aliasName: string): string {
    return `arn:aws:kms:${this.region}:${this.accountId}:${aliasName}`;
  }
}

const ARN_RE = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):([0-9]+):(key\/.+|alias\/.+)$/;

/**
 * Every partition, and two caches over them: KeyId → key per caller partition, and blob header → key. Both are valid
 * for one generation; any change of any partition's keys or aliases starts a new one. Key state is not cached: the
 * operations read it from the record after resolving.
 */
export class Keystore {
  readonly #partitions = new Map<string, Partition>();
  #generation = 0;
  readonly #changed = (): void => {
    this.#generation++;
  };
  readonly #blobHeads = new BlobHeadCache();

  // The last partition asked for: a fleet calls one (account, region) over and over, and building the map key costs
  // more than the rest of key resolution.
  #last: Partition | undefined;

  partition(accountId: string, region: string): Partition {
    const last = this.#last;
    if (last !== undefined && last.region === region && last.accountId === accountId) return last;
    const id = `${accountId}\u0000${region}`;
    let found = this.#partitions.get(id);
    if (found === undefined) {
      found = new Partition(accountId, region, this.#changed);
      this.#partitions.set(id, found);
    }
    this.#last = found;
    return found;
  }

  partitions(): IterableIterator<Partition> {
    return this.#partitions.values();
  }

  /**
   * Finds the key a KeyId names, from the caller's partition. An ARN may name another account (cross-account use);
   * an ARN of another region is not found, as KMS is regional.
   */
  resolve(caller: Partition, keyIdOrAlias: string): KeyRecord {
    const resolved = caller.resolved;
    if (caller.resolvedGeneration === this.#generation) {
      const known = resolved.get(keyIdOrAlias);
      if (known !== undefined) return known;
    } else {
      resolved.clear();
      caller.resolvedGeneration = this.#generation;
    }
    const key = this.#resolve(caller, keyIdOrAlias);
    if (resolved.size >= RESOLVED_MAX) resolved.clear();
    resolved.set(keyIdOrAlias, key);
    return key;
  }

  /**
   * The head of a symmetric ciphertext blob (InvalidCiphertextException for a malformed one). Heads are remembered by
   * their bytes: see blob-heads.ts.
   */
  blobHead(blob: Uint8Array): CachedBlobHead {
    return this.#blobHeads.read(blob);
  }

  /** The key a blob head names, if the keystore holds it. */
  blobKey(head: CachedBlobHead): KeyRecord | undefined {
    if (head.keyGeneration === this.#generation) return head.key;
    const key = this.partition(head.accountId, head.region).keys.get(head.keyId);
    head.key = key;
    head.keyGeneration = this.#generation;
    return key;
  }

  #resolve(caller: Partition, keyIdOrAlias: string): KeyRecord {
    if (keyIdOrAlias.startsWith('arn:')) {
      const match = ARN_RE.exec(keyIdOrAlias);
      if (match === null) throw new KmsError('NotFoundException', `Invalid arn ${keyIdOrAlias}`);
      const [, region, account, resource] = match as unknown as [string, string, string, string];
      if (region !== caller.region) {
        throw new KmsError('NotFoundException', `Invalid arn ${keyIdOrAlias}: region does not match ${caller.region}`);
      }
      const owner = account === caller.accountId ? caller : this.partition(account, region);
      return resource.startsWith('alias/')
        ? this.#byAlias(owner, resource, keyIdOrAlias)
        : this.#byId(owner, resource.slice(4));
    }
    if (keyIdOrAlias.startsWith('alias/')) return this.#byAlias(caller, keyIdOrAlias, caller.aliasArn(keyIdOrAlias));
    if (!isKeyIdFormat(keyIdOrAlias)) throw new KmsError('NotFoundException', `Invalid keyId '${keyIdOrAlias}'`);
    return this.#byId(caller, keyIdOrAlias);
  }

  #byId(owner: Partition, keyId: string): KeyRecord {
    const key = owner.keys.get(keyId);
    if (key === undefined) throw new KmsError('NotFoundException', `Key '${owner.keyArn(keyId)}' does not exist`);
    return key;
  }

  #byAlias(owner: Partition, aliasName: string, shown: string): KeyRecord {
    const alias = owner.aliases.get(aliasName);
    const key = alias === undefined ? undefined : owner.keys.get(alias.targetKeyId);
    if (key === undefined) throw new KmsError('NotFoundException', `Alias ${shown} is not found.`);
    return key;
  }
}

/**
 * The state check every cryptographic operation makes (AWS KMS Developer Guide, "Key states of AWS KMS keys"):
 * a Disabled key answers DisabledException, any other non-Enabled state KMSInvalidStateException.
 */
export function requireUsableKey(key: KeyRecord): void {
  if (key.state === 'Enabled') return;
  if (key.state === 'Disabled') throw new KmsError('DisabledException', `${key.arn} is disabled.`);
  throw invalidState(key);
}

/** The KMSInvalidStateException of the key-state table: "<key ARN> is pending deletion." */
export function invalidState(key: KeyRecord): KmsError {
  return new KmsError('KMSInvalidStateException', `${key.arn} is ${describeState(key.state)}.`);
}

function describeState(state: KeyState): string {
  switch (state) {
    case 'PendingDeletion':
      return 'pending deletion';
    case 'PendingImport':
      return 'pending import';
    case 'Disabled':
      return 'disabled';
    default:
      return `in state ${state}`;
  }
}

export function requireUsage(key: KeyRecord, usage: KeyUsage, operation: string): void {
  if (key.keyUsage !== usage) {
    throw new KmsError(
      'InvalidKeyUsageException',
      `${key.arn} key usage is ${key.keyUsage} which is not valid for ${operation}.`,
    );
  }
}

/** The default key policy: the account root may do everything, delegating access to IAM (aws-kms-facts.md §8). */
export function defaultKeyPolicy(accountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
}
