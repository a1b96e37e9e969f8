/**
 * Never a false zero: the Encryption SDK's cache exposes no counters, so an esdk fleet's cache summary gives `null`
 * for per-key maxima, key age and evictions, and the terminal table and summary.md print "n/a" for them, while the
 * built-in cache's figures stay numbers. In-thread: each client over the model, its cache report through the real
 * recorder, merge and summary, then the real renderers.
 */
import { describe, expect, test } from 'vitest';
import type { BenchClient } from '../src/client/bench-client.js';
import { createDirectClient } from '../src/client/direct-client.js';
import { createEnvelopeClient } from '../src/client/envelope-client.js';
import { recordCacheReport } from '../src/engine/envelope-fleet.js';
import { createEsdkClient } from '../src/client/esdk-client.js';
import { createRetryPolicy } from '../src/client/retry-policy.js';
import { ManualClock } from '../src/base/time.js';
import { KmsModel } from '../src/kms/model.js';
import { MetricsRecorder, mergeMetrics, summarize, type MetricsSummary } from '../src/metrics/index.js';
import { variantTableRows } from '../src/report/variant-table.js';
import { renderMarkdownSummary } from '../src/report/markdown.js';
import type { RunResult } from '../src/report/result.js';
import { formatSummaryTable } from '../src/report/summary-table.js';
import { seededRandom } from '../src/base/random.js';
import { syntheticResult } from './support/report-fixture.js';

const REGION = 'us-east-1';
const KEY_ID = '3c2b1a09-8f7e-4d6c-9b5a-0f1e2d3c4b5a';
const ARN = `arn:aws:kms:${REGION}:111122223333:key/${KEY_ID}`;
const CACHE = { capacity: 10, maxAgeMs: 3_600_000, maxMessagesEncrypted: 10 };
const MESSAGES = 25;

function model(): KmsModel {
  return new KmsModel({ seed: 4, keys: [{ region: REGION, keyId: KEY_ID }] });
}

/** `MESSAGES` envelope encryptions of 100 bytes under one context, summarized as the engine does. */
async function fleetSummary(client: BenchClient): Promise<MetricsSummary> {
  const recorder = new MetricsRecorder({ startNs: 0, timelineSeconds: 1 });
  const handle = recorder.handle('app', 'envelopeEncrypt');
  const context = { tenant: 'a' };
  for (let i = 0; i < MESSAGES; i++) {
    handle.offered(0);
    const input = { KeyId: ARN, Plaintext: new Uint8Array(100), EncryptionContext: context };
    const result = await client.send({ operation: 'envelopeEncrypt', input, bucket: 'symmetric' }, (o) => handle.attempt('symmetric', o, 0));
    handle.completed(result.ok, result.errorName, 1, result.attempts, 0);
  }
  recordCacheReport(recorder, 'app', client);
  client.destroy();
  return summarize(mergeMetrics([recorder.toWire()]), { durationSec: 1 });
}

function builtInClient(cached: boolean): BenchClient {
  const clock = new ManualClock();
  const inner = createDirectClient({
    model: model(),
    context: { region: REGION },
    policy: createRetryPolicy({ policy: 'none', maxAttempts: 1 }, seededRandom(1, 'r')),
    clock,
  });
  return createEnvelopeClient({ inner, clock, ...(cached ? { cache: { ...CACHE, partition: 'fleet' } } : {}) });
}

/** A run result with one variant per summary, built by the real `buildResult`. */
function resultOf(variants: Record<string, MetricsSummary>): RunResult {
  const result = syntheticResult({ variants: Object.keys(variants).map((name) => ({ name, ops: [] })) });
  return { ...result, variants: result.variants.map((v) => ({ ...v, metrics: variants[v.name] ?? v.metrics })) };
}

const cellsOf = (result: RunResult, label: string): readonly string[] | undefined => variantTableRows(result).find((r) => r.label === label)?.cells;

