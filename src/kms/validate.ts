/**
 * Request validation in KMS's words. KMS reports constraint violations as
 * `1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must …`
 * (the member name in lowerCamelCase); the model copies that form so error text matches what users see from AWS.
 */
import { KmsError } from './errors.js';
import type { KmsInput } from './types.js';

function memberPath(field: string): string {
  return field.charAt(0).toLowerCase() + field.slice(1);
}

export function validationError(field: string, constraint: string): KmsError {
  return new KmsError(
    'ValidationException',
    `1 validation error detected: Value at '${memberPath(field)}' failed to satisfy constraint: ${constraint}`,
  );
}

export function requireString(input: KmsInput, field: string, maxChars = Infinity, minChars = 1): string {
  const value = input[field];
  if (value === undefined || value === null) throw validationError(field, 'Member must not be null');
  return checkString(field, value, maxChars, minChars);
}

export function optionalString(input: KmsInput, field: string, maxChars = Infinity, minChars = 1): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  return checkString(field, value, maxChars, minChars);
}

function checkString(field: string, value: unknown, maxChars: number, minChars: number): string {
  if (typeof value !== 'string') throw validationError(field, 'Member must be a string');
  if (value.length < minChars) throw validationError(field, `Member must have length greater than or equal to ${minChars}`);
  if (value.length > maxChars) throw validationError(field, `Member must have length less than or equal to ${maxChars}`);
  return value;
}

export function requireBytes(input: KmsInput, field: string, maxBytes: number, minBytes = 1): Uint8Array {
  const value = input[field];
  if (value === undefined || value === null) throw validationError(field, 'Member must not be null');
  return checkBytes(field, value, maxBytes, minBytes);
}

export function optionalBytes(input: KmsInput, field: string, maxBytes: number, minBytes = 1): Uint8Array | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  return checkBytes(field, value, maxBytes, minBytes);
}

function checkBytes(field: string, value: unknown, maxBytes: number, minBytes: number): Uint8Array {
  if (!(value instanceof Uint8Array)) throw validationError(field, 'Member must be a blob');
  if (value.byteLength < minBytes) {
    throw validationError(field, `Member must have length greater than or equal to ${minBytes}`);
  }
  if (value.byteLength > maxBytes) {
    throw validationError(field, `Member must have length less than or equal to ${maxBytes}`);
  }
  return value;
}

export function optionalInteger(input: KmsInput, field: string, min: number, max: number): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw validationError(field, 'Member must be an integer');
  if (value < min) throw validationError(field, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw validationError(field, `Member must have value less than or equal to ${max}`);
  return value;
}

export function optionalBoolean(input: KmsInput, field: string): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw validationError(field, 'Member must be a boolean');
  return value;
}

export function optionalEnum<T extends string>(input: KmsInput, field: string, allowed: readonly T[]): T | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw validationError(field, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return value as T;
}

export function requireEnum<T extends string>(input: KmsInput, field: string, allowed: readonly T[]): T {
  const value = optionalEnum(input, field, allowed);
  if (value === undefined) throw validationError(field, 'Member must not be null');
  return value;
}

export function optionalStringList(input: KmsInput, field: string): readonly string[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
    throw validationError(field, 'Member must be a list of strings');
  }
  return value as string[];
}
