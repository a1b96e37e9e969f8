/**
 * Service operations in a fleet's mix, on both simulation drivers: a KMS throttle inside the service surfaces as the
 * service's error and the fleet's retry policy retries the service request; a secret cache spares the service (and
 * KMS) as its TTL says; and the two drivers take the same decisions, so they count the same.
 */
import { describe, expect, test } from 'vitest';
import { planVariant } from '../src/engine/plan.js';
import { simulateVariant } from '../src/engine/simulate-variant.js';
import type { EngineDriver } from '../src/engine/wire.js';
import { mergeMetrics, summarize, type MetricsSummary } from '../src/metrics/index.js';
import { parseScenarioText } from '../src/scenario/index.js';

function scenario(fleet: string, top = ''): string {
  return `name: services
duration: 6s
clock: virtual
quotas: { overrides: { us-east-1: { symmetric: 10 } } }
serviceLatency: { default: { distribution: constant, ms: 5 } }
keys:
  - { name: app, region: us-east-1 }
secrets:
  - { name: db, key: app }
${top}
fleets:
  - name: reader
    region: us-east-1
${fleet}
`;
}

async function simulate(text: string, driver: EngineDriver): Promise<MetricsSummary> {
  const plan = planVariant('v', parseScenarioText(text, 't.yaml'));
  const result = await simulateVariant({ plan, crypto: 'off', driver });
  return summarize(mergeMetrics([result.metrics]), { durationSec: plan.durationMs / 1000 });
}

const READS = `    workload: { model: open, arrivalRate: 20 }
    mix: [{ op: secretsmanager:GetSecretValue, secret: db }]`;

describe('service operations in the engine', () => {
  test.each(['events', 'promises'] as const)(
    '%s driver: a throttled KMS call is the service’s ThrottlingException, retried by the fleet’s policy',
    async (driver) => {
      const retried = await simulate(scenario(`${READS}\n    retry: { policy: constant, base: 1s, maxAttempts: 3 }`), driver);
      const once = await simulate(scenario(`${READS}\n    retry: none`), driver);
      for (const summary of [retried, once]) {
        const op = summary.fleets['reader']?.operations['secretsmanager:GetSecretValue'];
        const services = summary.services;
        const requests = services?.requests[0];
        const kms = services?.kmsCalls[0];
        // Every attempt was a request to Secrets Manager; every throttle its KMS call's.
        expect(op?.attempts).toBe(requests?.requests);
        expect(op?.throttled).toBe(requests?.throttledByKms);
        expect(kms?.throttled).toBe(requests?.throttledByKms);
        expect(kms?.admitted).toBe(requests?.succeeded);
        expect(requests?.throttledByService).toBe(0);
      }
      const [withRetries, without] = [retried, once].map((s) => s.fleets['reader']?.operations['secretsmanager:GetSecretValue']);
      // 20/s against 10/s: without retries half fail with Secrets Manager's throttle; a 1 s backoff lands retries in later
      // windows, so fewer fail for good (and they retry).
      expect(without?.retries).toBe(0);
      expect(without?.failed['ThrottlingException']).toBeGreaterThan(40);
      expect(withRetries?.retries).toBeGreaterThan(0);
      expect(withRetries?.failed['ThrottlingException'] ?? 0).toBeLessThan(without?.failed['ThrottlingException'] ?? 0);
    },
  );

  test('both drivers count the same', async () => {
    const fleet = `${READS}\n    retry: { policy: full-jitter, base: 200ms, cap: 2s, maxAttempts: 4 }`;
    const [events, promises] = await Promise.all([simulate(scenario(fleet), 'events'), simulate(scenario(fleet), 'promises')]);
    expect(events.fleets['reader']?.total.attempts).toBe(promises.fleets['reader']?.total.attempts);
    expect(events.fleets['reader']?.total.succeeded).toBe(promises.fleets['reader']?.total.succeeded);
    expect(events.services).toEqual(promises.services);
  });

  test.each(['events', 'promises'] as const)('%s driver: a lambda-extension cache fetches once per TTL, every other read a hit', async (driver) => {
    const summary = await simulate(scenario(`${READS}\n    secretsCache: { style: lambda-extension, ttl: 2s }`), driver);
    const requests = summary.services?.requests[0];
    // Reads from 0 s to 6 s: fetched at 0, 2 and 4 s (each answered 5 ms later: the reads in between are hits).
    expect(requests?.requests).toBe(3);
    expect(summary.services?.kmsCalls[0]?.admitted).toBe(3);
    expect(requests?.cacheHits).toBe(120 - 3);
    const op = summary.fleets['reader']?.operations['secretsmanager:GetSecretValue'];
    expect(op?.succeeded).toBe(120);
    expect(op?.attempts).toBe(3);
  });

  test('a caching-client cache calls KMS once, then refreshes with DescribeSecret', async () => {
    const summary = await simulate(scenario(`${READS}\n    secretsCache: { style: caching-client, ttl: 2s }`), 'events');
    const byOp = new Map(summary.services?.requests.map((r) => [r.operation, r]));
    expect(summary.services?.kmsCalls[0]?.admitted).toBe(1);
    expect(byOp.get('secretsmanager:GetSecretValue')?.requests).toBe(1);
    // Refreshes every 1–2 s (jittered) over 6 s: at least three, at most six describes.
    const describes = byOp.get('secretsmanager:DescribeSecret')?.requests ?? 0;
    expect(describes).toBeGreaterThanOrEqual(3);
    expect(describes).toBeLessThanOrEqual(6);
  });
});
