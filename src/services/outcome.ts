/** A service's answer to one request: its output, or its error (service-error.ts). */
import { ServiceError, type ServiceErrorCause, type ServiceErrorShape } from './service-error.js';
import type { ServiceOutput } from './types.js';

/** What a service answers one request with. */
export type ServiceOutcome = { readonly ok: true; readonly output: ServiceOutput } | { readonly ok: false; readonly error: ServiceError };

/** A success. */
export function succeeded(output: ServiceOutput): ServiceOutcome {
  return { ok: true, output };
}

/** A failure with `error`. */
export function failed(error: ServiceError): ServiceOutcome {
  return { ok: false, error };
}

/**
 * A failure answered the same way every time (a throttle: no detail in the message), made once and shared: nothing is
 * allocated per refused request.
 */
export function sharedFailure(service: string, cause: ServiceErrorCause, shape: ServiceErrorShape, kmsErrorName?: string): ServiceOutcome {
  return Object.freeze({ ok: false, error: Object.freeze(new ServiceError(service, cause, shape, kmsErrorName)) }) as ServiceOutcome;
}
