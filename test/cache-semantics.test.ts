import { describe, expect, test } from 'vitest';
import { DataKeyCache, type DataKeyMaterial, type EncryptKeyLease } from '../src/client/data-key-cache.js';
import { ManualClock } from '../src/base/time.js';

/** Evicted keys are zeroed once the event loop's current turn is over (a request may still hold one until then). */
const afterThisTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** A fake GenerateDataKey that counts calls; each key is filled with its call number so tests can tell keys apart. */
function keySource() {
  let calls = 0;
  const issued: Uint8Array[] = [];
  const fetch = (): Promise<DataKeyMaterial> => {
    calls++;
    const plaintext = new Uint8Array(32).fill(calls);
    issued.push(plaintext);
    return Promise.resolve({ plaintext, encrypted: new Uint8Array([calls]), keyArn: ARN });
  };
  return { fetch, issued, calls: () => calls };
}

function cache(clock: ManualClock, options: Partial<ConstructorParameters<typeof DataKeyCache>[0]> = {}): DataKeyCache {
  return new DataKeyCache({ capacity: 10, maxAgeMs: 60_000, clock, ...options });
}

describe('data-key cache: ESDK limits', () => {
  test.each([
    [1, 1],
    [1, 7],
    [3, 10],
    [10, 10],
    [10, 11],
    [100, 1000],
    [100, 1001],
    [7, 0],
  ])('maxMessagesEncrypted %i, %i messages, one context: ⌈messages/N⌉ GenerateDataKey calls', async (n, messages) => {
    const clock = new ManualClock();
    const c = cache(clock, { maxMessagesEncrypted: n });
    const source = keySource();
    for (let i = 0; i < messages; i++) await c.encryptionKey(ARN, { tenant: 'a' }, 100, source.fetch);
    expect(source.calls()).toBe(Math.ceil(messages / n));
    const stats = c.snapshot();
    expect(stats.encryptMisses).toBe(Math.ceil(messages / n));
    expect(stats.encryptHits).toBe(messages - Math.ceil(messages / n));
    expect(stats.messages).toBe(messages);
    expect(stats.maxMessagesPerKey).toBe(Math.min(n, messages));
  });

  test('maxAge: used while age ≤ maxAge, refetched after', async () => {
    const clock = new ManualClock();
    const c = cache(clock, { maxAgeMs: 1000 });
    const source = keySource();
    await c.encryptionKey(ARN, undefined, 1, source.fetch);
    clock.advanceMs(1000);
    expect((await c.encryptionKey(ARN, undefined, 1, source.fetch)).lookup).toBe('hit');
    clock.advanceMs(0.001);
    const expired = await c.encryptionKey(ARN, undefined, 1, source.fetch);
    expect(expired.lookup).toBe('miss');
    expect(source.calls()).toBe(2);
    await afterThisTurn();
    expect(source.issued[0]?.every((b) => b === 0)).toBe(true);
    const stats = c.snapshot();
    expect(stats.evictions.expired).toBe(1);
    expect(stats.maxKeyAgeMs).toBe(1000);
  });

  test('maxBytesEncrypted counts the current message; the first use of a key is exempt and not cached', async () => {
    const clock = new ManualClock();
    const c = cache(clock, { maxBytesEncrypted: 1000 });
    const source = keySource();
    expect((await c.encryptionKey(ARN, undefined, 600, source.fetch)).lookup).toBe('miss');
    expect((await c.encryptionKey(ARN, undefined, 400, source.fetch)).lookup).toBe('hit'); // 1000 ≤ 1000
    expect((await c.encryptionKey(ARN, undefined, 1, source.fetch)).lookup).toBe('miss'); // 1001 > 1000
    expect(source.calls()).toBe(2);
    // A message bigger than the limit gets a fresh key, used once and not cached; as in the SDK, looking it up
    // first counted it against the cached key, which is dropped too.
    const big = await c.encryptionKey(ARN, undefined, 5000, source.fetch);
    expect(big).toMatchObject({ lookup: 'miss', cached: false });
    expect(source.calls()).toBe(3);
    await afterThisTurn();
    expect(source.issued[1]?.every((b) => b === 0)).toBe(true);
    expect(c.size).toBe(0);
    const next = await c.encryptionKey(ARN, undefined, 1, source.fetch);
    expect(next).toMatchObject({ lookup: 'miss', cached: true });
    expect(next.material.plaintext[0]).toBe(4);
    const stats = c.snapshot();
    expect(stats.evictions.limits).toBe(2);
    expect(stats.maxBytesPerKey).toBe(5000);
    expect(stats.dataKeys).toBe(4);
  });

  test('encrypt entries are keyed by key and context, decrypt entries by encrypted key and context', async () => {
    const clock = new ManualClock();
    const c = cache(clock);
    const source = keySource();
    await c.encryptionKey(ARN, { tenant: 'a' }, 1, source.fetch);
    await c.encryptionKey(ARN, { tenant: 'b' }, 1, source.fetch);
    await c.encryptionKey(`${ARN}x`, { tenant: 'a' }, 1, source.fetch);
    await c.encryptionKey(ARN, { tenant: 'a' }, 1, source.fetch);
    expect(source.calls()).toBe(3);
    // Unambiguous context encoding: {a: "bc"} is not {ab: "c"}.
    await c.encryptionKey(ARN, { a: 'bc' }, 1, source.fetch);
    await c.encryptionKey(ARN, { ab: 'c' }, 1, source.fetch);
    expect(source.calls()).toBe(5);
    let decrypts = 0;
    const decrypt = (): Promise<Uint8Array> => Promise.resolve(new Uint8Array(32).fill(++decrypts));
    await c.decryptionKey(new Uint8Array([1, 2]), { tenant: 'a' }, decrypt);
    await c.decryptionKey(new Uint8Array([1, 2]), { tenant: 'a' }, decrypt);
    await c.decryptionKey(new Uint8Array([1, 2]), { tenant: 'b' }, decrypt);
    await c.decryptionKey(new Uint8Array([1, 3]), { tenant: 'a' }, decrypt);
    expect(decrypts).toBe(3);
    expect(c.snapshot()).toMatchObject({ decryptHits: 1, decryptMisses: 3 });
  });
});

