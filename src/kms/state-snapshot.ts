/**
 * A model's keys as plain JSON-safe data, and back: what `kms-bench serve --state DIR` writes so that a restarted
 * server holds the same keys, aliases, policies, tags, key states, rotation schedules and key material — every backing
 * version of a rotated key, so ciphertexts made before a restart still decrypt after it.
 *
 * Keys are restored through the same path that seeds a model's keys (and CreateKey's `Policy`): `KmsModel` creates
 * each key from its seed, then the lifecycle fields a seed does not carry (dates, deletion window, rotation schedule,
 * alias dates) are put back here. The seed of the model and the count of key ids it has issued travel too: new key ids
 * and new backing versions derive from them, and a restarted model must not issue an id (and material) it already
 * issued.
 */
import type { KeyRecord, KeyState, Partition } from './keystore.js';
import type { KeySeed } from './seeds.js';
import { keyIdentity, keySeedOf } from './seeds.js';

/** One key as stored: its seed (material in base64) and the lifecycle fields a seed does not carry. */
export interface KeySnapshot {
  readonly region: string;
  readonly accountId: string;
  readonly keyId: string;
  readonly keySpec: string;
  readonly keyUsage: KeyRecord['keyUsage'];
  readonly description: string;
  readonly state: KeyState;
  readonly multiRegion: boolean;
  readonly keyManager: 'CUSTOMER' | 'AWS';
  readonly awsOwned: boolean;
  readonly policy: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly creationDateMs: number;
  readonly deletionDateMs?: number;
  readonly pendingWindowDays?: number;
  readonly rotation: {
    readonly enabled: boolean;
    readonly periodDays: number;
    readonly nextRotationMs?: number;
    readonly onDemandMs: readonly number[];
  };
  /** Aliases naming this key, with their dates. */
  readonly aliases: readonly { readonly name: string; readonly creationDateMs: number; readonly lastUpdatedDateMs: number }[];
  /** Symmetric or HMAC backing keys, oldest first, base64; or an RSA/ECC private key, PKCS#8 DER in base64. */
  readonly material: { readonly secrets: readonly string[] } | { readonly privateKeyPkcs8: string };
}

/** Everything a model needs to hold the same keys again. */
export interface ModelSnapshot {
  readonly accountId: string;
  /** The model seed: key ids and the backing versions of later rotations derive from it. */
  readonly seed: number;
  /** How many key ids the model has issued from its seed (the next CreateKey continues from here). */
  readonly keyIdsIssued: number;
  readonly keys: readonly KeySnapshot[];
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** A key record as a {@link KeySnapshot}. */
export function snapshotKey(partition: Partition, key: KeyRecord): KeySnapshot {
  const seed = keySeedOf(partition, key);
  const aliases = [...partition.aliases.values()]
    .filter((alias) => alias.targetKeyId === key.keyId)
    .map((alias) => ({
      name: alias.aliasName,
      creationDateMs: alias.creationDate.getTime(),
      lastUpdatedDateMs: alias.lastUpdatedDate.getTime(),
    }));
  const material = seed.material?.privateKeyPkcs8 !== undefined
    ? { privateKeyPkcs8: b64(seed.material.privateKeyPkcs8) }
    : { secrets: (seed.material?.secrets ?? []).map(b64) };
  return {
    ...keyIdentity(key),
    policy: key.policy,
    tags: Object.fromEntries(key.tags),
    creationDateMs: key.creationDate.getTime(),
    ...(key.deletionDate === undefined ? {} : { deletionDateMs: key.deletionDate.getTime() }),
    ...(key.pendingWindowDays === undefined ? {} : { pendingWindowDays: key.pendingWindowDays }),
    rotation: {
      enabled: key.rotation.enabled,
      periodDays: key.rotation.periodDays,
      ...(key.rotation.nextRotationMs === undefined ? {} : { nextRotationMs: key.rotation.nextRotationMs }),
      onDemandMs: key.rotation.onDemand.map((date) => date.getTime()),
    },
    aliases,
    material,
  };
}

/** The seed that creates a snapshot's key (aliases are put back with their dates by {@link applyKeySnapshot}). */
export function seedOfSnapshot(snapshot: KeySnapshot): KeySeed {
  const material = snapshot.material;
  return {
    region: snapshot.region,
    accountId: snapshot.accountId,
    keyId: snapshot.keyId,
    keySpec: snapshot.keySpec,
    keyUsage: snapshot.keyUsage,
    description: snapshot.description,
    multiRegion: snapshot.multiRegion,
    keyManager: snapshot.keyManager,
    awsOwned: snapshot.awsOwned,
    policy: snapshot.policy,
    tags: snapshot.tags,
    material:
      'privateKeyPkcs8' in material
        ? { privateKeyPkcs8: new Uint8Array(Buffer.from(material.privateKeyPkcs8, 'base64')) }
        : { secrets: material.secrets.map((s) => new Uint8Array(Buffer.from(s, 'base64'))) },
  };
}

/** Puts back what a seed does not carry: state, dates, rotation schedule, aliases with their dates. */
export function applyKeySnapshot(partition: Partition, key: KeyRecord, snapshot: KeySnapshot): void {
  key.state = snapshot.state;
  // creationDate is readonly on the record (it never changes while the model runs); a restore is its one writer.
  (key as { creationDate: Date }).creationDate = new Date(snapshot.creationDateMs);
  if (snapshot.deletionDateMs !== undefined) key.deletionDate = new Date(snapshot.deletionDateMs);
  if (snapshot.pendingWindowDays !== undefined) key.pendingWindowDays = snapshot.pendingWindowDays;
  key.rotation = {
    enabled: snapshot.rotation.enabled,
    periodDays: snapshot.rotation.periodDays,
    ...(snapshot.rotation.nextRotationMs === undefined ? {} : { nextRotationMs: snapshot.rotation.nextRotationMs }),
    onDemand: snapshot.rotation.onDemandMs.map((ms) => new Date(ms)),
  };
  for (const alias of snapshot.aliases) {
    partition.aliases.set(alias.name, {
      aliasName: alias.name,
      aliasArn: partition.aliasArn(alias.name),
      targetKeyId: key.keyId,
      creationDate: new Date(alias.creationDateMs),
      lastUpdatedDate: new Date(alias.lastUpdatedDateMs),
    });
  }
}
