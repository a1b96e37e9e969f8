/**
 * The HTTP server's defences against callers that misbehave, on purpose or not: time limits for receiving a request,
 * a connection cap, a header-size cap, the Content-Type KMS requires, and KMS-style JSON error bodies for requests so
 * malformed that Node answers them before any handler runs (its own answers carry no `__type`, so a client sees no
 * error name).
 *
 * Defaults suit a loopback endpoint that benchmarks and tests share: Node's own defaults (a request may take 300 s, a
 * socket holding a partial body stays open that long, connections are unlimited) let one client hold the server.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { encodeErrorBody, KMS_CONTENT_TYPE } from './codec.js';

/** Time to receive a request's headers (default 10 s). */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** Time to receive a whole request, headers and body (default 30 s). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** How long an idle keep-alive connection stays open (default 5 s, Node's own). */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** Simultaneous connections; more are dropped as they are accepted (default 1,024). */
export const DEFAULT_MAX_CONNECTIONS = 1024;
/** Largest request head, request line and headers (default 16 KiB, Node's own). */
export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;

/** The server's limits on what a caller may hold or send. */
export interface ServerGuardOptions {
  /** Milliseconds to receive a request's headers; a slower client gets 408 and is disconnected (default 10,000). */
  readonly headersTimeoutMs?: number;
  /** Milliseconds to receive a whole request; a partial body is cut off with 408 after this (default 30,000). */
  readonly requestTimeoutMs?: number;
  /** Milliseconds an idle keep-alive connection stays open (default 5,000). */
  readonly keepAliveTimeoutMs?: number;
  /** Simultaneous connections; further ones are closed as they are accepted (default 1,024). */
  readonly maxConnections?: number;
  /** Largest request head in bytes; a larger one gets 431 (default 16,384). */
  readonly maxHeaderBytes?: number;
}

/** The guard options with every default filled in. */
export type ServerGuards = Required<ServerGuardOptions>;

function positiveInteger(name: string, value: number | undefined, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

/** Validates the guard options and fills in defaults; throws a `TypeError` naming the bad option. */
export function resolveServerGuards(options: ServerGuardOptions): ServerGuards {
  const requestTimeoutMs = positiveInteger('requestTimeoutMs', options.requestTimeoutMs, DEFAULT_REQUEST_TIMEOUT_MS);
  // A request timeout below the default headers timeout lowers the latter with it; an explicit clash is an error
  // (Node refuses a headers timeout longer than the request timeout).
  const headersTimeoutMs = positiveInteger(
    'headersTimeoutMs',
    options.headersTimeoutMs,
    Math.min(DEFAULT_HEADERS_TIMEOUT_MS, requestTimeoutMs),
  );
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new TypeError(`headersTimeoutMs (${headersTimeoutMs}) must not exceed requestTimeoutMs (${requestTimeoutMs})`);
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: positiveInteger('keepAliveTimeoutMs', options.keepAliveTimeoutMs, DEFAULT_KEEP_ALIVE_TIMEOUT_MS),
    maxConnections: positiveInteger('maxConnections', options.maxConnections, DEFAULT_MAX_CONNECTIONS),
    maxHeaderBytes: positiveInteger('maxHeaderBytes', options.maxHeaderBytes, DEFAULT_MAX_HEADER_BYTES, 1024, 1024 * 1024),
  };
}

/**
 * How often Node looks for requests past their time limit. Its default (30 s) would let a 10 s limit run to 40 s; a
 * quarter of the shorter limit keeps the overrun small, between 10 ms and 1 s.
 */
export function connectionsCheckingIntervalMs(guards: ServerGuards): number {
  return Math.min(1000, Math.max(10, Math.floor(Math.min(guards.headersTimeoutMs, guards.requestTimeoutMs) / 4)));
}

/**
 * Why a request's Content-Type is refused, or `undefined` when it is KMS's. AWS JSON 1.1 requests are
 * `application/x-amz-json-1.1`; parameters are ignored and the media type compared without case (Smithy protocol
 * test AwsJson11MustSupportParametersInContentType; RFC 9110 §8.3.1). AWS's JSON front end answers any other type,
 * or none, with 404 `UnknownOperationException` before looking at the body (as mhart/kinesalite records from the
 * same front end, whose body is the bare XML `<UnknownOperationException/>`); the server answers 404 with that name,
 * but as a JSON `__type` body so that clients reading KMS errors see it.
 */
export function contentTypeProblem(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === '') {
    return `Missing Content-Type; KMS requests are ${KMS_CONTENT_TYPE}.`;
  }
  const media = (header.split(';', 1)[0] ?? '').trim().toLowerCase();
  if (media === KMS_CONTENT_TYPE) return undefined;
  return `Content-Type ${JSON.stringify(header.slice(0, 64))} is not supported; KMS requests are ${KMS_CONTENT_TYPE}.`;
}

/** The KMS-style error for a request Node could not parse or that ran out of time, or `undefined` to just hang up. */
export function clientErrorAnswer(
  error: Error & { code?: string },
  guards: ServerGuards,
): { readonly status: number; readonly name: string; readonly message: string } | undefined {
  const code = error.code ?? '';
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, name: 'SerializationException', message: `Request headers exceed ${guards.maxHeaderBytes} bytes.` };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    // Named as the SDK's transient-error list names a timed-out request, so a client may retry it.
    return {
      status: 408,
      name: 'RequestTimeoutException',
      message:
        `The request was not received in time (headers within ${guards.headersTimeoutMs} ms, the whole request within ` +
        `${guards.requestTimeoutMs} ms).`,
    };
  }
  if (code === 'HPE_INVALID_EOF_STATE') {
    return { status: 400, name: 'SerializationException', message: 'The connection was closed before the request was complete.' };
  }
  if (code.startsWith('HPE_')) return { status: 400, name: 'SerializationException', message: `Malformed HTTP request (${code}).` };
  return undefined;
}

/**
 * Whether a host to listen on or a caller's address is this machine's loopback: `localhost`, `::1`, `127.0.0.0/8`,
 * and the IPv4-mapped form `::ffff:127.x.x.x` a dual-stack socket reports for an IPv4 loopback caller.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === 'localhost' || v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** Time a closing socket may take to read our answer before it is destroyed. */
const LINGER_MS = 1000;

/**
 * Writes a complete HTTP error response straight to a socket (no `ServerResponse` exists for a request Node could not
 * parse) and closes it. The socket is ended, not destroyed at once: destroying it with unread input could reset the
 * connection and lose the answer; a peer that never closes is destroyed after a second.
 */
export function writeRawError(socket: Duplex, status: number, name: string, message: string): void {
  const body = encodeErrorBody(name, message);
  const head =
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
    `content-type: ${KMS_CONTENT_TYPE}\r\n` +
    `content-length: ${body.byteLength}\r\n` +
    `x-amzn-errortype: ${name}\r\n` +
    `x-amzn-requestid: ${randomUUID()}\r\n` +
    'connection: close\r\n\r\n';
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]));
}
