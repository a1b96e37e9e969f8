/**
 * Parsed symmetric-blob headers, remembered by their bytes. Decrypt parses the header of every blob it opens; a fleet
 * decrypts blobs of a handful of keys over and over, so the parse (hex key id, account and region strings) is done
 * once per distinct header, and later blobs only compare bytes with the remembered header.
 *
 * A hit needs the blob to start with exactly the remembered header bytes and to have room for the IV and tag after
 * them: parsing such a blob would give the same fields, so the answer is the same as `readBlobHeader`'s. Anything
 * else is parsed (and a malformed blob throws InvalidCiphertextException from there).
 */
import { IV_BYTES, MIN_HEADER_BYTES, readBlobHeader, TAG_BYTES, type BlobHead } from './ciphertext-blob.js';
import type { KeyRecord } from './partition.js';

/** A remembered head, with the key it named when last looked up and the keystore generation of that look-up. */
export interface CachedBlobHead extends BlobHead {
  key: KeyRecord | undefined;
  keyGeneration: number;
}

/** Direct-mapped: a colliding header replaces the slot's, so the table never grows past this many heads. */
const SLOTS = 1024;

/** Byte offset of the account length: version, id kind, 16-byte key id. */
const ACCOUNT_LENGTH_AT = 18;

export class BlobHeadCache {
  readonly #slots: (CachedBlobHead | undefined)[] = new Array<CachedBlobHead | undefined>(SLOTS).fill(undefined);

  /** The head of a symmetric blob; throws InvalidCiphertextException for a malformed one. */
  read(blob: Uint8Array): CachedBlobHead {
    const length = headerLength(blob);
    if (length > 0) {
      const slot = slotOf(blob, length);
      const cached = this.#slots[slot];
      if (cached !== undefined && startsWith(blob, cached.header)) return cached;
    }
    const { fields, headerBytes } = readBlobHeader(blob);
    const head: CachedBlobHead = {
      keyId: fields.keyId,
      accountId: fields.accountId,
      region: fields.region,
      backingVersion: fields.backingVersion,
      // Copied: the caller may reuse or change its blob after this call.
      header: Buffer.from(blob.subarray(0, headerBytes)),
      aadSeed: undefined,
      key: undefined,
      keyGeneration: -1,
    };
    this.#slots[slotOf(blob, headerBytes)] = head;
    return head;
  }
}

/** The header length the blob's length bytes announce, or 0 when the blob is too short to hold it, IV and tag. */
function headerLength(blob: Uint8Array): number {
  const size = blob.length;
  if (size < MIN_HEADER_BYTES + IV_BYTES + TAG_BYTES) return 0;
  const regionLengthAt = ACCOUNT_LENGTH_AT + 1 + (blob[ACCOUNT_LENGTH_AT] as number);
  if (regionLengthAt >= size) return 0;
  const length = regionLengthAt + 1 + (blob[regionLengthAt] as number) + 2;
  return length + IV_BYTES + TAG_BYTES <= size ? length : 0;
}

/** Key-id bytes and the backing version: versions of one key land in neighbouring slots. */
function slotOf(blob: Uint8Array, headerLength: number): number {
  const id = (blob[2] as number) | ((blob[3] as number) << 8);
  const version = ((blob[headerLength - 2] as number) << 8) | (blob[headerLength - 1] as number);
  return (id + version) & (SLOTS - 1);
}

function startsWith(blob: Uint8Array, header: Buffer): boolean {
  const length = header.length;
  if (length + IV_BYTES + TAG_BYTES > blob.length) return false;
  for (let i = length - 1; i >= 0; i--) if (blob[i] !== header[i]) return false;
  return true;
}
