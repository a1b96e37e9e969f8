/**
 * Keys given to a model when it starts (a scenario's keys, or another model's `exportKeys()`), and the conversions
 * between a seed and a key record.
 */
import { exportPkcs8 } from './key-material.js';
import { KEY_SPECS } from './key-specs.js';
import type { KeyRecord, KeyState, Partition } from './keystore.js';
import type { NewKeyOptions } from './op-env.js';

/** A key to create when the model starts (from a scenario, or exported by another model with `exportKeys`). */
export interface KeySeed {
  readonly region: string;
  readonly accountId?: string;
  /** Fixed key id (UUID or `mrk-` + 32 hex); otherwise derived from the model seed. */
  readonly keyId?: string;
  readonly keySpec?: string;
  readonly keyUsage?: KeyRecord['keyUsage'];
  readonly description?: string;
  readonly state?: KeyState;
  readonly aliases?: readonly string[];
  readonly multiRegion?: boolean;
  readonly keyManager?: 'CUSTOMER' | 'AWS';
  /** An AWS-owned key: usable, but not charged to the caller's quota. */
  readonly awsOwned?: boolean;
  readonly rotationEnabled?: boolean;
  /**
   * The key policy, a JSON document (e.g. `keyUserAdminPolicy(...)`), stored as given and enforced; absent → KMS's
   * default key policy (the account root may do `kms:*`, delegating to IAM). A malformed one fails the model's start.
   */
  readonly policy?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** Key material; by default derived from the seed (symmetric, HMAC) or generated (RSA, ECC). */
  readonly material?: {
    /** Symmetric or HMAC backing keys, oldest first (rotation versions). */
    readonly secrets?: readonly Uint8Array[];
    /** RSA or ECC private key, PKCS#8 DER. */
    readonly privateKeyPkcs8?: Uint8Array;
  };
}

/** The CreateKey-like options a seed stands for; throws for a key spec or usage the model does not know. */
export function seedKeyOptions(seed: KeySeed): NewKeyOptions {
  const keySpec = seed.keySpec ?? 'SYMMETRIC_DEFAULT';
  const info = KEY_SPECS[keySpec];
  if (info === undefined) throw new Error(`unknown keySpec "${keySpec}"`);
  const keyUsage = seed.keyUsage ?? info.usages[0] ?? 'ENCRYPT_DECRYPT';
  if (!info.usages.includes(keyUsage)) throw new Error(`keyUsage ${keyUsage} is not valid for ${keySpec}`);
  return {
    keySpec,
    keyUsage,
    ...(seed.keyId === undefined ? {} : { keyId: seed.keyId }),
    ...(seed.description === undefined ? {} : { description: seed.description }),
    ...(seed.multiRegion === undefined ? {} : { multiRegion: seed.multiRegion }),
    ...(seed.keyManager === undefined ? {} : { keyManager: seed.keyManager }),
    ...(seed.awsOwned === undefined ? {} : { awsOwned: seed.awsOwned }),
    ...(seed.policy === undefined ? {} : { policy: seed.policy }),
    ...(seed.tags === undefined ? {} : { tags: seed.tags }),
  };
}

/** What identifies a key and says what it is: the fields a seed and a state snapshot both carry as they are. */
export function keyIdentity(key: KeyRecord) {
  return {
    region: key.region,
    accountId: key.accountId,
    keyId: key.keyId,
    keySpec: key.keySpec,
    keyUsage: key.keyUsage,
    description: key.description,
    state: key.state,
    multiRegion: key.multiRegion,
    keyManager: key.keyManager,
    awsOwned: key.awsOwned,
  };
}

/** A key as a seed, with its material and aliases, so another model (another thread) can hold the same key. */
export function keySeedOf(partition: Partition, key: KeyRecord): KeySeed {
  const aliases = [...partition.aliases.values()].filter((a) => a.targetKeyId === key.keyId).map((a) => a.aliasName);
  return {
    ...keyIdentity(key),
    aliases,
    rotationEnabled: key.rotation.enabled,
    policy: key.policy,
    tags: Object.fromEntries(key.tags),
    material:
      key.asymmetric === undefined
        ? { secrets: key.secrets.map((s) => new Uint8Array(s)) }
        : { privateKeyPkcs8: exportPkcs8(key.asymmetric) },
  };
}
