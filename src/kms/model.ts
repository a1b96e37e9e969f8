/**
 * The in-process model of AWS KMS: partitions of keys and aliases per (account, region), real cryptography through
 * node:crypto, KMS's validation and error order, and per-account, per-region request quotas.
 */
import { seededUuid } from '../base/random.js';
import { checkKeyRoom, DEFAULT_ACCOUNT_ID, partitionAdmission, requireCallContext, resolveCallerOptions, type ModelLimits } from './callers.js';
import { KmsError } from './errors.js';
import { callAwaitingLease } from './lease-wait.js';
import { deriveSecret, generateAsymmetric, importAsymmetric, SYMMETRIC_KEY_BYTES } from './key-material.js';
import { KEY_SPECS } from './key-specs.js';
import { Keystore, type KeyRecord, type Partition } from './keystore.js';
import { defaultKeyPolicy } from './policy-templates.js';
import { LIMITS } from './limits.js';
import { wallTime } from '../base/time.js';
import { QuotaBoard, type QuotaSlotSnapshot } from '../quota/index.js';
import { quotaAdmit, THROTTLED, throttlingException, type NewKeyOptions, type OpEnv, type OpHandler } from './op-env.js';
import { ALIAS_OPS } from './ops-aliases.js';
import { ENCRYPTION_OPS } from './ops-encryption.js';
import { KEY_OPS } from './ops-keys.js';
import { MAC_OPS } from './ops-mac.js';
import { SIGNING_OPS } from './ops-signing.js';
import { keySeedOf, seedKeyOptions, type KeySeed } from './seeds.js';
import { applyKeySnapshot, seedOfSnapshot, snapshotKey, type ModelSnapshot } from './state-snapshot.js';
import type { CallContext, KmsCallable, KmsInput, KmsOutput } from './types.js';
import { accessDenied, evaluate, evaluateOnKey, fastAllowed, Verdict } from './authorize.js';
import { compileKeyPolicy } from './policy-compile.js';
import { PrincipalRegistry, type PrincipalSeed } from './principals.js';

export type { KeySeed } from './seeds.js';
export type { PrincipalSeed } from './principals.js';
export type { KmsModelOptions, KmsModelUsage } from './model-options.js';
import type { KmsModelOptions, KmsModelUsage } from './model-options.js';

const DAY_MS = 86_400_000;

/**
 * The in-process model of AWS KMS: keys and aliases per (account, region), real cryptography, KMS's validation and
 * error order, and per-account, per-region request quotas answered with a real `ThrottlingException`. Call it
 * directly with {@link KmsModel.call}, or serve it to the real `KMSClient` with `createKmsRequestHandler(model)`.
 */
export class KmsModel implements KmsCallable {
  readonly #accountId: string;
  readonly #seed: number;
  #keyCounter = 0;
  readonly #limits: ModelLimits;
  readonly #store: Keystore;
  readonly #handlers = new Map<string, OpHandler>();
  readonly #env: OpEnv;
  readonly #quota: QuotaBoard | undefined;
  readonly #principals = new PrincipalRegistry();

