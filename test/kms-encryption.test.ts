import {
  DecryptCommand,
  DisabledException,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateRandomCommand,
  GetPublicKeyCommand,
  IncorrectKeyException,
  InvalidCiphertextException,
  KMSInvalidStateException,
  NotFoundException,
  ReEncryptCommand,
} from '@aws-sdk/client-kms';
import { constants, publicEncrypt } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encodeContext } from '../src/kms/ciphertext-blob.js';
import { KmsModel } from '../src/kms/model.js';
import { spkiPublicKey } from './support/der-keys.js';
import { rejectionOf } from './support/errors.js';
import { sdkClient } from './support/kms-sdk.js';

const REGION = 'us-east-1';
const kms = new KmsModel({
  seed: 11,
  keys: [
    { region: REGION, aliases: ['alias/app'] },
    { region: REGION, aliases: ['alias/other'] },
    { region: REGION, aliases: ['alias/off'], state: 'Disabled' },
    { region: REGION, aliases: ['alias/doomed'], state: 'PendingDeletion' },
    { region: REGION, aliases: ['alias/rsa'], keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT' },
    { region: REGION, aliases: ['alias/signer'], keySpec: 'ECC_NIST_P256' },
    { region: 'eu-west-1', aliases: ['alias/app'] },
  ],
});
const client = sdkClient(kms, REGION);
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('symmetric Encrypt and Decrypt through the real KMSClient', () => {
  test.each([
    ['without a context', undefined],
    ['with a context', { tenant: 'acme', purpose: 'test' }],
  ])('round trip %s, Decrypt naming no key', async (_label, context) => {
    const encrypted = await client.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: bytes('hello'), EncryptionContext: context }));
    expect(encrypted.KeyId).toMatch(/^arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f-]{36}$/);
    expect(encrypted.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    const decrypted = await client.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context }));
    expect(new TextDecoder().decode(decrypted.Plaintext)).toBe('hello');
    expect(decrypted.KeyId).toBe(encrypted.KeyId);
  });

  test('context pairs in another order still decrypt; a different context does not', async () => {
    const encrypted = await client.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: bytes('x'), EncryptionContext: { a: '1', b: '2' } }));
    const reordered = await client.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { b: '2', a: '1' } }));
    expect(new TextDecoder().decode(reordered.Plaintext)).toBe('x');
    const contexts: (Record<string, string> | undefined)[] = [undefined, { a: '1' }, { a: '1', b: '3' }, { A: '1', b: '2' }];
    for (const context of contexts) {
      const error = await rejectionOf(client.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context })));
      expect(error).toBeInstanceOf(InvalidCiphertextException);
    }
  });

  test('the context encoding is unambiguous: {a:"bc"} and {ab:"c"} differ', () => {
    expect(encodeContext({ a: 'bc' }).equals(encodeContext({ ab: 'c' }))).toBe(false);
    expect(encodeContext({ a: '1', b: '2' }).equals(encodeContext({ b: '2', a: '1' }))).toBe(true);
  });

  test('every single-bit flip of a blob is InvalidCiphertextException', async () => {
    const encrypted = await kms.call('Encrypt', { KeyId: 'alias/app', Plaintext: bytes('secret'), EncryptionContext: { k: 'v' } }, { region: REGION });
    const blob = encrypted['CiphertextBlob'] as Uint8Array;
    for (let bit = 0; bit < blob.length * 8; bit++) {
      const flipped = Uint8Array.from(blob);
      flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7));
      const error = await rejectionOf(kms.call('Decrypt', { CiphertextBlob: flipped, EncryptionContext: { k: 'v' } }, { region: REGION }));
      expect(error.name, `bit ${bit}`).toBe('InvalidCiphertextException');
    }
  });

  test('property: a flipped bit, through the SDK, is InvalidCiphertextException', async () => {
    const encrypted = await client.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: bytes('payload') }));
    const blob = encrypted.CiphertextBlob as Uint8Array;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: blob.length * 8 - 1 }), async (bit) => {
        const flipped = Uint8Array.from(blob);
        flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7));
        const error = await rejectionOf(client.send(new DecryptCommand({ CiphertextBlob: flipped })));
        expect(error).toBeInstanceOf(InvalidCiphertextException);
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  test('Decrypt naming another key is IncorrectKeyException', async () => {
    const encrypted = await client.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: bytes('x') }));
    const error = await rejectionOf(client.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, KeyId: 'alias/other' })));
    expect(error).toBeInstanceOf(IncorrectKeyException);
  });

  test('a blob made in one region does not decrypt in another', async () => {
    const encrypted = await client.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: bytes('x') }));
    const error = await rejectionOf(sdkClient(kms, 'eu-west-1').send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob })));
    expect(error).toBeInstanceOf(InvalidCiphertextException);
  });

  test('plaintext of 4096 bytes encrypts; 4097 is a ValidationException with HTTP 400', async () => {
    const ok = await client.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: new Uint8Array(4096) }));
    expect(ok.CiphertextBlob?.length).toBeGreaterThan(4096);
    const error = await rejectionOf(client.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: new Uint8Array(4097) })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain("Value at 'plaintext' failed to satisfy constraint");
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  test('unknown keys and aliases are NotFoundException', async () => {
    for (const keyId of ['alias/none', '00000000-0000-4000-8000-000000000000', 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-000000000000', 'not-a-key']) {
      expect(await rejectionOf(client.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes('x') })))).toBeInstanceOf(NotFoundException);
    }
  });

  test('a disabled key is DisabledException; a key pending deletion is KMSInvalidStateException', async () => {
    expect(await rejectionOf(client.send(new EncryptCommand({ KeyId: 'alias/off', Plaintext: bytes('x') })))).toBeInstanceOf(DisabledException);
    expect(await rejectionOf(client.send(new EncryptCommand({ KeyId: 'alias/doomed', Plaintext: bytes('x') })))).toBeInstanceOf(KMSInvalidStateException);
  });

  test('an ECC signing key cannot encrypt: InvalidKeyUsageException', async () => {
    const error = await rejectionOf(client.send(new EncryptCommand({ KeyId: 'alias/signer', Plaintext: bytes('x') })));
    expect(error.name).toBe('InvalidKeyUsageException');
  });
});

