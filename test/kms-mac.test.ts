import {
  DisabledException,
  GenerateMacCommand,
  InvalidKeyUsageException,
  KMSInvalidMacException,
  KMSInvalidStateException,
  NotFoundException,
  VerifyMacCommand,
  type MacAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { ManualClock } from '../src/base/time.js';
import { KmsModel } from '../src/kms/model.js';
import { rejectionOf } from './support/errors.js';
import { chargedBuckets, sdkClient } from './support/kms-sdk.js';

const REGION = 'us-east-1';
/** Known HMAC material, so MACs can be checked against node:crypto's HMAC. */
const KNOWN_SECRET = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const kms = new KmsModel({
  seed: 31,
  keys: [
    { region: REGION, aliases: ['alias/hmac-224'], keySpec: 'HMAC_224' },
    { region: REGION, aliases: ['alias/hmac-256'], keySpec: 'HMAC_256' },
    { region: REGION, aliases: ['alias/hmac-384'], keySpec: 'HMAC_384' },
    { region: REGION, aliases: ['alias/hmac-512'], keySpec: 'HMAC_512' },
    { region: REGION, aliases: ['alias/hmac-256-b'], keySpec: 'HMAC_256' },
    { region: REGION, aliases: ['alias/hmac-known'], keySpec: 'HMAC_256', material: { secrets: [KNOWN_SECRET] } },
    { region: REGION, aliases: ['alias/hmac-off'], keySpec: 'HMAC_256', state: 'Disabled' },
    { region: REGION, aliases: ['alias/hmac-doomed'], keySpec: 'HMAC_256', state: 'PendingDeletion' },
    { region: REGION, aliases: ['alias/sym'] },
    { region: REGION, aliases: ['alias/ec'], keySpec: 'ECC_NIST_P256' },
  ],
});
const client = sdkClient(kms, REGION);
const MESSAGE = new TextEncoder().encode('message to authenticate');

const generateMac = (keyId: string, algorithm: MacAlgorithmSpec | undefined, message: Uint8Array = MESSAGE) =>
  client.send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: algorithm, Message: message }));
const verifyMac = (keyId: string, algorithm: MacAlgorithmSpec, mac: Uint8Array | undefined, message: Uint8Array = MESSAGE) =>
  client.send(new VerifyMacCommand({ KeyId: keyId, MacAlgorithm: algorithm, Mac: mac, Message: message }));

const SPECS: readonly [string, string, MacAlgorithmSpec, number][] = [
  ['HMAC_224', 'alias/hmac-224', 'HMAC_SHA_224', 28],
  ['HMAC_256', 'alias/hmac-256', 'HMAC_SHA_256', 32],
  ['HMAC_384', 'alias/hmac-384', 'HMAC_SHA_384', 48],
  ['HMAC_512', 'alias/hmac-512', 'HMAC_SHA_512', 64],
];

