/**
 * The model remembers the canonical encoding of the encryption contexts it sees, by content. A caller may change a
 * context object between requests, or send a new object with the same pairs: these tests check that every request
 * uses exactly what its context holds at the time.
 */
import { describe, expect, test } from 'vitest';
import { encodeContext } from '../src/kms/ciphertext-blob.js';
import { readContext } from '../src/kms/encryption-context.js';
import type { KmsError } from '../src/kms/errors.js';
import { KmsModel } from '../src/kms/model.js';
import { kmsErrorOf } from './support/errors.js';

const REGION = 'us-east-1';
const ctx = { region: REGION };
const PLAINTEXT = Buffer.from('context cache');

describe('the remembered encoding follows the context object', () => {
  test.each([
    ['a value changed', (c: Record<string, unknown>) => (c.tenant = 'other')],
    ['a pair added', (c: Record<string, unknown>) => (c.purpose = 'x')],
    ['a pair removed', (c: Record<string, unknown>) => delete c.stage],
    ['a pair removed and added back last', (c: Record<string, unknown>) => (delete c.tenant, (c.tenant = 'acme'))],
  ])('%s: the encoding is the one of the new content', (_label, change) => {
    const context: Record<string, unknown> = { tenant: 'acme', stage: 'prod' };
    expect(readContext({ EncryptionContext: context }).bytes).toEqual(encodeContext({ tenant: 'acme', stage: 'prod' }));
    change(context);
    const now = readContext({ EncryptionContext: context });
    expect(now.bytes).toEqual(encodeContext(context as Record<string, string>));
    expect(now.pairs).toBe(Object.keys(context).length);
  });

  test('more contexts than there are remembered encodings: each gets its own, on every pass', () => {
    const contexts = Array.from({ length: 1000 }, (_, i) => ({ tenant: `tenant-${i}`, ...(i % 3 === 0 ? { stage: 'prod' } : {}) }));
    for (let pass = 0; pass < 2; pass++) {
      for (const context of contexts) expect(readContext({ EncryptionContext: context }).bytes).toEqual(encodeContext(context));
    }
  });

  test('one object changed back and forth: each request gets the encoding of what it holds then', () => {
    const context: Record<string, string> = {};
    const contents = [{ tenant: 'a' }, { tenant: 'b', stage: 'x' }, { stage: 'x', tenant: 'b' }, {}];
    for (let round = 0; round < 12; round++) {
      for (const key of Object.keys(context)) delete context[key];
      Object.assign(context, contents[round % contents.length]);
      expect(readContext({ EncryptionContext: context }).bytes).toEqual(encodeContext(context));
    }
  });

  test('a value changed to a non-string is ValidationException, as on first use', () => {
    const context: Record<string, unknown> = { tenant: 'acme' };
    readContext({ EncryptionContext: context });
    context.tenant = 7;
    const error = (() => {
      try {
        readContext({ EncryptionContext: context });
      } catch (caught) {
        return caught as KmsError;
      }
      throw new Error('expected a ValidationException');
    })();
    expect([error.name, error.message]).toEqual([
      'ValidationException',
      "1 validation error detected: Value at 'encryptionContext' failed to satisfy constraint: Member must be a map of string to string",
    ]);
  });
});

