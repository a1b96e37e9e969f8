/**
 * The cost model extrapolates only a steady state the run reached: never above what the quota admits, "n/a" for an
 * incomplete run or one too short to reach a steady state (shorter than one window, or than a cached data key's
 * lifetime), and a loud warning when the backlog grows through the run.
 */
import { describe, expect, test } from 'vitest';
import { planVariant } from '../src/engine/plan.js';
import { simulateVariant } from '../src/engine/simulate-variant.js';
import { MetricsRecorder, mergeMetrics, summarize, type MetricsSummary } from '../src/metrics/index.js';
import { estimateCost, type CostScenario } from '../src/report/cost.js';
import { parseScenarioText } from '../src/scenario/index.js';
import { syntheticSummary } from './support/report-fixture.js';

const SCENARIO: CostScenario = { keys: [{ name: 'app', keySpec: 'SYMMETRIC_DEFAULT' }], fleets: [{ name: 'web', mix: [] }] };
const slot = (quotaPerSec: number) => ({ accountId: '111122223333', region: 'us-east-1', bucket: 'symmetric', quotaPerSec, admitted: 0, throttled: 0 });

/** An envelope fleet at 400 encryptions/s over 20 contexts (20/s each) with `cache`, on the virtual clock. */
async function envelopeRun(durationSec: number, cache: string): Promise<MetricsSummary> {
  const text = `name: t
duration: ${durationSec}s
clock: virtual
quotas: { overrides: { us-east-1: { symmetric: 100 } } }
keys:
  - { name: app, region: us-east-1 }
serviceLatency:
  default: { distribution: constant, ms: 20 }
fleets:
  - name: app
    region: us-east-1
    client: direct
    workload: { model: open, arrivalRate: 400 }
    mix:
      - { op: envelopeEncrypt, key: app, payloadBytes: 64, contexts: 20 }
    retry: { policy: full-jitter, base: 50ms, cap: 2s, maxAttempts: 4 }
    cache: ${cache}
`;
  const plan = planVariant('v', parseScenarioText(text, 't.yaml'));
  const result = await simulateVariant({ plan, crypto: 'off' });
  return summarize(mergeMetrics([result.metrics]), { durationSec });
}

describe('cost only from a steady state the run reached', () => {
  test('an incomplete run has no request cost: n/a with the reason, never $0.00', () => {
    const cost = estimateCost(SCENARIO, syntheticSummary([{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 50 }], 5), { complete: false });
    expect(cost.costUsdPerMonth).toBeNull();
    expect(cost.requestsUsdPerMonth).toBeNull();
    expect(cost.unavailable).toMatch(/incomplete run/);
    expect(cost.keysUsdPerMonth).toBe(1);
  });

  test('a run without a whole second is too short', () => {
    const cost = estimateCost(SCENARIO, recorded({ durationSec: 0.5, offeredPerSec: 50, succeededPerSec: 50 }));
    expect(cost.costUsdPerMonth).toBeNull();
    expect(cost.unavailable).toMatch(/too short to reach steady state: 0.5 s is less than one quota window/);
  });

  test('a bucket rate above its quota is billed at the quota, with a warning', () => {
    const summary = syntheticSummary([{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 150 }], 5);
    const cost = estimateCost(SCENARIO, summary, { quota: [slot(100)] });
    expect(cost.requests[0]?.ratePerSec).toBeCloseTo(100, 9);
    expect(cost.warnings.join(' ')).toMatch(/exceeds its quota/);
    // Within the quota nothing changes.
    expect(estimateCost(SCENARIO, summary, { quota: [slot(200)] }).requests[0]?.ratePerSec).toBe(150);
  });

  test('a cached fleet whose data keys never reached their limit is too short; long enough, it is costed', async () => {
    // maxMessagesEncrypted 100 at 20 messages/s per context: a key lasts 5 s. 4 s never replaces one.
    const short = await envelopeRun(4, '{ maxMessagesEncrypted: 100 }');
    const shortCost = estimateCost({ ...SCENARIO, fleets: [{ name: 'app', mix: [] }] }, short);
    expect(shortCost.costUsdPerMonth).toBeNull();
    expect(shortCost.unavailable).toMatch(/too short to reach steady state: the data keys of app did not reach/);
    const long = await envelopeRun(21, '{ maxMessagesEncrypted: 100 }');
    const longCost = estimateCost({ ...SCENARIO, fleets: [{ name: 'app', mix: [] }] }, long);
    expect(longCost.unavailable).toBeUndefined();
    // 20 contexts × 20 messages/s ÷ 100 messages per key = 4 GenerateDataKey/s in steady state, plus the concurrent
    // misses while a replacement is fetched (20 ms at 20/s per context: about 0.4 more per replacement).
    expect(longCost.requests[0]?.ratePerSec).toBeGreaterThan(3.5);
    expect(longCost.requests[0]?.ratePerSec).toBeLessThan(6);
  });

  test('uncached, the quota bounds the billed rate: never more than it admits', async () => {
    const summary = await envelopeRun(6, 'off');
    const cost = estimateCost({ ...SCENARIO, fleets: [{ name: 'app', mix: [] }] }, summary);
    expect(cost.requests[0]?.ratePerSec).toBeLessThanOrEqual(100);
    expect(cost.requests[0]?.ratePerSec).toBeGreaterThan(95);
  });

  test('a backlog that grows through the run is flagged loudly beside the figure', () => {
    // Offered 100/s, 40/s finishing: 60 more wait every second.
    const growing = estimateCost(SCENARIO, recorded({ durationSec: 10, offeredPerSec: 100, succeededPerSec: 40 }));
    expect(growing.costUsdPerMonth).not.toBeNull();
    expect(growing.warnings).toHaveLength(1);
    expect(growing.warnings[0]).toMatch(/backlog grows: web is offered 100.0\/s but completes 40.0\/s; 600 operations were waiting/);
    expect(estimateCost(SCENARIO, recorded({ durationSec: 10, offeredPerSec: 100, succeededPerSec: 100 })).warnings).toEqual([]);
  });
});

/** A fleet offered and finishing at steady rates for `durationSec`, admitted on the symmetric bucket. */
function recorded(spec: { durationSec: number; offeredPerSec: number; succeededPerSec: number }): MetricsSummary {
  const SEC = 1e9;
  const seconds = Math.ceil(spec.durationSec);
  const recorder = new MetricsRecorder({ startNs: 0, timelineSeconds: seconds + 1 });
  const handle = recorder.handle('web', 'Encrypt');
  const span = Math.min(1, spec.durationSec);
  for (let s = 0; s < seconds; s++) {
    for (let i = 0; i < spec.offeredPerSec * span; i++) handle.offered(s * SEC + (i * span * SEC) / spec.offeredPerSec);
    for (let i = 0; i < spec.succeededPerSec * span; i++) {
      const at = s * SEC + (i * span * SEC) / spec.succeededPerSec;
      handle.attempt('symmetric', 'admitted', at);
      handle.completed(true, undefined, 1000, 1, at);
    }
  }
  return summarize(mergeMetrics([recorder.toWire()]), { durationSec: spec.durationSec });
}
