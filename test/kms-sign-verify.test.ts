import {
  DecryptCommand,
  DisabledException,
  GetPublicKeyCommand,
  InvalidKeyUsageException,
  KMSInvalidSignatureException,
  KMSInvalidStateException,
  NotFoundException,
  SignCommand,
  UnsupportedOperationException,
  VerifyCommand,
  type MessageType,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { constants, createHash, publicEncrypt, verify, type KeyObject } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { ManualClock } from '../src/base/time.js';
import { KmsModel } from '../src/kms/model.js';
import { spkiPublicKey } from './support/der-keys.js';
import { rejectionOf } from './support/errors.js';
import { chargedBuckets, sdkClient } from './support/kms-sdk.js';

const REGION = 'us-east-1';
const kms = new KmsModel({
  seed: 21,
  keys: [
    { region: REGION, aliases: ['alias/rsa-sign'], keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' },
    { region: REGION, aliases: ['alias/rsa-crypt'], keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT' },
    { region: REGION, aliases: ['alias/p256'], keySpec: 'ECC_NIST_P256' },
    { region: REGION, aliases: ['alias/p384'], keySpec: 'ECC_NIST_P384' },
    { region: REGION, aliases: ['alias/p521'], keySpec: 'ECC_NIST_P521' },
    { region: REGION, aliases: ['alias/k256'], keySpec: 'ECC_SECG_P256K1' },
    { region: REGION, aliases: ['alias/sym'] },
    { region: REGION, aliases: ['alias/hmac'], keySpec: 'HMAC_256' },
    { region: REGION, aliases: ['alias/off'], keySpec: 'ECC_NIST_P256', state: 'Disabled' },
    { region: REGION, aliases: ['alias/doomed'], keySpec: 'ECC_NIST_P256', state: 'PendingDeletion' },
  ],
});
const client = sdkClient(kms, REGION);
const MESSAGE = new TextEncoder().encode('the quick brown fox signs a message');

const publicKeys = new Map<string, KeyObject>();
async function publicKeyOf(keyId: string): Promise<KeyObject> {
  let key = publicKeys.get(keyId);
  if (key === undefined) {
    const out = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
    key = spkiPublicKey(out.PublicKey);
    publicKeys.set(keyId, key);
  }
  return key;
}

const HASH_BYTES = { sha256: 32, sha384: 48, sha512: 64 } as const;
type Hash = keyof typeof HASH_BYTES;
const digestOf = (hash: Hash, message: Uint8Array): Buffer => createHash(hash).update(message).digest();

function sign(keyId: string, algorithm: SigningAlgorithmSpec, message: Uint8Array, messageType?: MessageType) {
  return client.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: algorithm, MessageType: messageType }));
}

function verifyInModel(
  keyId: string,
  algorithm: SigningAlgorithmSpec,
  message: Uint8Array,
  signature: Uint8Array | undefined,
  messageType?: MessageType,
) {
  return client.send(
    new VerifyCommand({ KeyId: keyId, Message: message, Signature: signature, SigningAlgorithm: algorithm, MessageType: messageType }),
  );
}

const RSA_CASES: readonly [SigningAlgorithmSpec, Hash, 'pss' | 'pkcs1'][] = [
  ['RSASSA_PSS_SHA_256', 'sha256', 'pss'],
  ['RSASSA_PSS_SHA_384', 'sha384', 'pss'],
  ['RSASSA_PSS_SHA_512', 'sha512', 'pss'],
  ['RSASSA_PKCS1_V1_5_SHA_256', 'sha256', 'pkcs1'],
  ['RSASSA_PKCS1_V1_5_SHA_384', 'sha384', 'pkcs1'],
  ['RSASSA_PKCS1_V1_5_SHA_512', 'sha512', 'pkcs1'],
];

function rsaVerifyOptions(key: KeyObject, hash: Hash, scheme: 'pss' | 'pkcs1') {
  // An explicit saltLength makes OpenSSL insist on exactly that salt: KMS uses a salt as long as the digest.
  return scheme === 'pss'
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[hash] }
    : { key, padding: constants.RSA_PKCS1_PADDING };
}

