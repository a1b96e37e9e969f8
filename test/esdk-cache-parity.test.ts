import { describe, expect, test } from 'vitest';
import { DataKeyCache, type DataKeyMaterial } from '../src/client/data-key-cache.js';
import { EsdkSession, type EsdkSuite } from '../src/client/esdk-client.js';
import { ManualClock, type Clock } from '../src/base/time.js';
import { KmsModel } from '../src/kms/model.js';
import { randomInt, seededRandom } from '../src/base/random.js';
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

/**
 * A clock whose first `hold` sleeps (the service latency the KMS handler waits after each answer) end only when
 * released, in the order the calls were made; later ones end at once. It decides which concurrent miss's key reaches
 * the cache first.
 */
class GatedClock implements Clock {
  readonly #inner = new ManualClock();
  readonly gates: (() => void)[] = [];
  #sleeps = 0;
  constructor(readonly hold: number) {}
  nowNs(): number {
    return this.#inner.nowNs();
  }
  nowEpochMs(): number {
    return this.#inner.nowEpochMs();
  }
  sleep(): Promise<void> {
    if (this.#sleeps++ >= this.hold) return Promise.resolve();
    return new Promise((resolve) => this.gates.push(resolve));
  }
  /** Resolves once `n` calls are held. */
  async held(n: number): Promise<void> {
    while (this.gates.length < n) await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('concurrent misses: built-in cache vs the Encryption SDK', () => {
  // maxMessagesEncrypted 2. A and B miss together. A's key is cached first and serves C (its 2nd message); then B's
  // key arrives. The SDK keeps the last put (B's, 1 message), so D is a hit: 2 GenerateDataKey calls. Keeping the
  // first (A's, full) would make D fetch a third key.
  test('the key put last serves the next message: the same GenerateDataKey count as the SDK', async () => {
    const clock = new GatedClock(2);
    const esdk = new EsdkSession({
      model: model(),
      suite: 'committing',
      cache: { capacity: 10, maxAgeMs: 3_600_000, maxMessagesEncrypted: 2 },
      clock,
      latencyMs: () => 0,
    });
    let esdkCalls = 0;
    const onAttempt = (): void => void esdkCalls++;
    const send = () => esdk.encrypt(ARN, Buffer.from('m'), { tenant: 'a' }, { onAttempt });
    const a = send();
    await clock.held(1);
    const b = send();
    await clock.held(2);
    clock.gates.shift()?.();
    await a;
    await send(); // C
    clock.gates.shift()?.();
    await b;
    await send(); // D
    esdk.destroy();

    const cache = new DataKeyCache({ capacity: 10, maxAgeMs: 3_600_000, maxMessagesEncrypted: 2, clock: new ManualClock() });
    let builtInCalls = 0;
    const gates: (() => void)[] = [];
    const gated = (): Promise<DataKeyMaterial> => {
      builtInCalls++;
      return new Promise((resolve) => gates.push(() => resolve({ plaintext: new Uint8Array(32), encrypted: new Uint8Array(8), keyArn: ARN })));
    };
    const immediate = (): Promise<DataKeyMaterial> => {
      builtInCalls++;
      return Promise.resolve({ plaintext: new Uint8Array(32), encrypted: new Uint8Array(8), keyArn: ARN });
    };
    const context = { tenant: 'a' };
    const builtInA = cache.encryptionKey(ARN, context, 1, gated);
    const builtInB = cache.encryptionKey(ARN, context, 1, gated);
    gates.shift()?.();
    await builtInA;
    await cache.encryptionKey(ARN, context, 1, immediate); // C
    gates.shift()?.();
    await builtInB;
    await cache.encryptionKey(ARN, context, 1, immediate); // D

    expect(esdkCalls).toBe(2);
    expect(builtInCalls).toBe(esdkCalls);
  });
});
