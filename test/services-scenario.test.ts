/**
 * The services' part of a scenario: a scenario that uses none runs as before and keeps its hash (empty lists and
 * `secretsCache: off` change nothing), one that does is normalized with its defaults filled, and shared-quota.yaml —
 * the shipped example — validates and answers who uses the quota.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { runScenario } from '../src/api/run-scenario.js';
import { loadScenarioFile, parseScenarioText, scenarioHash } from '../src/scenario/index.js';
import { oneFleetScenario } from './support/scenario-text.js';

describe('scenarios and the services', () => {
  test('scenarios/default.yaml keeps the hash it had before services existed', async () => {
    const scenario = await loadScenarioFile('scenarios/default.yaml');
    expect(scenarioHash(scenario)).toBe('4f32d4179c37894af8e727a272cf869a4cffe98a73b37bb95d328b7dbaecc3cd');
    expect(scenario.services).toBeUndefined();
  });

  test('empty service lists and secretsCache: off change neither the scenario nor its hash', () => {
    const plain = parseScenarioText(oneFleetScenario(), 't.yaml');
    const spelled = parseScenarioText(oneFleetScenario({ top: 'secrets: []\nparameters: []', fleet: '    secretsCache: off' }), 't.yaml');
    expect(scenarioHash(spelled)).toBe(scenarioHash(plain));
    expect(spelled.fleets[0]).not.toHaveProperty('secretsCache');
    expect(spelled).not.toHaveProperty('services');
  });

  test('a scenario with services is normalized with every default filled', () => {
    const scenario = parseScenarioText(
      oneFleetScenario({
        top: 'secrets: [{ name: db, key: app }]\nparameters: [{ name: /p, key: app }]\nserviceQuotas: { "*": { "ssm:GetParameter": 100 } }',
        fleet: '    secretsCache: { ttl: 10m }\n    client: direct',
      }).replace('mix: [{ op: Encrypt, key: app }]', 'mix: [{ op: secretsmanager:GetSecretValue, secret: db }, { op: ssm:GetParameter, parameter: /p, weight: 2 }]'),
      't.yaml',
    );
    expect(scenario.services).toEqual({
      resources: { secrets: [{ name: 'db', key: 'app', versions: 1, valueBytes: 64 }], parameters: [{ name: '/p', key: 'app', tier: 'standard', valueBytes: 64 }] },
      quotaOverrides: { '*': { 'ssm:GetParameter': 100 } },
    });
    expect(scenario.fleets[0]?.secretsCache).toEqual({ style: 'caching-client', ttlMs: 600_000, maxSecrets: 1024, partition: 'fleet' });
    expect(scenario.fleets[0]?.mix.map((e) => [e.op, e.weight, e.service])).toEqual([
      ['secretsmanager:GetSecretValue', 1, { resource: 'db', params: {} }],
      ['ssm:GetParameter', 2, { resource: '/p', params: { withDecryption: true } }],
    ]);
  });

  test('scenarios/shared-quota.yaml: the services make over half the KMS calls, everyone reaching KMS is throttled, the cached reads are not', async () => {
    const scenario = await loadScenarioFile('scenarios/shared-quota.yaml');
    const result = await runScenario({ ...scenario, durationMs: 10_000 }, { workers: 1 });
    const sources = new Map(result.variants[0]?.services?.sources.map((s) => [s.source, s.share]));
    expect((sources.get('secretsmanager') ?? 0) + (sources.get('ssm') ?? 0)).toBeGreaterThan(0.5);
    const fleets = result.variants[0]?.metrics.fleets ?? {};
    for (const name of ['app-envelope', 'lambda-uncached', 'config-reader']) expect(fleets[name]?.total.throttleRate).toBeGreaterThan(0.3);
    expect(fleets['lambda-cached']?.total.throttled).toBe(0);
    const requests = result.variants[0]?.services?.requests.find((r) => r.operation === 'secretsmanager:GetSecretValue');
    expect(requests?.throttledByKms).toBeGreaterThan(0);
    expect(requests?.throttledByService).toBe(0);
  });

  test('scenarios/shared-quota.yaml validates, with a marked place for S3 uploads', async () => {
    const scenario = await loadScenarioFile('scenarios/shared-quota.yaml');
    expect(scenario.fleets.map((f) => f.name)).toEqual(['app-envelope', 'lambda-uncached', 'lambda-cached', 'config-reader']);
    expect(readFileSync('scenarios/shared-quota.yaml', 'utf8')).toMatch(/# ── S3 ─+\n\s*# S3 SSE-KMS uploads join here/);
  });
});
