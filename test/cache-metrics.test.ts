import { describe, expect, test } from 'vitest';
import { emptyCacheStats, recordKeyUsage } from '../src/metrics/cache-stats.js';
import { MetricsRecorder, checkCounters, mergeMetrics, summarize } from '../src/metrics/index.js';
import { withCacheSavings } from '../src/report/cache-savings.js';
import type { VariantResult } from '../src/report/result.js';

/** One worker's metrics: `ops` envelope encryptions, of which `hits` were served from the cache (no KMS call). */
function worker(ops: number, hits: number, cached: boolean) {
  const recorder = new MetricsRecorder({ startNs: 0, timelineSeconds: 2 });
  const handle = recorder.handle('app', 'envelopeEncrypt');
  for (let i = 0; i < ops; i++) {
    handle.offered(0);
    if (i < hits) {
      handle.completed(true, undefined, 10, 0, 0);
    } else {
      handle.attempt('symmetric', 'admitted', 1);
      handle.completed(true, undefined, 100, 1, 0);
    }
  }
  const stats = emptyCacheStats();
  stats.encryptHits = hits;
  stats.encryptMisses = ops - hits;
  for (let k = 0; k < ops - hits; k++) recordKeyUsage(stats, cached ? 10 : 1, cached ? 1000 : 100, cached ? 500 + k : 0);
  stats.evictions.limits = 3;
  recorder.cache('app', cached, stats);
  return recorder.toWire();
}

describe('cache metrics through merge and summary', () => {
  test('counters add up across workers; hits make no KMS call and keep the counter invariants', () => {
    const merged = mergeMetrics([worker(100, 90, true), worker(50, 40, true)]);
    const summary = summarize(merged, { durationSec: 1 });
    const fleet = summary.fleets['app'];
    expect(fleet?.cache).toMatchObject({
      cached: true,
      encryptHits: 130,
      encryptMisses: 20,
      hitRate: 130 / 150,
      envelopeOps: 150,
      kmsCalls: 20,
      kmsCallsPerOp: 20 / 150,
      kmsCallsSaved: 130,
      dataKeys: 20,
      messagesPerKeyMean: 10,
      messagesPerKeyMax: 10,
      bytesPerKeyMax: 1000,
      maxKeyAgeMs: 509,
      evictions: { limits: 6 },
    });
    expect(fleet?.total.kmsCallsPerOp).toBeCloseTo(20 / 150);
    expect(checkCounters(summary.total)).toEqual([]);
  });

  test('a fleet without envelope operations has no cache summary', () => {
    const recorder = new MetricsRecorder({ startNs: 0, timelineSeconds: 1 });
    recorder.handle('web', 'Encrypt').offered(0);
    expect(summarize(mergeMetrics([recorder.toWire()]), { durationSec: 1 }).fleets['web']?.cache).toBeUndefined();
  });

  test('a cached variant is paired with its cache: off twin for the measured saving', () => {
    const variant = (name: string, values: Record<string, unknown>, cached: boolean, hits: number): VariantResult =>
      ({
        name,
        values,
        state: 'completed',
        harnessLimited: false,
        metrics: summarize(mergeMetrics([worker(100, hits, cached)]), { durationSec: 1 }),
        quota: [],
      }) as VariantResult;
    const variants = withCacheSavings([
      variant('a', { 'fleets.app.cache': 'off', retry: 'none' }, false, 0),
      variant('b', { 'fleets.app.cache': { maxMessagesEncrypted: 10 }, retry: 'none' }, true, 90),
      variant('c', { 'fleets.app.cache': 'off', retry: 'full-jitter' }, false, 0),
      variant('d', { 'fleets.app.cache': { maxMessagesEncrypted: 10 }, retry: 'full-jitter' }, true, 80),
    ]);
    expect(variants.map((v) => v.cacheSavings)).toEqual([
      undefined,
      [{ fleet: 'app', baseline: 'a', baselineKmsCalls: 100, kmsCalls: 10, kmsCallsSaved: 90 }],
      undefined,
      [{ fleet: 'app', baseline: 'c', baselineKmsCalls: 100, kmsCalls: 20, kmsCallsSaved: 80 }],
    ]);
  });
});
