/** The one test for "a plain object" that every reader of untyped input (YAML, JSON, options) applies. */

/** True for a non-null, non-array object: a mapping whose keys can be read. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
