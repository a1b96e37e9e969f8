/**
 * The in-process model of AWS KMS: partitions of keys and aliases per (account, region), real cryptography through
 * node:crypto, KMS's validation and error order, and per-account, per-region request quotas.
 */
import { createHash } from 'node:crypto';
import { KmsError } from './errors.js';
import { deriveSecret, exportPkcs8, generateAsymmetric, importAsymmetric, SYMMETRIC_KEY_BYTES } from './key-material.js';
import { KEY_SPECS } from './key-specs.js';
import { defaultKeyPolicy, Keystore, type KeyRecord, type KeyState, type Partition } from './keystore.js';
import { LIMITS } from './limits.js';
import { QuotaBoard, wallNowNs, type QuotaOptions, type QuotaSlotSnapshot } from '../quota/index.js';
import { quotaAdmit, THROTTLED, throttlingException, type NewKeyOptions, type OpEnv, type OpHandler } from './op-env.js';
import type { CryptoMode } from './symmetric-crypto.js';
import { ALIAS_OPS } from './ops-aliases.js';
import { ENCRYPTION_OPS } from './ops-encryption.js';
import { KEY_OPS } from './ops-keys.js';
import { MAC_OPS } from './ops-mac.js';
import { SIGNING_OPS } from './ops-signing.js';
import type { CallContext, KmsCallable, KmsInput, KmsOutput } from './types.js';
import { createKmsRequestHandler, type KmsRequestHandler, type KmsRequestHandlerOptions } from '../protocol/request-handler.js';

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

/**
 * Time for quota windows (monotonic ns), dates and rotation schedules (epoch ms). The run engine passes its clock
 * (wall or virtual); the default is the wall clock.
 */
export interface ModelClock {
  nowNs(): number;
  nowEpochMs(): number;
}

export interface KmsModelOptions {
  /** The model's own account, used for callers that name none. Default `111122223333`. */
  readonly accountId?: string;
  /** Seeds key ids and symmetric key material. Default 1. */
  readonly seed?: number;
  readonly keys?: readonly KeySeed[];
  /** Request quotas to enforce (profile, enforcement, overrides). Default: none enforced. */
  readonly quotas?: QuotaOptions;
  /** A quota board to draw from instead, e.g. `QuotaBoard.fromShared(...)` so threads share one budget. */
  readonly quotaBoard?: QuotaBoard;
  readonly clock?: ModelClock;
  /**
   * `real` (default) performs the cryptography; `off` frames symmetric ciphertext blobs without cipher work, keeping
   * every validation, key-state check and quota decision — for long virtual-clock planning runs only.
   */
  readonly crypto?: CryptoMode;
}

export const DEFAULT_ACCOUNT_ID = '111122223333';
const WALL_CLOCK: ModelClock = { nowNs: wallNowNs, nowEpochMs: () => Date.now() };
const DAY_MS = 86_400_000;

export class KmsModel implements KmsCallable {
  readonly #accountId: string;
  readonly #seed: number;
  #keyCounter = 0;
  readonly #store = new Keystore();
  readonly #handlers = new Map<string, OpHandler>();
  readonly #env: OpEnv;
  readonly #quota: QuotaBoard | undefined;

  constructor(options: KmsModelOptions = {}) {
    this.#accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.#seed = options.seed ?? 1;
    const clock = options.clock ?? WALL_CLOCK;
    if (options.quotaBoard !== undefined && options.quotas !== undefined) {
      throw new Error('KmsModel: give either quotas or quotaBoard, not both');
    }
    this.#quota = options.quotaBoard ?? (options.quotas === undefined ? undefined : new QuotaBoard(options.quotas, () => clock.nowNs()));
    const admit = quotaAdmit(this.#quota);
    this.#env = {
      store: this.#store,
      crypto: options.crypto ?? 'real',
      nowMs: () => clock.nowEpochMs(),
      admit,
      charge: (ctx, caller, bucket, key) => {
        if (!admit(ctx, caller, bucket, key)) throw throttlingException();
      },
      createKey: (partition, keyOptions) => this.#createKey(partition, keyOptions),
      rotate: (key) => this.#rotate(key),
    };
    for (const table of [ENCRYPTION_OPS, SIGNING_OPS, MAC_OPS, KEY_OPS, ALIAS_OPS]) {
      for (const [name, handler] of Object.entries(table)) this.#handlers.set(name, handler);
    }
    for (const seed of options.keys ?? []) this.#seedKey(seed);
  }

