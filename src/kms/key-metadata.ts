/**
 * What the key operations share: `KeyMetadata` as CreateKey and DescribeKey return it, the time-driven changes of a
 * key (automatic rotation, end of the deletion window), and the key resolution, key-state and cross-account rules the
 * operations check before acting. Marker paging for the List* operations is in paging.ts.
 */
import { createHash } from 'node:crypto';
import { KmsError } from './errors.js';
import { KEY_SPECS, type KeyUsage } from './key-specs.js';
import { invalidState, requireUsableKey, requireUsage, type KeyRecord, type Partition } from './keystore.js';
import { LIMITS } from './limits.js';
import type { OpEnv } from './op-env.js';
import type { KmsInput, KmsOutput } from './types.js';
import { requireString } from './validate.js';

const DAY_MS = 86_400_000;

/** Milliseconds in `days` days: ScheduleKeyDeletion windows and rotation periods are whole days. */
export function daysToMs(days: number): number {
  return days * DAY_MS;
}

/** True for the keys KMS can rotate: symmetric encryption keys (API reference, EnableKeyRotation). */
export function isRotatable(key: KeyRecord): boolean {
  return key.family === 'symmetric' && key.keyUsage === 'ENCRYPT_DECRYPT';
}

/**
 * `CurrentKeyMaterialId`: KMS names each backing key (64 hex digits) so DescribeKey shows which material new
 * ciphertexts use; it changes with every rotation. Ours is a digest of the key ARN and the version.
 */
export function keyMaterialId(key: KeyRecord, version: number): string {
  return createHash('sha256').update(`${key.arn}\u0000${version}`).digest('hex');
}

/** KeyMetadata as KMS returns it (API reference, DescribeKey › KeyMetadata). */
export function keyMetadata(key: KeyRecord): KmsOutput {
  const info = KEY_SPECS[key.keySpec];
  const metadata: KmsOutput = {
    AWSAccountId: key.accountId,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: key.creationDate,
    Enabled: key.state === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.state,
    Origin: 'AWS_KMS',
    KeyManager: key.keyManager,
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    MultiRegion: key.multiRegion,
  };
  // "This value is present only when KeyState is PendingDeletion." PendingDeletionWindowInDays is not set here: KMS
  // returns it only for PendingReplicaDeletion (multi-Region primaries waiting for their replicas).
  if (key.state === 'PendingDeletion' && key.deletionDate !== undefined) metadata.DeletionDate = key.deletionDate;
  if (key.state === 'PendingReplicaDeletion' && key.pendingWindowDays !== undefined) {
    metadata.PendingDeletionWindowInDays = key.pendingWindowDays;
  }
  if (key.keyUsage === 'ENCRYPT_DECRYPT' && info?.encryptionAlgorithms !== undefined) {
    metadata.EncryptionAlgorithms = [...info.encryptionAlgorithms];
  }
  if (key.keyUsage === 'SIGN_VERIFY' && info?.signingAlgorithms !== undefined) metadata.SigningAlgorithms = [...info.signingAlgorithms];
  if (key.keyUsage === 'GENERATE_VERIFY_MAC' && info?.macAlgorithms !== undefined) metadata.MacAlgorithms = [...info.macAlgorithms];
  if (key.multiRegion) {
    // The model holds no replicas: every multi-Region key is a primary with none (yet).
    metadata.MultiRegionConfiguration = {
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: key.arn, Region: key.region },
      ReplicaKeys: [],
    };
  }
  if (isRotatable(key)) metadata.CurrentKeyMaterialId = keyMaterialId(key, key.secrets.length - 1);
  return metadata;
}

/**
 * Applies the automatic rotations that came due while the key was Enabled: one new backing version per elapsed
 * period, on schedule. KMS does not rotate Disabled or PendingDeletion keys (Developer Guide, "Rotating keys › How
 * automatic key rotation works"); state changes go through the management ops, which catch rotations up first, so
 * applying them lazily here gives the same versions as rotating in real time.
 */
export function applyDueRotation(env: OpEnv, key: KeyRecord): void {
  const rotation = key.rotation;
  let due = rotation.nextRotationMs;
  if (!rotation.enabled || due === undefined || key.state !== 'Enabled' || !isRotatable(key)) return;
  const now = env.nowMs();
  if (now < due) return;
  const periodMs = daysToMs(rotation.periodDays);
  while (due <= now) {
    env.rotate(key);
    due += periodMs;
  }
  rotation.nextRotationMs = due;
}