describe.each(['real', 'off'] as const)('Encrypt and Decrypt with a context object changed between calls (crypto %s)', (crypto) => {
  const setup = (): KmsModel => new KmsModel({ seed: 4, crypto, keys: [{ region: REGION, aliases: ['alias/app'] }, { region: REGION, aliases: ['alias/other'] }] });

  test('a blob made before the change decrypts with the old content only', () => {
    const kms = setup();
    const context: Record<string, string> = { tenant: 'acme' };
    const before = kms.callSync('Encrypt', { KeyId: 'alias/app', Plaintext: PLAINTEXT, EncryptionContext: context }, ctx).CiphertextBlob;
    expect(kms.callSync('Decrypt', { CiphertextBlob: before, EncryptionContext: context }, ctx).Plaintext).toEqual(PLAINTEXT);
    context.tenant = 'globex';
    const error = kmsErrorOf(() => kms.callSync('Decrypt', { CiphertextBlob: before, EncryptionContext: context }, ctx));
    expect(error.name).toBe('InvalidCiphertextException');
    const after = kms.callSync('Encrypt', { KeyId: 'alias/app', Plaintext: PLAINTEXT, EncryptionContext: context }, ctx).CiphertextBlob;
    expect(kms.callSync('Decrypt', { CiphertextBlob: after, EncryptionContext: { tenant: 'globex' } }, ctx).Plaintext).toEqual(PLAINTEXT);
    expect(kmsErrorOf(() => kms.callSync('Decrypt', { CiphertextBlob: after, EncryptionContext: { tenant: 'acme' } }, ctx)).name).toBe(
      'InvalidCiphertextException',
    );
    context.tenant = 'acme';
    expect(kms.callSync('Decrypt', { CiphertextBlob: before, EncryptionContext: context }, ctx).Plaintext).toEqual(PLAINTEXT);
  });

  test('one context object used with two keys binds each blob to its own key', () => {
    const kms = setup();
    const context = { tenant: 'acme' };
    const blobs = ['alias/app', 'alias/other', 'alias/app', 'alias/other'].map(
      (keyId) => kms.callSync('Encrypt', { KeyId: keyId, Plaintext: PLAINTEXT, EncryptionContext: context }, ctx).CiphertextBlob,
    );
    for (const blob of blobs) {
      expect(kms.callSync('Decrypt', { CiphertextBlob: blob, EncryptionContext: context }, ctx).Plaintext).toEqual(PLAINTEXT);
    }
    expect(blobs[0]).not.toEqual(blobs[1]);
  });

  test('a new object with the same pairs is the same context; with other pairs, another', () => {
    const kms = setup();
    const blob = kms.callSync('Encrypt', { KeyId: 'alias/app', Plaintext: PLAINTEXT, EncryptionContext: { tenant: 'acme' } }, ctx)
      .CiphertextBlob;
    expect(kms.callSync('Decrypt', { CiphertextBlob: blob, EncryptionContext: { tenant: 'acme' } }, ctx).Plaintext).toEqual(PLAINTEXT);
    const other = kmsErrorOf(() => kms.callSync('Decrypt', { CiphertextBlob: blob, EncryptionContext: { tenant: 'acmf' } }, ctx));
    expect(other.name).toBe('InvalidCiphertextException');
  });

  test('more contexts than the model remembers: each blob still decrypts with its own context only', () => {
    const kms = setup();
    const contexts = Array.from({ length: 600 }, (_, i) => ({ tenant: `tenant-${i}` }));
    const blobs = contexts.map(
      (context) => kms.callSync('Encrypt', { KeyId: 'alias/app', Plaintext: PLAINTEXT, EncryptionContext: context }, ctx).CiphertextBlob,
    );
    blobs.forEach((blob, i) => {
      const own = kms.callSync('Decrypt', { CiphertextBlob: blob, EncryptionContext: { tenant: `tenant-${i}` } }, ctx);
      expect(own.Plaintext).toEqual(PLAINTEXT);
      const next = contexts[(i + 1) % contexts.length];
      expect(kmsErrorOf(() => kms.callSync('Decrypt', { CiphertextBlob: blob, EncryptionContext: next }, ctx)).name).toBe(
        'InvalidCiphertextException',
      );
    });
  });

  test('an empty context object and no context are the same context', () => {
    const kms = setup();
    const blob = kms.callSync('Encrypt', { KeyId: 'alias/app', Plaintext: PLAINTEXT, EncryptionContext: {} }, ctx).CiphertextBlob;
    expect(kms.callSync('Decrypt', { CiphertextBlob: blob }, ctx).Plaintext).toEqual(PLAINTEXT);
  });
});