describe('data-key cache: LRU and zero-filling', () => {
  test('at capacity the least recently used entry goes, and its plaintext key is zero-filled', async () => {
    const clock = new ManualClock();
    const c = cache(clock, { capacity: 3 });
    const source = keySource();
    const ctx = (t: string) => ({ tenant: t });
    for (const t of ['a', 'b', 'c']) await c.encryptionKey(ARN, ctx(t), 1, source.fetch);
    await c.encryptionKey(ARN, ctx('a'), 1, source.fetch); // a is now the most recent; b the least
    await c.encryptionKey(ARN, ctx('d'), 1, source.fetch); // evicts b
    await afterThisTurn();
    expect(source.issued.map((k) => k[0])).toEqual([1, 0, 3, 4]);
    await c.encryptionKey(ARN, ctx('e'), 1, source.fetch); // evicts c
    await afterThisTurn();
    expect(source.issued.map((k) => k[0])).toEqual([1, 0, 0, 4, 5]);
    expect((await c.encryptionKey(ARN, ctx('a'), 1, source.fetch)).lookup).toBe('hit');
    expect((await c.encryptionKey(ARN, ctx('b'), 1, source.fetch)).lookup).toBe('miss'); // evicts d
    await afterThisTurn();
    expect(source.issued[3]?.every((b) => b === 0)).toBe(true);
    expect(c.size).toBe(3);
    expect(c.snapshot().evictions.capacity).toBe(3);
  });

  test('keys dropped for limits and by clear() are zero-filled', async () => {
    const clock = new ManualClock();
    const c = cache(clock, { maxMessagesEncrypted: 2 });
    const source = keySource();
    for (let i = 0; i < 3; i++) await c.encryptionKey(ARN, undefined, 1, source.fetch);
    await afterThisTurn();
    expect(source.issued[0]?.every((b) => b === 0)).toBe(true);
    expect(source.issued[1]?.[0]).toBe(2);
    c.clear();
    expect(source.issued[1]?.every((b) => b === 0)).toBe(true);
    expect(c.size).toBe(0);
  });
});

