/**
 * AWS services that call KMS on a caller's behalf (docs/SERVICES.md): Secrets Manager and Parameter Store (S3 joins
 * through the same contract), their own request quotas, and the attribution of every KMS call to its source.
 */
export { KMS_CALL_SOURCES, SERVICE_NAMES, isServiceOperationName, rootPrincipal, serviceCaller, serviceOf } from './types.js';
export type {
  KmsCallSource,
  ServiceCaller,
  ServiceInput,
  ServiceKms,
  ServiceKmsCall,
  ServiceName,
  ServiceOperationName,
  ServiceOutput,
} from './types.js';
export { ServiceError, isServiceError, serviceRetryClass } from './service-error.js';
export type { ServiceErrorCause, ServiceErrorShape, ServiceRetryClass } from './service-error.js';
export { failed, sharedFailure, succeeded } from './outcome.js';
export type { ServiceOutcome } from './outcome.js';
export { ServiceQuotas, serviceQuotaName, serviceQuotaRate } from './service-quota.js';
export type { ServiceQuotaOverrides, ServiceQuotaRow, ServiceQuotaSnapshot } from './service-quota.js';
export { ServiceAttribution, mergeServiceCounts } from './attribution.js';
export type { KmsCallCounts, ServiceCountsWire, ServiceRequestCounts } from './attribution.js';
export { KmsRefusal, KmsRoute, THROTTLED, onBehalfContext, viaServiceOf } from './kms-on-behalf.js';
export type { KmsAnswer } from './kms-on-behalf.js';
export type {
  PrepareKms,
  ServiceDefinition,
  ServiceEnv,
  ServiceHandler,
  ServiceInstance,
  ServiceKey,
  ServiceOperationDef,
  ServiceOperationParam,
  ServiceResources,
  ServiceSetup,
} from './definition.js';
export { SERVICE_DEFINITIONS, SERVICE_OPERATION_NAMES, serviceDefinition, serviceOperation } from './catalog.js';
export { ServiceWorld } from './world.js';
export type { ServiceWorldOptions } from './world.js';
export { SECRETS_MANAGER, secretArn, secretEncryptionContext } from './secretsmanager.js';
export type { SecretSpec } from './secretsmanager.js';
export { SECRETS_MANAGER_ERRORS, SECRETS_MANAGER_QUOTAS } from './secretsmanager-data.js';
export { PARAMETER_STORE, parameterArn, parameterEncryptionContext } from './parameter-store.js';
export type { ParameterSpec, ParameterStoreSettings, ParameterTier } from './parameter-store.js';
export { PARAMETER_STORE_ERRORS, PARAMETER_STORE_QUOTAS, PARAMETER_STORE_THROUGHPUTS } from './parameter-store-data.js';
export type { ParameterStoreThroughput } from './parameter-store-data.js';
export { READ_CALL, READ_DONE, SECRET_CACHE_PRESETS, SecretCache, SecretCaches, SecretRead } from './secret-cache.js';
export type { ReadStep, SecretCacheSetup, SecretCacheStyle } from './secret-cache.js';
