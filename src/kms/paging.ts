/**
 * Limit and Marker paging for the List* operations (ListKeys, ListAliases, ListResourceTags). Markers are opaque to
 * callers, as KMS's are; ours name the list they belong to and the last item returned.
 */
import { KmsError } from './errors.js';
import { LIMITS } from './limits.js';
import type { KmsInput, KmsOutput } from './types.js';
import { optionalInteger, optionalString } from './validate.js';

export interface Page<T> {
  readonly items: readonly T[];
  readonly truncated: boolean;
  readonly nextMarker?: string;
}

function encodeMarker(kind: string, last: string): string {
  return Buffer.from(`${kind}\u0000${last}`, 'utf8').toString('base64url');
}

function decodeMarker(kind: string, marker: string): string {
  const text = Buffer.from(marker, 'base64url').toString('utf8');
  const prefix = `${kind}\u0000`;
  if (!text.startsWith(prefix) || encodeMarker(kind, text.slice(prefix.length)) !== marker) {
    throw new KmsError('InvalidMarkerException', 'The request was rejected because the marker that specifies where pagination should next begin is not valid.');
  }
  return text.slice(prefix.length);
}

/** The Limit and Marker parameters of a List* operation, validated (ValidationException) before anything else. */
export interface Paging {
  readonly limit: number;
  readonly marker: string | undefined;
}

/**
 * Reads Limit and Marker. `Limit` is validated as the API's LimitType (1..1000) and then capped at the operation's own
 * maximum, which the API reference documents per operation (ListKeys 1000, ListAliases 100, ListResourceTags 50).
 */
export function readPaging(input: KmsInput, defaultLimit: number, maxLimit: number): Paging {
  const requested = optionalInteger(input, 'Limit', 1, LIMITS.listLimitMax);
  const marker = optionalString(input, 'Marker', LIMITS.markerMaxChars);
  return { limit: Math.min(requested ?? defaultLimit, maxLimit), marker };
}

/**
 * One page. `sorted` is ordered by `keyOf` (unique, ascending by code unit); the Marker is opaque, names the list it
 * belongs to (`kind`) and the last item returned, so pages stay consistent when items come and go between calls. A
 * Marker this list did not issue is an InvalidMarkerException.
 */
export function listPage<T>(sorted: readonly T[], keyOf: (item: T) => string, paging: Paging, kind: string): Page<T> {
  let start = 0;
  if (paging.marker !== undefined) {
    const after = decodeMarker(kind, paging.marker);
    // First item sorting after the marker's (binary search: a partition can hold 100,000 keys).
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keyOf(sorted[mid] as T) <= after) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const items = sorted.slice(start, start + paging.limit);
  const last = items[items.length - 1];
  return start + paging.limit < sorted.length && last !== undefined
    ? { items, truncated: true, nextMarker: encodeMarker(kind, keyOf(last)) }
    : { items, truncated: false };
}

/** Sorts by a string key in code-unit order, the order `listPage` pages in. */
export function sortedBy<T>(items: Iterable<T>, keyOf: (item: T) => string): T[] {
  return [...items].sort((a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/** The page as KMS writes it: the list, `Truncated`, and `NextMarker` only when truncated. */
export function pageOutput<T>(field: string, page: Page<T>, entry: (item: T) => KmsOutput): KmsOutput {
  const out: KmsOutput = { [field]: page.items.map(entry), Truncated: page.truncated };
  if (page.nextMarker !== undefined) out.NextMarker = page.nextMarker;
  return out;
}
