/** Request quotas: profiles as data, operation → bucket classification, shared-memory limiters. */
export {
  DATA_KEY_PAIR_BUCKETS,
  DATA_KEY_PAIR_SPECS,
  MANAGEMENT_APIS,
  QUOTA_BUCKETS,
  bucketIndexOf,
  isQuotaBucket,
} from './buckets.js';
export type { DataKeyPairBucket, DataKeyPairSpec, ManagementApi, QuotaBucket } from './buckets.js';
export { bucketFor } from './classify.js';
export {
  QUOTA_PROFILES,
  QUOTA_PROFILE_NAMES,
  SYMMETRIC_TIER_REGIONS,
  isQuotaProfileName,
  resolveQuotaPerSec,
} from './profiles.js';
export type { QuotaOverrides, QuotaProfile, QuotaProfileName } from './profiles.js';
export {
  DEFAULT_QUOTA_CAPACITY,
  DEFAULT_QUOTA_MAX_THREADS,
  QUOTA_ENFORCEMENTS,
  QuotaOptionsError,
  checkQuotaOptions,
  validateQuotaOptions,
} from './options.js';
export type { QuotaEnforcement, QuotaOptions, QuotaOptionsIssue, ResolvedQuotaOptions } from './options.js';
export { fixedWindowParams, tokenBucketParams } from './limiters.js';
export type { NowNs } from './limiters.js';
export { QuotaBoard } from './board.js';
export { DEFAULT_QUOTA_RUN_ID, runIdProblem } from './options.js';
export { DEFAULT_QUOTA_LEASE, DEFAULT_QUOTA_TIMEOUT_MS, QUOTA_FAULT_POLICIES, checkQuotaStore } from './store-options.js';
export type { QuotaFaultPolicy, QuotaStoreSpec, RedisStoreSpec } from './store-options.js';
export { QuotaCapacityError } from './slot-table.js';
export type { QuotaPartition, QuotaSlotSnapshot, SharedQuotaBoard } from './board.js';
export type { QuotaStoreReport } from './store.js';
export { RateBoard } from './rate-board.js';
export type { RateBoardOptions, RateLimiter, RateSlotSnapshot, ResolvedRateBoardOptions, SharedRateBoard } from './rate-board.js';
