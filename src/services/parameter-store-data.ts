/**
 * Parameter Store's numbers and answers as data, each row with its source. aws-kms-facts.md §6 gives the KMS calls but
 * no throughput figures: the values below are the ones kms-bench uses, with where they come from and how sure they are.
 * Throughput is per account and region and applies to standard and advanced parameters alike ("Changing Parameter
 * Store throughput", https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-throughput.html:
 * "the number of API transactions per second (TPS) that Systems Manager can process for GetParameter, GetParameters,
 * and PutParameter API calls for your AWS account and Region").
 */
import { KMS_THROTTLE_PASSED_ON, type ServiceErrorShape } from './service-error.js';
import type { ServiceQuotaRow } from './service-quota.js';

/** The account's throughput setting: `standard` (the default, free) or `higher` (billed per API interaction). */
export type ParameterStoreThroughput = 'standard' | 'higher';

/** The throughput settings, default first. */
export const PARAMETER_STORE_THROUGHPUTS: readonly ParameterStoreThroughput[] = ['standard', 'higher'];

const QUOTAS_PAGE = 'AWS General Reference, "AWS Systems Manager endpoints and quotas" (https://docs.aws.amazon.com/general/latest/gr/ssm.html), Parameter Store "Max throughput (transactions per second)"';

/**
 * Parameter Store's throttle: `ThrottlingException`, HTTP 400, "Rate exceeded" (AWS re:Post knowledge center, "How do
 * I prevent ThrottlingException errors that show Rate exceeded when I use Parameter Store?": "An error occurred
 * (ThrottlingException) when calling the GetParameter operation (reached max retries: 4): Rate exceeded").
 */
const THROTTLED: ServiceErrorShape = { code: 'ThrottlingException', httpStatus: 400, retry: 'throttle', message: 'Rate exceeded' };

/**
 * Parameter Store's answers, by cause.
 *
 * - `kmsThrottled`: undocumented, as for Secrets Manager (secretsmanager-data.ts gives the reasoning): GetParameter's
 *   documented errors (API Reference) are InternalServerError, InvalidKeyId, ParameterNotFound and
 *   ParameterVersionNotFound, none a throttle. kms-bench answers `ThrottlingException` (400) with KMS's message, so
 *   SDKs retry it as a throttle. UNCERTAIN.
 * - `kmsDenied`: `AccessDeniedException` (400) carrying KMS's denial — the IAM common error for a caller not allowed
 *   the key (Parameter Store passes KMS's access denial through; the caller needs kms:Decrypt for SecureString reads).
 * - `invalidKeyId`: `InvalidKeyId` (400, not retried) "The query key ID isn't valid" for any KMS error that retrying
 *   cannot cure (disabled, pending deletion or missing key, invalid ciphertext, KMSInvalidStateException …), on writes
 *   and reads alike. Writes: Parameter Store surfaces KMS's NotFoundException this way ("An error occurred
 *   (InvalidKeyId) when calling the PutParameter operation: Key '…' does not exist (Service: AWSKMS; … Error Code:
 *   NotFoundException …)", quoted in binxio/aws-ssm-copy#10; API Reference, PutParameter Errors). Reads: InvalidKeyId is
 *   among GetParameter's documented errors, but what it answers for each KMS error is not documented — a modelling
 *   choice, consistent with Secrets Manager's one non-retried class (secretsmanager-data.ts, `decryptionFailure`).
 * - `kmsTransient`: `InternalServerError` (500, retried as transient), the API's documented answer for an unexpected
 *   failure, for KMS's own transient faults only (KMSInternalException, DependencyTimeoutException,
 *   KeyUnavailableException: {@link KMS_TRANSIENT_ERRORS}), so a retry can succeed as it would against KMS.
 * - `notFound`: `ParameterNotFound`, HTTP 400 (API Reference, GetParameter Errors).
 */
export const PARAMETER_STORE_ERRORS = {
  throttled: THROTTLED,
  kmsThrottled: KMS_THROTTLE_PASSED_ON,
  kmsDenied: { code: 'AccessDeniedException', httpStatus: 400, retry: 'fatal', message: 'The caller is not allowed to use the parameter\'s KMS key.' },
  kmsTransient: { code: 'InternalServerError', httpStatus: 500, retry: 'transient', message: 'An error occurred on the server side.' },
  invalidKeyId: { code: 'InvalidKeyId', httpStatus: 400, retry: 'fatal', message: "The query key ID isn't valid." },
  notFound: { code: 'ParameterNotFound', httpStatus: 400, retry: 'fatal', message: 'The parameter could not be found.' },
} as const satisfies Record<string, ServiceErrorShape>;

/** KMS's server-side faults (aws-kms-facts.md §2, HTTP 500/503): the only KMS errors a retry can cure. */
export const KMS_TRANSIENT_ERRORS: ReadonlySet<string> = new Set(['KMSInternalException', 'DependencyTimeoutException', 'KeyUnavailableException']);

/**
 * The throughput quotas. One row per (operation group, setting); the model uses the rows of the scenario's setting
 * (`parameterStore.throughput`), and `serviceQuotas` overrides a row by its full name (`ssm:GetParameter`).
 */
export const PARAMETER_STORE_QUOTAS: readonly ServiceQuotaRow[] = [
  {
    service: 'ssm',
    name: 'GetParameter',
    operations: ['ssm:GetParameter'],
    ratePerSec: 40,
    scope: 'account-region',
    error: THROTTLED,
    source: `${QUOTAS_PAGE}: "Default throughput: 40 (Shared by the following API actions: GetParameter, GetParameters, GetParametersByPath)" — the page as quoted in 2022 (dev.classmethod.jp) and unchanged since as far as kms-bench knows`,
  },
  {
    service: 'ssm',
    name: 'GetParameter-higher',
    operations: ['ssm:GetParameter'],
    ratePerSec: 10_000,
    scope: 'account-region',
    error: THROTTLED,
    source: `${QUOTAS_PAGE}: "Higher throughput: 10,000 (Shared by GetParameter and GetParameters)". The 2022 page said 3,000; 10,000 is kms-bench's reading of the current page, not in aws-kms-facts.md — override it if yours differs`,
  },
  {
    service: 'ssm',
    name: 'PutParameter',
    operations: ['ssm:PutParameter'],
    ratePerSec: 3,
    scope: 'account-region',
    error: THROTTLED,
    source: `${QUOTAS_PAGE}: PutParameter, default throughput 3 per second. UNCERTAIN (from memory of the quotas page, not in aws-kms-facts.md)`,
  },
  {
    service: 'ssm',
    name: 'PutParameter-higher',
    operations: ['ssm:PutParameter'],
    ratePerSec: 10,
    scope: 'account-region',
    error: THROTTLED,
    source: `${QUOTAS_PAGE}: PutParameter, higher throughput 10 per second. UNCERTAIN (from memory of the quotas page, not in aws-kms-facts.md)`,
  },
];
