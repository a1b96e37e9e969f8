/**
 * Two `serve` replicas behind one quota: given the same `--quota-store` and `--run-id`, a burst spread over both
 * admits the quota once between them, where each replica alone would admit it. A real redis-server on a free loopback
 * port; the built CLI.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { serveProcesses, type ServeProcess } from './support/serve-process.js';
import { startRedis, type TestRedis } from './support/redis-server.js';

const start = serveProcesses();
const QUOTA = 5;
let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
}, 60_000);
afterAll(async () => {
  await redis?.stop();
});

/** Regions with a fresh symmetric budget each: a burst sent again goes to the next. */
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1', 'ca-central-1', 'sa-east-1'];

/** GenerateRandom (symmetric bucket) in `region`, named by the SigV4 scope (signatures are not checked). */
function generateRandom(serve: ServeProcess, region: string): Promise<number> {
  return fetch(serve.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'TrentService.GenerateRandom',
      authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/${region}/kms/aws4_request, SignedHeaders=host, Signature=00`,
    },
    body: JSON.stringify({ NumberOfBytes: 16 }),
  }).then(async (response) => {
    await response.arrayBuffer();
    return response.status;
  });
}

/**
 * Sends `perReplica` requests to each replica, alternating, and answers how many were admitted — from a burst that fell
 * inside one quota window (a burst that straddled two Unix seconds is sent again, in another region with a budget of
 * its own: that is a precondition, not a timing assertion).
 */
async function burst(replicas: readonly ServeProcess[], perReplica: number): Promise<number> {
  for (const region of REGIONS) {
    const startSecond = Math.floor(Date.now() / 1000);
    const statuses = await Promise.all(Array.from({ length: perReplica * replicas.length }, (_, i) => generateRandom(replicas[i % replicas.length]!, region)));
    if (Math.floor(Date.now() / 1000) !== startSecond) continue;
    expect(statuses.every((status) => status === 200 || status === 400)).toBe(true);
    return statuses.filter((status) => status === 200).length;
  }
  throw new Error(`no burst fit inside one second in ${REGIONS.length} attempts`);
}

test('two serve replicas with one run id admit one quota between them', async () => {
  const common = ['--set', `quotas.overrides.*.symmetric=${QUOTA}`, '--quota-store', redis.url('?lease=1')];
  const separate = [await start([...common, '--run-id', 'replica-a']), await start([...common, '--run-id', 'replica-b'])];
  // Each alone (its own run id): each admits the whole quota.
  expect(await burst(separate, QUOTA * 3)).toBe(2 * QUOTA);
  await Promise.all(separate.map((serve) => serve.stop()));

  const shared = [await start([...common, '--run-id', 'replicas']), await start([...common, '--run-id', 'replicas'])];
  expect(await burst(shared, QUOTA * 3)).toBe(QUOTA);
  for (const serve of shared) expect((await serve.stop()).code).toBe(0);
}, 120_000);