describe('GenerateMac and VerifyMac per HMAC key spec', () => {
  test.each(SPECS)('%s: a MAC of the digest length that VerifyMac accepts', async (_spec, alias, algorithm, length) => {
    const generated = await generateMac(alias, algorithm);
    expect(generated.KeyId).toMatch(/^arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f-]{36}$/);
    expect(generated.MacAlgorithm).toBe(algorithm);
    expect(generated.Mac).toHaveLength(length);
    const verified = await verifyMac(alias, algorithm, generated.Mac);
    expect(verified).toMatchObject({ KeyId: generated.KeyId, MacValid: true, MacAlgorithm: algorithm });
  });

  test.each(SPECS)('%s: HMAC is deterministic; another message gives another MAC', async (_spec, alias, algorithm) => {
    const first = await generateMac(alias, algorithm);
    const again = await generateMac(alias, algorithm);
    const other = await generateMac(alias, algorithm, new TextEncoder().encode('another message'));
    expect(Buffer.from(again.Mac as Uint8Array).equals(Buffer.from(first.Mac as Uint8Array))).toBe(true);
    expect(Buffer.from(other.Mac as Uint8Array).equals(Buffer.from(first.Mac as Uint8Array))).toBe(false);
  });

  test.each(SPECS)('%s: every single-bit flip of the MAC is KMSInvalidMacException', async (_spec, alias, algorithm, length) => {
    const mac = Buffer.from((await generateMac(alias, algorithm)).Mac as Uint8Array);
    // One bit in each byte, walking the bit position, covers every byte and every bit position.
    for (let i = 0; i < length; i++) {
      const flipped = Buffer.from(mac);
      flipped[i] = (flipped[i] as number) ^ (1 << i % 8);
      const error = await rejectionOf(verifyMac(alias, algorithm, flipped));
      expect(error).toBeInstanceOf(KMSInvalidMacException);
    }
  });

  test.each(SPECS)('%s: a truncated or extended MAC is KMSInvalidMacException', async (_spec, alias, algorithm) => {
    const mac = Buffer.from((await generateMac(alias, algorithm)).Mac as Uint8Array);
    expect(await rejectionOf(verifyMac(alias, algorithm, mac.subarray(0, mac.length - 1)))).toBeInstanceOf(KMSInvalidMacException);
    expect(await rejectionOf(verifyMac(alias, algorithm, Buffer.concat([mac, Buffer.from([0])])))).toBeInstanceOf(KMSInvalidMacException);
  });

  test.each(SPECS)('%s: a MAC checked against another message is KMSInvalidMacException', async (_spec, alias, algorithm) => {
    const mac = (await generateMac(alias, algorithm)).Mac;
    const error = await rejectionOf(verifyMac(alias, algorithm, mac, new TextEncoder().encode('message to authenticatE')));
    expect(error).toBeInstanceOf(KMSInvalidMacException);
    expect(error.message).toContain('arn:aws:kms:us-east-1:111122223333:key/');
  });
});

describe('MAC material', () => {
  test('GenerateMac equals node:crypto HMAC-SHA-256 with the seeded material', async () => {
    const generated = await generateMac('alias/hmac-known', 'HMAC_SHA_256');
    const expected = createHmac('sha256', KNOWN_SECRET).update(MESSAGE).digest();
    expect(Buffer.from(generated.Mac as Uint8Array).equals(expected)).toBe(true);
    expect((await verifyMac('alias/hmac-known', 'HMAC_SHA_256', expected)).MacValid).toBe(true);
  });

  test('a MAC from a different HMAC key of the same spec is KMSInvalidMacException', async () => {
    const mac = (await generateMac('alias/hmac-256', 'HMAC_SHA_256')).Mac;
    expect(await rejectionOf(verifyMac('alias/hmac-256-b', 'HMAC_SHA_256', mac))).toBeInstanceOf(KMSInvalidMacException);
  });

  test('two models with the same seed hold the same HMAC material (threads agree)', async () => {
    const twin = sdkClient(new KmsModel({ seed: 31, keys: [{ region: REGION, aliases: ['alias/hmac-224'], keySpec: 'HMAC_224' }] }), REGION);
    const mac = (await generateMac('alias/hmac-224', 'HMAC_SHA_224')).Mac;
    const verified = await twin.send(new VerifyMacCommand({ KeyId: 'alias/hmac-224', MacAlgorithm: 'HMAC_SHA_224', Mac: mac, Message: MESSAGE }));
    expect(verified.MacValid).toBe(true);
  });
});

