/**
 * `--shard k/n` and `kms-bench merge`: on the virtual clock with a quota that never throttles, the shards of a run
 * merged are the whole run — every counter, every timeline second, the quota usage, the cost and each (fleet,
 * operation)'s latency histogram exactly — for open Poisson arrivals, open evenly spaced ones and closed clients, under a
 * lognormal service latency (drawn per request by its key) and a mix of operations, payload sizes and contexts.
 */
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../src/api/load-scenario.js';
import { mergeResults } from '../src/api/merge-results.js';
import { runScenario } from '../src/api/run-scenario.js';
import { decodeHistogram } from '../src/metrics/histogram.js';
import type { RunResult, VariantResult } from '../src/report/result-types.js';

const SCENARIO = `
name: shards
seed: 11
duration: 4s
clock: virtual
quotas: { profile: unlimited }
serviceLatency: { default: { distribution: lognormal, medianMs: 3, p99Ms: 40 } }
keys:
  - { name: app, region: us-east-1 }
fleets:
  - name: poisson
    region: us-east-1
    workload: { model: open, arrivalRate: 250, poisson: true }
    mix:
      - { op: Encrypt, key: app, weight: 1, payloadBytes: { min: 16, max: 4096 }, contexts: 5 }
      - { op: Decrypt, key: app, weight: 2, contexts: 3 }
  - name: even
    region: us-east-1
    workload: { model: open, arrivalRate: 97 }
    mix:
      - { op: GenerateDataKey, key: app, weight: 1 }
      - { op: Encrypt, key: app, weight: 3 }
  - name: closed
    region: us-east-1
    workload: { model: closed, clients: 7, thinkTime: 20ms }
    mix:
      - { op: Encrypt, key: app, weight: 1 }
      - { op: GenerateDataKey, key: app, weight: 1 }
`;

async function run(options: { shard?: { index: number; count: number }; instanceId: string }): Promise<RunResult> {
  const scenario = await loadScenario({ text: SCENARIO, name: 'shards.yaml' });
  return runScenario(scenario, { workers: 1, runId: 'r1', ...options });
}

/** Every (fleet, operation)'s latency histogram, decoded: its total count and value at every 0.1 percentile. */
function histograms(variant: VariantResult): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const op of variant.mergeable?.wire.operations ?? []) {
    const histogram = decodeHistogram(op.latencyUs);
    const points = Array.from({ length: 1001 }, (_, i) => histogram.getValueAtPercentile(i / 10));
    out[`${op.fleet}/${op.operation}`] = [histogram.totalCount, histogram.minNonZeroValue, histogram.maxValue, ...points];
  }
  return out;
}

describe('kms-bench merge of --shard runs', () => {
  test.each([2, 3])('%i shards merged equal the whole run exactly: counts, timelines, quota, cost and histograms', async (count) => {
    const whole = await run({ instanceId: 'whole' });
    const shards = await Promise.all(
      Array.from({ length: count }, (_, index) => run({ shard: { index, count }, instanceId: `shard-${index}` })),
    );
    // Each shard did only its share: no shard alone is the whole run.
    for (const shard of shards) expect(shard.variants[0]?.metrics.total.offered).toBeLessThan(whole.variants[0]?.metrics.total.offered ?? 0);
    const merged = await mergeResults(shards.map((result, index) => ({ file: `shard-${index}/result.json`, result })));
    const [a, b] = [whole.variants[0] as VariantResult, merged.variants[0] as VariantResult];
    expect(a.metrics.total.offered).toBeGreaterThan(1500);
    expect(a.metrics.total.throttled).toBe(0);
    expect(b.metrics).toEqual(a.metrics);
    expect(b.quota).toEqual(a.quota);
    expect(b.cost).toEqual(a.cost);
    expect(b.simulatedSeconds).toBe(a.simulatedSeconds);
    expect(histograms(b)).toEqual(histograms(a));
    expect(merged.state).toBe('completed');
    expect(merged.runId).toBe('r1');
    expect(merged.instances?.map((i) => [i.id, i.shard?.index, i.shard?.count])).toEqual(
      Array.from({ length: count }, (_, index) => [`shard-${index}`, index, count]),
    );
  });

  test('a shard records its shard, run id and instance id', async () => {
    const shard = await run({ shard: { index: 1, count: 2 }, instanceId: 'host-b' });
    expect(shard.shard).toEqual({ index: 1, count: 2 });
    expect(shard.runId).toBe('r1');
    expect(shard.environment.instanceId).toBe('host-b');
  });

  test('a bad shard, run id or instance id is refused before the run, naming the option', async () => {
    const scenario = await loadScenario({ text: SCENARIO, name: 'shards.yaml' });
    await expect(runScenario(scenario, { shard: { index: 2, count: 2 } })).rejects.toMatchObject({
      refusals: ['shard must be k/n with whole numbers 0 ≤ k < n, got 2/2'],
    });
    await expect(runScenario(scenario, { runId: 'a b', instanceId: '' })).rejects.toMatchObject({
      refusals: [expect.stringContaining('runId must be'), expect.stringContaining('instanceId must be')],
    });
  });
});
