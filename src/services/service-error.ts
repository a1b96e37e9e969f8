/**
 * A service's error answer. Services answer in their own words — Secrets Manager's `ThrottlingException`, S3's 503
 * `SlowDown`, a KMS denial surfaced as the service's `AccessDeniedException` — and the retry class the AWS SDKs give
 * that answer decides whether the fleet's retry policy tries again. The cause says why, for attribution: a KMS
 * throttle surfaced through the service and the service's own request quota are different fixes.
 *
 * Not an `Error` subclass: a throttled request is the hot path under overload, and capturing a stack per refusal costs
 * more than the rest of the request. Throttle answers are made once per (service, cause) and shared.
 */
import { THROTTLING_MESSAGE } from '../kms/errors.js';

/** Why a service request failed. */
export type ServiceErrorCause =
  /** The service's KMS call was throttled by the caller's KMS request quota. */
  | 'kms-throttled'
  /** The service's own request quota (per account and region, or per resource such as an S3 prefix) refused it. */
  | 'service-quota'
  /** The service refused the caller (a bucket policy, an IAM policy on the service). */
  | 'access-denied'
  /** KMS refused the service's call on the caller's behalf (key policy, IAM, `kms:ViaService`). */
  | 'kms-access-denied'
  /** Any other KMS error on the service's call (disabled key, not found, invalid ciphertext, …). */
  | 'kms-error'
  /** The resource the request names does not exist. */
  | 'not-found'
  /** The request is malformed for the service. */
  | 'invalid-request';

/** How a client retries an answer: as a throttle, as a transient server fault, or not at all (the SDK's classes). */
export type ServiceRetryClass = 'throttle' | 'transient' | 'fatal';

/** The shape of one kind of service error, as a data table row gives it. */
export interface ServiceErrorShape {
  /** The error code the service answers (the SDK error's `name`): `ThrottlingException`, `SlowDown`, … */
  readonly code: string;
  readonly httpStatus: number;
  readonly retry: ServiceRetryClass;
  /** The service's message. */
  readonly message: string;
}

/** A service's error answer. `name` is the service's error code, so the engine counts failures by it. */
export class ServiceError {
  readonly name: string;
  readonly message: string;
  readonly httpStatus: number;
  readonly retry: ServiceRetryClass;
  readonly service: string;
  readonly cause: ServiceErrorCause;
  /** The KMS error behind a `kms-*` cause (`ThrottlingException`, `AccessDeniedException`, …). */
  readonly kmsErrorName: string | undefined;

  constructor(service: string, cause: ServiceErrorCause, shape: ServiceErrorShape, kmsErrorName?: string, message?: string) {
    this.name = shape.code;
    this.message = message ?? shape.message;
    this.httpStatus = shape.httpStatus;
    this.retry = shape.retry;
    this.service = service;
    this.cause = cause;
    this.kmsErrorName = kmsErrorName;
  }
}

/** True for a service's error answer. */
export function isServiceError(value: unknown): value is ServiceError {
  return value instanceof ServiceError;
}

/**
 * The retry class of a service error, `undefined` for anything else (a KMS error: the caller classifies it as KMS
 * errors are classified).
 */
export function serviceRetryClass(error: unknown): ServiceRetryClass | undefined {
  return error instanceof ServiceError ? error.retry : undefined;
}

/**
 * A KMS throttle passed on by a service that does not document its own answer (Secrets Manager, Parameter Store):
 * KMS's ThrottlingException with KMS's wording, retried as a throttle. Each service's data table says why.
 */
export const KMS_THROTTLE_PASSED_ON = {
  code: 'ThrottlingException',
  httpStatus: 400,
  retry: 'throttle',
  message: THROTTLING_MESSAGE,
} as const satisfies ServiceErrorShape;
