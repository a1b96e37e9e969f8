import {
  DecryptCommand,
  DisabledException,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  InvalidCiphertextException,
  InvalidKeyUsageException,
  KMSInvalidStateException,
  NotFoundException,
  type DataKeyPairSpec,
} from '@aws-sdk/client-kms';
import { sign, verify, type KeyObject } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { ManualClock } from '../src/base/time.js';
import { KmsModel } from '../src/kms/model.js';
import { pkcs8PrivateKey, spkiPublicKey } from './support/der-keys.js';
import { rejectionOf } from './support/errors.js';
import { chargedBuckets, sdkClient } from './support/kms-sdk.js';

const REGION = 'us-east-1';
const kms = new KmsModel({
  seed: 41,
  keys: [
    { region: REGION, aliases: ['alias/wrap'] },
    { region: REGION, aliases: ['alias/wrap-2'] },
    { region: REGION, aliases: ['alias/wrap-off'], state: 'Disabled' },
    { region: REGION, aliases: ['alias/wrap-doomed'], state: 'PendingDeletion' },
    { region: REGION, aliases: ['alias/rsa-crypt'], keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT' },
    { region: REGION, aliases: ['alias/ec-sign'], keySpec: 'ECC_NIST_P256' },
    { region: REGION, aliases: ['alias/hmac'], keySpec: 'HMAC_256' },
  ],
});
const client = sdkClient(kms, REGION);
const MESSAGE = new TextEncoder().encode('signed with a data key pair');

const same = (a: Uint8Array | undefined, b: Uint8Array | undefined): boolean => Buffer.from(a as Uint8Array).equals(Buffer.from(b as Uint8Array));

/** What each KeyPairSpec must produce: key type and size or curve. */
const SPECS: readonly [DataKeyPairSpec, 'rsa' | 'ec', number | string][] = [
  ['RSA_2048', 'rsa', 2048],
  ['RSA_3072', 'rsa', 3072],
  ['ECC_NIST_P256', 'ec', 'prime256v1'],
  ['ECC_NIST_P384', 'ec', 'secp384r1'],
  ['ECC_NIST_P521', 'ec', 'secp521r1'],
  ['ECC_SECG_P256K1', 'ec', 'secp256k1'],
];

function expectShape(key: KeyObject, type: 'rsa' | 'ec', size: number | string): void {
  expect(key.asymmetricKeyType).toBe(type);
  if (type === 'rsa') expect(key.asymmetricKeyDetails?.modulusLength).toBe(size);
  else expect(key.asymmetricKeyDetails?.namedCurve).toBe(size);
}

/** The public key matches the private key: a local signature with one verifies with the other. */
function expectMatchingPair(privateKey: KeyObject, publicKey: KeyObject): void {
  const signature = sign('sha256', MESSAGE, privateKey);
  expect(verify('sha256', MESSAGE, publicKey, signature)).toBe(true);
  expect(verify('sha256', new TextEncoder().encode('other'), publicKey, signature)).toBe(false);
}

describe('GenerateDataKeyPair', () => {
  test.each(SPECS)('%s: a matching pair whose sealed private key decrypts to the plaintext one', async (spec, type, size) => {
    const out = await client.send(new GenerateDataKeyPairCommand({ KeyId: 'alias/wrap', KeyPairSpec: spec }));
    expect(out.KeyPairSpec).toBe(spec);
    expect(out.KeyId).toMatch(/^arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f-]{36}$/);
    const publicKey = spkiPublicKey(out.PublicKey);
    const privateKey = pkcs8PrivateKey(out.PrivateKeyPlaintext);
    expectShape(publicKey, type, size);
    expectShape(privateKey, type, size);
    expectMatchingPair(privateKey, publicKey);
    const decrypted = await client.send(new DecryptCommand({ CiphertextBlob: out.PrivateKeyCiphertextBlob }));
    expect(same(decrypted.Plaintext, out.PrivateKeyPlaintext)).toBe(true);
    expect(decrypted.KeyId).toBe(out.KeyId);
  });

  test('every call makes a fresh pair', async () => {
    const first = await client.send(new GenerateDataKeyPairCommand({ KeyId: 'alias/wrap', KeyPairSpec: 'ECC_NIST_P256' }));
    const second = await client.send(new GenerateDataKeyPairCommand({ KeyId: 'alias/wrap', KeyPairSpec: 'ECC_NIST_P256' }));
    expect(same(first.PublicKey, second.PublicKey)).toBe(false);
  });

  test('the encryption context is bound to the sealed private key', async () => {
    const context = { purpose: 'jwt-signing', tenant: 'acme' };
    const out = await client.send(
      new GenerateDataKeyPairCommand({ KeyId: 'alias/wrap', KeyPairSpec: 'ECC_NIST_P384', EncryptionContext: context }),
    );
    const decrypted = await client.send(new DecryptCommand({ CiphertextBlob: out.PrivateKeyCiphertextBlob, EncryptionContext: context }));
    expect(same(decrypted.Plaintext, out.PrivateKeyPlaintext)).toBe(true);
    const withoutContext = await rejectionOf(client.send(new DecryptCommand({ CiphertextBlob: out.PrivateKeyCiphertextBlob })));
    expect(withoutContext).toBeInstanceOf(InvalidCiphertextException);
  });

  test('Decrypt naming another symmetric key is IncorrectKeyException', async () => {
    const out = await client.send(new GenerateDataKeyPairCommand({ KeyId: 'alias/wrap', KeyPairSpec: 'ECC_NIST_P256' }));
    const error = await rejectionOf(client.send(new DecryptCommand({ CiphertextBlob: out.PrivateKeyCiphertextBlob, KeyId: 'alias/wrap-2' })));
    expect(error.name).toBe('IncorrectKeyException');
  });
});

