/**
 * A Smithy `HttpHandler` that answers a real `KMSClient` in-process:
 *
 * ```ts
 * const client = new KMSClient({ region: 'eu-west-1', credentials, requestHandler: createKmsRequestHandler(model) });
 * ```
 *
 * The client's whole middleware stack runs (serialisation, SigV4 signing, retry strategy, deserialisation, error
 * classes); only the socket is replaced. The response body is a `Uint8Array`, which the SDK's `collectBody` takes as
 * is (no stream, no copy).
 */
import type { HttpHandlerOptions, HttpRequest, HttpResponse, RequestHandlerMetadata } from '@smithy/types';
import type { KmsCallable } from '../kms/types.js';
import { CallContextResolver, type CallContextOptions } from './call-context.js';
import { dispatchKmsRequest, type DispatchOptions, type InternalErrorListener } from './dispatch.js';

/** Options of {@link createKmsRequestHandler}: how a request's caller maps to an account, and who hears of defects. */
export interface KmsRequestHandlerOptions extends CallContextOptions {
  /** Told about failures that are answered as a generic 500 `KMSInternalException` (model defects). */
  readonly onInternalError?: InternalErrorListener;
}

/** The Smithy `HttpHandler` contract (`@smithy/core/protocols`), as `KMSClient`'s `requestHandler` accepts it. */
export interface KmsRequestHandler {
  readonly metadata: RequestHandlerMetadata;
  handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }>;
  updateHttpClientConfig(key: string, value: unknown): void;
  httpHandlerConfigs(): Record<string, unknown>;
  destroy(): void;
}

function header(headers: HttpRequest['headers'], lowerName: string): string | undefined {
  // The SDK writes lower-case names; custom middleware may not.
  const direct = headers[lowerName];
  if (direct !== undefined) return direct;
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === lowerName) return headers[name];
  }
  return undefined;
}

type Signal = NonNullable<HttpHandlerOptions['abortSignal']>;

function abortError(signal: Signal): Error {
  const reason = (signal as { reason?: unknown }).reason;
  // Same shape as the SDK's own handlers: an Error named AbortError, which the retry strategy never retries.
  const error = new Error(reason instanceof Error ? reason.message : 'Request aborted', { cause: reason });
  error.name = 'AbortError';
  return error;
}

/** Settles with `work`, or rejects with an AbortError as soon as `signal` fires (the target's work is not cancelled). */
function raceAbort<T>(work: Promise<T>, signal: Signal): Promise<T> {
  if (typeof (signal as AbortSignal).addEventListener !== 'function') {
    // The legacy Smithy AbortSignal has only `aborted`/`onabort`: check once the work is done.
    return work.then((value) => {
      if (signal.aborted) throw abortError(signal);
      return value;
    });
  }
  const dom = signal as AbortSignal;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    dom.addEventListener('abort', onAbort, { once: true });
    // The target runs synchronously up to its first await, so the signal may have fired before the listener existed.
    if (dom.aborted) onAbort();
    work.then(
      (value) => {
        dom.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        dom.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Creates the in-process handler serving `target` over the KMS JSON 1.1 protocol. The region comes from the request
 * host name (`kms.<region>.amazonaws.com` and its FIPS, dual-stack, China and VPC-endpoint forms), else from the
 * SigV4 credential scope; the account from `options.accountForAccessKey`.
 */
export function createKmsRequestHandler(target: KmsCallable, options: KmsRequestHandlerOptions = {}): KmsRequestHandler {
  if (target === null || typeof target !== 'object' || typeof target.call !== 'function') {
    throw new TypeError('createKmsRequestHandler: target must have a call(operation, input, context) method');
  }
  if (options.onInternalError !== undefined && typeof options.onInternalError !== 'function') {
    throw new TypeError('onInternalError must be a function');
  }
  const dispatch: DispatchOptions = {
    contexts: new CallContextResolver(options),
    onInternalError: options.onInternalError,
  };
  const config: Record<string, unknown> = {};

  return {
    metadata: { handlerProtocol: 'http/1.1' },

    handle(request: HttpRequest, handlerOptions?: HttpHandlerOptions): Promise<{ response: HttpResponse }> {
      const signal = handlerOptions?.abortSignal;
      if (signal?.aborted === true) return Promise.reject(abortError(signal));
      const headers = request.headers;
      const work = dispatchKmsRequest(
        target,
        {
          target: header(headers, 'x-amz-target'),
          body: request.body as string | Uint8Array | null | undefined,
          hostname: request.hostname,
          authorization: header(headers, 'authorization'),
        },
        dispatch,
      ).then((response) => ({ response }));
      return signal === undefined ? work : raceAbort(work, signal);
    },

    updateHttpClientConfig(key: string, value: unknown): void {
      config[key] = value;
    },

    httpHandlerConfigs(): Record<string, unknown> {
      return { ...config };
    },

    destroy(): void {
      // Nothing to release: no sockets, no timers.
    },
  };
}