describe('RSA signatures verify locally with node:crypto against the public key from GetPublicKey', () => {
  test.each(RSA_CASES)('%s over a RAW message', async (algorithm, hash, scheme) => {
    const signed = await sign('alias/rsa-sign', algorithm, MESSAGE, 'RAW');
    expect(signed.KeyId).toMatch(/^arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f-]{36}$/);
    expect(signed.SigningAlgorithm).toBe(algorithm);
    expect(signed.Signature).toHaveLength(256);
    const publicKey = await publicKeyOf('alias/rsa-sign');
    expect(verify(hash, MESSAGE, rsaVerifyOptions(publicKey, hash, scheme), signed.Signature as Uint8Array)).toBe(true);
  });

  test.each(RSA_CASES)('%s over a DIGEST is the RAW signature of the original message (no double hashing)', async (algorithm, hash, scheme) => {
    const signed = await sign('alias/rsa-sign', algorithm, digestOf(hash, MESSAGE), 'DIGEST');
    const publicKey = await publicKeyOf('alias/rsa-sign');
    expect(verify(hash, MESSAGE, rsaVerifyOptions(publicKey, hash, scheme), signed.Signature as Uint8Array)).toBe(true);
    // And not a signature of the digest hashed once more.
    expect(verify(hash, digestOf(hash, MESSAGE), rsaVerifyOptions(publicKey, hash, scheme), signed.Signature as Uint8Array)).toBe(false);
  });

  test('PKCS#1 v1.5 is deterministic: the DIGEST and RAW signatures are the same bytes', async () => {
    const raw = await sign('alias/rsa-sign', 'RSASSA_PKCS1_V1_5_SHA_256', MESSAGE, 'RAW');
    const digest = await sign('alias/rsa-sign', 'RSASSA_PKCS1_V1_5_SHA_256', digestOf('sha256', MESSAGE), 'DIGEST');
    expect(Buffer.from(digest.Signature as Uint8Array).equals(Buffer.from(raw.Signature as Uint8Array))).toBe(true);
  });
});

const ECC_CASES: readonly [string, string, SigningAlgorithmSpec, Hash][] = [
  ['ECC_NIST_P256', 'alias/p256', 'ECDSA_SHA_256', 'sha256'],
  ['ECC_NIST_P384', 'alias/p384', 'ECDSA_SHA_384', 'sha384'],
  ['ECC_NIST_P521', 'alias/p521', 'ECDSA_SHA_512', 'sha512'],
  ['ECC_SECG_P256K1', 'alias/k256', 'ECDSA_SHA_256', 'sha256'],
];

describe('ECDSA signatures verify locally with node:crypto', () => {
  test.each(ECC_CASES)('%s: a DIGEST signature is the RAW signature of the original message', async (_spec, alias, algorithm, hash) => {
    const publicKey = await publicKeyOf(alias);
    // ECDSA is randomized; sign a few times so one lucky signature cannot pass for a correct implementation.
    for (let i = 0; i < 3; i++) {
      const signed = await sign(alias, algorithm, digestOf(hash, MESSAGE), 'DIGEST');
      expect(signed.SigningAlgorithm).toBe(algorithm);
      expect(verify(hash, MESSAGE, { key: publicKey, dsaEncoding: 'der' }, signed.Signature as Uint8Array)).toBe(true);
      expect(verify(hash, digestOf(hash, MESSAGE), publicKey, signed.Signature as Uint8Array)).toBe(false);
    }
  });

  test.each(ECC_CASES)('%s: a RAW signature verifies locally', async (_spec, alias, algorithm, hash) => {
    const signed = await sign(alias, algorithm, MESSAGE);
    expect(verify(hash, MESSAGE, await publicKeyOf(alias), signed.Signature as Uint8Array)).toBe(true);
  });
});

const ALL_CASES: readonly [string, SigningAlgorithmSpec, Hash][] = [
  ...RSA_CASES.map(([algorithm, hash]) => ['alias/rsa-sign', algorithm, hash] as [string, SigningAlgorithmSpec, Hash]),
  ...ECC_CASES.map(([, alias, algorithm, hash]) => [alias, algorithm, hash] as [string, SigningAlgorithmSpec, Hash]),
];