describe('GenerateDataKeyPairWithoutPlaintext', () => {
  test.each([
    ['ECC_NIST_P256', 'ec', 'prime256v1'],
    ['ECC_SECG_P256K1', 'ec', 'secp256k1'],
    // The one RSA_4096 pair in the suite: generating it takes a good fraction of a second.
    ['RSA_4096', 'rsa', 4096],
  ] as const)('%s: no plaintext private key; the sealed one decrypts and matches the public key', async (spec, type, size) => {
    const out = await client.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: 'alias/wrap', KeyPairSpec: spec }));
    expect(out).not.toHaveProperty('PrivateKeyPlaintext');
    expect(out.KeyPairSpec).toBe(spec);
    const publicKey = spkiPublicKey(out.PublicKey);
    expectShape(publicKey, type, size);
    const decrypted = await client.send(new DecryptCommand({ CiphertextBlob: out.PrivateKeyCiphertextBlob }));
    expectMatchingPair(pkcs8PrivateKey(decrypted.Plaintext), publicKey);
  });
});

describe('data key pair errors', () => {
  test.each([
    ['an RSA ENCRYPT_DECRYPT key', 'alias/rsa-crypt'],
    ['an ECC signing key', 'alias/ec-sign'],
    ['an HMAC key', 'alias/hmac'],
  ])('wrapping with %s is InvalidKeyUsageException, with and without plaintext', async (_label, alias) => {
    const withPlaintext = await rejectionOf(client.send(new GenerateDataKeyPairCommand({ KeyId: alias, KeyPairSpec: 'ECC_NIST_P256' })));
    expect(withPlaintext).toBeInstanceOf(InvalidKeyUsageException);
    expect(withPlaintext.message).toContain('arn:aws:kms:us-east-1:111122223333:key/');
    const without = await rejectionOf(
      client.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: alias, KeyPairSpec: 'ECC_NIST_P256' })),
    );
    expect(without).toBeInstanceOf(InvalidKeyUsageException);
  });

  test('a disabled wrapping key is DisabledException; one pending deletion is KMSInvalidStateException', async () => {
    const disabled = await rejectionOf(client.send(new GenerateDataKeyPairCommand({ KeyId: 'alias/wrap-off', KeyPairSpec: 'ECC_NIST_P256' })));
    expect(disabled).toBeInstanceOf(DisabledException);
    const doomed = await rejectionOf(
      client.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: 'alias/wrap-doomed', KeyPairSpec: 'ECC_NIST_P256' })),
    );
    expect(doomed).toBeInstanceOf(KMSInvalidStateException);
  });

  test('an unknown key is NotFoundException', async () => {
    const error = await rejectionOf(client.send(new GenerateDataKeyPairCommand({ KeyId: 'alias/none', KeyPairSpec: 'ECC_NIST_P256' })));
    expect(error).toBeInstanceOf(NotFoundException);
  });

  test.each([
    ['an unknown KeyPairSpec', 'RSA_1024'],
    ['no KeyPairSpec', undefined],
  ])('%s is ValidationException, checked before the key', async (_label, spec) => {
    for (const keyId of ['alias/wrap', 'alias/wrap-off']) {
      const error = await rejectionOf(
        client.send(new GenerateDataKeyPairCommand({ KeyId: keyId, KeyPairSpec: spec as DataKeyPairSpec | undefined })),
      );
      expect(error.name).toBe('ValidationException');
    }
  });

  test('an EncryptionContext that is not a string map is ValidationException from the model itself (direct callers)', async () => {
    // Through the SDK the wire codec rejects the wrong type first (SerializationException); the direct client has no codec.
    const error = await rejectionOf(
      kms.call('GenerateDataKeyPair', { KeyId: 'alias/wrap', KeyPairSpec: 'ECC_NIST_P256', EncryptionContext: { n: 1 } }, { region: REGION }),
    );
    expect(error.name).toBe('ValidationException');
  });
});

describe('quota', () => {
  test('each KeyPairSpec is charged to its own gdkp bucket, whether or not plaintext is returned', async () => {
    const model = new KmsModel({
      seed: 9,
      keys: [{ region: REGION, aliases: ['alias/wrap'] }],
      quotas: { overrides: { [REGION]: { 'gdkp:ECC_NIST_P256': 1 } } },
      clock: new ManualClock(3e9),
    });
    const c = sdkClient(model, REGION);
    await c.send(new GenerateDataKeyPairCommand({ KeyId: 'alias/wrap', KeyPairSpec: 'ECC_NIST_P256' }));
    const throttled = await rejectionOf(
      c.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: 'alias/wrap', KeyPairSpec: 'ECC_NIST_P256' })),
    );
    expect(throttled.name).toBe('ThrottlingException');
    await c.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: 'alias/wrap', KeyPairSpec: 'ECC_NIST_P384' }));
    expect(chargedBuckets(model)).toEqual({
      'gdkp:ECC_NIST_P256': [1, 1],
      'gdkp:ECC_NIST_P384': [1, 0],
    });
  });
});
