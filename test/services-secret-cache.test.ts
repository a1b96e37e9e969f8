/**
 * Client-side secret caches with the AWS libraries' semantics, on a virtual clock: the Lambda extension's cache serves
 * a value for its TTL and then fetches again; the caching libraries refresh with DescribeSecret at a jittered
 * interval in [ttl/2, ttl] and call GetSecretValue (one KMS Decrypt) only for a version they have not seen; a failed
 * refresh keeps the cached value served; at most `maxSecrets` secrets are kept.
 */
import { describe, expect, test } from 'vitest';
import { READ_CALL, SECRET_CACHE_PRESETS, SecretCache, SecretRead, type SecretCacheSetup } from '../src/services/index.js';
import { servicesFixture, type ServicesFixture } from './support/services-fixture.js';

/** One read through the cache, each request made once (no retries): the requests it made, and how it ended. */
function read(fixture: ServicesFixture, cache: SecretCache, secret = 'db'): { requests: string[]; ok: boolean; hit: boolean } {
  const caller = fixture.caller();
  const requests: string[] = [];
  const reading = new SecretRead();
  let step = reading.start(cache, secret);
  while (step === READ_CALL) {
    requests.push(reading.callOperation);
    const outcome = fixture.world.attempt(reading.callOperation, reading.callInput, caller);
    step = outcome.ok ? reading.succeeded(outcome.output) : reading.failed(outcome.error.name);
  }
  return { requests, ok: reading.ok, hit: reading.hit };
}

const kmsCalls = (fixture: ServicesFixture): number => fixture.calls.length;
const constant = (value: number) => () => value;

describe('lambda-extension cache', () => {
  test('serves a value for 300 s after its fetch, then fetches it again (one Decrypt each time)', () => {
    const fixture = servicesFixture();
    const cache = new SecretCache(SECRET_CACHE_PRESETS['lambda-extension'], fixture.clock, constant(0));
    expect(read(fixture, cache)).toEqual({ requests: ['secretsmanager:GetSecretValue'], ok: true, hit: false });
    fixture.clock.advanceMs(299_999);
    expect(read(fixture, cache)).toEqual({ requests: [], ok: true, hit: true });
    expect(kmsCalls(fixture)).toBe(1);
    fixture.clock.advanceMs(1);
    expect(read(fixture, cache).requests).toEqual(['secretsmanager:GetSecretValue']);
    expect(kmsCalls(fixture)).toBe(2);
  });

  test('a failed fetch is an error, and the next read tries again', () => {
    const fixture = servicesFixture({ quotas: { overrides: { '*': { symmetric: 1 } } } });
    const cache = new SecretCache(SECRET_CACHE_PRESETS['lambda-extension'], fixture.clock, constant(0));
    const other = new SecretCache(SECRET_CACHE_PRESETS['lambda-extension'], fixture.clock, constant(0));
    expect(read(fixture, other).ok).toBe(true); // takes this second's one KMS call
    expect(read(fixture, cache)).toEqual({ requests: ['secretsmanager:GetSecretValue'], ok: false, hit: false });
    fixture.clock.advanceMs(1000);
    expect(read(fixture, cache).ok).toBe(true);
  });

  test('keeps at most maxSecrets secrets, least recently used out first', () => {
    const fixture = servicesFixture({ resources: { secrets: ['a', 'b', 'c'].map((name) => ({ name, key: 'app' })) } });
    const setup: SecretCacheSetup = { ...SECRET_CACHE_PRESETS['lambda-extension'], maxSecrets: 2 };
    const cache = new SecretCache(setup, fixture.clock, constant(0));
    for (const name of ['a', 'b', 'a', 'c']) read(fixture, cache, name);
    expect(cache.size).toBe(2);
    expect(read(fixture, cache, 'a').hit).toBe(true);
    expect(read(fixture, cache, 'b').hit).toBe(false); // evicted by c
  });
});

