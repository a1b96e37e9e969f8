/**
 * Attribution adds up: every KMS call of a run — the fleets' own (direct), and those Secrets Manager and Parameter
 * Store make on a caller's behalf — is counted once, under its source, and the counts per account, region and bucket
 * equal the quota board's admitted and throttled counts, on the virtual clock and across wall-clock workers.
 */
import { describe, expect, test } from 'vitest';
import { runScenario } from '../src/api/run-scenario.js';
import type { ServicesResult } from '../src/report/attribution.js';
import type { RunResult } from '../src/report/result.js';
import { parseScenarioText } from '../src/scenario/index.js';

const SCENARIO = (clock: 'virtual' | 'wall', duration: string): string => `name: attribution
duration: ${duration}
clock: ${clock}
quotas: { overrides: { us-east-1: { symmetric: 150 } } }
serviceLatency: { default: { distribution: constant, ms: 2 } }
principals:
  app: { arn: 'arn:aws:iam::111122223333:role/app', policies: [{ Version: '2012-10-17', Statement: [{ Effect: Allow, Action: 'kms:*', Resource: '*' }] }] }
  lambda: { arn: 'arn:aws:iam::111122223333:role/lambda', policies: [{ Version: '2012-10-17', Statement: [{ Effect: Allow, Action: 'kms:*', Resource: '*' }] }] }
keys:
  - { name: app, region: us-east-1 }
secrets:
  - { name: db, key: app }
parameters:
  - { name: /app/config, key: app, tier: advanced }
fleets:
  - name: envelope
    region: us-east-1
    principal: app
    workload: { model: open, arrivalRate: 60 }
    mix: [{ op: envelopeEncrypt, key: app, payloadBytes: 1024 }, { op: Decrypt, key: app }]
  - name: secrets
    region: us-east-1
    principal: lambda
    workload: { model: open, arrivalRate: 80 }
    mix: [{ op: secretsmanager:GetSecretValue, secret: db }]
    retry: none
  - name: config
    region: us-east-1
    principal: lambda
    workload: { model: open, arrivalRate: 30 }
    mix: [{ op: ssm:GetParameter, parameter: /app/config, withDecryption: true }]
    retry: none
`;

function totals(services: ServicesResult | undefined): Map<string, { admitted: number; throttled: number }> {
  const out = new Map<string, { admitted: number; throttled: number }>();
  for (const row of services?.kmsCalls ?? []) {
    // The board lists the slots that saw traffic.
    if (row.admitted === 0 && row.throttled === 0) continue;
    const key = `${row.accountId}/${row.region}/${row.bucket}`;
    const into = out.get(key) ?? { admitted: 0, throttled: 0 };
    into.admitted += row.admitted;
    into.throttled += row.throttled;
    out.set(key, into);
  }
  return out;
}

function expectSumsMatchBoard(result: RunResult): void {
  const variant = result.variants[0];
  const services = variant?.services;
  const board = new Map(variant?.quota.map((slot) => [`${slot.accountId}/${slot.region}/${slot.bucket}`, { admitted: slot.admitted, throttled: slot.throttled }]));
  expect(board.size).toBeGreaterThan(0);
  expect(totals(services)).toEqual(board);
  // Every source shows up, and the shares of the account's calls add up to one.
  expect(new Set(services?.kmsCalls.map((row) => row.source))).toEqual(new Set(['direct', 'secretsmanager', 'ssm']));
  expect(services?.sources.reduce((sum, s) => sum + s.share, 0)).toBeCloseTo(1, 9);
  // The services' calls carry the caller's principal; the fleets' own calls name the fleet.
  expect(services?.kmsCalls.filter((row) => row.source !== 'direct').map((row) => row.principal)).toEqual([
    'arn:aws:iam::111122223333:role/lambda',
    'arn:aws:iam::111122223333:role/lambda',
  ]);
  expect(services?.kmsCalls.find((row) => row.source === 'direct')).toMatchObject({ resource: 'envelope', principal: 'arn:aws:iam::111122223333:role/app' });
}

describe('attribution', () => {
  test('on the virtual clock, attribution sums equal the quota board’s admitted and throttled counts', async () => {
    const result = await runScenario(parseScenarioText(SCENARIO('virtual', '5s'), 't.yaml'), { workers: 1 });
    expectSumsMatchBoard(result);
    expect(result.variants[0]?.quota[0]?.throttled).toBeGreaterThan(0);
  });

  test('on the wall clock, across two workers, attribution sums equal the board’s counts', async () => {
    const result = await runScenario(parseScenarioText(SCENARIO('wall', '1500ms'), 't.yaml'), { workers: 2 });
    expectSumsMatchBoard(result);
  });
});
