/**
 * Fleets a policy denies, run end to end through the front door (loadScenario, runScenario, the report files): on
 * the virtual clock (the shipped key-policies scenario, and the real KMSClient signing as its principal) and on the
 * wall clock across worker threads. A denied call is counted as denied, never as throttled, never retried and never
 * goodput; the headline says so first, and thresholds and abortOnFail gate on deniedRate.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { headline } from '../src/report/headline.js';
import { loadScenario, runScenario, type ReportOutcome, type RunResult } from '../src/index.js';
import { loadScenarioFile } from '../src/scenario/index.js';
import type { OperationSummary } from '../src/metrics/index.js';
import { tempDirs } from './support/temp-dirs.js';

const tempDir = tempDirs('kms-bench-policy-denied-');

function op(result: RunResult, fleet: string, operation: string): OperationSummary {
  const found = result.variants[0]?.metrics.fleets[fleet]?.operations[operation];
  if (found === undefined) throw new Error(`no ${fleet} ${operation}`);
  return found;
}

function fleetTotal(result: RunResult, fleet: string): OperationSummary {
  const found = result.variants[0]?.metrics.fleets[fleet]?.total;
  if (found === undefined) throw new Error(`no fleet ${fleet}`);
  return found;
}

/** Every operation of the op was denied: no success, no throttle, no retry; the denial is its only failure. */
function expectAllDenied(summary: OperationSummary): void {
  expect(summary.completed).toBeGreaterThan(0);
  expect(summary).toMatchObject({ denied: summary.completed, deniedRate: 1, succeeded: 0, throttled: 0, retries: 0 });
  expect(summary.attempts).toBe(summary.completed);
  expect(summary.failed).toEqual({ AccessDeniedException: summary.completed });
}

function expectNoneDenied(summary: OperationSummary): void {
  expect(summary.completed).toBeGreaterThan(0);
  expect(summary).toMatchObject({ denied: 0, deniedRate: 0, failedTotal: 0, succeeded: summary.completed });
}

/** Two principals of one account on a default-policy key: `app` may encrypt through IAM, `intruder` has no policy. */
function twoPrincipals(clock: 'wall' | 'virtual', client: 'direct' | 'sdk', extra = ''): string {
  return `
name: denied-${clock}-${client}
seed: 5
duration: 2s
clock: ${clock}
principals:
  app:
    arn: arn:aws:iam::111122223333:role/app
    policies: ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*"}]}']
  intruder: { arn: 'arn:aws:iam::111122223333:role/intruder' }
keys: [{ name: data, region: us-east-1 }]
serviceLatency: { default: { distribution: constant, ms: 2 } }
fleets:
  - name: app
    region: us-east-1
    principal: app
    client: ${client}
    workload: { model: open, arrivalRate: 40 }
    mix: [{ op: Encrypt, key: data }, { op: Decrypt, key: data }]
    retry: ${client === 'sdk' ? '{ policy: sdk-standard, maxAttempts: 3 }' : '{ policy: full-jitter, base: 10ms, cap: 100ms, maxAttempts: 5 }'}
  - name: intruder
    region: us-east-1
    principal: intruder
    client: ${client}
    workload: { model: open, arrivalRate: 40 }
    mix: [{ op: Encrypt, key: data }, { op: Decrypt, key: data }]
    retry: ${client === 'sdk' ? '{ policy: sdk-standard, maxAttempts: 3 }' : '{ policy: full-jitter, base: 10ms, cap: 100ms, maxAttempts: 5 }'}
${extra}`;
}

describe('the shipped key-policies scenario (virtual clock)', () => {
  test('the key user may use the keys, the key administrator may manage them, and neither the other', async () => {
    const scenario = await loadScenarioFile('scenarios/key-policies.yaml');
    const dir = join(await tempDir(), 'report');
    let outcome: ReportOutcome | undefined;
    const result = await runScenario(scenario, { workers: 1, report: { dir, onWritten: (o) => (outcome = o) } });
    expect(outcome?.written?.summary).toBe(join(dir, 'summary.md'));
    for (const operation of ['Encrypt', 'Decrypt', 'DescribeKey']) expectNoneDenied(op(result, 'app', operation));
    expectAllDenied(op(result, 'app', 'GetPublicKey'));
    for (const operation of ['DescribeKey', 'GetPublicKey']) expectNoneDenied(op(result, 'ops', operation));
    for (const operation of ['Encrypt', 'Decrypt']) expectAllDenied(op(result, 'ops', operation));
    expect(result.thresholds?.every((t) => t.ok)).toBe(true);
    const app = fleetTotal(result, 'app');
    expect(app.succeeded + (app.denied ?? 0)).toBe(app.completed);
    expect(result.variants[0]?.principals).toMatchObject({
      app: { arn: 'arn:aws:iam::111122223333:role/app', fleets: ['app'], deniedOperations: { GetPublicKey: app.denied } },
      ops: { fleets: ['ops'], deniedOperations: { Encrypt: op(result, 'ops', 'Encrypt').denied, Decrypt: op(result, 'ops', 'Decrypt').denied } },
    });
    // The denial is the first thing said, before the capacity finding.
    const [first = ''] = headline(result);
    expect(first).toMatch(/^Denied by policy: fleet app, as arn:aws:iam::111122223333:role\/app, is denied kms:GetPublicKey \(100% of \d+ calls\); fleet ops, .* is denied kms:Decrypt \(100% of \d+ calls\) and kms:Encrypt/);
    const markdown = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(markdown).toContain('Denied by policy');
    expect(markdown).toMatch(/denied \(policy\)\s*\|\s*264/);
    expect(markdown).toMatch(/denied GetPublicKey\s*\|\s*199 of 199 \(100\.00%\)/);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('denied (policy)');
    expect(html).toContain('Denied by policy');
  });
});

