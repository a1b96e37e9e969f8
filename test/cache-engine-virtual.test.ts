/**
 * Envelope fleets through the whole engine on the virtual clock (deterministic, no sleeps): KMS calls per message
 * with a cache, a cold-start burst with and without dedupeInFlight, and the Encryption SDK fleet beside the built-in.
 */
import { describe, expect, test } from 'vitest';
import { planVariant } from '../src/engine/plan.js';
import { simulateVariant } from '../src/engine/simulate-variant.js';
import { checkCounters, mergeMetrics, summarize } from '../src/metrics/index.js';
import { parseScenarioText } from '../src/scenario/index.js';

function scenario(fleet: string): string {
  return `name: t
duration: 10s
clock: virtual
keys:
  - { name: app, region: us-east-1 }
serviceLatency:
  default: { distribution: constant, ms: 10 }
fleets:
  - name: app
    region: us-east-1
${fleet}
`;
}

async function run(text: string) {
  const plan = planVariant('v', parseScenarioText(text, 't.yaml'));
  const result = await simulateVariant({ plan, crypto: 'real' });
  const summary = summarize(mergeMetrics([result.metrics]), { durationSec: 10 });
  const fleet = summary.fleets['app'];
  if (fleet === undefined) throw new Error('no fleet summary');
  return { fleet, summary };
}

describe('envelope fleets on the virtual clock', () => {
  test.each([1, 7, 10, 64])('one client, one context, maxMessagesEncrypted %i: ⌈200 / N⌉ GenerateDataKey calls', async (n) => {
    const { fleet, summary } = await run(scenario(`    workload: { model: closed, clients: 1, iterations: 200 }
    mix: [{ op: envelopeEncrypt, key: app, payloadBytes: 2048, contexts: 1 }]
    cache: { maxMessagesEncrypted: ${n} }`));
    expect(fleet.total).toMatchObject({ completed: 200, succeeded: 200, attempts: Math.ceil(200 / n) });
    expect(fleet.cache).toMatchObject({ cached: true, kmsCalls: Math.ceil(200 / n), encryptMisses: Math.ceil(200 / n), messagesPerKeyMax: Math.min(n, 200) });
    expect(fleet.total.kmsCallsPerOp).toBeCloseTo(Math.ceil(200 / n) / 200, 10);
    expect(checkCounters(summary.total)).toEqual([]);
  });

  test.each([
    [false, 16],
    [true, 1],
  ])('a cold start of 16 concurrent clients, dedupeInFlight %s: %i KMS calls', async (dedupe, calls) => {
    const { fleet } = await run(scenario(`    workload: { model: closed, clients: 16, iterations: 1 }
    mix: [{ op: envelopeEncrypt, key: app, payloadBytes: 64, contexts: 1 }]
    cache: { dedupeInFlight: ${String(dedupe)} }`));
    expect(fleet.cache).toMatchObject({ kmsCalls: calls, encryptJoined: dedupe ? 15 : 0, encryptMisses: calls });
  });

  test('uncached: one KMS call and one data key per message; decrypts use messages sealed before the run', async () => {
    const { fleet } = await run(scenario(`    workload: { model: closed, clients: 2, iterations: 50 }
    mix:
      - { op: envelopeEncrypt, key: app, payloadBytes: 100000, contexts: 3 }
      - { op: envelopeDecrypt, key: app, payloadBytes: 100000, contexts: 3 }`));
    expect(fleet.total).toMatchObject({ completed: 100, succeeded: 100, attempts: 100 });
    expect(fleet.cache).toMatchObject({ cached: false, messagesPerKeyMax: 1, kmsCallsSaved: 0 });
    expect(fleet.cache?.dataKeys).toBe(fleet.operations['envelopeEncrypt']?.completed);
  });

  test('client: esdk is refused on the virtual clock', () => {
    expect(() => parseScenarioText(scenario(`    client: esdk
    workload: { model: closed, clients: 1 }
    mix: [{ op: envelopeEncrypt, key: app }]`), 't.yaml')).toThrow(/fleets\[0\]\.client: client: esdk runs on the wall clock only/);
  });
});
