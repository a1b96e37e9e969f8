/**
 * The data-key cache's synchronous steps, which the event-driven simulator drives directly (the async lookups are
 * built on them): a miss begins a fetch, concurrent misses join it with dedupe and are resumed once it settles, an
 * abandoned fetch resumes them to fetch again, and keys leave the cache zero-filled — at once when the caller says
 * every key is used at once, after the event-loop turn otherwise.
 */
import { describe, expect, test } from 'vitest';
import { DataKeyCache, type DataKeyMaterial } from '../src/client/data-key-cache.js';
import { ManualClock } from '../src/base/time.js';

const material = (byte: number): DataKeyMaterial => ({ plaintext: new Uint8Array(32).fill(byte), encrypted: new Uint8Array([byte]), keyArn: 'arn:k' });

describe('DataKeyCache synchronous steps', () => {
  test('with dedupe, a second miss joins the fetch in flight and is resumed after the key is cached', () => {
    const cache = new DataKeyCache({ capacity: 4, maxAgeMs: 1000, dedupeInFlight: true, clock: new ManualClock() });
    const id = cache.encryptEntryId('arn:k', { a: '1' });
    expect(cache.useEncryptKey(id, 10, false)).toBeUndefined();
    expect(cache.fetchInFlight(id)).toBe(false);
    cache.beginFetch('encrypt', id);
    expect(cache.fetchInFlight(id)).toBe(true);
    const resumed: string[] = [];
    cache.joinFetch(id, () => resumed.push(cache.useEncryptKey(id, 10, true) === undefined ? 'nothing' : 'joined'));
    const lease = cache.completeEncryptFetch(id, material(7), 10);
    expect(lease).toMatchObject({ lookup: 'miss', cached: true });
    expect(resumed).toEqual(['joined']);
    expect(cache.fetchInFlight(id)).toBe(false);
    expect(cache.snapshot()).toMatchObject({ encryptMisses: 1, encryptJoined: 1, encryptHits: 0 });
  });

  test('an abandoned fetch caches nothing and resumes its waiters, who then fetch themselves', () => {
    const cache = new DataKeyCache({ capacity: 4, maxAgeMs: 1000, dedupeInFlight: true, clock: new ManualClock() });
    const id = cache.decryptEntryId(new Uint8Array([1, 2, 3]), undefined);
    cache.beginFetch('decrypt', id);
    let resumed = 0;
    cache.joinFetch(id, () => resumed++);
    cache.joinFetch(id, () => resumed++);
    cache.abandonFetch(id);
    expect(resumed).toBe(2);
    expect(cache.useDecryptKey(id, true)).toBeUndefined();
    expect(cache.fetchInFlight(id)).toBe(false);
    expect(() => cache.joinFetch(id, () => undefined)).toThrow(/no fetch in flight/);
  });

  test('with dedupe, beginning a second fetch for an entry in flight throws instead of dropping its waiters', () => {
    const cache = new DataKeyCache({ capacity: 4, maxAgeMs: 1000, dedupeInFlight: true, clock: new ManualClock() });
    const id = cache.encryptEntryId('arn:k', undefined);
    cache.beginFetch('encrypt', id);
    let resumed = 0;
    cache.joinFetch(id, () => resumed++);
    expect(() => cache.beginFetch('encrypt', id)).toThrow(/already in flight/);
    // The misuse counted no miss and kept the waiter, which the fetch in flight still resumes.
    expect(cache.snapshot()).toMatchObject({ encryptMisses: 1 });
    cache.completeEncryptFetch(id, material(3), 5);
    expect(resumed).toBe(1);
  });

  test('without dedupe nothing is marked in flight: every concurrent miss fetches, the last put replaces', () => {
    const cache = new DataKeyCache({ capacity: 4, maxAgeMs: 1000, clock: new ManualClock() });
    const id = cache.encryptEntryId('arn:k', undefined);
    cache.beginFetch('encrypt', id);
    expect(cache.fetchInFlight(id)).toBe(false);
    cache.beginFetch('encrypt', id);
    cache.completeEncryptFetch(id, material(1), 5);
    cache.completeEncryptFetch(id, material(2), 5);
    expect(cache.snapshot()).toMatchObject({ encryptMisses: 2, evictions: { replaced: 1 } });
  });

  test.each([
    [true, 'at once'],
    [false, 'after the turn'],
  ])('keysUsedAtOnce %s: an evicted key is zero-filled %s', async (keysUsedAtOnce) => {
    const clock = new ManualClock();
    const cache = new DataKeyCache({ capacity: 4, maxAgeMs: 1000, maxMessagesEncrypted: 1, keysUsedAtOnce, clock });
    const id = cache.encryptEntryId('arn:k', undefined);
    const first = material(9);
    cache.beginFetch('encrypt', id);
    cache.completeEncryptFetch(id, first, 5);
    // The second message is over maxMessagesEncrypted: the entry leaves the cache.
    expect(cache.useEncryptKey(id, 5, false)).toBeUndefined();
    expect(first.plaintext.every((b) => b === 0)).toBe(keysUsedAtOnce);
    await new Promise((resolve) => setImmediate(resolve));
    expect(first.plaintext.every((b) => b === 0)).toBe(true);
  });
});
