/**
 * `client: esdk` on the wall-clock engine (real worker threads, the built worker from dist/): the Encryption SDK with
 * its caching materials manager makes ⌈messages / maxMessagesEncrypted⌉ GenerateDataKey calls per client, decrypts
 * the messages sealed in its own format before the run, and reports its hits and misses. Counts only, never time.
 */
import { describe, expect, test } from 'vitest';
import { planVariant } from '../src/engine/plan.js';
import { runVariants } from '../src/engine/run.js';
import { checkCounters } from '../src/metrics/index.js';
import { parseScenarioText } from '../src/scenario/index.js';

const TEXT = `name: esdk-engine
duration: 30s
keys:
  - { name: app, region: us-east-1 }
fleets:
  - name: app
    region: us-east-1
    client: esdk
    algorithmSuite: committing
    workload: { model: closed, clients: 2, iterations: 25 }
    mix:
      - { op: envelopeEncrypt, key: app, payloadBytes: 3000, contexts: 1 }
    cache: { maxMessagesEncrypted: 10, partition: client }
  - name: reader
    region: us-east-1
    client: esdk
    workload: { model: closed, clients: 1, iterations: 10 }
    mix:
      - { op: envelopeDecrypt, key: app, payloadBytes: 100, contexts: 2 }
`;

describe('the Encryption SDK fleet on the wall-clock engine', () => {
  test('per-client caches: ⌈25 / 10⌉ GenerateDataKey calls per client; decrypts of SDK messages succeed', async () => {
    const plan = planVariant('esdk', parseScenarioText(TEXT, 't.yaml'));
    const run = await runVariants([plan], { runId: 'engine-test', workers: 1 });
    expect(run.state).toBe('completed');
    const app = run.variants[0]?.metrics.fleets['app'];
    expect(app?.total).toMatchObject({ completed: 50, succeeded: 50, attempts: 2 * Math.ceil(25 / 10) });
    expect(app?.cache).toMatchObject({ cached: true, encryptMisses: 6, encryptHits: 44, dataKeys: 6 });
    const reader = run.variants[0]?.metrics.fleets['reader'];
    expect(reader?.total).toMatchObject({ completed: 10, succeeded: 10, attempts: 10 });
    expect(reader?.cache).toMatchObject({ cached: false });
    if (app !== undefined) expect(checkCounters(app.total)).toEqual([]);
  }, 60_000);
});