describe('cache summary of an Encryption SDK fleet', () => {
  test('with the SDK cache: key maxima, key age and evictions are null; counts and means are observed', async () => {
    const cache = (await fleetSummary(createEsdkClient({ model: model(), suite: 'committing', cache: CACHE }))).fleets['app']?.cache;
    expect(cache).toMatchObject({
      cached: true,
      encryptMisses: 3,
      encryptHits: MESSAGES - 3,
      dataKeys: 3,
      messagesPerKeyMean: MESSAGES / 3,
      bytesPerKeyMean: (MESSAGES * 100) / 3,
      messagesPerKeyMax: null,
      bytesPerKeyMax: null,
      maxKeyAgeMs: null,
      evictions: null,
    });
  });

  test('without a cache every figure is known: one key per message', async () => {
    const cache = (await fleetSummary(createEsdkClient({ model: model(), suite: 'committing' }))).fleets['app']?.cache;
    expect(cache).toMatchObject({ cached: false, dataKeys: MESSAGES, messagesPerKeyMax: 1, bytesPerKeyMax: 100, maxKeyAgeMs: 0 });
    expect(cache?.evictions).toEqual({ capacity: 0, expired: 0, limits: 0, replaced: 0 });
  });

  test('the built-in cache observes everything', async () => {
    const cache = (await fleetSummary(builtInClient(true))).fleets['app']?.cache;
    expect(cache).toMatchObject({ dataKeys: 3, messagesPerKeyMax: 10, bytesPerKeyMax: 1000, maxKeyAgeMs: 0 });
    expect(cache?.evictions).toEqual({ capacity: 0, expired: 0, limits: 2, replaced: 0 });
  });
});

describe('reports of an Encryption SDK fleet', () => {
  test('print "n/a" for what the SDK cache hides, numbers for the built-in cache and for the observed figures', async () => {
    const result = resultOf({
      esdk: await fleetSummary(createEsdkClient({ model: model(), suite: 'committing', cache: CACHE })),
      builtin: await fleetSummary(builtInClient(true)),
    });
    expect(cellsOf(result, 'evictions')).toEqual(['n/a', '2']);
    expect(cellsOf(result, 'messages per key mean / max')).toEqual(['8.3 / n/a', '8.3 / 10']);
    expect(cellsOf(result, 'bytes per key max')).toEqual(['n/a', '1,000']);
    expect(cellsOf(result, 'max key age ms')).toEqual(['n/a', '0']);
    expect(cellsOf(result, 'data keys (encrypt)')).toEqual(['3', '3']);

    const markdown = renderMarkdownSummary(result).split('\n');
    expect(markdown).toContain('|   ↳ max key age ms | n/a | 0 |');
    expect(markdown.find((line) => line.includes('bytes per key max'))).toMatch(/\| n\/a \| 1,000 \|$/);
    const terminal = formatSummaryTable(result).split('\n');
    expect(terminal.find((line) => line.trimStart().startsWith('evictions'))).toMatch(/evictions\s+n\/a\s+2$/);
  });

  test('a variant mixing an esdk fleet with a built-in one shows the unknown total as "n/a", not a partial sum', async () => {
    const esdk = await fleetSummary(createEsdkClient({ model: model(), suite: 'committing', cache: CACHE }));
    const builtin = await fleetSummary(builtInClient(true));
    const esdkApp = esdk.fleets['app'];
    const builtinApp = builtin.fleets['app'];
    if (esdkApp === undefined || builtinApp === undefined) throw new Error('no fleet summary');
    const both: MetricsSummary = { ...builtin, fleets: { app: builtinApp, sdk: esdkApp } };
    const result = resultOf({ both });
    expect(cellsOf(result, 'evictions')).toEqual(['n/a']);
    expect(cellsOf(result, 'max key age ms')).toEqual(['n/a']);
    expect(cellsOf(result, 'data keys (encrypt)')).toEqual(['6']);
  });
});
