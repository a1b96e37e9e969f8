/**
 * Decrypt remembers the headers of blobs it has parsed. A blob must match a remembered header byte for byte to use
 * it: these tests decrypt a blob once, then present blobs that differ from it, and blobs the caller changed in place.
 */
import { describe, expect, test } from 'vitest';
import { parseBlob } from '../src/kms/ciphertext-blob.js';
import { KmsModel } from '../src/kms/model.js';
import type { KmsInput } from '../src/kms/types.js';
import { kmsErrorOf } from './support/errors.js';

const REGION = 'us-east-1';
const ctx = { region: REGION };
const CONTEXT = { tenant: 'acme' };
const PLAINTEXT = Buffer.from('header cache');

function setup(crypto: 'real' | 'off'): { kms: KmsModel; blob: Buffer; headerBytes: number } {
  const kms = new KmsModel({ seed: 9, crypto, keys: [{ region: REGION, aliases: ['alias/app'], rotationEnabled: false }] });
  const blob = kms.callSync('Encrypt', { KeyId: 'alias/app', Plaintext: PLAINTEXT, EncryptionContext: CONTEXT }, ctx)
    .CiphertextBlob as Buffer;
  return { kms, blob, headerBytes: parseBlob(blob).header.length };
}

function decrypt(kms: KmsModel, blob: Uint8Array, input: KmsInput = {}): Buffer {
  return kms.callSync('Decrypt', { CiphertextBlob: blob, EncryptionContext: CONTEXT, ...input }, ctx).Plaintext as Buffer;
}

describe.each(['real', 'off'] as const)('blob headers remembered by Decrypt (crypto %s)', (crypto) => {
  test('a blob whose header differs from a remembered one in any one byte is InvalidCiphertextException', () => {
    const { kms, blob, headerBytes } = setup(crypto);
    expect(decrypt(kms, blob)).toEqual(PLAINTEXT);
    for (let at = 0; at < headerBytes; at++) {
      for (const flip of [0x01, 0x80]) {
        const corrupt = Buffer.from(blob);
        corrupt[at] = (corrupt[at] as number) ^ flip;
        const error = kmsErrorOf(() => decrypt(kms, corrupt));
        expect(error.name, `byte ${at} ^ ${flip}`).toBe('InvalidCiphertextException');
      }
      // The remembered header still serves the intact blob.
      expect(decrypt(kms, blob)).toEqual(PLAINTEXT);
    }
  });

  test('a blob cut short after a remembered header is InvalidCiphertextException', () => {
    const { kms, blob, headerBytes } = setup(crypto);
    decrypt(kms, blob);
    for (const length of [headerBytes, headerBytes + 12, headerBytes + 27]) {
      const error = kmsErrorOf(() => decrypt(kms, blob.subarray(0, length)));
      expect([error.name, error.message]).toEqual(['InvalidCiphertextException', 'The ciphertext is invalid or has been tampered with.']);
    }
  });

  test('a blob the caller changes in place after Decrypt is read again, not taken from the remembered header', () => {
    const { kms, blob, headerBytes } = setup(crypto);
    const mine = Buffer.from(blob);
    decrypt(kms, mine);
    // The region's last character, us-east-1 → us-east-0: a blob of another region, and its error says so.
    const regionEnd = headerBytes - 3;
    mine[regionEnd] = (mine[regionEnd] as number) ^ 0x01;
    const error = kmsErrorOf(() => decrypt(kms, mine));
    expect([error.name, error.message]).toEqual(['InvalidCiphertextException', 'The ciphertext was not made in this region.']);
    mine[regionEnd] = (mine[regionEnd] as number) ^ 0x01;
    expect(decrypt(kms, mine)).toEqual(PLAINTEXT);
  });

  test('the same header inside a larger buffer (a view at an offset) decrypts', () => {
    const { kms, blob } = setup(crypto);
    decrypt(kms, blob);
    const backing = Buffer.alloc(blob.length + 7);
    blob.copy(backing, 5);
    expect(decrypt(kms, new Uint8Array(backing.buffer, backing.byteOffset + 5, blob.length))).toEqual(PLAINTEXT);
  });

  test('a remembered header from another region is refused in this one', () => {
    const kms = new KmsModel({ seed: 9, crypto, keys: [{ region: 'eu-west-1', aliases: ['alias/app'] }] });
    const blob = kms.callSync('Encrypt', { KeyId: 'alias/app', Plaintext: PLAINTEXT }, { region: 'eu-west-1' }).CiphertextBlob;
    kms.callSync('Decrypt', { CiphertextBlob: blob }, { region: 'eu-west-1' });
    const error = kmsErrorOf(() => kms.callSync('Decrypt', { CiphertextBlob: blob }, ctx));
    expect([error.name, error.message]).toEqual(['InvalidCiphertextException', 'The ciphertext was not made in this region.']);
  });

  test('blobs of two backing versions of one key both decrypt, alternately', () => {
    const { kms, blob } = setup(crypto);
    kms.callSync('RotateKeyOnDemand', { KeyId: 'alias/app' }, ctx);
    const newer = kms.callSync('Encrypt', { KeyId: 'alias/app', Plaintext: PLAINTEXT, EncryptionContext: CONTEXT }, ctx)
      .CiphertextBlob as Buffer;
    expect(parseBlob(newer).backingVersion).toBe(parseBlob(blob).backingVersion + 1);
    for (let i = 0; i < 3; i++) {
      expect(decrypt(kms, blob)).toEqual(PLAINTEXT);
      expect(decrypt(kms, newer)).toEqual(PLAINTEXT);
    }
  });

  test('the plaintext is a copy: zeroing it, or ReEncrypt, leaves the blob decryptable', () => {
    const { kms, blob } = setup(crypto);
    decrypt(kms, blob).fill(0);
    kms.callSync('ReEncrypt', { CiphertextBlob: blob, SourceEncryptionContext: CONTEXT, DestinationKeyId: 'alias/app' }, ctx);
    expect(decrypt(kms, blob)).toEqual(PLAINTEXT);
  });
});
