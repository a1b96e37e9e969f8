/**
 * The Redis store decides as the shared-memory store does: on the same sequence of (time, bucket) decisions, with lease
 * size 1 (a token taken per decision, when needed), both boards answer alike, for fixed windows and GCRA token buckets,
 * on an injected clock. Runs against a real redis-server on a free loopback port.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { QuotaBoard } from '../src/quota/index.js';
import type { QuotaEnforcement } from '../src/quota/index.js';
import { startRedis, type TestRedis } from './support/redis-server.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
}, 60_000);
afterAll(async () => {
  await redis?.stop();
});

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
let runs = 0;

/** Steps forward in time (ns) and the bucket each decision charges. */
const decisions = fc.array(
  fc.record({ stepNs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400_000_000 }), fc.integer({ min: 0, max: 3e9 })), bucket: fc.constantFrom('symmetric', 'rsa') }),
  { minLength: 1, maxLength: 60 },
);

async function sameDecisions(enforcement: QuotaEnforcement, quota: { symmetric: number; rsa: number }, burstSeconds: number, steps: { stepNs: number; bucket: string }[]): Promise<void> {
  const clock = { now: 1e9 };
  const read = (): number => clock.now;
  const options = { enforcement, ...(enforcement === 'token-bucket' ? { burstSeconds } : {}), overrides: { [REGION]: quota } };
  const memory = new QuotaBoard(options, read);
  const remote = new QuotaBoard({ ...options, store: redis.url('?lease=1'), runId: `semantics-${runs++}` }, read, read);
  try {
    await remote.ready();
    const expected: boolean[] = [];
    const actual: boolean[] = [];
    for (const { stepNs, bucket } of steps) {
      clock.now += stepNs;
      expected.push(memory.partition(ACCOUNT, REGION).admit(bucket));
      await remote.settle(ACCOUNT, REGION, bucket);
      actual.push(remote.partition(ACCOUNT, REGION).admit(bucket));
    }
    expect(actual).toEqual(expected);
    expect(remote.snapshot()).toEqual(memory.snapshot());
    expect(remote.storeReport()).toMatchObject({ faultDecisions: 0, leaseMisses: 0 });
  } finally {
    remote.close();
  }
}

describe('Redis store with lease 1 decides as shared memory', () => {
  test('fixed window', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.constantFrom(0.5, 0.2, 3), decisions, (symmetric, rsa, steps) =>
        sameDecisions('fixed-window', { symmetric, rsa }, 1, steps),
      ),
      { numRuns: 40, seed: 16 },
    );
  }, 120_000);

  test('token bucket (GCRA)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.constantFrom(0.5, 2, 7), fc.constantFrom(0.5, 1, 2), decisions, (symmetric, rsa, burst, steps) =>
        sameDecisions('token-bucket', { symmetric, rsa }, burst, steps),
      ),
      { numRuns: 40, seed: 16 },
    );
  }, 120_000);
});

test('a lease larger than 1 never admits more than the quota in a window', async () => {
  const clock = { now: 5e9 };
  const read = (): number => clock.now;
  const options = { overrides: { [REGION]: { symmetric: 30 } }, store: redis.url('?lease=8'), runId: 'lease-cap' };
  const a = new QuotaBoard(options, read, read);
  const b = new QuotaBoard(options, read, read);
  try {
    let admitted = 0;
    for (let i = 0; i < 40; i++) {
      for (const board of [a, b]) {
        await board.settle(ACCOUNT, REGION, 'symmetric');
        if (board.partition(ACCOUNT, REGION).admit('symmetric')) admitted++;
      }
    }
    expect(admitted).toBe(30);
  } finally {
    a.close();
    b.close();
  }
});
