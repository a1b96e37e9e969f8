/**
 * One request through the wire: decode → call the target → encode, with every failure turned into the KMS error
 * response it stands for. Shared by the SDK request handler and the HTTP server, so both answer byte for byte alike.
 */
import { randomUUID } from 'node:crypto';
import type { CallContext, KmsCallable, KmsInput } from '../kms/types.js';
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

/** One answered request, as an observer (metrics, logs) sees it. */
export interface AnsweredRequest {
  /** The operation, when the request named a known one. */
  readonly operation: string | undefined;
  /** The decoded input, when the body decoded. */
  readonly input: KmsInput | undefined;
  /** Who called and where, when the caller could be resolved. */
  readonly context: CallContext | undefined;
  readonly statusCode: number;
  /** The KMS error name answered, or `undefined` for a success. */
  readonly errorName: string | undefined;
  /** From decoding to the encoded answer, nanoseconds (`process.hrtime.bigint()` time). */
  readonly durationNs: bigint;
}

/** Told about every answered request, after it is encoded; must not throw (a throw is ignored). */
export type RequestObserver = (request: AnsweredRequest) => void;

export interface DispatchOptions {
  readonly contexts: CallContextResolver;
  readonly onInternalError: InternalErrorListener | undefined;
  readonly onAnswered?: RequestObserver | undefined;
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
  const observer = options.onAnswered;
  const startedNs = observer === undefined ? 0n : process.hrtime.bigint();
  let operation: string | undefined;
  let input: KmsInput | undefined;
  let context: CallContext | undefined;
  let response: WireResponse;
  let errorName: string | undefined;
  try {
    const decoded = decodeRequest(request.target, request.body);
    operation = decoded.operation;
    input = decoded.input;
    context = options.contexts.resolve(request.hostname, request.authorization);
    const output = await target.call(decoded.operation, decoded.input, context);
    const body = encodeOutput(decoded.operation, output);
    response = { statusCode: 200, headers: headers(undefined, body.byteLength), body };
  } catch (error) {
    notify(options.onInternalError, error, operation);
    const encoded = encodeError(error);
    errorName = encoded.errorName;
    response = { statusCode: encoded.status, headers: headers(encoded.errorName, encoded.body.byteLength), body: encoded.body };
  }
  if (observer !== undefined) {
    try {
      observer({ operation, input, context, statusCode: response.statusCode, errorName, durationNs: process.hrtime.bigint() - startedNs });
    } catch {
      // An observer's failure must not change the answer.
    }
  }
  return response;
}
