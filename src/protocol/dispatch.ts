/**
 * One request through the wire: decode → call the target → encode, with every failure turned into the KMS error
 * response it stands for. Shared by the SDK request handler and the HTTP server, so both answer byte for byte alike.
 */
import { randomUUID } from 'node:crypto';
import type { KmsCallable } from '../kms/types.js';
import type { CallContextResolver } from './call-context.js';
import { asKmsError, decodeRequest, encodeError, encodeOutput, KMS_CONTENT_TYPE } from './codec.js';

/** What the wire layer needs from a request. Header values as sent; `hostname` without a port. */
export interface WireRequest {
  readonly target: string | undefined;
  readonly body: string | Uint8Array | null | undefined;
  readonly hostname: string | undefined;
  readonly authorization: string | undefined;
}

export interface WireResponse {
  readonly statusCode: number;
  /** A fresh object per response: the SDK rewrites response headers in place. */
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

/**
 * Called with a failure that is not a KMS error (a defect in the target, or an output that does not fit the
 * operation's shape) before it is answered as a generic 500 `KMSInternalException`.
 */
export type InternalErrorListener = (error: unknown, operation: string | undefined) => void;

export interface DispatchOptions {
  readonly contexts: CallContextResolver;
  readonly onInternalError: InternalErrorListener | undefined;
}

function headers(errorName: string | undefined, length: number): Record<string, string> {
  const h: Record<string, string> = {
    'content-type': KMS_CONTENT_TYPE,
    'content-length': String(length),
    'x-amzn-requestid': randomUUID(),
  };
  // The SDK's JSON-RPC deserialiser reads `__type` first (then `code`, then this header); AWS's JSON services also
  // send the header, so clients that read only headers see the same name.
  if (errorName !== undefined) h['x-amzn-errortype'] = errorName;
  return h;
}

function notify(listener: InternalErrorListener | undefined, error: unknown, operation: string | undefined): void {
  if (listener === undefined || asKmsError(error) !== undefined) return;
  try {
    listener(error, operation);
  } catch {
    // A failing listener must not turn one failed request into a crash.
  }
}

/** Answers one KMS request. Never rejects. */
export async function dispatchKmsRequest(
  target: KmsCallable,
  request: WireRequest,
  options: DispatchOptions,
): Promise<WireResponse> {
  let operation: string | undefined;
  try {
    const decoded = decodeRequest(request.target, request.body);
    operation = decoded.operation;
    const context = options.contexts.resolve(request.hostname, request.authorization);
    const output = await target.call(decoded.operation, decoded.input, context);
    const body = encodeOutput(decoded.operation, output);
    return { statusCode: 200, headers: headers(undefined, body.byteLength), body };
  } catch (error) {
    notify(options.onInternalError, error, operation);
    const encoded = encodeError(error);
    return { statusCode: encoded.status, headers: headers(encoded.errorName, encoded.body.byteLength), body: encoded.body };
  }
}
