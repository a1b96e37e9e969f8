/**
 * A scenario that sets no service latency for a fleet's region gets the documented assumption, flagged so the reports
 * can say so — never a silent 0 ms for every percentile. One that sets it (or a `default`) keeps its own.
 */
import { describe, expect, test } from 'vitest';
import { planVariant } from '../src/engine/plan.js';
import { simulateVariant } from '../src/engine/simulate-variant.js';
import { mergeMetrics, summarize } from '../src/metrics/index.js';
import { parseScenarioText } from '../src/scenario/index.js';
import { ASSUMED_SERVICE_LATENCY, describeLatency } from '../src/workload/service-latency.js';

function scenario(latency: string): string {
  return `name: t
duration: 3s
clock: virtual
keys:
  - { name: app, region: eu-west-1 }
${latency}
fleets:
  - name: web
    region: eu-west-1
    workload: { model: open, arrivalRate: 200 }
    mix: [{ op: Encrypt, key: app, payloadBytes: 32 }]
`;
}

describe('service latency when a scenario sets none', () => {
  test('the assumed distribution is used and flagged: latency percentiles are not zero', async () => {
    const parsed = parseScenarioText(scenario(''), 't.yaml');
    expect(parsed.serviceLatencyAssumed).toBe(true);
    expect(parsed.serviceLatency['default']).toEqual(ASSUMED_SERVICE_LATENCY);
    const result = await simulateVariant({ plan: planVariant('v', parsed), crypto: 'off' });
    const latency = summarize(mergeMetrics([result.metrics]), { durationSec: 3 }).total.latencyUs;
    // A lognormal with a 4 ms median: the measured median is within a few hundred µs of it.
    expect(latency.p50).toBeGreaterThan(3_000);
    expect(latency.p50).toBeLessThan(5_000);
    expect(latency.p99).toBeGreaterThan(latency.p50);
    expect(describeLatency(ASSUMED_SERVICE_LATENCY)).toBe('lognormal, median 4 ms, p99 25 ms');
  });

  test.each([
    ['a region entry', 'serviceLatency:\n  eu-west-1: { distribution: constant, ms: 2 }'],
    ['a default', 'serviceLatency:\n  default: { distribution: constant, ms: 2 }'],
    ['an explicit zero', 'serviceLatency:\n  default: { distribution: constant, ms: 0 }'],
  ])('a scenario with %s keeps its own, unflagged', (_name, latency) => {
    const parsed = parseScenarioText(scenario(latency), 't.yaml');
    expect(parsed.serviceLatencyAssumed).toBe(false);
    expect(Object.values(parsed.serviceLatency)).not.toContainEqual(ASSUMED_SERVICE_LATENCY);
  });

  test('another region without latency is filled in by the default: the fleet in it is covered', () => {
    const parsed = parseScenarioText(scenario('serviceLatency:\n  us-east-1: { distribution: constant, ms: 2 }'), 't.yaml');
    expect(parsed.serviceLatencyAssumed).toBe(true);
    expect(parsed.serviceLatency['us-east-1']).toEqual({ distribution: 'constant', ms: 2 });
    expect(parsed.serviceLatency['default']).toEqual(ASSUMED_SERVICE_LATENCY);
  });
});