describe('Verify in the model', () => {
  test.each(ALL_CASES)('%s %s: RAW and DIGEST signatures verify with either message type', async (alias, algorithm, hash) => {
    const digest = digestOf(hash, MESSAGE);
    const raw = await sign(alias, algorithm, MESSAGE, 'RAW');
    const fromDigest = await sign(alias, algorithm, digest, 'DIGEST');
    for (const signature of [raw.Signature, fromDigest.Signature]) {
      const byMessage = await verifyInModel(alias, algorithm, MESSAGE, signature, 'RAW');
      expect(byMessage).toMatchObject({ KeyId: raw.KeyId, SignatureValid: true, SigningAlgorithm: algorithm });
      const byDigest = await verifyInModel(alias, algorithm, digest, signature, 'DIGEST');
      expect(byDigest.SignatureValid).toBe(true);
    }
  });

  test.each(ALL_CASES)('%s %s: a tampered signature throws KMSInvalidSignatureException', async (alias, algorithm, hash) => {
    const signed = await sign(alias, algorithm, MESSAGE);
    const tampered = Buffer.from(signed.Signature as Uint8Array);
    tampered[tampered.length - 5] = (tampered[tampered.length - 5] as number) ^ 0x01;
    for (const [message, type] of [
      [MESSAGE, 'RAW'],
      [digestOf(hash, MESSAGE), 'DIGEST'],
    ] as const) {
      const error = await rejectionOf(verifyInModel(alias, algorithm, message, tampered, type));
      expect(error).toBeInstanceOf(KMSInvalidSignatureException);
      expect(error.name).toBe('KMSInvalidSignatureException');
    }
  });

  test.each(ALL_CASES)('%s %s: a signature of another message throws KMSInvalidSignatureException', async (alias, algorithm, hash) => {
    const signed = await sign(alias, algorithm, MESSAGE);
    const other = new TextEncoder().encode('another message');
    expect(await rejectionOf(verifyInModel(alias, algorithm, other, signed.Signature, 'RAW'))).toBeInstanceOf(KMSInvalidSignatureException);
    const otherDigest = digestOf(hash, other);
    expect(await rejectionOf(verifyInModel(alias, algorithm, otherDigest, signed.Signature, 'DIGEST'))).toBeInstanceOf(
      KMSInvalidSignatureException,
    );
  });

  test.each([
    ['a truncated RSA signature', 'alias/rsa-sign', 'RSASSA_PSS_SHA_256', (s: Buffer) => s.subarray(0, s.length - 1)],
    ['an RSA signature above the modulus', 'alias/rsa-sign', 'RSASSA_PKCS1_V1_5_SHA_256', (s: Buffer) => Buffer.alloc(s.length, 0xff)],
    ['one byte', 'alias/p256', 'ECDSA_SHA_256', () => Buffer.from([0x30])],
    ['an ECDSA signature with trailing garbage', 'alias/p256', 'ECDSA_SHA_256', (s: Buffer) => Buffer.concat([s, Buffer.from([0])])],
    [
      'an ECDSA signature in non-canonical DER (long-form length)',
      'alias/p256',
      'ECDSA_SHA_256',
      (s: Buffer) => Buffer.concat([Buffer.from([0x30, 0x81, s[1] as number]), s.subarray(2)]),
    ],
  ] as const)('%s is invalid, in RAW and DIGEST mode, never an internal error', async (_label, alias, algorithm, mangle) => {
    const signed = await sign(alias, algorithm, MESSAGE);
    const bad = mangle(Buffer.from(signed.Signature as Uint8Array));
    expect(await rejectionOf(verifyInModel(alias, algorithm, MESSAGE, bad, 'RAW'))).toBeInstanceOf(KMSInvalidSignatureException);
    const digest = digestOf('sha256', MESSAGE);
    expect(await rejectionOf(verifyInModel(alias, algorithm, digest, bad, 'DIGEST'))).toBeInstanceOf(KMSInvalidSignatureException);
  });

  test('a signature by another key of the same spec is invalid', async () => {
    const signed = await sign('alias/p256', 'ECDSA_SHA_256', MESSAGE);
    const error = await rejectionOf(verifyInModel('alias/k256', 'ECDSA_SHA_256', MESSAGE, signed.Signature));
    expect(error).toBeInstanceOf(KMSInvalidSignatureException);
  });

  test('Verify without a Signature is a ValidationException', async () => {
    const error = await rejectionOf(verifyInModel('alias/p256', 'ECDSA_SHA_256', MESSAGE, undefined));
    expect(error.name).toBe('ValidationException');
  });
});

