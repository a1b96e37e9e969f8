import { KmsError } from '../../src/kms/errors.js';
/** The error a call rejected with, as tests inspect it: its name and message, and the SDK's response metadata if any. */
export type CallError = Error & { $metadata?: { httpStatusCode?: number; attempts?: number } };

/** Awaits `promise` and returns the error it rejected with; fails the test if it resolved or threw a non-Error. */
export async function rejectionOf(promise: Promise<unknown>): Promise<CallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`expected the call to reject with an Error, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected the call to fail');
}

/** Runs `call` and returns the `KmsError` it threw; fails the test if it returned or threw anything else. */
export function kmsErrorOf(call: () => unknown): KmsError {
  try {
    call();
  } catch (error) {
    if (error instanceof KmsError) return error;
    throw error;
  }
  throw new Error('expected a KmsError');
}
