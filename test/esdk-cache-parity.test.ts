import { describe, expect, test } from 'vitest';
import { DataKeyCache, type DataKeyMaterial } from '../src/client/data-key-cache.js';
import { EsdkSession, type EsdkSuite } from '../src/client/esdk-client.js';
import { ManualClock } from '../src/engine/clock.js';
import { KmsModel } from '../src/kms/model.js';
import { randomInt, seededRandom } from '../src/workload/random.js';
import { rejectionOf } from './support/errors.js';

const REGION = 'eu-west-1';
const KEY_ID = '6b1d3c2a-9e8f-4a7b-8c6d-5e4f3a2b1c0d';
const ARN = `arn:aws:kms:${REGION}:111122223333:key/${KEY_ID}`;

function model(): KmsModel {
  return new KmsModel({ seed: 3, keys: [{ region: REGION, keyId: KEY_ID }] });
}

describe('the real Encryption SDK over the model', () => {
  test.each<EsdkSuite>(['committing-signed', 'committing'])('%s: round trip, one GenerateDataKey and one Decrypt', async (suite) => {
    const session = new EsdkSession({ model: model(), suite });
    const calls: string[] = [];
    const plaintext = Buffer.from('the quick brown fox');
    const message = await session.encrypt(ARN, plaintext, { tenant: 'a' }, { onAttempt: (o) => calls.push(`encrypt:${o}`) });
    const back = await session.decrypt(ARN, message, { tenant: 'a' }, { onAttempt: (o) => calls.push(`decrypt:${o}`) });
    expect(back.equals(plaintext)).toBe(true);
    expect(calls).toEqual(['encrypt:admitted', 'decrypt:admitted']);
    session.destroy();
  });

  test('a tampered message and a mismatched context fail', async () => {
    const session = new EsdkSession({ model: model(), suite: 'committing' });
    const message = await session.encrypt(ARN, Buffer.from('secret'), { tenant: 'a' });
    const tampered = Buffer.from(message);
    // The unsigned suite ends with the final frame's GCM tag.
    tampered[tampered.byteLength - 1] = (tampered[tampered.byteLength - 1] as number) ^ 1;
    expect((await rejectionOf(session.decrypt(ARN, tampered, { tenant: 'a' }))).message).toMatch(/unsupported state or unable to authenticate data/i);
    const mismatch = await rejectionOf(session.decrypt(ARN, message, { tenant: 'b' }));
    expect(mismatch).toMatchObject({ name: 'EncryptionContextMismatchError', message: "the message's encryption context does not match: tenant differs" });
    session.destroy();
  });
});

/** A workload both caches see in the same order: message sizes and contexts from one seed. */
function workload(messages: number, contexts: number, maxBytes: number): { size: number; context: Record<string, string> }[] {
  const random = seededRandom(42, 'parity');
  return Array.from({ length: messages }, () => ({
    size: randomInt(random, 1, maxBytes),
    context: { tenant: `t${randomInt(random, 0, contexts - 1)}` },
  }));
}

describe('built-in cache vs the Encryption SDK caching materials manager', () => {
  test.each([
    { messages: 400, contexts: 1, capacity: 10, maxMessagesEncrypted: 10, maxBytesEncrypted: undefined, sizes: 100 },
    { messages: 400, contexts: 5, capacity: 10, maxMessagesEncrypted: 7, maxBytesEncrypted: undefined, sizes: 100 },
    { messages: 400, contexts: 8, capacity: 3, maxMessagesEncrypted: 50, maxBytesEncrypted: undefined, sizes: 100 },
    { messages: 400, contexts: 3, capacity: 10, maxMessagesEncrypted: 100, maxBytesEncrypted: 2000, sizes: 600 },
    { messages: 300, contexts: 2, capacity: 10, maxMessagesEncrypted: 1000, maxBytesEncrypted: 500, sizes: 800 },
  ])('$messages messages, $contexts contexts, capacity $capacity, maxMessages $maxMessagesEncrypted, maxBytes $maxBytesEncrypted', async (c) => {
    const items = workload(c.messages, c.contexts, c.sizes);
    const limits = {
      maxMessagesEncrypted: c.maxMessagesEncrypted,
      ...(c.maxBytesEncrypted === undefined ? {} : { maxBytesEncrypted: c.maxBytesEncrypted }),
    };

    const esdk = new EsdkSession({ model: model(), suite: 'committing', cache: { capacity: c.capacity, maxAgeMs: 3_600_000, ...limits } });
    let esdkCalls = 0;
    for (const item of items) {
      await esdk.encrypt(ARN, Buffer.alloc(item.size, 1), item.context, { onAttempt: () => esdkCalls++ });
    }
    esdk.destroy();

    const cache = new DataKeyCache({ capacity: c.capacity, maxAgeMs: 3_600_000, clock: new ManualClock(), ...limits });
    let builtInCalls = 0;
    const fetch = (): Promise<DataKeyMaterial> => {
      builtInCalls++;
      return Promise.resolve({ plaintext: new Uint8Array(32), encrypted: new Uint8Array(8), keyArn: ARN });
    };
    for (const item of items) await cache.encryptionKey(ARN, item.context, item.size, fetch);

    expect(esdkCalls).toBeGreaterThan(1);
    expect(Math.abs(builtInCalls - esdkCalls)).toBeLessThanOrEqual(Math.floor(esdkCalls * 0.01));
    // With one context and no byte limit, both make exactly ⌈messages / maxMessages⌉ calls.
    if (c.contexts === 1 && c.maxBytesEncrypted === undefined) expect(esdkCalls).toBe(Math.ceil(c.messages / c.maxMessagesEncrypted));
  });
});