describe('Sign and Verify input validation', () => {
  test.each([
    ['ECDSA_SHA_256', 31],
    ['ECDSA_SHA_256', 33],
    ['ECDSA_SHA_384', 32],
    ['RSASSA_PSS_SHA_512', 48],
    ['RSASSA_PKCS1_V1_5_SHA_256', 64],
  ] as const)('a DIGEST of the wrong length for %s (%i bytes) is a ValidationException', async (algorithm, length) => {
    const alias = algorithm.startsWith('RSA') ? 'alias/rsa-sign' : algorithm === 'ECDSA_SHA_384' ? 'alias/p384' : 'alias/p256';
    const signError = await rejectionOf(sign(alias, algorithm, Buffer.alloc(length, 7), 'DIGEST'));
    expect(signError.name).toBe('ValidationException');
    expect(signError.message).toBe(`Digest is invalid length for algorithm ${algorithm}.`);
    const verifyError = await rejectionOf(verifyInModel(alias, algorithm, Buffer.alloc(length, 7), Buffer.alloc(64, 1), 'DIGEST'));
    expect(verifyError.name).toBe('ValidationException');
  });

  test('a 4096-byte message signs and verifies; 4097 bytes is a ValidationException', async () => {
    const max = Buffer.alloc(4096, 0x61);
    const signed = await sign('alias/p256', 'ECDSA_SHA_256', max);
    expect((await verifyInModel('alias/p256', 'ECDSA_SHA_256', max, signed.Signature)).SignatureValid).toBe(true);
    const tooLong = Buffer.alloc(4097, 0x61);
    expect((await rejectionOf(sign('alias/p256', 'ECDSA_SHA_256', tooLong))).name).toBe('ValidationException');
    expect((await rejectionOf(verifyInModel('alias/p256', 'ECDSA_SHA_256', tooLong, signed.Signature))).name).toBe('ValidationException');
  });

  test('an empty message is a ValidationException', async () => {
    expect((await rejectionOf(sign('alias/p256', 'ECDSA_SHA_256', new Uint8Array(0)))).name).toBe('ValidationException');
  });

  test('a SigningAlgorithm outside the enum, or none, is a ValidationException', async () => {
    const unknown = await rejectionOf(sign('alias/p256', 'ECDSA_SHA_1' as SigningAlgorithmSpec, MESSAGE));
    expect(unknown.name).toBe('ValidationException');
    const missing = await rejectionOf(client.send(new SignCommand({ KeyId: 'alias/p256', Message: MESSAGE, SigningAlgorithm: undefined })));
    expect(missing.name).toBe('ValidationException');
  });

  test('a MessageType outside the enum is a ValidationException', async () => {
    const error = await rejectionOf(sign('alias/p256', 'ECDSA_SHA_256', MESSAGE, 'HASHED' as MessageType));
    expect(error.name).toBe('ValidationException');
  });

  test.each([
    ['ECDSA_SHA_384 on ECC_NIST_P256', 'alias/p256', 'ECDSA_SHA_384'],
    ['ECDSA_SHA_256 on ECC_NIST_P521', 'alias/p521', 'ECDSA_SHA_256'],
    ['an RSA algorithm on an ECC key', 'alias/k256', 'RSASSA_PSS_SHA_256'],
    ['ECDSA on an RSA key', 'alias/rsa-sign', 'ECDSA_SHA_256'],
    ['SM2DSA on an RSA key', 'alias/rsa-sign', 'SM2DSA'],
  ] as const)('%s is an InvalidKeyUsageException for Sign and Verify', async (_label, alias, algorithm) => {
    const signError = await rejectionOf(sign(alias, algorithm, MESSAGE));
    expect(signError).toBeInstanceOf(InvalidKeyUsageException);
    expect(signError.message).toContain(algorithm);
    const verifyError = await rejectionOf(verifyInModel(alias, algorithm, MESSAGE, Buffer.alloc(64, 1)));
    expect(verifyError).toBeInstanceOf(InvalidKeyUsageException);
  });

  test('EXTERNAL_MU on a non-ML-DSA key is an InvalidKeyUsageException', async () => {
    const error = await rejectionOf(sign('alias/p256', 'ECDSA_SHA_256', MESSAGE, 'EXTERNAL_MU'));
    expect(error).toBeInstanceOf(InvalidKeyUsageException);
  });
});

