/**
 * Wire shapes of the KMS API, in the small vocabulary the JSON 1.1 codec needs: which members exist, and which of them
 * are base64 blobs, epoch-second timestamps, numbers, booleans, lists, maps or nested structures. The table itself
 * (`kms-api.ts`) is generated from the schema that ships with `@aws-sdk/client-kms`, so it cannot drift from what the
 * SDK serialises; `test/protocol-shapes.test.ts` re-derives it and fails on any difference.
 */

/** A scalar member. `integer` covers every KMS numeric member (all are Smithy `Integer`s). */
export type ScalarShape = 'string' | 'integer' | 'boolean' | 'blob' | 'timestamp' | 'document';

export interface ListShape {
  readonly kind: 'list';
  readonly member: Shape;
}

/** A map with string keys (KMS maps are encryption contexts: string → string). */
export interface MapShape {
  readonly kind: 'map';
  readonly value: Shape;
}

export interface StructShape {
  readonly kind: 'struct';
  readonly name: string;
  /** Member shapes by name. A `Map`, so untrusted keys such as `__proto__` or `constructor` never hit a prototype. */
  readonly members: ReadonlyMap<string, Shape>;
  /** True when some member (at any depth) is a blob or timestamp, i.e. encoding must rewrite values. */
  readonly needsTransform: boolean;
}

export type Shape = ScalarShape | ListShape | MapShape | StructShape;

/** Request and response structure of one operation; a Smithy `Unit` is an empty structure. */
export interface OperationShapes {
  readonly input: StructShape;
  readonly output: StructShape;
}

function transforms(shape: Shape): boolean {
  if (typeof shape === 'string') return shape === 'blob' || shape === 'timestamp';
  switch (shape.kind) {
    case 'list':
      return transforms(shape.member);
    case 'map':
      return transforms(shape.value);
    case 'struct':
      return shape.needsTransform;
  }
}

export function struct(name: string, members: Readonly<Record<string, Shape>>): StructShape {
  const entries = Object.entries(members);
  return {
    kind: 'struct',
    name,
    members: new Map(entries),
    needsTransform: entries.some(([, shape]) => transforms(shape)),
  };
}

export function list(member: Shape): ListShape {
  return { kind: 'list', member };
}

export function map(value: Shape): MapShape {
  return { kind: 'map', value };
}

/** The empty structure that stands for Smithy's `Unit` (operations with no input or no output). */
export const UNIT: StructShape = struct('Unit', {});
