/**
 * Keys and aliases, partitioned by (account, region) as KMS partitions them. Resolution accepts every KeyId form KMS
 * does: key id, key ARN, alias name, alias ARN (AWS KMS Developer Guide, "Key identifiers (KeyId)").
 */
import { BlobHeadCache, type CachedBlobHead } from './blob-heads.js';
import { KmsError } from './errors.js';
import { isKeyIdFormat } from './ciphertext-blob.js';
import type { KeyUsage } from './key-specs.js';
import { Partition, type KeyRecord, type KeyState } from './partition.js';

export { KEY_STATES, Partition, type AliasRecord, type KeyRecord, type KeyState } from './partition.js';

/** Resolved KeyIds per caller partition: a bound on what one partition remembers before starting over. */
const RESOLVED_MAX = 1024;
/**
 * KeyId strings longer than this are resolved but not remembered. Every real form fits (an alias ARN is at most ~330
 * characters); a caller spelling one key 1,024 ways in 2,048-character ARNs would otherwise pin megabytes per partition.
 */
const RESOLVED_KEY_MAX_CHARS = 512;
const ARN_RE = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):([0-9]+):(key\/.+|alias\/.+)$/;

/**
 * Decides whether a new (account, region) partition may be created, throwing the error to answer if not. Called only
 * when a partition is missing, so the cost stays off the request path. `newAccount` is true when the account has no
 * partition yet.
 */
export type PartitionAdmission = (accountId: string, region: string, newAccount: boolean, accounts: number) => void;

/**
 * Every partition, and two caches over them: KeyId → key per caller partition, and blob header → key. Both are valid
 * for one generation; any change of any partition's keys or aliases starts a new one. Key state is not cached: the
 * operations read it from the record after resolving.
 *
 * Partitions are created only for callers the admission lets in (valid region and account, within the account bound);
 * key resolution and blob look-ups only find partitions, so a forged ARN or ciphertext blob naming another account or
 * region creates nothing.
 */
export class Keystore {
  readonly #partitions = new Map<string, Partition>();
  /** Partitions per account. */
  readonly #accounts = new Map<string, number>();
  readonly #admit: PartitionAdmission;
  #keyCount = 0;
  #generation = 0;
  readonly #changed = (): void => {
    this.#generation++;
  };
  readonly #keysResized = (delta: number): void => {
    this.#keyCount += delta;
  };
  readonly #blobHeads = new BlobHeadCache();

  // The last partition asked for: a fleet calls one (account, region) over and over, and building the map key costs
  // more than the rest of key resolution.
  #last: Partition | undefined;

  constructor(admit: PartitionAdmission = () => undefined) {
    this.#admit = admit;
  }

  /** The (account, region) partition, created (if the admission allows) on first use. */
  partition(accountId: string, region: string): Partition {
    const last = this.#last;
    if (last !== undefined && last.region === region && last.accountId === accountId) return last;
    let found = this.#partitions.get(`${accountId}\u0000${region}`);
    if (found === undefined) found = this.#create(accountId, region);
    this.#last = found;
    return found;
  }

  /** The partition if it exists; never creates one. */
  find(accountId: string, region: string): Partition | undefined {
    const last = this.#last;
    if (last !== undefined && last.region === region && last.accountId === accountId) return last;
    return this.#partitions.get(`${accountId}\u0000${region}`);
  }

  partitions(): IterableIterator<Partition> {
    return this.#partitions.values();
  }

  /** How many accounts, partitions and keys the keystore holds. */
  get counts(): { readonly accounts: number; readonly partitions: number; readonly keys: number } {
    return { accounts: this.#accounts.size, partitions: this.#partitions.size, keys: this.#keyCount };
  }

  #create(accountId: string, region: string): Partition {
    const partitionsOfAccount = this.#accounts.get(accountId) ?? 0;
    this.#admit(accountId, region, partitionsOfAccount === 0, this.#accounts.size);
    const created = new Partition(accountId, region, this.#changed, this.#keysResized);
    this.#partitions.set(`${accountId}\u0000${region}`, created);
    this.#accounts.set(accountId, partitionsOfAccount + 1);
    return created;
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
    if (keyIdOrAlias.length > RESOLVED_KEY_MAX_CHARS) return key;
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
    // A blob names its account and region in bytes the caller controls: look them up, never create them.
    const key = this.find(head.accountId, head.region)?.keys.get(head.keyId);
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
      // Another account's partition is looked up, never created: an ARN is caller-controlled text.
      const owner = account === caller.accountId ? caller : this.find(account, region);
      if (owner === undefined) {
        throw resource.startsWith('alias/')
          ? new KmsError('NotFoundException', `Alias ${keyIdOrAlias} is not found.`)
          : new KmsError('NotFoundException', `Key 'arn:aws:kms:${region}:${account}:${resource}' does not exist`);
      }
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