describe('Sign and Verify key checks', () => {
  test.each([
    ['an RSA ENCRYPT_DECRYPT key', 'alias/rsa-crypt', 'RSASSA_PSS_SHA_256'],
    ['a symmetric key', 'alias/sym', 'ECDSA_SHA_256'],
    ['an HMAC key', 'alias/hmac', 'ECDSA_SHA_256'],
  ] as const)('Sign with %s is an InvalidKeyUsageException naming the key usage', async (_label, alias, algorithm) => {
    const error = await rejectionOf(sign(alias, algorithm, MESSAGE));
    expect(error).toBeInstanceOf(InvalidKeyUsageException);
    expect(error.message).toMatch(/key usage is (ENCRYPT_DECRYPT|GENERATE_VERIFY_MAC) which is not valid for Sign/);
  });

  test('Sign and Verify with a disabled key are DisabledException', async () => {
    const signError = await rejectionOf(sign('alias/off', 'ECDSA_SHA_256', MESSAGE));
    expect(signError).toBeInstanceOf(DisabledException);
    expect(signError.message).toMatch(/^arn:aws:kms:us-east-1:111122223333:key\/.+ is disabled\.$/);
    expect(await rejectionOf(verifyInModel('alias/off', 'ECDSA_SHA_256', MESSAGE, Buffer.alloc(64, 1)))).toBeInstanceOf(DisabledException);
  });

  test('Sign with a key pending deletion is KMSInvalidStateException', async () => {
    expect(await rejectionOf(sign('alias/doomed', 'ECDSA_SHA_256', MESSAGE))).toBeInstanceOf(KMSInvalidStateException);
  });

  test('a DIGEST of the wrong length is reported before a disabled key (validation comes first)', async () => {
    const error = await rejectionOf(sign('alias/off', 'ECDSA_SHA_256', Buffer.alloc(20), 'DIGEST'));
    expect(error.name).toBe('ValidationException');
  });

  test('an unknown alias is NotFoundException', async () => {
    expect(await rejectionOf(sign('alias/missing', 'ECDSA_SHA_256', MESSAGE))).toBeInstanceOf(NotFoundException);
  });
});