describe('a denied fleet beside an allowed one', () => {
  test('virtual clock, through the real KMSClient signing with one access key per principal', async () => {
    const result = await runScenario(await loadScenario({ text: twoPrincipals('virtual', 'sdk') }), { workers: 1 });
    for (const operation of ['Encrypt', 'Decrypt']) {
      expectNoneDenied(op(result, 'app', operation));
      // Were the principal lost on the way, the call would be the account root's, which the default policy allows.
      expectAllDenied(op(result, 'intruder', operation));
    }
    expect(fleetTotal(result, 'intruder').goodputPerSec).toBe(0);
  });

  test('wall clock across worker threads: denied, not throttled, not retried, not goodput', async () => {
    const result = await runScenario(await loadScenario({ text: twoPrincipals('wall', 'direct') }), { workers: 2 });
    expect(result.state).toBe('completed');
    for (const operation of ['Encrypt', 'Decrypt']) {
      expectNoneDenied(op(result, 'app', operation));
      expectAllDenied(op(result, 'intruder', operation));
    }
    expect(fleetTotal(result, 'intruder')).toMatchObject({ goodputPerSec: 0, throttleRate: 0 });
    expect(result.variants[0]?.principals?.['intruder']).toMatchObject({ deniedRate: 1, throttled: 0 });
  });
});

describe('thresholds on deniedRate', () => {
  test('pass and fail at the end of a run', async () => {
    const extra = "thresholds:\n  fleets.app.deniedRate: ['== 0']\n  fleets.intruder.deniedRate: ['< 0.5']\n  deniedRate: ['<= 0.5']";
    const result = await runScenario(await loadScenario({ text: twoPrincipals('virtual', 'direct', extra) }), { workers: 1 });
    const outcome = Object.fromEntries((result.thresholds ?? []).map((t) => [t.key, { ok: t.ok, observed: t.observed }]));
    expect(outcome).toEqual({
      'fleets.app.deniedRate': { ok: true, observed: 0 },
      'fleets.intruder.deniedRate': { ok: false, observed: 1 },
      deniedRate: { ok: true, observed: expect.closeTo(0.5, 1) as number },
    });
  });

  test('abortOnFail stops the run the first second the denied share is past its bound', async () => {
    const extra = "thresholds:\n  fleets.intruder.deniedRate: [{ threshold: '< 0.1', abortOnFail: true }]";
    const text = twoPrincipals('virtual', 'direct', extra).replace('duration: 2s', 'duration: 30s');
    const result = await runScenario(await loadScenario({ text }), { workers: 1 });
    expect(result.state).toBe('incomplete');
    expect(result.abortedBy).toMatchObject({ key: 'fleets.intruder.deniedRate', expression: '< 0.1' });
    expect(result.variants[0]?.metrics.durationSec).toBeLessThan(30);
  });
});

describe('model.chargeDenied', () => {
  /** The quota board's admitted count for the symmetric bucket in a run of the two fleets, 20/s each for 2 s. */
  async function symmetricAdmitted(chargeDenied: boolean): Promise<{ admitted: number; appSucceeded: number; intruderDenied: number }> {
    const text = twoPrincipals('virtual', 'direct').replace('clock: virtual', `clock: virtual\nmodel: { chargeDenied: ${chargeDenied} }`);
    const result = await runScenario(await loadScenario({ text }), { workers: 1 });
    const slot = result.variants[0]?.quota.find((s) => s.bucket === 'symmetric');
    return { admitted: slot?.admitted ?? 0, appSucceeded: fleetTotal(result, 'app').succeeded, intruderDenied: fleetTotal(result, 'intruder').denied ?? 0 };
  }

  test('by default a denied call draws no quota; with chargeDenied: true it does, and is still denied', async () => {
    const free = await symmetricAdmitted(false);
    expect(free.intruderDenied).toBeGreaterThan(0);
    expect(free.admitted).toBe(free.appSucceeded);
    const charged = await symmetricAdmitted(true);
    expect(charged.intruderDenied).toBe(free.intruderDenied);
    expect(charged.admitted).toBe(charged.appSucceeded + charged.intruderDenied);
  });
});