describe('RSA encryption keys', () => {
  test.each([
    ['RSAES_OAEP_SHA_1', 214],
    ['RSAES_OAEP_SHA_256', 190],
  ] as const)('%s takes %i bytes and refuses one more', async (algorithm, max) => {
    const ok = await client.send(new EncryptCommand({ KeyId: 'alias/rsa', Plaintext: new Uint8Array(max).fill(7), EncryptionAlgorithm: algorithm }));
    expect(ok.CiphertextBlob?.length).toBe(256);
    const back = await client.send(new DecryptCommand({ KeyId: 'alias/rsa', CiphertextBlob: ok.CiphertextBlob, EncryptionAlgorithm: algorithm }));
    expect(Buffer.from(back.Plaintext as Uint8Array).equals(Buffer.alloc(max, 7))).toBe(true);
    const error = await rejectionOf(client.send(new EncryptCommand({ KeyId: 'alias/rsa', Plaintext: new Uint8Array(max + 1), EncryptionAlgorithm: algorithm })));
    expect(error.name).toBe('ValidationException');
  });

  test('a blob made locally with the public key decrypts in the model', async () => {
    const { PublicKey } = await client.send(new GetPublicKeyCommand({ KeyId: 'alias/rsa' }));
    const publicKey = spkiPublicKey(PublicKey);
    const blob = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from('local'));
    const back = await client.send(new DecryptCommand({ KeyId: 'alias/rsa', CiphertextBlob: blob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    expect(Buffer.from(back.Plaintext as Uint8Array).toString()).toBe('local');
  });

  test('the symmetric default algorithm with an RSA key is InvalidKeyUsageException', async () => {
    const error = await rejectionOf(client.send(new EncryptCommand({ KeyId: 'alias/rsa', Plaintext: bytes('x') })));
    expect(error.name).toBe('InvalidKeyUsageException');
  });
});

describe('data keys, random bytes and re-encryption', () => {
  test.each([
    ['AES_128', 16],
    ['AES_256', 32],
  ] as const)('GenerateDataKey %s returns %i bytes that Decrypt recovers', async (keySpec, length) => {
    const out = await client.send(new GenerateDataKeyCommand({ KeyId: 'alias/app', KeySpec: keySpec, EncryptionContext: { a: 'b' } }));
    expect(out.Plaintext?.length).toBe(length);
    const back = await client.send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob, EncryptionContext: { a: 'b' } }));
    expect(Buffer.from(back.Plaintext as Uint8Array).equals(Buffer.from(out.Plaintext as Uint8Array))).toBe(true);
  });

  test('GenerateDataKey with NumberOfBytes; both or neither of KeySpec and NumberOfBytes is ValidationException', async () => {
    expect((await client.send(new GenerateDataKeyCommand({ KeyId: 'alias/app', NumberOfBytes: 1024 }))).Plaintext?.length).toBe(1024);
    for (const input of [{ KeySpec: 'AES_256' as const, NumberOfBytes: 32 }, {}, { NumberOfBytes: 1025 }, { NumberOfBytes: 0 }]) {
      const error = await rejectionOf(client.send(new GenerateDataKeyCommand({ KeyId: 'alias/app', ...input })));
      expect(error.name).toBe('ValidationException');
    }
  });

  test('GenerateDataKeyWithoutPlaintext returns no plaintext', async () => {
    const out = await client.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: 'alias/app', KeySpec: 'AES_256' }));
    expect('Plaintext' in out).toBe(false);
    expect((await client.send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob }))).Plaintext?.length).toBe(32);
  });

  test('GenerateRandom returns 1..1024 bytes and rejects 0 and 1025', async () => {
    expect((await client.send(new GenerateRandomCommand({ NumberOfBytes: 1024 }))).Plaintext?.length).toBe(1024);
    for (const n of [0, 1025]) {
      expect((await rejectionOf(client.send(new GenerateRandomCommand({ NumberOfBytes: n })))).name).toBe('ValidationException');
    }
  });

  test('ReEncrypt moves a blob to another key and context', async () => {
    const first = await client.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: bytes('move me'), EncryptionContext: { v: '1' } }));
    const moved = await client.send(
      new ReEncryptCommand({
        CiphertextBlob: first.CiphertextBlob,
        SourceEncryptionContext: { v: '1' },
        DestinationKeyId: 'alias/other',
        DestinationEncryptionContext: { v: '2' },
      }),
    );
    expect(moved.SourceKeyId).toBe(first.KeyId);
    const back = await client.send(new DecryptCommand({ CiphertextBlob: moved.CiphertextBlob, EncryptionContext: { v: '2' } }));
    expect(new TextDecoder().decode(back.Plaintext)).toBe('move me');
    expect(back.KeyId).toBe(moved.KeyId);
    const wrongSource = await rejectionOf(client.send(new ReEncryptCommand({ CiphertextBlob: first.CiphertextBlob, DestinationKeyId: 'alias/other' })));
    expect(wrongSource).toBeInstanceOf(InvalidCiphertextException);
  });
});

describe('keys seeded in another thread decrypt what this one encrypted', () => {
  test('a model built from exportKeys() holds the same keys', async () => {
    const encrypted = await kms.call('Encrypt', { KeyId: 'alias/app', Plaintext: bytes('shared') }, { region: REGION });
    const twin = new KmsModel({ seed: 11, keys: kms.exportKeys() });
    const back = await twin.call('Decrypt', { CiphertextBlob: encrypted['CiphertextBlob'] }, { region: REGION });
    expect(new TextDecoder().decode(back['Plaintext'] as Uint8Array)).toBe('shared');
  });

  test('the same seed gives the same key ids; another seed, others', () => {
    const ids = (seed: number): string[] => new KmsModel({ seed, keys: [{ region: REGION }, { region: REGION }] }).exportKeys().map((k) => k.keyId as string);
    expect(ids(5)).toEqual(ids(5));
    expect(ids(5)).not.toEqual(ids(6));
  });
});