describe('GetPublicKey', () => {
  test('an RSA ENCRYPT_DECRYPT key: local RSAES-OAEP encryption with the public key decrypts in the model', async () => {
    const out = await client.send(new GetPublicKeyCommand({ KeyId: 'alias/rsa-crypt' }));
    expect(out).toMatchObject({
      KeySpec: 'RSA_2048',
      CustomerMasterKeySpec: 'RSA_2048',
      KeyUsage: 'ENCRYPT_DECRYPT',
      EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
    });
    expect(out.SigningAlgorithms).toBeUndefined();
    const publicKey = spkiPublicKey(out.PublicKey);
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    for (const [algorithm, oaepHash] of [
      ['RSAES_OAEP_SHA_256', 'sha256'],
      ['RSAES_OAEP_SHA_1', 'sha1'],
    ] as const) {
      const plaintext = Buffer.from(`secret under ${algorithm}`);
      const blob = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, plaintext);
      const decrypted = await client.send(
        new DecryptCommand({ KeyId: 'alias/rsa-crypt', CiphertextBlob: blob, EncryptionAlgorithm: algorithm }),
      );
      expect(Buffer.from(decrypted.Plaintext as Uint8Array).toString()).toBe(plaintext.toString());
      expect(decrypted.KeyId).toBe(out.KeyId);
    }
  });

  test.each(ECC_CASES)('%s SIGN_VERIFY: SPKI on the right curve and the one signing algorithm', async (spec, alias, algorithm) => {
    const out = await client.send(new GetPublicKeyCommand({ KeyId: alias }));
    expect(out).toMatchObject({ KeySpec: spec, CustomerMasterKeySpec: spec, KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: [algorithm] });
    expect(out.KeyId).toMatch(/^arn:aws:kms:us-east-1:111122223333:key\//);
    expect(out.EncryptionAlgorithms).toBeUndefined();
    const publicKey = spkiPublicKey(out.PublicKey);
    const curve = { ECC_NIST_P256: 'prime256v1', ECC_NIST_P384: 'secp384r1', ECC_NIST_P521: 'secp521r1', ECC_SECG_P256K1: 'secp256k1' }[spec];
    expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe(curve);
  });

  test('an RSA SIGN_VERIFY key lists the six RSA signing algorithms', async () => {
    const out = await client.send(new GetPublicKeyCommand({ KeyId: 'alias/rsa-sign' }));
    expect(out.KeyUsage).toBe('SIGN_VERIFY');
    expect(out.SigningAlgorithms).toEqual(RSA_CASES.map(([algorithm]) => algorithm));
  });

  test.each([
    ['a symmetric key', 'alias/sym'],
    ['an HMAC key', 'alias/hmac'],
  ])('%s is UnsupportedOperationException', async (_label, alias) => {
    const error = await rejectionOf(client.send(new GetPublicKeyCommand({ KeyId: alias })));
    expect(error).toBeInstanceOf(UnsupportedOperationException);
    expect(error.message).toContain('arn:aws:kms:us-east-1:111122223333:key/');
  });

  test('a disabled key is DisabledException; no KeyId is a ValidationException', async () => {
    expect(await rejectionOf(client.send(new GetPublicKeyCommand({ KeyId: 'alias/off' })))).toBeInstanceOf(DisabledException);
    expect((await rejectionOf(client.send(new GetPublicKeyCommand({ KeyId: undefined })))).name).toBe('ValidationException');
  });
});

describe('quota buckets', () => {
  /** A model whose quota clock stands still, so every request falls in one fixed window. */
  function quotaModel(overrides: Record<string, number> = {}) {
    const model = new KmsModel({
      seed: 3,
      keys: [
        { region: REGION, aliases: ['alias/rsa'], keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' },
        { region: REGION, aliases: ['alias/ec'], keySpec: 'ECC_NIST_P256' },
      ],
      quotas: { profile: 'kms-current', enforcement: 'fixed-window', overrides: { [REGION]: overrides } },
      clock: new ManualClock(5e9),
    });
    return { model, client: sdkClient(model, REGION) };
  }

  test('Sign and Verify charge rsa or ecc by key family; GetPublicKey its own bucket; failed validation charges nothing', async () => {
    const { model, client: c } = quotaModel();
    const rsa = await c.send(new SignCommand({ KeyId: 'alias/rsa', Message: MESSAGE, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }));
    await c.send(new VerifyCommand({ KeyId: 'alias/rsa', Message: MESSAGE, Signature: rsa.Signature, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }));
    await c.send(new SignCommand({ KeyId: 'alias/ec', Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_256' }));
    await c.send(new GetPublicKeyCommand({ KeyId: 'alias/ec' }));
    await rejectionOf(c.send(new SignCommand({ KeyId: 'alias/ec', Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_384' })));
    await rejectionOf(c.send(new SignCommand({ KeyId: 'alias/ec', Message: Buffer.alloc(5), SigningAlgorithm: 'ECDSA_SHA_256', MessageType: 'DIGEST' })));
    expect(chargedBuckets(model)).toEqual({ rsa: [2, 0], ecc: [1, 0], GetPublicKey: [1, 0] });
  });

  test('once the ecc quota is used up, Sign is a ThrottlingException and the rsa bucket is untouched', async () => {
    const { model, client: c } = quotaModel({ ecc: 1 });
    await c.send(new SignCommand({ KeyId: 'alias/ec', Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_256' }));
    const error = await rejectionOf(c.send(new SignCommand({ KeyId: 'alias/ec', Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_256' })));
    expect(error.name).toBe('ThrottlingException');
    await c.send(new SignCommand({ KeyId: 'alias/rsa', Message: MESSAGE, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }));
    expect(chargedBuckets(model)).toEqual({ ecc: [1, 1], rsa: [1, 0] });
  });
});
