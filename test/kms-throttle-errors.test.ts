/**
 * Throttled requests, called in process: through `callSync` each throttle is its own KmsError with KMS's name, wording
 * and status; through `attemptSync` a throttled cryptographic request is the THROTTLED answer instead. Either way the
 * quota is checked after validation, key resolution and key state, and before any cryptography.
 */
import { describe, expect, test } from 'vitest';
import { ManualClock } from '../src/base/time.js';
import { KmsError, THROTTLING_MESSAGE } from '../src/kms/errors.js';
import { KmsModel } from '../src/kms/model.js';
import { THROTTLED } from '../src/kms/op-env.js';
import type { KmsInput } from '../src/kms/types.js';

const REGION = 'us-east-1';
const ctx = { region: REGION };
const QUOTA = 3;
const MESSAGE = Buffer.from('message');

interface Setup {
  readonly kms: KmsModel;
  /** One request of each cryptographic operation, valid apart from the quota. */
  readonly requests: [string, KmsInput][];
  /** Uses up the quota of every bucket those requests are charged to. */
  readonly exhaust: () => void;
}

function setup(crypto: 'real' | 'off'): Setup {
  const clock = new ManualClock(0);
  const kms = new KmsModel({
    seed: 2,
    clock,
    crypto,
    keys: [
      { region: REGION, aliases: ['alias/app'] },
      { region: REGION, aliases: ['alias/signer'], keySpec: 'ECC_NIST_P256' },
      { region: REGION, aliases: ['alias/mac'], keySpec: 'HMAC_256' },
    ],
    quotas: {
      profile: 'kms-current',
      enforcement: 'fixed-window',
      overrides: { [REGION]: { symmetric: QUOTA, ecc: 1, 'gdkp:ECC_NIST_P256': 1, DescribeKey: 1 } },
    },
  });
  // Made in an earlier window: the test's window starts with every quota whole.
  const blob = kms.callSync('Encrypt', { KeyId: 'alias/app', Plaintext: MESSAGE }, ctx).CiphertextBlob as Uint8Array;
  const signing = { KeyId: 'alias/signer', Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_256' };
  const signature = kms.callSync('Sign', signing, ctx).Signature as Uint8Array;
  const macking = { KeyId: 'alias/mac', Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256' };
  const mac = kms.callSync('GenerateMac', macking, ctx).Mac as Uint8Array;
  clock.setNs(2e9);
  const requests: [string, KmsInput][] = [
    ['Encrypt', { KeyId: 'alias/app', Plaintext: MESSAGE }],
    ['Decrypt', { CiphertextBlob: blob }],
    ['ReEncrypt', { CiphertextBlob: blob, DestinationKeyId: 'alias/app' }],
    ['GenerateDataKey', { KeyId: 'alias/app', KeySpec: 'AES_256' }],
    ['GenerateDataKeyWithoutPlaintext', { KeyId: 'alias/app', NumberOfBytes: 16 }],
    ['GenerateRandom', { NumberOfBytes: 16 }],
    ['GenerateMac', macking],
    ['VerifyMac', { ...macking, Mac: mac }],
    ['Sign', signing],
    ['Verify', { ...signing, Signature: signature }],
    ['GenerateDataKeyPair', { KeyId: 'alias/app', KeyPairSpec: 'ECC_NIST_P256' }],
  ];
  const exhaust = (): void => {
    let encrypts = 0;
    while (kms.attemptSync('Encrypt', { KeyId: 'alias/app', Plaintext: MESSAGE }, ctx) !== THROTTLED) encrypts++;
    expect(encrypts).toBeLessThanOrEqual(QUOTA);
    kms.callSync('Sign', signing, ctx);
    kms.callSync('GenerateDataKeyPair', { KeyId: 'alias/app', KeyPairSpec: 'ECC_NIST_P256' }, ctx);
  };
  return { kms, requests, exhaust };
}

function errorOf(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe.each(['real', 'off'] as const)('throttled requests (crypto %s)', (crypto) => {
  test('callSync: every throttled operation throws a new KmsError: ThrottlingException, KMS wording, HTTP 400', () => {
    const { kms, requests, exhaust } = setup(crypto);
    exhaust();
    const errors = requests.map(([op, input]) => errorOf(() => kms.callSync(op, input, ctx)));
    errors.forEach((error, i) => {
      expect(error, requests[i]?.[0]).toBeInstanceOf(KmsError);
      expect(error).toMatchObject({ name: 'ThrottlingException', message: THROTTLING_MESSAGE, status: 400 });
    });
    expect(new Set(errors).size).toBe(errors.length);
  });

  test('attemptSync: a throttled cryptographic request is THROTTLED; a throttled management request throws', () => {
    const { kms, requests, exhaust } = setup(crypto);
    for (const [op, input] of requests.slice(0, 2)) expect(kms.attemptSync(op, input, ctx).KeyId, op).toMatch(/^arn:aws:kms:/);
    exhaust();
    for (const [op, input] of requests) expect(kms.attemptSync(op, input, ctx), op).toBe(THROTTLED);
    kms.callSync('DescribeKey', { KeyId: 'alias/app' }, ctx);
    expect(errorOf(() => kms.attemptSync('DescribeKey', { KeyId: 'alias/app' }, ctx))).toMatchObject({ name: 'ThrottlingException' });
    expect(errorOf(() => kms.attemptSync('Encrypt', { KeyId: 'alias/none', Plaintext: MESSAGE }, ctx))).toMatchObject({
      name: 'NotFoundException',
    });
  });

  test('requests refused before the quota check are not counted; a throttled request does no crypto', () => {
    const { kms, requests } = setup(crypto);
    const blob = requests[1]?.[1].CiphertextBlob as Uint8Array;
    const refused: [string, KmsInput, string][] = [
      ['Encrypt', { KeyId: 'alias/none', Plaintext: MESSAGE }, 'NotFoundException'],
      ['Encrypt', { KeyId: 'alias/app' }, 'ValidationException'],
      ['Decrypt', { CiphertextBlob: blob.subarray(0, 20) }, 'InvalidCiphertextException'],
    ];
    for (const [op, input, name] of refused) expect(errorOf(() => kms.callSync(op, input, ctx))).toMatchObject({ name });
    for (let i = 0; i < QUOTA; i++) kms.callSync('Decrypt', { CiphertextBlob: blob }, ctx);
    // A wrong context, MAC or signature fails only in the cryptography, which a throttled request never reaches.
    const wrong: [string, KmsInput][] = [
      ['Decrypt', { CiphertextBlob: blob, EncryptionContext: { a: 'b' } }],
      ['VerifyMac', { KeyId: 'alias/mac', Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256', Mac: Buffer.alloc(32) }],
    ];
    for (const [op, input] of wrong) expect(errorOf(() => kms.callSync(op, input, ctx))).toMatchObject({ name: 'ThrottlingException' });
    const [slot] = kms.quotaState().filter((s) => s.bucket === 'symmetric');
    // The setup's Encrypt and GenerateMac, in the earlier window, and this window's decrypts.
    expect([slot?.admitted, slot?.throttled]).toEqual([2 + QUOTA, wrong.length]);
  });
});