describe('caching-client cache (the Java and Python libraries)', () => {
  const setup = SECRET_CACHE_PRESETS['caching-client'];

  test('the first read describes the secret and fetches its version; reads hit until the refresh', () => {
    const fixture = servicesFixture();
    const cache = new SecretCache(setup, fixture.clock, constant(0.999_999));
    expect(read(fixture, cache).requests).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    fixture.clock.advanceMs(3_599_999);
    expect(read(fixture, cache)).toEqual({ requests: [], ok: true, hit: true });
    expect(kmsCalls(fixture)).toBe(1);
  });

  test.each([
    [0, 1800],
    [0.999_999, 3600],
  ])('the refresh comes at a jittered interval in [ttl/2, ttl]: draw %f → %i s', (draw, seconds) => {
    const fixture = servicesFixture();
    const cache = new SecretCache(setup, fixture.clock, constant(draw));
    read(fixture, cache);
    fixture.clock.advanceMs(seconds * 1000 - 1);
    expect(read(fixture, cache).hit).toBe(true);
    fixture.clock.advanceMs(1);
    expect(read(fixture, cache).requests).toEqual(['secretsmanager:DescribeSecret']);
  });

  test('a refresh with an unchanged version makes no KMS call; a new version is fetched once', () => {
    const fixture = servicesFixture();
    const cache = new SecretCache(setup, fixture.clock, constant(0));
    read(fixture, cache);
    fixture.clock.advanceMs(1_800_000);
    expect(read(fixture, cache).requests).toEqual(['secretsmanager:DescribeSecret']);
    expect(kmsCalls(fixture)).toBe(1);
    expect(fixture.world.attempt('secretsmanager:PutSecretValue', { SecretId: 'db' }, fixture.caller()).ok).toBe(true);
    fixture.clock.advanceMs(1_800_000);
    expect(read(fixture, cache).requests).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    // The Put's GenerateDataKey, then the new version's Decrypt.
    expect(fixture.calls.map((c) => c.operation)).toEqual(['Decrypt', 'GenerateDataKey', 'Decrypt']);
  });

  test('a failed first fetch is an error: there is nothing to serve', () => {
    // DescribeSecret and GetSecretValue share one quota: at 1/s the describe takes the second's only request.
    const fixture = servicesFixture({ overrides: { '*': { 'secretsmanager:GetSecretValue': 1 } } });
    const cache = new SecretCache(setup, fixture.clock, constant(0));
    expect(read(fixture, cache)).toEqual({ requests: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], ok: false, hit: false });
  });

  test('after a failed first fetch, reads re-raise the error with no request until the retry time', () => {
    const fixture = servicesFixture({ overrides: { '*': { 'secretsmanager:GetSecretValue': 1 } } });
    const cache = new SecretCache(setup, fixture.clock, constant(0));
    expect(read(fixture, cache).ok).toBe(false); // failures 1: no retry for 1 s
    fixture.clock.advanceMs(999);
    expect(read(fixture, cache)).toEqual({ requests: [], ok: false, hit: false });
    fixture.clock.advanceMs(1);
    expect(read(fixture, cache).requests[0]).toBe('secretsmanager:DescribeSecret');
  });

  test('a failed refresh keeps serving the cached value and backs off 1 s before trying again', () => {
    const fixture = servicesFixture({ overrides: { '*': { 'secretsmanager:GetSecretValue': 2 } } });
    const cache = new SecretCache(setup, fixture.clock, constant(0));
    expect(read(fixture, cache).ok).toBe(true);
    fixture.clock.advanceMs(1_800_000);
    for (let i = 0; i < 2; i++) fixture.world.attempt('secretsmanager:DescribeSecret', { SecretId: 'db' }, fixture.caller()); // the second's quota
    expect(read(fixture, cache)).toEqual({ requests: ['secretsmanager:DescribeSecret'], ok: true, hit: false });
    fixture.clock.advanceMs(999);
    expect(read(fixture, cache)).toEqual({ requests: [], ok: true, hit: true });
    fixture.clock.advanceMs(1);
    expect(read(fixture, cache)).toEqual({ requests: ['secretsmanager:DescribeSecret'], ok: true, hit: false });
    expect(kmsCalls(fixture)).toBe(1);
  });
});
