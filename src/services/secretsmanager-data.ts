/**
 * Secrets Manager's numbers and answers as data, each row with its source (DESIGN.md, "Fidelity you can cite").
 * Quotas: Secrets Manager User Guide, "AWS Secrets Manager quotas",
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_limits.html (read late 2026), and
 * aws-kms-facts.md §6. Each quota is per account and region; cross-account requests charge the calling account.
 */
import { KMS_THROTTLE_PASSED_ON, type ServiceErrorShape } from './service-error.js';
import type { ServiceQuotaRow } from './service-quota.js';

const QUOTAS_PAGE = 'Secrets Manager User Guide, "AWS Secrets Manager quotas" (reference_limits.html)';
const API_ERRORS = 'Secrets Manager API Reference, "Common Errors" and each operation\'s Errors section';

/** Secrets Manager's request-rate answer, for its own quotas. */
const THROTTLED: ServiceErrorShape = {
  code: 'ThrottlingException',
  httpStatus: 400,
  retry: 'throttle',
  message: 'Rate exceeded',
};

/**
 * Secrets Manager's answers, by cause.
 *
 * - `throttled` (its own quota): `ThrottlingException`, HTTP 400, "Rate exceeded" — the AWS JSON protocol's common
 *   throttling error (API Reference, "Common Errors"), the message users quote (external-secrets/external-secrets#4065:
 *   "ThrottlingException: Rate exceeded … status code: 400"). The SDKs retry it as a throttle.
 * - `kmsThrottled`: AWS does not document what GetSecretValue answers when its Decrypt is throttled. The operation's
 *   documented errors are DecryptionFailure, InternalServiceError, InvalidParameterException, InvalidRequestException
 *   and ResourceNotFoundException, none of them a throttle. kms-bench answers `ThrottlingException` (HTTP 400) with
 *   KMS's own message, reasoning: requests services make on your behalf draw from your KMS quota and are throttled
 *   like yours (aws-kms-facts.md §1), and a service that passes KMS's answer through keeps its name and words; the alternative, a `DecryptionFailure`, would not be retried by any SDK. UNCERTAIN: change this row if
 *   AWS documents otherwise; the retry class follows the code.
 * - `kmsDenied`: `AccessDeniedException` "Access to KMS is not allowed", HTTP 400, as GetSecretValue answers a caller
 *   without kms:Decrypt on the secret's key (quoted in awsdocs/aws-kms-developer-guide#36).
 * - `decryptionFailure` / `encryptionFailure`: `DecryptionFailure` (reads) and `EncryptionFailure` (writes), HTTP 400,
 *   for any other KMS error — "Secrets Manager can't decrypt the protected secret text using the provided KMS key" /
 *   "… can't encrypt …" (API Reference, GetSecretValue and PutSecretValue Errors). Not retried.
 * - `notFound`: `ResourceNotFoundException`, HTTP 400, "Secrets Manager can't find the resource that you asked for."
 */
export const SECRETS_MANAGER_ERRORS = {
  throttled: THROTTLED,
  kmsThrottled: KMS_THROTTLE_PASSED_ON,
  kmsDenied: { code: 'AccessDeniedException', httpStatus: 400, retry: 'fatal', message: 'Access to KMS is not allowed' },
  decryptionFailure: {
    code: 'DecryptionFailure',
    httpStatus: 400,
    retry: 'fatal',
    message: "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
  },
  encryptionFailure: {
    code: 'EncryptionFailure',
    httpStatus: 400,
    retry: 'fatal',
    message: "Secrets Manager can't encrypt the protected secret text using the provided KMS key.",
  },
  notFound: { code: 'ResourceNotFoundException', httpStatus: 400, retry: 'fatal', message: "Secrets Manager can't find the resource that you asked for." },
} as const satisfies Record<string, ServiceErrorShape>;

/** Secrets Manager's request quotas per account and region. */
export const SECRETS_MANAGER_QUOTAS: readonly ServiceQuotaRow[] = [
  {
    service: 'secretsmanager',
    name: 'GetSecretValue',
    operations: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
    ratePerSec: 10_000,
    scope: 'account-region',
    error: THROTTLED,
    source:
      `${QUOTAS_PAGE}: "Combined rate of DescribeSecret and GetSecretValue API requests: 10,000 per second", not adjustable ` +
      '(raised in March 2025, "AWS Secrets Manager increases API requests per second"); aws-kms-facts.md §6',
  },
  {
    service: 'secretsmanager',
    name: 'writes',
    operations: ['secretsmanager:PutSecretValue'],
    ratePerSec: 50,
    scope: 'account-region',
    error: THROTTLED,
    source: `${QUOTAS_PAGE}: "Combined rate of PutSecretValue, RemoveRegionsFromReplication, ReplicateSecretToRegion, StopReplicationToReplica, UpdateSecret, and UpdateSecretVersionStage API requests: 50 per second"`,
  },
  {
    service: 'secretsmanager',
    name: 'CreateSecret',
    operations: ['secretsmanager:CreateSecret'],
    ratePerSec: 50,
    scope: 'account-region',
    error: THROTTLED,
    // Not in aws-kms-facts.md; the quotas page lists CreateSecret among the 50-per-second control-plane rates. Override
    // it with serviceQuotas if your account's page says otherwise.
    source: `${QUOTAS_PAGE}: CreateSecret, 50 per second; ${API_ERRORS} for the answer`,
  },
];
