/**
 * What the data-key cache (data-key-cache.ts) hands out — data-key material and the leases of an encrypt or decrypt
 * lookup — and the canonical form of an encryption context its entries are keyed by. Apart from the cache so that
 * the cache file holds its rules only.
 */

/** Material from GenerateDataKey. */
export interface DataKeyMaterial {
  /** The plaintext data key (the cache zero-fills it on eviction). */
  readonly plaintext: Uint8Array;
  /** The encrypted data key as KMS returned it. */
  readonly encrypted: Uint8Array;
  /** The full ARN of the KMS key that encrypted it. */
  readonly keyArn: string;
}

/** How a lookup was answered. `joined`: waited for another request's in-flight fetch (dedupe), then used its key. */
export type CacheLookup = 'hit' | 'miss' | 'joined';

/** What an encrypt lookup hands out. */
export interface EncryptKeyLease {
  readonly material: DataKeyMaterial;
  readonly lookup: CacheLookup;
  /**
   * False when the key was not cached (its first use is bigger than maxBytesEncrypted): the caller zero-fills it
   * after use. A cached key is the cache's to zero-fill, even once a concurrent miss has replaced it.
   */
  readonly cached: boolean;
}

export interface DecryptKeyLease {
  readonly plaintext: Uint8Array;
  readonly lookup: CacheLookup;
  /**
   * Always true: every fetched decrypt key is cached (a concurrent miss replaces it later, and the cache zero-fills
   * it then). Typed as the encrypt lease's flag is, so callers treat both alike.
   */
  readonly cached: true;
}

// Workloads reuse context objects: remembering their encoding keeps it off the per-message path.
const contextIds = new WeakMap<object, string>();

/** The canonical, unambiguous form of an encryption context: sorted, length-prefixed pairs. */
export function contextId(context: Readonly<Record<string, string>> | undefined): string {
  if (context === undefined) return '';
  const known = contextIds.get(context);
  if (known !== undefined) return known;
  const id = Object.keys(context)
    .sort()
    .map((k) => `${k.length}:${k}${(context[k] ?? '').length}:${context[k] ?? ''}`)
    .join('');
  contextIds.set(context, id);
  return id;
}
