/** kms-bench's public API. Everything not exported here is internal. */
export { KmsModel, DEFAULT_ACCOUNT_ID } from './kms/model.js';
export type { KeySeed, KmsModelOptions, ModelClock } from './kms/model.js';
export { KmsError, KMS_ERROR_STATUS, THROTTLING_MESSAGE, isRetryableKmsError } from './kms/errors.js';
export type { KmsErrorName } from './kms/errors.js';
export { KMS_OPERATIONS } from './kms/types.js';
export type { CallContext, KmsCallable, KmsInput, KmsOperation, KmsOutput } from './kms/types.js';
export { KEY_SPECS } from './kms/key-specs.js';
export { LIMITS, RSA_OAEP_MAX_PLAINTEXT_BYTES } from './kms/limits.js';

export { createKmsRequestHandler, startKmsServer } from './protocol/index.js';
export type { KmsRequestHandler, KmsRequestHandlerOptions, KmsServer, KmsServerOptions } from './protocol/index.js';

export { QuotaBoard, QuotaOptionsError, bucketFor, validateQuotaOptions } from './quota/index.js';
export type { QuotaOptions, QuotaSlotSnapshot, SharedQuotaBoard } from './quota/index.js';

export { ManualClock, wallClock } from './engine/clock.js';
export type { Clock } from './engine/clock.js';
export { planVariant } from './engine/plan.js';
export { runVariants } from './engine/run.js';
export type { EngineRun, RunOptions, RunProgress, VariantRun } from './engine/run.js';

export { createRetryPolicy } from './client/retry-policy.js';
export type { RetryPolicy, RetryPolicyOptions } from './client/retry-policy.js';

export { buildResult, resultToJson, RESULT_SCHEMA, RESULT_SCHEMA_VERSION } from './report/result.js';
export type { RunResult, VariantResult } from './report/result.js';
