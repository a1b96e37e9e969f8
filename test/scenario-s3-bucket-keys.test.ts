/**
 * scenarios/s3-bucket-keys.yaml says what its run shows: without Bucket Keys, S3's KMS calls are throttled in the
 * caller's account and S3 requests fail with SlowDown; with them, a handful of KMS calls and no throttle. Held to the
 * scenario's own virtual-clock result (deterministic for its seed), on a shortened run.
 */
import { describe, expect, test } from 'vitest';
import { planVariant } from '../src/engine/plan.js';
import { simulateVariant } from '../src/engine/simulate-variant.js';
import { mergeMetrics, summarize } from '../src/metrics/index.js';
import { expandMatrix } from '../src/scenario/index.js';
import { loadScenarioFile } from '../src/scenario/loader.js';

async function run(bucketKey: boolean) {
  const scenario = await loadScenarioFile('scenarios/s3-bucket-keys.yaml', { sets: ['duration=10s'] });
  const variant = expandMatrix(scenario).find((v) => v.name === `buckets.uploads.encryption.bucketKey=${String(bucketKey)}`);
  if (variant === undefined) throw new Error('no such variant');
  const plan = planVariant(variant.name, variant.scenario);
  const result = await simulateVariant({ plan, crypto: variant.scenario.model.crypto });
  const metrics = summarize(mergeMetrics([result.metrics]), { durationSec: plan.durationMs / 1000 });
  return { metrics, quota: result.quota };
}

describe('s3-bucket-keys', () => {
  test('without Bucket Keys, S3 requests fail with SlowDown and the caller\'s symmetric quota throttles', async () => {
    const { metrics, quota } = await run(false);
    expect(metrics.total.failed['SlowDown'] ?? 0).toBeGreaterThan(0);
    expect(quota.find((slot) => slot.bucket === 'symmetric')?.throttled).toBeGreaterThan(0);
  });

  test('with Bucket Keys, every request succeeds on a handful of KMS calls', async () => {
    const { metrics, quota } = await run(true);
    expect(metrics.total.failedTotal).toBe(0);
    const symmetric = quota.find((slot) => slot.bucket === 'symmetric');
    expect(symmetric?.throttled).toBe(0);
    expect(symmetric?.admitted).toBeLessThanOrEqual(5);
    expect(metrics.total.succeeded).toBeGreaterThan(1000);
  });
});