describe('data-key cache: concurrent misses', () => {
  /** A fetch that resolves only when released, to hold misses in flight. */
  function gatedSource() {
    const source = keySource();
    const gates: (() => void)[] = [];
    const fetch = (): Promise<DataKeyMaterial> =>
      new Promise((resolve) => gates.push(() => void source.fetch().then(resolve)));
    /** Releases the fetches in the order they were made; `together`: all in one go, before any request resumes. */
    const releaseAll = async (together = false): Promise<void> => {
      while (gates.length > 0) {
        gates.shift()?.();
        // Let the released requests run before the next fetch is released.
        if (!together) for (let i = 0; i < 10; i++) await Promise.resolve();
      }
    };
    return { fetch, immediate: source.fetch, issued: source.issued, calls: source.calls, releaseAll };
  }

  /** The key's fill byte when its request resumed (0: it had been zero-filled under the request). */
  const keyOnResume = (lease: Promise<EncryptKeyLease>) =>
    lease.then((l) => {
      const key = l.material.plaintext;
      return { lease: l, byte: key[0], intact: key.every((b) => b === key[0]) };
    });

  test.each([
    [1, false],
    [5, false],
    [32, false],
    [32, true],
  ])('without dedupe, %i concurrent cold misses (fetches resolving together: %s) make that many calls and the last key put wins (as the SDK)', async (k, together) => {
    const clock = new ManualClock();
    const c = cache(clock, { maxMessagesEncrypted: 10 });
    const source = gatedSource();
    const all = Promise.all(Array.from({ length: k }, () => keyOnResume(c.encryptionKey(ARN, undefined, 1, source.fetch))));
    await source.releaseAll(together);
    const resumed = await all;
    expect(source.calls()).toBe(k);
    expect(resumed.map((r) => r.lease.lookup)).toEqual(new Array(k).fill('miss'));
    // Every request found its own key intact when it resumed, even one replaced before it ran: the cache owns them all.
    expect(resumed.map((r) => r.byte)).toEqual(Array.from({ length: k }, (_, i) => i + 1));
    expect(resumed.every((r) => r.intact && r.lease.cached)).toBe(true);
    // The entry holds the last key fetched, not the first.
    const next = await c.encryptionKey(ARN, undefined, 1, source.immediate);
    expect(next.lookup).toBe('hit');
    expect(next.material.plaintext[0]).toBe(k);
    await afterThisTurn();
    expect(source.issued.map((key) => key[0])).toEqual([...new Array<number>(k - 1).fill(0), k]);
    const stats = c.snapshot();
    expect(stats.evictions).toEqual({ capacity: 0, expired: 0, limits: 0, replaced: k - 1 });
    expect(stats).toMatchObject({ dataKeys: k, messages: k + 1, maxMessagesPerKey: 2 });
    expect(c.size).toBe(1);
  });

  test('a replacing put makes the entry the most recently used and evicts nothing else (lru-cache set)', async () => {
    const clock = new ManualClock();
    const c = cache(clock, { capacity: 2 });
    const source = gatedSource();
    const ctx = (t: string) => ({ tenant: t });
    const first = c.encryptionKey(ARN, ctx('a'), 1, source.fetch); // key 1
    const other = c.encryptionKey(ARN, ctx('b'), 1, source.fetch); // key 2
    const second = c.encryptionKey(ARN, ctx('a'), 1, source.fetch); // key 3, replaces key 1 after b is cached
    await source.releaseAll();
    await Promise.all([first, other, second]);
    expect(c.size).toBe(2);
    await c.encryptionKey(ARN, ctx('c'), 1, source.immediate); // evicts the least recently used: b, not a
    const a = await c.encryptionKey(ARN, ctx('a'), 1, source.immediate);
    expect(a).toMatchObject({ lookup: 'hit' });
    expect(a.material.plaintext[0]).toBe(3);
    expect((await c.encryptionKey(ARN, ctx('b'), 1, source.immediate)).lookup).toBe('miss');
    expect(c.snapshot().evictions).toMatchObject({ replaced: 1, capacity: 2 });
  });

  test('concurrent decrypt misses: the last key put wins too, and the replaced one is zero-filled', async () => {
    const clock = new ManualClock();
    const c = cache(clock);
    const gates: (() => void)[] = [];
    const keys: Uint8Array[] = [];
    const decrypt = (): Promise<Uint8Array> =>
      new Promise((resolve) => {
        const key = new Uint8Array(32).fill(keys.length + 1);
        keys.push(key);
        gates.push(() => resolve(key));
      });
    const blob = new Uint8Array([7, 7]);
    const both = Promise.all([c.decryptionKey(blob, undefined, decrypt), c.decryptionKey(blob, undefined, decrypt)]);
    gates.shift()?.();
    for (let i = 0; i < 10; i++) await Promise.resolve();
    gates.shift()?.();
    await both;
    const next = await c.decryptionKey(blob, undefined, decrypt);
    expect(next.lookup).toBe('hit');
    expect(next.plaintext[0]).toBe(2);
    await afterThisTurn();
    expect(keys.map((k) => k[0])).toEqual([0, 2]);
    expect(c.snapshot()).toMatchObject({ decryptMisses: 2, decryptHits: 1, evictions: { replaced: 1 } });
  });

  test.each([
    [32, undefined, 1],
    [32, 10, 4],
    [5, 1, 5],
  ])('dedupeInFlight: %i concurrent requests, maxMessages %s → %i calls', async (k, maxMessages, expected) => {
    const clock = new ManualClock();
    const c = cache(clock, { dedupeInFlight: true, ...(maxMessages === undefined ? {} : { maxMessagesEncrypted: maxMessages }) });
    const source = gatedSource();
    const all = Promise.all(Array.from({ length: k }, () => c.encryptionKey(ARN, undefined, 1, source.fetch)));
    await source.releaseAll();
    const leases = await all;
    expect(source.calls()).toBe(expected);
    expect(leases.filter((l) => l.lookup === 'miss')).toHaveLength(expected);
    expect(leases.filter((l) => l.lookup === 'joined')).toHaveLength(k - expected);
    // One fetch at a time per entry: nothing to replace, so the last-put-wins rule never applies.
    expect(c.snapshot()).toMatchObject({ messages: k, evictions: { replaced: 0 } });
  });

  test('dedupeInFlight: a failed fetch fails its caller only; a waiter fetches again', async () => {
    const clock = new ManualClock();
    const c = cache(clock, { dedupeInFlight: true });
    let calls = 0;
    let fail: ((e: Error) => void) | undefined;
    const fetch = (): Promise<DataKeyMaterial> => {
      calls++;
      if (calls === 1) return new Promise((_, reject) => (fail = reject));
      return Promise.resolve({ plaintext: new Uint8Array(32), encrypted: new Uint8Array([9]), keyArn: ARN });
    };
    const first = c.encryptionKey(ARN, undefined, 1, fetch);
    const second = c.encryptionKey(ARN, undefined, 1, fetch);
    await Promise.resolve();
    fail?.(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    await expect(first).rejects.toThrow('throttled');
    await expect(second).resolves.toMatchObject({ lookup: 'miss' });
    expect(calls).toBe(2);
  });
});

describe('data-key cache: options', () => {
  test.each([
    [{ capacity: 0 }, /cache.capacity must be an integer ≥ 1, got 0/],
    [{ maxAgeMs: 0 }, /cache.maxAge must be > 0 ms/],
    [{ maxMessagesEncrypted: 2 ** 32 + 1 }, /cache.maxMessagesEncrypted must be an integer in 1..2\^32/],
    [{ maxBytesEncrypted: 0.5 }, /cache.maxBytesEncrypted must be an integer ≥ 1/],
  ])('%o is rejected', (options, message) => {
    expect(() => cache(new ManualClock(), options)).toThrow(message);
  });
});