  get accountId(): string {
    return this.#accountId;
  }

  /** Answers one KMS request with SDK-shaped input and output; rejects with a `KmsError`. */
  call(operation: string, input: KmsInput, context: CallContext): Promise<KmsOutput> {
    try {
      return Promise.resolve(this.callSync(operation, input, context));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** `call` without the promise, for the in-process client. */
  callSync(operation: string, input: KmsInput, context: CallContext): KmsOutput {
    const output = this.attemptSync(operation, input, context);
    if (output === THROTTLED) throw throttlingException();
    return output;
  }

  /**
   * `callSync` for the simulator's hot path: a throttled cryptographic request returns {@link THROTTLED} (the quota
   * decision, with every check before it made) instead of throwing, since a throw costs more than the whole request.
   * Throttled management requests, and every other error, are thrown as `callSync` throws them.
   */
  attemptSync(operation: string, input: KmsInput, context: CallContext): KmsOutput {
    const handler = this.#handlers.get(operation);
    if (handler === undefined) {
      throw new KmsError('UnknownOperationException', `Operation ${operation} is not supported by KMS.`);
    }
    const caller = this.#store.partition(context.accountId ?? this.#accountId, context.region);
    return handler(this.#env, input ?? {}, context, caller);
  }

  /**
   * A Smithy `HttpHandler` for `new KMSClient({ region, credentials, requestHandler: kms.requestHandler() })`: the
   * real SDK serializes, signs, retries and deserializes; only the socket is replaced by this model.
   */
  requestHandler(options?: KmsRequestHandlerOptions): KmsRequestHandler {
    return createKmsRequestHandler(this, options);
  }

  /** Every key the model holds, with its material, so another model (another thread) can hold the same keys. */
  exportKeys(): KeySeed[] {
    const seeds: KeySeed[] = [];
    for (const partition of this.#store.partitions()) {
      for (const key of partition.keys.values()) {
        const aliases = [...partition.aliases.values()].filter((a) => a.targetKeyId === key.keyId).map((a) => a.aliasName);
        seeds.push({
          region: key.region,
          accountId: key.accountId,
          keyId: key.keyId,
          keySpec: key.keySpec,
          keyUsage: key.keyUsage,
          description: key.description,
          state: key.state,
          aliases,
          multiRegion: key.multiRegion,
          keyManager: key.keyManager,
          awsOwned: key.awsOwned,
          rotationEnabled: key.rotation.enabled,
          policy: key.policy,
          tags: Object.fromEntries(key.tags),
          material:
            key.asymmetric === undefined
              ? { secrets: key.secrets.map((s) => new Uint8Array(s)) }
              : { privateKeyPkcs8: exportPkcs8(key.asymmetric) },
        });
      }
    }
    return seeds;
  }

  /** The quota board this model charges, if quotas are on (share it with `board.share()`). */
  get quotaBoard(): QuotaBoard | undefined {
    return this.#quota;
  }

  /** Per (account, region, bucket): the quota and how many requests it admitted and throttled. */
  quotaState(): QuotaSlotSnapshot[] {
    return this.#quota?.snapshot() ?? [];
  }

  #nextKeyId(): string {
    const bytes = createHash('sha256').update(`kms-bench key id ${this.#seed} ${this.#keyCounter++}`).digest().subarray(0, 16);
    // RFC 9562 version 4 and variant bits, so ids look like the UUIDs KMS issues.
    bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
    bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  #createKey(partition: Partition, options: NewKeyOptions, material?: KeySeed['material']): KeyRecord {
    const info = KEY_SPECS[options.keySpec];
    if (info === undefined) throw new KmsError('ValidationException', `Unknown key spec ${options.keySpec}`);
    if (partition.keys.size >= LIMITS.keysPerRegionMax) {
      throw new KmsError('LimitExceededException', `Too many keys in ${partition.region} (${LIMITS.keysPerRegionMax}).`);
    }
    const keyId = options.keyId ?? (options.multiRegion === true ? `mrk-${this.#nextKeyId().replaceAll('-', '')}` : this.#nextKeyId());
    if (partition.keys.has(keyId)) throw new KmsError('AlreadyExistsException', `Key ${keyId} already exists.`);
    const secrets: Buffer[] = [];
    let asymmetric: KeyRecord['asymmetric'];
    if (info.family === 'symmetric' || info.family === 'hmac') {
      const bytes = info.hmacKeyBytes ?? SYMMETRIC_KEY_BYTES;
      for (const secret of material?.secrets ?? [deriveSecret(this.#seed, keyId, 0, bytes)]) secrets.push(Buffer.from(secret));
    } else {
      asymmetric = material?.privateKeyPkcs8 === undefined ? generateAsymmetric(options.keySpec) : importAsymmetric(material.privateKeyPkcs8);
    }
    const key: KeyRecord = {
      keyId,
      arn: partition.keyArn(keyId),
      accountId: partition.accountId,
      region: partition.region,
      keySpec: options.keySpec,
      keyUsage: options.keyUsage,
      family: info.family,
      creationDate: new Date(this.#env.nowMs()),
      multiRegion: options.multiRegion ?? false,
      keyManager: options.keyManager ?? 'CUSTOMER',
      awsOwned: options.awsOwned ?? false,
      description: options.description ?? '',
      state: 'Enabled',
      secrets,
      blobHeads: [],
      ...(asymmetric === undefined ? {} : { asymmetric }),
      rotation: { enabled: false, periodDays: LIMITS.rotationPeriodDefaultDays, onDemand: [] },
      policy: options.policy ?? defaultKeyPolicy(partition.accountId),
      tags: new Map(Object.entries(options.tags ?? {})),
    };
    partition.keys.set(keyId, key);
    return key;
  }

  /** Appends a backing version; the automatic schedule is the caller's (key-metadata.ts), on-demand leaves it alone. */
  #rotate(key: KeyRecord): void {
    key.secrets.push(deriveSecret(this.#seed, key.keyId, key.secrets.length, SYMMETRIC_KEY_BYTES));
  }

  #seedKey(seed: KeySeed): void {
    const partition = this.#store.partition(seed.accountId ?? this.#accountId, seed.region);
    const keySpec = seed.keySpec ?? 'SYMMETRIC_DEFAULT';
    const info = KEY_SPECS[keySpec];
    if (info === undefined) throw new Error(`keys: unknown keySpec "${keySpec}"`);
    const keyUsage = seed.keyUsage ?? info.usages[0] ?? 'ENCRYPT_DECRYPT';
    if (!info.usages.includes(keyUsage)) throw new Error(`keys: keyUsage ${keyUsage} is not valid for ${keySpec}`);
    const key = this.#createKey(
      partition,
      {
        keySpec,
        keyUsage,
        ...(seed.keyId === undefined ? {} : { keyId: seed.keyId }),
        ...(seed.description === undefined ? {} : { description: seed.description }),
        ...(seed.multiRegion === undefined ? {} : { multiRegion: seed.multiRegion }),
        ...(seed.keyManager === undefined ? {} : { keyManager: seed.keyManager }),
        ...(seed.awsOwned === undefined ? {} : { awsOwned: seed.awsOwned }),
        ...(seed.policy === undefined ? {} : { policy: seed.policy }),
        ...(seed.tags === undefined ? {} : { tags: seed.tags }),
      },
      seed.material,
    );
    key.state = seed.state ?? 'Enabled';
    if (seed.rotationEnabled === true) {
      key.rotation.enabled = true;
      key.rotation.nextRotationMs = this.#env.nowMs() + key.rotation.periodDays * DAY_MS;
    }
    const now = new Date(this.#env.nowMs());
    for (const aliasName of seed.aliases ?? []) {
      partition.aliases.set(aliasName, {
        aliasName,
        aliasArn: partition.aliasArn(aliasName),
        targetKeyId: key.keyId,
        creationDate: now,
        lastUpdatedDate: now,
      });
    }
  }
}