  constructor(options: KmsModelOptions = {}) {
    this.#accountId = options.restore?.accountId ?? options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.#seed = options.restore?.seed ?? options.seed ?? 1;
    this.#keyCounter = options.restore?.keyIdsIssued ?? 0;
    const callers = resolveCallerOptions(options);
    this.#limits = callers.limits;
    this.#store = new Keystore(partitionAdmission(callers.regions, callers.limits));
    const clock = options.clock ?? wallTime;
    if (options.quotaBoard !== undefined && options.quotas !== undefined) {
      throw new Error('KmsModel: give either quotas or quotaBoard, not both');
    }
    this.#quota = options.quotaBoard ?? (options.quotas === undefined ? undefined : new QuotaBoard(options.quotas, () => clock.nowNs()));
    const admit = quotaAdmit(this.#quota);
    const principals = this.#principals;
    const chargeDenied = options.chargeDenied === true;
    const principalOf = (ctx: CallContext, caller: Partition) =>
      ctx.principal === undefined ? principals.root(caller.accountId) : principals.get(ctx.principal);
    this.#env = {
      store: this.#store,
      crypto: options.crypto ?? 'real',
      nowMs: () => clock.nowEpochMs(),
      admit,
      charge: (ctx, caller, bucket, key) => {
        if (!admit(ctx, caller, bucket, key)) throw throttlingException();
      },
      authorize: (ctx, caller, action, key, input, bucket, resource) => {
        const principal = principalOf(ctx, caller);
        if (fastAllowed(principal, key)) return;
        const verdict =
          key === undefined ? evaluate({ action, principal, ctx, key, input }, undefined, resource) : evaluateOnKey(key, principal, action, ctx, input);
        if (verdict === Verdict.Allowed) return;
        // The caller is answered AccessDenied either way: take a token if one is left, but record no throttle.
        if (chargeDenied) admit(ctx, caller, bucket, key, false);
        throw accessDenied(principal, action, key, verdict, resource);
      },
      wouldAllow: (ctx, caller, action, key, policy, input) =>
        evaluate({ action, principal: principalOf(ctx, caller), ctx, key, input }, policy) === Verdict.Allowed,
      createKey: (partition, keyOptions) => this.#createKey(partition, keyOptions),
      rotate: (key) => this.#rotate(key),
    };
    for (const table of [ENCRYPTION_OPS, SIGNING_OPS, MAC_OPS, KEY_OPS, ALIAS_OPS]) {
      for (const [name, handler] of Object.entries(table)) this.#handlers.set(name, handler);
    }
    (options.principals ?? []).forEach((seed, i) => {
      try {
        this.#principals.put(seed);
      } catch (error) {
        throw new Error(`KmsModel: principals[${i}]: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    });
    (options.restore?.keys ?? []).forEach((snapshot, i) => {
      try {
        const partition = this.#store.partition(snapshot.accountId, snapshot.region);
        const seed = seedOfSnapshot(snapshot);
        applyKeySnapshot(partition, this.#createKey(partition, seedKeyOptions(seed), seed.material), snapshot);
      } catch (error) {
        throw new Error(`KmsModel: restore.keys[${i}]: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    });
    (options.keys ?? []).forEach((seed, i) => {
      try {
        this.#seedKey(seed);
      } catch (error) {
        // A seed the model refuses (unknown region, past a limit) is a configuration error: name the seed.
        throw new Error(`KmsModel: keys[${i}]: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    });
  }

  /**
   * Adds a principal, or replaces its IAM identity policies, from now on (policies are compiled here, once). Throws a
   * `MalformedPolicyDocumentException` naming every problem of a bad policy, and leaves the principal as it was.
   */
  putPrincipal(seed: PrincipalSeed): void {
    this.#principals.put(seed);
  }

  get accountId(): string {
    return this.#accountId;
  }

  /**
   * Answers one KMS request with SDK-shaped input and output; rejects with a `KmsError`. The context is required: a
   * missing one is a `ValidationException`, a region KMS does not have an `InvalidSignatureException`.
   */
  call(operation: string, input: KmsInput, context: CallContext): Promise<KmsOutput> {
    try {
      return Promise.resolve(callAwaitingLease(this, operation, input, context));
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
    // Checked before it is read; the region and account are checked when their partition is first made (callers.ts).
    if (context === null || typeof context !== 'object' || typeof context.region !== 'string') requireCallContext(context);
    // A principal calls from its own account: that account is charged and throttled, even for another account's key.
    const principal = context.principal;
    let accountId: unknown;
    if (principal === undefined) accountId = context.accountId ?? this.#accountId;
    else if (typeof principal === 'string') accountId = this.#principals.get(principal).accountId;
    if (typeof accountId !== 'string') {
      requireCallContext(context);
      throw new Error('unreachable: requireCallContext accepted a context without an account');
    }
    const caller = this.#store.partition(accountId, context.region);
    return handler(this.#env, input ?? {}, context, caller);
  }

  /** Every key the model holds, with its material, so another model (another thread) can hold the same keys. */
  exportKeys(): KeySeed[] {
    const seeds: KeySeed[] = [];
    for (const partition of this.#store.partitions()) {
      for (const key of partition.keys.values()) seeds.push(keySeedOf(partition, key));
    }
    return seeds;
  }

  /** Everything {@link KmsModelOptions.restore} needs to hold the same keys again, as JSON-safe data. */
  exportState(): ModelSnapshot {
    const keys = [];
    for (const partition of this.#store.partitions()) {
      for (const key of partition.keys.values()) keys.push(snapshotKey(partition, key));
    }
    return { accountId: this.#accountId, seed: this.#seed, keyIdsIssued: this.#keyCounter, keys };
  }

  /**
   * The key a request names (its `KeyId`, or for a Decrypt without one, its ciphertext blob's key), looked up without
   * charging a quota or changing anything; `undefined` when there is none or it cannot be found. For observers (which
   * quota bucket a request belongs to, which key a fault rule matches), never for answering requests.
   */
  peekKey(input: KmsInput, context: CallContext): { readonly arn: string; readonly keySpec: string } | undefined {
    try {
      const partition = this.#store.find(context.accountId ?? this.#accountId, context.region);
      if (partition === undefined) return undefined;
      const keyId = input['KeyId'] ?? input['SourceKeyId'];
      if (typeof keyId === 'string') {
        const key = this.#store.resolve(partition, keyId);
        return { arn: key.arn, keySpec: key.keySpec };
      }
      const blob = input['CiphertextBlob'];
      if (!(blob instanceof Uint8Array)) return undefined;
      const key = this.#store.blobKey(this.#store.blobHead(blob));
      return key === undefined ? undefined : { arn: key.arn, keySpec: key.keySpec };
    } catch {
      return undefined;
    }
  }

  /** The quota board this model charges, if quotas are on (share it with `board.share()`). */
  get quotaBoard(): QuotaBoard | undefined {
    return this.#quota;
  }

  /** How many accounts, (account, region) partitions and keys the model holds: each is bounded (`limits`). */
  usage(): KmsModelUsage {
    return this.#store.counts;
  }

  /** Per (account, region, bucket): the quota and how many requests it admitted and throttled. */
  quotaState(): QuotaSlotSnapshot[] {
    return this.#quota?.snapshot() ?? [];
  }

  #nextKeyId(): string {
    return seededUuid(`kms-bench key id ${this.#seed} ${this.#keyCounter++}`);
  }

  #createKey(partition: Partition, options: NewKeyOptions, material?: KeySeed['material']): KeyRecord {
    const info = KEY_SPECS[options.keySpec];
    if (info === undefined) throw new KmsError('ValidationException', `Unknown key spec ${options.keySpec}`);
    checkKeyRoom(this.#limits, partition.keys.size, this.#store.counts.keys, partition.region);
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
    if (seed.policy !== undefined) compileKeyPolicy(seed.policy); // a malformed policy is the seed's error, named
    const key = this.#createKey(partition, seedKeyOptions(seed), seed.material);
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
