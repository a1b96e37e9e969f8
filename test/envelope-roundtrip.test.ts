import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { AttemptOutcomeKind } from '../src/metrics/recorder.js';
import { createDirectClient } from '../src/client/direct-client.js';
import { DataKeyCache } from '../src/client/data-key-cache.js';
import { createEnvelopeClient } from '../src/client/envelope-client.js';
import { envelopeDecrypt, envelopeEncrypt, type KmsCall } from '../src/client/envelope.js';
import { createRetryPolicy } from '../src/client/retry-policy.js';
import { ManualClock } from '../src/base/time.js';
import { KmsModel } from '../src/kms/model.js';
import { seededRandom } from '../src/base/random.js';
import { rejectionOf } from './support/errors.js';

const REGION = 'us-east-1';
const KEY_ID = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
const ARN = `arn:aws:kms:${REGION}:111122223333:key/${KEY_ID}`;

function setup(quotaPerSec?: number) {
  const clock = new ManualClock(1_000_000_000);
  const kms = new KmsModel({
    seed: 5,
    keys: [{ region: REGION, keyId: KEY_ID }],
    clock,
    ...(quotaPerSec === undefined ? {} : { quotas: { overrides: { [REGION]: { symmetric: quotaPerSec } } } }),
  });
  let calls = 0;
  const call: KmsCall = (operation, input) => {
    calls++;
    try {
      return Promise.resolve(kms.callSync(operation, input, { region: REGION }));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
  return { clock, kms, call, calls: () => calls };
}

describe('envelope encryption round trips', () => {
  test.each([1, 100, 4096, 1024 * 1024 + 3])('%i bytes, uncached and cached', async (size) => {
    const { clock, call, calls } = setup();
    const plaintext = randomBytes(size);
    const context = { tenant: 'a', purpose: 'test' };
    const sealed = await envelopeEncrypt({ kms: call }, ARN, plaintext, context);
    expect(sealed.lookup).toBe('none');
    expect(sealed.message.byteLength).toBeGreaterThan(size + 28);
    expect((await envelopeDecrypt({ kms: call }, sealed.message, context)).plaintext.equals(plaintext)).toBe(true);
    expect(calls()).toBe(2);

    const cache = new DataKeyCache({ capacity: 10, maxAgeMs: 60_000, clock });
    const first = await envelopeEncrypt({ kms: call, cache }, ARN, plaintext, context);
    const second = await envelopeEncrypt({ kms: call, cache }, ARN, plaintext, context);
    expect([first.lookup, second.lookup]).toEqual(['miss', 'hit']);
    for (const message of [first.message, second.message]) {
      expect((await envelopeDecrypt({ kms: call, cache }, message, context, ARN)).plaintext.equals(plaintext)).toBe(true);
    }
    // Both messages share one data key: one GenerateDataKey and one Decrypt.
    expect(calls()).toBe(4);
  });

  test('a changed ciphertext body fails authentication locally', async () => {
    const { call } = setup();
    const { message } = await envelopeEncrypt({ kms: call }, ARN, Buffer.from('attack at dawn'), { tenant: 'a' });
    message[message.byteLength - 20] = (message[message.byteLength - 20] as number) ^ 1;
    const error = await rejectionOf(envelopeDecrypt({ kms: call }, message, { tenant: 'a' }));
    expect(error.name).toBe('EnvelopeAuthenticationError');
    expect(error.message).toBe('envelope authentication failed: the message or its encryption context was changed');
  });

  test('a changed encrypted data key is refused by KMS', async () => {
    const { call } = setup();
    const { message } = await envelopeEncrypt({ kms: call }, ARN, Buffer.from('attack at dawn'), undefined);
    message[10] = (message[10] as number) ^ 0x80;
    const error = await rejectionOf(envelopeDecrypt({ kms: call }, message, undefined));
    expect(error.name).toBe('InvalidCiphertextException');
  });

  test.each([false, true])('another encryption context is refused by KMS (cache with the right context: %s)', async (cached) => {
    const { clock, call } = setup();
    const cache = cached ? new DataKeyCache({ capacity: 10, maxAgeMs: 60_000, clock }) : undefined;
    const options = { kms: call, ...(cache === undefined ? {} : { cache }) };
    const { message } = await envelopeEncrypt(options, ARN, Buffer.from('attack at dawn'), { tenant: 'a' });
    await envelopeDecrypt(options, message, { tenant: 'a' });
    const error = await rejectionOf(envelopeDecrypt(options, message, { tenant: 'b' }));
    expect(error.name).toBe('InvalidCiphertextException');
    expect(error.message).toBe('The ciphertext is invalid or the encryption context does not match.');
  });

  test('a context mismatch is caught locally too, even with the data key in hand', async () => {
    const { clock, call } = setup();
    const cache = new DataKeyCache({ capacity: 10, maxAgeMs: 60_000, clock });
    const { message } = await envelopeEncrypt({ kms: call }, ARN, Buffer.from('x'), { a: 'bc' });
    // Put the data key in the cache under the other (ambiguous if concatenated) context, as a buggy cache might.
    const edk = message.subarray(5, 5 + message.readUInt16BE(3));
    const key = (await call('Decrypt', { CiphertextBlob: edk, EncryptionContext: { a: 'bc' } }))['Plaintext'] as Uint8Array;
    await cache.decryptionKey(edk, { ab: 'c' }, () => Promise.resolve(Buffer.from(key)));
    const error = await rejectionOf(envelopeDecrypt({ kms: call, cache }, message, { ab: 'c' }));
    expect(error.name).toBe('EnvelopeAuthenticationError');
  });

  test('not an envelope message', async () => {
    const { call } = setup();
    const error = await rejectionOf(envelopeDecrypt({ kms: call }, Buffer.from('hello, this is not an envelope message'), undefined));
    expect(error).toMatchObject({ name: 'EnvelopeFormatError', message: 'not an envelope message' });
    const { message } = await envelopeEncrypt({ kms: call }, ARN, Buffer.from('x'), undefined);
    message[2] = 9;
    expect(await rejectionOf(envelopeDecrypt({ kms: call }, message, undefined))).toMatchObject({
      name: 'EnvelopeFormatError',
      message: 'unsupported envelope version 9',
    });
  });
});

describe('envelope operations through a fleet client', () => {
  test('KMS attempts are reported per logical operation; cache hits make none', async () => {
    const { clock, kms } = setup();
    const inner = createDirectClient({
      model: kms,
      context: { region: REGION },
      policy: createRetryPolicy({ policy: 'none', maxAttempts: 1 }, seededRandom(1, 'r')),
      clock,
    });
    const client = createEnvelopeClient({ inner, clock, cache: { capacity: 10, maxAgeMs: 60_000, maxMessagesEncrypted: 3, partition: 'fleet' } });
    const attempts: AttemptOutcomeKind[][] = [];
    for (let i = 0; i < 7; i++) {
      const seen: AttemptOutcomeKind[] = [];
      const result = await client.send(
        { operation: 'envelopeEncrypt', input: { KeyId: ARN, Plaintext: Buffer.alloc(64), EncryptionContext: { t: '1' } }, bucket: 'symmetric' },
        (o) => seen.push(o),
      );
      expect(result).toMatchObject({ ok: true, attempts: seen.length });
      attempts.push(seen);
    }
    expect(attempts.map((a) => a.length)).toEqual([1, 0, 0, 1, 0, 0, 1]);
    expect(client.cacheStats?.()).toMatchObject({ cached: true, stats: { encryptHits: 4, encryptMisses: 3, dataKeys: 3, maxMessagesPerKey: 3 } });
  });

  test('a throttled GenerateDataKey fails the operation with ThrottlingException after the retries', async () => {
    const { clock, kms } = setup(1);
    const inner = createDirectClient({
      model: kms,
      context: { region: REGION },
      policy: createRetryPolicy({ policy: 'immediate', maxAttempts: 2 }, seededRandom(1, 'r')),
      clock,
    });
    const client = createEnvelopeClient({ inner, clock });
    const send = () =>
      client.send({ operation: 'envelopeEncrypt', input: { KeyId: ARN, Plaintext: Buffer.alloc(8) }, bucket: 'symmetric' }, () => undefined);
    expect(await send()).toMatchObject({ ok: true, attempts: 1 });
    expect(await send()).toEqual({ ok: false, errorName: 'ThrottlingException', attempts: 2 });
    expect(client.cacheStats?.()).toMatchObject({ cached: false, stats: { dataKeys: 1, maxMessagesPerKey: 1 } });
  });

  test('a data key of the wrong length is refused, and zero-filled before it is dropped', async () => {
    const short = Buffer.alloc(16, 0xab);
    const call: KmsCall = async () => ({ Plaintext: short, CiphertextBlob: Buffer.alloc(64, 1), KeyId: ARN });
    const error = await rejectionOf(envelopeEncrypt({ kms: call }, ARN, Buffer.from('x'), undefined));
    expect(String(error)).toMatch(/GenerateDataKey returned a 16-byte key/);
    expect(short.every((byte) => byte === 0)).toBe(true);
  });
});
