/**
 * A KMS endpoint over real HTTP (`node:http`), for clients outside the process (other SDKs, the AWS CLI, curl):
 *
 * ```ts
 * const server = await startKmsServer(model);          // http://127.0.0.1:<free port>
 * const client = new KMSClient({ region: 'eu-west-1', endpoint: server.url, credentials });
 * ```
 *
 * Same codec and dispatch as the in-process handler. `POST /` with `Content-Type: application/x-amz-json-1.1` only;
 * the region comes from the `Host` header when it is a KMS host name, else from the SigV4 credential scope (a client
 * given `endpoint` signs with its own region). Signatures are not checked, so the server binds to loopback unless told
 * otherwise. Time limits, a connection cap and a header-size cap keep one client from holding the server
 * (http-guards.ts); requests Node cannot parse are answered with a KMS-style JSON error where the socket still allows.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { KmsCallable } from '../kms/types.js';
import { CallContextResolver } from './call-context.js';
import { encodeErrorBody, KMS_CONTENT_TYPE } from './codec.js';
import { dispatchKmsRequest, type DispatchOptions, type RequestObserver } from './dispatch.js';
import {
  clientErrorAnswer,
  connectionsCheckingIntervalMs,
  contentTypeProblem,
  isLoopbackAddress,
  resolveServerGuards,
  writeRawError,
  type ServerGuardOptions,
} from './http-guards.js';
import type { KmsRequestHandlerOptions } from './request-handler.js';

/** Largest request body accepted by default. KMS's own largest inputs (a 32 KiB key policy) fit many times over. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Options of {@link startKmsServer}: where to listen, how much to accept, and how callers map to accounts. */
export interface KmsServerOptions extends KmsRequestHandlerOptions, ServerGuardOptions {
  /** Interface to listen on (default `127.0.0.1`). */
  readonly host?: string;
  /** Port to listen on (default `0`: any free port; read it back from `KmsServer.port`). */
  readonly port?: number;
  /** Request bodies larger than this are answered with 413 (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Required to listen on a non-loopback interface: the server trusts every caller. */
  readonly allowNonLoopback?: boolean;
  /** Told about every answered KMS request (metrics, logs). */
  readonly onAnswered?: RequestObserver;
  /**
   * Requests that are not KMS calls (`GET /metrics`, an admin path): called first for every request; return true when
   * it answered the request, false to let the server answer it as KMS would.
   */
  readonly routes?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/** A running KMS endpoint over HTTP, from {@link startKmsServer}. */
export interface KmsServer {
  /** Base URL to give `KMSClient` as `endpoint`, e.g. `http://127.0.0.1:54321`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Stops listening and closes open connections (keep-alive sockets included). Idempotent. */
  close(): Promise<void>;
  /**
   * Graceful stop: stops accepting connections, lets the requests in flight finish (their answers carry
   * `Connection: close`), closes idle keep-alive connections, and resolves when every connection has ended. Requests
   * still running after `timeoutMs` (default: the request time limit) are cut off. Idempotent.
   */
  drain(timeoutMs?: number): Promise<void>;
  /** Requests being answered right now. */
  readonly inFlight: number;
}

/** `Host` header without its port (`[::1]:80` → `[::1]`, `kms.eu-west-1.amazonaws.com:443` → the name). */
function hostnameOf(host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end < 0 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

function sendError(res: ServerResponse, status: number, name: string, message: string, extra: Record<string, string> = {}): void {
  const body = encodeErrorBody(name, message);
  res.writeHead(status, {
    'content-type': KMS_CONTENT_TYPE,
    'content-length': String(body.byteLength),
    'x-amzn-errortype': name,
    ...extra,
  });
  res.end(body);
}

/**
 * Reads the whole body, or `undefined` when it exceeds `limit` (the rest is drained, never buffered). Rejects when the
 * request ends early (the client went away, or the server cut it off at its time limit).
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    req.on('close', () => {
      if (!req.complete) reject(new Error('request closed before its body was complete'));
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.byteLength;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

/** What every request of one server shares. */
interface ServeContext {
  readonly target: KmsCallable;
  readonly dispatch: DispatchOptions;
  readonly maxBodyBytes: number;
  /** Sockets already answered by the `clientError` handler: the request handler must not answer them again. */
  readonly answered: WeakSet<Duplex>;
  readonly routes: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;
}

async function serve(context: ServeContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { target, dispatch, maxBodyBytes } = context;
  if (context.routes?.(req, res) === true) return;
  const path = (req.url ?? '/').split('?', 1)[0];
  if (req.method !== 'POST') {
    req.resume();
    sendError(res, 405, 'UnknownOperationException', 'KMS accepts only POST /.', { allow: 'POST' });
    return;
  }
  if (path !== '/') {
    req.resume();
    sendError(res, 404, 'UnknownOperationException', 'KMS accepts only POST /.');
    return;
  }
  const contentType = contentTypeProblem(req.headers['content-type']);
  if (contentType !== undefined) {
    req.resume();
    sendError(res, 404, 'UnknownOperationException', contentType);
    return;
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBodyBytes) {
    // Answer without reading the body, and drop the connection afterwards rather than drain it.
    sendError(res, 413, 'SerializationException', `Request body exceeds ${maxBodyBytes} bytes.`, { connection: 'close' });
    res.on('finish', () => req.destroy());
    return;
  }
  const body = await readBody(req, maxBodyBytes);
  if (body === undefined) {
    sendError(res, 413, 'SerializationException', `Request body exceeds ${maxBodyBytes} bytes.`);
    return;
  }
  const targetHeader = req.headers['x-amz-target'];
  const response = await dispatchKmsRequest(
    target,
    {
      target: Array.isArray(targetHeader) ? targetHeader[0] : targetHeader,
      body,
      hostname: hostnameOf(req.headers.host),
      authorization: req.headers.authorization,
    },
    dispatch,
  );
  if (context.answered.has(req.socket)) return;
  res.writeHead(response.statusCode, response.headers);
  res.end(response.body);
}

/** Starts an HTTP KMS endpoint serving `target`. Resolves once listening. */
export async function startKmsServer(target: KmsCallable, options: KmsServerOptions = {}): Promise<KmsServer> {
  if (target === null || typeof target !== 'object' || typeof target.call !== 'function') {
    throw new TypeError('startKmsServer: target must have a call(operation, input, context) method');
  }
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`port must be an integer in 0..65535, got ${String(port)}`);
  }
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new TypeError(`maxBodyBytes must be a positive integer, got ${String(maxBodyBytes)}`);
  }
  if (!isLoopbackAddress(host) && options.allowNonLoopback !== true) {
    throw new TypeError(`host ${host} is not a loopback address; set allowNonLoopback: true to listen on it`);
  }
  const guards = resolveServerGuards(options);
  const context: ServeContext = {
    target,
    dispatch: { contexts: new CallContextResolver(options), onInternalError: options.onInternalError, onAnswered: options.onAnswered },
    maxBodyBytes,
    answered: new WeakSet(),
    routes: options.routes,
  };
  // Responses being written, for a graceful drain; `draining` once drain() was called.
  const active = new Set<ServerResponse>();
  let draining = false;
  // The response being written on each socket, if any: a socket error after its headers went out cannot be answered.
  const inFlight = new WeakMap<Duplex, ServerResponse>();

  const server = createServer(
    {
      headersTimeout: guards.headersTimeoutMs,
      requestTimeout: guards.requestTimeoutMs,
      connectionsCheckingInterval: connectionsCheckingIntervalMs(guards),
      maxHeaderSize: guards.maxHeaderBytes,
    },
    (req, res) => {
      const socket = req.socket;
      inFlight.set(socket, res);
      active.add(res);
      if (draining) res.setHeader('connection', 'close');
      res.once('close', () => {
        if (inFlight.get(socket) === res) inFlight.delete(socket);
        active.delete(res);
        // A keep-alive socket whose last answer just went out is idle now: close it so the drain can end.
        if (draining) setImmediate(() => server.closeIdleConnections());
      });
      serve(context, req, res).catch(() => {
        // The request stream failed (client went away, or the clientError handler cut it off and answered).
        if (context.answered.has(socket) || res.writableEnded) return;
        if (!res.headersSent && !res.destroyed) {
          sendError(res, 400, 'SerializationException', 'The request could not be read.', { connection: 'close' });
        } else {
          res.destroy();
        }
      });
    },
  );
  server.keepAliveTimeout = guards.keepAliveTimeoutMs;
  server.maxConnections = guards.maxConnections;
  // Malformed requests, oversized heads and time-outs: Node's own answers carry no error name, so answer like KMS.
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    // Already answered (a second error as the peer hangs up): the answer's own close timer ends the socket.
    if (context.answered.has(socket)) return;
    const answer = clientErrorAnswer(error, guards);
    const busy = inFlight.get(socket)?.headersSent === true;
    if (answer === undefined || busy || !socket.writable) {
      socket.destroy();
      return;
    }
    context.answered.add(socket);
    writeRawError(socket, answer.status, answer.name, answer.message);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  let drained: Promise<void> | undefined;

  return {
    url: `http://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
    drain(timeoutMs = guards.requestTimeoutMs): Promise<void> {
      drained ??= new Promise<void>((resolve) => {
        draining = true;
        for (const res of active) if (!res.headersSent) res.setHeader('connection', 'close');
        const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
      return drained;
    },
    get inFlight(): number {
      return active.size;
    },
  };
}
