/**
 * The KMS JSON 1.1 codec (AWS JSON 1.1 protocol, https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html):
 * `POST /` with `X-Amz-Target: TrentService.<Operation>` and a JSON body; blobs travel as base64 strings, timestamps as
 * epoch seconds, errors as `{"__type": name, "message": text}` with the HTTP status of the error. One codec serves the
 * in-process SDK request handler and the HTTP server.
 *
 * Decoding is driven by the operation's input shape (`kms-api.ts`, generated from the SDK's schema): blobs become
 * `Uint8Array`, the timestamp member becomes a `Date`, explicit `null`s count as absent, and unmodeled members are
 * dropped. A value of the wrong JSON type (a number where a string belongs, an object where a blob belongs, invalid
 * base64) is a `SerializationException`: AWS's JSON services fail such a body while deserialising it, before any
 * constraint is checked, and local-kms answers invalid base64 the same way (nsmithuk/local-kms#5). Constraint checks
 * (lengths, enums, required members) are the model's, which answers `ValidationException`.
 */
import { Buffer } from 'node:buffer';
import { KmsError, KMS_ERROR_STATUS, type KmsErrorName } from '../kms/errors.js';
import type { KmsInput, KmsOutput } from '../kms/types.js';
import { KMS_API } from './kms-api.js';
import type { OperationShapes, Shape, StructShape } from './shapes.js';

/** The `X-Amz-Target` prefix of every KMS operation. */
export const KMS_TARGET_PREFIX = 'TrentService.';
/** Content type of KMS requests and responses. */
export const KMS_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** A decoded request: the KMS operation name and its SDK-shaped input. */
export interface DecodedKmsRequest {
  readonly operation: string;
  readonly input: KmsInput;
}

/** An encoded response or error, ready for the wire. */
export interface EncodedKmsResponse {
  readonly status: number;
  /** Set for errors: the KMS error name sent as `__type`. */
  readonly errorName?: string;
  readonly body: Buffer;
}

/** Generic message of a 500 answered for an unexpected failure; the failure itself never reaches the wire. */
export const INTERNAL_ERROR_MESSAGE = 'We encountered an internal error. Please try again.';

/** Shapes of an operation named by `X-Amz-Target`, or an `UnknownOperationException`. */
export function operationForTarget(target: string | undefined): { readonly operation: string; readonly shapes: OperationShapes } {
  if (target === undefined || target === '') {
    throw new KmsError('UnknownOperationException', 'Missing X-Amz-Target header.');
  }
  const operation = target.startsWith(KMS_TARGET_PREFIX) ? target.slice(KMS_TARGET_PREFIX.length) : undefined;
  const shapes = operation === undefined ? undefined : KMS_API.get(operation);
  if (operation === undefined || shapes === undefined) {
    throw new KmsError('UnknownOperationException', `Unknown operation ${JSON.stringify(target.slice(0, 128))}.`);
  }
  return { operation, shapes };
}

function bodyText(body: string | Uint8Array | null | undefined): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (!(body instanceof Uint8Array)) throw new KmsError('SerializationException', 'Unsupported request body.');
  // A view, not a copy. Never String(body): the SDK's JsonBytesStringAdapter warns when used as a string.
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}

/**
 * Decodes a request body for `X-Amz-Target` `target`. Throws a `KmsError` (`UnknownOperationException`,
 * `SerializationException`) for anything KMS would refuse before looking at the values.
 */
export function decodeRequest(target: string | undefined, body: string | Uint8Array | null | undefined): DecodedKmsRequest {
  const { operation, shapes } = operationForTarget(target);
  const text = bodyText(body);
  let parsed: unknown;
  if (text.length === 0) {
    parsed = {};
  } else {
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new KmsError('SerializationException', 'The request body is not valid JSON.');
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new KmsError('SerializationException', 'The request body must be a JSON object.');
  }
  return { operation, input: decodeStruct(shapes.input, parsed as Record<string, unknown>, '') };
}

function typeError(path: string, expected: string): KmsError {
  return new KmsError('SerializationException', `Expected ${expected} at '${path}'.`);
}

function memberPath(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}

/** Decodes a structure in place: the parsed object is fresh, so rewriting it saves a copy. */
function decodeStruct(shape: StructShape, value: Record<string, unknown>, path: string): Record<string, unknown> {
  for (const key of Object.keys(value)) {
    const member = shape.members.get(key);
    const raw = value[key];
    if (member === undefined || raw === null) {
      // Unmodeled members are ignored and explicit nulls mean "absent", as AWS's JSON deserialisers do.
      delete value[key];
      continue;
    }
    const decoded = decodeValue(member, raw, memberPath(path, key));
    if (decoded !== raw) value[key] = decoded;
  }
  return value;
}

