/** What a {@link KmsModel} is built from, and what it reports it holds. */
import type { TimeSource } from '../base/time.js';
import type { QuotaBoard, QuotaOptions } from '../quota/index.js';
import type { ModelLimits } from './callers.js';
import type { PrincipalSeed } from './principals.js';
import type { KeySeed } from './seeds.js';
import type { ModelSnapshot } from './state-snapshot.js';
import type { CryptoMode } from './symmetric-crypto.js';

/** Options of {@link KmsModel}; every one is optional. */
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
  /**
   * Time for quota windows (monotonic ns), dates and rotation schedules (epoch ms). The run engine passes its clock
   * (wall or virtual); the default is the wall clock.
   */
  readonly clock?: TimeSource;
  /**
   * `real` (default) performs the cryptography; `off` frames symmetric ciphertext blobs without cipher work, keeping
   * every validation, key-state check and quota decision — for long virtual-clock planning runs only.
   */
  readonly crypto?: CryptoMode;
  /**
   * Region names to accept besides the built-in table of regions KMS has (`KMS_REGIONS`, regions.ts): a region
   * launched after the table, or a made-up name a test needs. Requests for any other region are refused with
   * `InvalidSignatureException`, as KMS refuses a request signed for a region it does not have.
   */
  readonly regions?: readonly string[];
  /**
   * Bounds on what callers can make the model hold: `accounts` (default 1,000), `keys` across the model (default
   * 10,000) and `keysPerRegion` (KMS's resource quota, 100,000). A request past one is a `LimitExceededException`.
   */
  readonly limits?: Partial<ModelLimits>;
  /**
   * Principals callers act as (`CallContext.principal`), with their IAM identity policies; change them at run time with
   * `putPrincipal`. A caller naming no principal is its account's root; a principal not listed has no identity policies.
   */
  readonly principals?: readonly PrincipalSeed[];
  /**
   * Whether a request refused with AccessDeniedException still draws from the request quota. Default `false`: KMS
   * throttles "a request that might otherwise be valid" (Developer Guide, "Throttling AWS KMS requests",
   * https://docs.aws.amazon.com/kms/latest/developerguide/throttling.html) and checks authorization before the quota;
   * AWS documents no charge for denied requests. `true` models a quota that counts every request received: a denied
   * request takes a token when one is left, and is still answered AccessDeniedException when none is, so it is never
   * recorded as throttled (`quotaState` counts only the throttles callers were answered).
   */
  readonly chargeDenied?: boolean;
  /**
   * Keys to hold again, from another model's {@link KmsModel.exportState} (e.g. `kms-bench serve --state`). Its account
   * and seed replace `accountId` and `seed`; `keys` are created after it (a seed whose key id it holds is refused).
   */
  readonly restore?: ModelSnapshot;
}

/** How much the model holds: calling accounts, (account, region) partitions, keys. */
export interface KmsModelUsage {
  readonly accounts: number;
  readonly partitions: number;
  readonly keys: number;
}