/**
 * Deletes a PendingDeletion key whose window has ended, with its aliases (KMS deletes both at the DeletionDate).
 * Returns true when it did.
 */
export function applyDueDeletion(env: OpEnv, key: KeyRecord): boolean {
  if (key.state !== 'PendingDeletion' || key.deletionDate === undefined) return false;
  if (env.nowMs() < key.deletionDate.getTime()) return false;
  const owner = env.store.partition(key.accountId, key.region);
  if (owner.keys.get(key.keyId) === key) owner.keys.delete(key.keyId);
  for (const [name, alias] of owner.aliases) {
    if (alias.targetKeyId === key.keyId) owner.aliases.delete(name);
  }
  return true;
}

/**
 * Brings a resolved key up to `env.nowMs()`: a key past its deletion date is gone (NotFoundException), a key past its
 * rotation date gets its new backing versions. Cheap when nothing is due (two field checks, no clock read unless
 * rotation is on), so the cryptographic operations can call it after resolving a key.
 */
export function applyKeySchedule(env: OpEnv, key: KeyRecord): void {
  if (key.state === 'PendingDeletion') {
    if (applyDueDeletion(env, key)) throw new KmsError('NotFoundException', `Key '${key.arn}' does not exist`);
    return;
  }
  if (key.rotation.enabled) applyDueRotation(env, key);
}

/** Resolves a KeyId (key id, key ARN, alias name or alias ARN) and applies what came due since (see above). */
export function resolveKey(env: OpEnv, caller: Partition, keyId: string): KeyRecord {
  const key = env.store.resolve(caller, keyId);
  applyKeySchedule(env, key);
  return key;
}

/** Deletes every key of the partition whose deletion date has passed (before listing keys or aliases). */
export function purgeDeletedKeys(env: OpEnv, partition: Partition): void {
  for (const key of partition.keys.values()) {
    if (key.state === 'PendingDeletion') applyDueDeletion(env, key);
  }
}

/** The required KeyId parameter (API reference: 1..2048 characters). */
export function requireKeyId(input: KmsInput, field = 'KeyId'): string {
  return requireString(input, field, LIMITS.keyIdMaxChars);
}

/** An UnsupportedOperationException: what KMS supports but the model does not, or what a key type cannot do. */
export function unsupportedOperation(message: string): KmsError {
  return new KmsError('UnsupportedOperationException', message);
}

/**
 * The key-state rule of most management operations (Developer Guide, "Key states of AWS KMS keys"): they work on
 * Enabled and Disabled keys; PendingDeletion (and the other transitional states) answer KMSInvalidStateException.
 */
export function requireManageable(key: KeyRecord): void {
  if (key.state !== 'Enabled' && key.state !== 'Disabled') throw invalidState(key);
}

/**
 * The key a management operation acts on, checked in AWS's order: resolved (and brought up to date), then the
 * key-state rule of `requireManageable`. Management operations do not work across accounts; authorization answers
 * that (`worksAcrossAccounts` in policy-actions.ts), after key state, as for every other action.
 */
export function resolveManageableKey(env: OpEnv, caller: Partition, keyId: string): KeyRecord {
  const key = resolveKey(env, caller, keyId);
  requireManageable(key);
  return key;
}

/** The key a cryptographic operation uses: resolved, Enabled (or the key-state error), and of the usage it needs. */
export function resolveUsableKey(env: OpEnv, caller: Partition, keyId: string, usage: KeyUsage, operation: string): KeyRecord {
  const key = resolveKey(env, caller, keyId);
  requireUsableKey(key);
  requireUsage(key, usage, operation);
  return key;
}

/** KMS's answer to an algorithm the key spec does not allow: "Algorithm <alg> is incompatible with key spec <spec>." */
export function requireAlgorithmOfKeySpec(key: KeyRecord, algorithm: string, allowed: readonly string[] | undefined): void {
  if (!(allowed ?? []).includes(algorithm)) {
    throw new KmsError('InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with key spec ${key.keySpec} of ${key.arn}.`);
  }
}