describe('GenerateMac and VerifyMac errors', () => {
  test.each([
    ['HMAC_SHA_512 with an HMAC_256 key', 'alias/hmac-256', 'HMAC_SHA_512'],
    ['HMAC_SHA_256 with an HMAC_224 key', 'alias/hmac-224', 'HMAC_SHA_256'],
    ['HMAC_SHA_384 with an HMAC_512 key', 'alias/hmac-512', 'HMAC_SHA_384'],
  ] as const)('%s is InvalidKeyUsageException for GenerateMac and VerifyMac', async (_label, alias, algorithm) => {
    const generateError = await rejectionOf(generateMac(alias, algorithm));
    expect(generateError).toBeInstanceOf(InvalidKeyUsageException);
    expect(generateError.message).toContain(algorithm);
    expect(await rejectionOf(verifyMac(alias, algorithm, Buffer.alloc(32)))).toBeInstanceOf(InvalidKeyUsageException);
  });

  test.each([
    ['a symmetric encryption key', 'alias/sym'],
    ['an ECC signing key', 'alias/ec'],
  ])('GenerateMac with %s is InvalidKeyUsageException naming the key usage', async (_label, alias) => {
    const error = await rejectionOf(generateMac(alias, 'HMAC_SHA_256'));
    expect(error).toBeInstanceOf(InvalidKeyUsageException);
    expect(error.message).toMatch(/key usage is (ENCRYPT_DECRYPT|SIGN_VERIFY) which is not valid for GenerateMac/);
  });

  test('a disabled HMAC key is DisabledException; one pending deletion is KMSInvalidStateException', async () => {
    expect(await rejectionOf(generateMac('alias/hmac-off', 'HMAC_SHA_256'))).toBeInstanceOf(DisabledException);
    expect(await rejectionOf(verifyMac('alias/hmac-off', 'HMAC_SHA_256', Buffer.alloc(32)))).toBeInstanceOf(DisabledException);
    expect(await rejectionOf(generateMac('alias/hmac-doomed', 'HMAC_SHA_256'))).toBeInstanceOf(KMSInvalidStateException);
  });

  test('an unknown key is NotFoundException', async () => {
    expect(await rejectionOf(generateMac('alias/nope', 'HMAC_SHA_256'))).toBeInstanceOf(NotFoundException);
  });

  test('a 4096-byte message is accepted; 4097 bytes and an empty message are ValidationException', async () => {
    const max = Buffer.alloc(4096, 0x6d);
    const mac = (await generateMac('alias/hmac-256', 'HMAC_SHA_256', max)).Mac;
    expect((await verifyMac('alias/hmac-256', 'HMAC_SHA_256', mac, max)).MacValid).toBe(true);
    for (const message of [Buffer.alloc(4097, 0x6d), new Uint8Array(0)]) {
      expect((await rejectionOf(generateMac('alias/hmac-256', 'HMAC_SHA_256', message))).name).toBe('ValidationException');
      expect((await rejectionOf(verifyMac('alias/hmac-256', 'HMAC_SHA_256', mac, message))).name).toBe('ValidationException');
    }
  });

  test('a missing or unknown MacAlgorithm, or a missing Mac, is ValidationException', async () => {
    expect((await rejectionOf(generateMac('alias/hmac-256', undefined))).name).toBe('ValidationException');
    expect((await rejectionOf(generateMac('alias/hmac-256', 'HMAC_SHA_1' as MacAlgorithmSpec))).name).toBe('ValidationException');
    expect((await rejectionOf(verifyMac('alias/hmac-256', 'HMAC_SHA_256', undefined))).name).toBe('ValidationException');
  });

  test('validation comes before key state: a bad message on a disabled key is ValidationException', async () => {
    expect((await rejectionOf(generateMac('alias/hmac-off', 'HMAC_SHA_256', new Uint8Array(0)))).name).toBe('ValidationException');
  });
});

describe('quota', () => {
  test('GenerateMac and VerifyMac count in the symmetric bucket; a refused request is ThrottlingException', async () => {
    const model = new KmsModel({
      seed: 5,
      keys: [{ region: REGION, aliases: ['alias/mac'], keySpec: 'HMAC_384' }],
      quotas: { overrides: { [REGION]: { symmetric: 2 } } },
      clock: new ManualClock(7e9),
    });
    const c = sdkClient(model, REGION);
    const mac = (await c.send(new GenerateMacCommand({ KeyId: 'alias/mac', MacAlgorithm: 'HMAC_SHA_384', Message: MESSAGE }))).Mac;
    await c.send(new VerifyMacCommand({ KeyId: 'alias/mac', MacAlgorithm: 'HMAC_SHA_384', Mac: mac, Message: MESSAGE }));
    const error = await rejectionOf(c.send(new GenerateMacCommand({ KeyId: 'alias/mac', MacAlgorithm: 'HMAC_SHA_384', Message: MESSAGE })));
    expect(error.name).toBe('ThrottlingException');
    expect(chargedBuckets(model)).toEqual({ symmetric: [2, 1] });
  });
});
