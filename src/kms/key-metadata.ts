/**
 * What the key-management operations share: `KeyMetadata` as CreateKey and DescribeKey return it, the time-driven
 * changes of a key (automatic rotation, end of the deletion window), the key-state and cross-account rules of the
 * management APIs, and Marker paging for the List* operations.
 */
import { createHash } from 'node:crypto';
import { KmsError } from './errors.js';
import { KEY_SPECS } from './key-specs.js';
import type { KeyRecord, KeyState, Partition } from './keystore.js';
import { LIMITS } from './limits.js';
import type { OpEnv } from './op-env.js';
import type { CallContext, KmsInput, KmsOutput } from './types.js';
import { optionalInteger, optionalString, requireString } from './validate.js';

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

/** The KMSInvalidStateException of the key-state table: "<key ARN> is pending deletion." */
export function invalidState(key: KeyRecord): KmsError {
  return new KmsError('KMSInvalidStateException', `${key.arn} is ${describeState(key.state)}.`);
}

/**
 * The key-state rule of most management operations (Developer Guide, "Key states of AWS KMS keys"): they work on
 * Enabled and Disabled keys; PendingDeletion (and the other transitional states) answer KMSInvalidStateException.
 */
export function requireManageable(key: KeyRecord): void {
  if (key.state !== 'Enabled' && key.state !== 'Disabled') throw invalidState(key);
}

/**
 * Management operations do not work across accounts ("Cross-account use: No" in the API reference); a principal of
 * another account is refused even if the key policy names it (Developer Guide, "Allowing users in other accounts to
 * use a KMS key").
 */
export function requireOwnKey(key: KeyRecord, ctx: CallContext, caller: Partition, operation: string): void {
  if (key.accountId === caller.accountId) return;
  const principal = ctx.principal ?? `arn:aws:iam::${caller.accountId}:root`;
  throw new KmsError(
    'AccessDeniedException',
    `User: ${principal} is not authorized to perform: kms:${operation} on resource: ${key.arn} because ${operation} cannot be used across accounts`,
  );
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly truncated: boolean;
  readonly nextMarker?: string;
}

function encodeMarker(kind: string, last: string): string {
  return Buffer.from(`${kind}\u0000${last}`, 'utf8').toString('base64url');
}

function decodeMarker(kind: string, marker: string): string {
  const text = Buffer.from(marker, 'base64url').toString('utf8');
  const prefix = `${kind}\u0000`;
  if (!text.startsWith(prefix) || encodeMarker(kind, text.slice(prefix.length)) !== marker) {
    throw new KmsError('InvalidMarkerException', 'The request was rejected because the marker that specifies where pagination should next begin is not valid.');
  }
  return text.slice(prefix.length);
}

/** The Limit and Marker parameters of a List* operation, validated (ValidationException) before anything else. */
export interface Paging {
  readonly limit: number;
  readonly marker: string | undefined;
}

/**
 * Reads Limit and Marker. `Limit` is validated as the API's LimitType (1..1000) and then capped at the operation's own
 * maximum, which the API reference documents per operation (ListKeys 1000, ListAliases 100, ListResourceTags 50).
 */
export function readPaging(input: KmsInput, defaultLimit: number, maxLimit: number): Paging {
  const requested = optionalInteger(input, 'Limit', 1, LIMITS.listLimitMax);
  const marker = optionalString(input, 'Marker', LIMITS.markerMaxChars);
  return { limit: Math.min(requested ?? defaultLimit, maxLimit), marker };
}

/**
 * One page. `sorted` is ordered by `keyOf` (unique, ascending by code unit); the Marker is opaque, names the list it
 * belongs to (`kind`) and the last item returned, so pages stay consistent when items come and go between calls. A
 * Marker this list did not issue is an InvalidMarkerException.
 */
export function listPage<T>(sorted: readonly T[], keyOf: (item: T) => string, paging: Paging, kind: string): Page<T> {
  let start = 0;
  if (paging.marker !== undefined) {
    const after = decodeMarker(kind, paging.marker);
    // First item sorting after the marker's (binary search: a partition can hold 100,000 keys).
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keyOf(sorted[mid] as T) <= after) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const items = sorted.slice(start, start + paging.limit);
  const last = items[items.length - 1];
  return start + paging.limit < sorted.length && last !== undefined
    ? { items, truncated: true, nextMarker: encodeMarker(kind, keyOf(last)) }
    : { items, truncated: false };
}

/** Sorts by a string key in code-unit order, the order `listPage` pages in. */
export function sortedBy<T>(items: Iterable<T>, keyOf: (item: T) => string): T[] {
  return [...items].sort((a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/** The page as KMS writes it: the list, `Truncated`, and `NextMarker` only when truncated. */
export function pageOutput<T>(field: string, page: Page<T>, entry: (item: T) => KmsOutput): KmsOutput {
  const out: KmsOutput = { [field]: page.items.map(entry), Truncated: page.truncated };
  if (page.nextMarker !== undefined) out.NextMarker = page.nextMarker;
  return out;
}