// Standard base64 alphabet with mandatory padding: what every SDK sends.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeValue(shape: Shape, value: unknown, path: string): unknown {
  switch (shape) {
    case 'string':
      if (typeof value !== 'string') throw typeError(path, 'a string');
      return value;
    case 'integer':
      // KMS numeric members are Java Integers: a fraction or a value beyond 32 bits fails deserialisation.
      if (typeof value !== 'number' || (value | 0) !== value) throw typeError(path, 'a 32-bit integer');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw typeError(path, 'a boolean');
      return value;
    case 'blob':
      if (typeof value !== 'string') throw typeError(path, 'a base64-encoded string');
      if (value.length % 4 !== 0 || !BASE64.test(value)) throw typeError(path, 'valid base64');
      return Buffer.from(value, 'base64');
    case 'timestamp':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw typeError(path, 'a timestamp in epoch seconds');
      return new Date(value * 1000);
    case 'document':
      return value;
  }
  switch (shape.kind) {
    case 'list': {
      if (!Array.isArray(value)) throw typeError(path, 'a list');
      const items = value as unknown[];
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        if (item === null) throw typeError(`${path}[${i}]`, 'a non-null list member');
        const decoded = decodeValue(shape.member, item, `${path}[${i}]`);
        if (decoded !== item) items[i] = decoded;
      }
      return items;
    }
    case 'map': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw typeError(path, 'a map');
      // Keys are kept as parsed (JSON.parse makes `__proto__` an own data property, never a prototype).
      const entries = value as Record<string, unknown>;
      for (const key of Object.keys(entries)) {
        const item = entries[key];
        if (item === null) throw typeError(`${path}.${key}`, 'a non-null map value');
        const decoded = decodeValue(shape.value, item, `${path}.${key}`);
        if (decoded !== item) entries[key] = decoded;
      }
      return entries;
    }
    case 'struct':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw typeError(path, 'a structure');
      return decodeStruct(shape, value as Record<string, unknown>, path);
  }
}

/** Thrown by the encoder when the target's output does not fit the operation's output shape (a model defect). */
export class OutputShapeError extends Error {
  override readonly name = 'OutputShapeError';
}

function outputError(path: string, expected: string): OutputShapeError {
  return new OutputShapeError(`output member '${path}' must be ${expected}`);
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Converts an SDK-shaped value to its JSON form: blobs → base64, dates → epoch seconds (fractional). Only modeled
 * members are written. Returns the value itself when nothing below it needs rewriting.
 */
function encodeValue(shape: Shape, value: unknown, path: string): unknown {
  switch (shape) {
    case 'blob':
      if (!(value instanceof Uint8Array)) throw outputError(path, 'a Uint8Array');
      return base64(value);
    case 'timestamp':
      if (!(value instanceof Date)) throw outputError(path, 'a Date');
      return value.getTime() / 1000;
    case 'string':
    case 'integer':
    case 'boolean':
    case 'document':
      return value;
  }
  switch (shape.kind) {
    case 'list': {
      if (!Array.isArray(value)) throw outputError(path, 'an array');
      if (typeof shape.member === 'string' && shape.member !== 'blob' && shape.member !== 'timestamp') return value;
      return (value as unknown[]).map((item, i) => encodeValue(shape.member, item, `${path}[${i}]`));
    }
    case 'map': {
      if (value === null || typeof value !== 'object') throw outputError(path, 'an object');
      if (typeof shape.value === 'string' && shape.value !== 'blob' && shape.value !== 'timestamp') return value;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        Object.defineProperty(out, key, {
          value: encodeValue(shape.value, item, `${path}.${key}`),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    case 'struct':
      if (value === null || typeof value !== 'object') throw outputError(path, 'an object');
      return encodeStruct(shape, value as Record<string, unknown>, path);
  }
}

function encodeStruct(shape: StructShape, value: Record<string, unknown>, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, member] of shape.members) {
    const item = value[name];
    if (item === undefined || item === null) continue;
    out[name] = encodeValue(member, item, memberPath(path, name));
  }
  return out;
}

/** Encodes a successful response body for `operation`. Throws `OutputShapeError` when the output is malformed. */
export function encodeOutput(operation: string, output: KmsOutput | undefined | null): Buffer {
  const shapes = KMS_API.get(operation);
  if (shapes === undefined) throw new OutputShapeError(`unknown operation ${operation}`);
  if (output === undefined || output === null || shapes.output.members.size === 0) return Buffer.from('{}');
  if (typeof output !== 'object') throw outputError('', 'an object');
  return Buffer.from(JSON.stringify(encodeStruct(shapes.output, output, '')));
}

/** Encodes an error body: `{"__type": name, "message": text}`. */
export function encodeErrorBody(name: string, message: string): Buffer {
  return Buffer.from(JSON.stringify({ __type: name, message }));
}

/**
 * The KMS error an exception stands for: a `KmsError`, or anything shaped like one (a known KMS error `name`, a
 * numeric `status` and a string `message`), e.g. an error rebuilt after crossing a worker thread.
 */
export function asKmsError(error: unknown): { readonly name: KmsErrorName; readonly status: number; readonly message: string } | undefined {
  if (error instanceof KmsError) return error;
  if (error === null || typeof error !== 'object') return undefined;
  const { name, status, message } = error as { name?: unknown; status?: unknown; message?: unknown };
  if (typeof name !== 'string' || !Object.hasOwn(KMS_ERROR_STATUS, name)) return undefined;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) return undefined;
  return { name: name as KmsErrorName, status, message: typeof message === 'string' ? message : '' };
}

/**
 * Encodes a failure. A KMS error keeps its name, status and message; anything else becomes a 500
 * `KMSInternalException` with a generic message, so no stack trace or internal detail reaches the client.
 */
export function encodeError(error: unknown): EncodedKmsResponse {
  const kms = asKmsError(error);
  if (kms !== undefined) {
    return { status: kms.status, errorName: kms.name, body: encodeErrorBody(kms.name, kms.message) };
  }
  return {
    status: KMS_ERROR_STATUS.KMSInternalException,
    errorName: 'KMSInternalException',
    body: encodeErrorBody('KMSInternalException', INTERNAL_ERROR_MESSAGE),
  };
}
