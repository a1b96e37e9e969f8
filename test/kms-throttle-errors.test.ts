/**
 * Throttled symmetric requests, called in process: each throttle is its own KmsError with KMS's name, wording and
 * status, and the quota is checked after validation, key resolution and key state, and before any cryptography.
 */
import { describe, expect, test } from 'vitest';
import { ManualClock } from '../src/engine/clock.js';
import { KmsError, THROTTLING_MESSAGE } from '../src/kms/errors.js';
import { KmsModel } from '../src/kms/model.js';
import type { KmsInput } from '../src/kms/types.js';

const REGION = 'us-east-1';
const ctx = { region: REGION };
const QUOTA = 3;

function setup(crypto: 'real' | 'off'): { kms: KmsModel; blob: Uint8Array } {
  const clock = new ManualClock(1e9);
  const kms = new KmsModel({
    seed: 2,
    clock,
    crypto,
    keys: [{ region: REGION, aliases: ['alias/app'] }],
    quotas: { profile: 'kms-current', enforcement: 'fixed-window', overrides: { [REGION]: { symmetric: QUOTA } } },
  });
  // Made in the previous window: the test's window starts with the whole quota.
  clock.setNs(0);
  const blob = kms.callSync('Encrypt', { KeyId: 'alias/app', Plaintext: Buffer.from('x') }, ctx).CiphertextBlob as Uint8Array;
  clock.setNs(2e9);
  return { kms, blob };
}

function errorOf(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

const symmetricOps = (blob: Uint8Array): [string, KmsInput][] => [
  ['Encrypt', { KeyId: 'alias/app', Plaintext: Buffer.from('x') }],
  ['Decrypt', { CiphertextBlob: blob }],
  ['GenerateDataKey', { KeyId: 'alias/app', KeySpec: 'AES_256' }],
  ['GenerateDataKeyWithoutPlaintext', { KeyId: 'alias/app', NumberOfBytes: 16 }],
  ['ReEncrypt', { CiphertextBlob: blob, DestinationKeyId: 'alias/app' }],
];

describe.each(['real', 'off'] as const)('throttled symmetric requests (crypto %s)', (crypto) => {
  test('every throttled operation throws a new KmsError: ThrottlingException, KMS wording, HTTP 400', () => {
    const { kms, blob } = setup(crypto);
    for (let i = 0; i < QUOTA; i++) kms.callSync('Encrypt', { KeyId: 'alias/app', Plaintext: Buffer.from('x') }, ctx);
    const errors = symmetricOps(blob).map(([op, input]) => errorOf(() => kms.callSync(op, input, ctx)));
    for (const error of errors) {
      expect(error).toBeInstanceOf(KmsError);
      expect(error).toMatchObject({ name: 'ThrottlingException', message: THROTTLING_MESSAGE, status: 400 });
    }
    expect(new Set(errors).size).toBe(errors.length);
  });

  test('requests refused before the quota check are not counted; a throttled Decrypt does no crypto', () => {
    const { kms, blob } = setup(crypto);
    const refused: [string, KmsInput, string][] = [
      ['Encrypt', { KeyId: 'alias/none', Plaintext: Buffer.from('x') }, 'NotFoundException'],
      ['Encrypt', { KeyId: 'alias/app' }, 'ValidationException'],
      ['Decrypt', { CiphertextBlob: blob.subarray(0, 20) }, 'InvalidCiphertextException'],
    ];
    for (const [op, input, name] of refused) expect(errorOf(() => kms.callSync(op, input, ctx))).toMatchObject({ name });
    for (let i = 0; i < QUOTA; i++) kms.callSync('Decrypt', { CiphertextBlob: blob }, ctx);
    // A wrong context fails only in the cryptography, which a throttled request never reaches.
    const wrongContext = errorOf(() => kms.callSync('Decrypt', { CiphertextBlob: blob, EncryptionContext: { a: 'b' } }, ctx));
    expect(wrongContext).toMatchObject({ name: 'ThrottlingException' });
    const [slot] = kms.quotaState().filter((s) => s.bucket === 'symmetric');
    expect([slot?.admitted, slot?.throttled]).toEqual([QUOTA + 1, 1]);
  });
});
