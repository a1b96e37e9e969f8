/**
 * Keys and aliases, partitioned by (account, region) as KMS partitions them. Resolution accepts every KeyId form KMS
 * does: key id, key ARN, alias name, alias ARN (AWS KMS Developer Guide, "Key identifiers (KeyId)").
 */
import { KmsError } from './errors.js';
import { isKeyIdFormat } from './ciphertext-blob.js';
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
  /** Encoded ciphertext-blob headers by backing version, built on first use (hot path of Encrypt). */
  readonly blobHeaders: Buffer[];
  readonly asymmetric?: AsymmetricMaterial;
  rotation: { enabled: boolean; periodDays: number; nextRotationMs?: number; onDemand: Date[] };
  policy: string;
  readonly tags: Map<string, string>;
}

export interface AliasRecord {
  readonly aliasName: string;
  readonly aliasArn: string;
  targetKeyId: string;
  readonly creationDate: Date;
  lastUpdatedDate: Date;
}

export class Partition {
  readonly keys = new Map<string, KeyRecord>();
  readonly aliases = new Map<string, AliasRecord>();
  /** This (account, region)'s request-quota limiters, resolved on first use by the model. */
  quota: QuotaPartition | undefined;
  constructor(
    readonly accountId: string,
    readonly region: string,
  ) {}

  keyArn(keyId: string): string {
    return `arn:aws:kms:${this.region}:${this.accountId}:key/${keyId}`;
  }
  aliasArn(aliasName: string): string {
    return `arn:aws:kms:${this.region}:${this.accountId}:${aliasName}`;
  }
}

const ARN_RE = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):([0-9]+):(key\/.+|alias\/.+)$/;

export class Keystore {
  readonly #partitions = new Map<string, Partition>();

  // The last partition asked for: a fleet calls one (account, region) over and over, and building the map key costs
  // more than the rest of key resolution.
  #last: Partition | undefined;

  partition(accountId: string, region: string): Partition {
    const last = this.#last;
    if (last !== undefined && last.region === region && last.accountId === accountId) return last;
    const id = `${accountId}\u0000${region}`;
    let found = this.#partitions.get(id);
    if (found === undefined) {
      found = new Partition(accountId, region);
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
