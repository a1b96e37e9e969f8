/** What an operation handler sees of the model (keystore, time, quota admission, key creation); the throttle answer. */
import { QuotaCapacityError, type QuotaBoard, type QuotaBucket } from '../quota/index.js';
import { KmsError, THROTTLING_MESSAGE } from './errors.js';
import type { KeyRecord, Keystore, Partition } from './keystore.js';
import type { CryptoMode } from './symmetric-crypto.js';
import type { KmsAction } from './policy-actions.js';
import type { CompiledPolicy } from './policy-compile.js';
import type { CallContext, KmsInput, KmsOutput } from './types.js';

export interface NewKeyOptions {
  readonly keySpec: string;
  readonly keyUsage: KeyRecord['keyUsage'];
  readonly keyId?: string;
  readonly description?: string;
  readonly multiRegion?: boolean;
  readonly keyManager?: 'CUSTOMER' | 'AWS';
  readonly awsOwned?: boolean;
  readonly policy?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface OpEnv {
  readonly store: Keystore;
  /** `off` frames symmetric blobs without cipher work (virtual-clock planning runs); see symmetric-crypto.ts. */
  readonly crypto: CryptoMode;
  /** Wall-clock (or simulated) epoch milliseconds, for dates in responses and rotation schedules. */
  nowMs(): number;
  /**
   * Charges one request to the caller's (account, region) bucket, or throws ThrottlingException. The caller pays even
   * for cross-account use; AWS-owned keys are not counted (aws-kms-facts.md §1). `bucket` is always what
   * `bucketFor` (quota/classify.ts) answers for the request: the one rule for which quota an operation uses.
   */
  charge(ctx: CallContext, caller: Partition, bucket: QuotaBucket, key?: KeyRecord): void;
  /**
   * `charge` without the throw, for the cryptographic operations (the ones fleets send at rate): false when throttled,
   * and the handler then returns {@link THROTTLED} at once. The model throws the ThrottlingException from its own frame,
   * or not at all (`attemptSync`): a throw from deep inside a handler costs about half as much again as one from the
   * model's frame (V8 unwinds and describes every frame in between).
   */
  admit(ctx: CallContext, caller: Partition, bucket: QuotaBucket, key?: KeyRecord, countRefusal?: boolean): boolean;
  /**
   * Authorization, checked after key state and usage and before the quota: returns when the caller (`ctx.principal`,
   * else the root of the calling account) may perform `action` on `key` (undefined for actions on no key), throws
   * AccessDeniedException otherwise (authorize.ts). `bucket` is the request's quota bucket, charged for a denied
   * request only under the model option `chargeDenied`. With no key, `resource` (default '*') is the ARN the caller's
   * identity policies are matched against, e.g. an alias ARN.
   */
  authorize(
    ctx: CallContext,
    caller: Partition,
    action: KmsAction,
    key: KeyRecord | undefined,
    input: KmsInput,
    bucket: QuotaBucket,
    resource?: string,
  ): void;
  /** Whether `principal` would be allowed `action` on `key` were its policy `policy` (PutKeyPolicy's lockout check). */
  wouldAllow(ctx: CallContext, caller: Partition, action: KmsAction, key: KeyRecord, policy: CompiledPolicy, input: KmsInput): boolean;
  createKey(partition: Partition, options: NewKeyOptions): KeyRecord;
  /** Adds a backing-key version to a symmetric key; older versions stay for decryption. */
  rotate(key: KeyRecord): void;
}

export type OpHandler = (env: OpEnv, input: KmsInput, ctx: CallContext, caller: Partition) => KmsOutput;

/**
 * What a handler returns when `OpEnv.admit` refused the request: `KmsModel.callSync` throws a ThrottlingException for
 * it, `KmsModel.attemptSync` returns it as is.
 */
export const THROTTLED: KmsOutput = Object.freeze({});

/**
 * `OpEnv.admit` over a quota board: AWS-owned keys are not counted, the caller's partition pays. A board whose slots
 * are all taken cannot track a new (account, region, bucket): that request alone is refused with a
 * `LimitExceededException` naming the option to raise, while every caller that already holds a slot carries on.
 */
export function quotaAdmit(quota: QuotaBoard | undefined): OpEnv['admit'] {
  return (_ctx, caller, bucket, key, countRefusal) => {
    if (quota === undefined || key?.awsOwned === true) return true;
    // The caller's partition is the (account, region) pair the quota is kept for: cache its limiters there.
    caller.quota ??= quota.partition(caller.accountId, caller.region);
    try {
      return caller.quota.admit(bucket, countRefusal);
    } catch (error) {
      if (!(error instanceof QuotaCapacityError)) throw error;
      throw new KmsError(
        'LimitExceededException',
        `kms-bench's quota board is full (${error.capacity} slots, one per account, region and bucket), so the ` +
          `${bucket} quota of account ${caller.accountId} in ${caller.region} cannot be tracked; raise quotas.capacity.`,
      );
    }
  };
}

/** The answer to a throttled request, raised where the model meets its caller. */
export function throttlingException(): KmsError {
  return new KmsError('ThrottlingException', THROTTLING_MESSAGE);
}
