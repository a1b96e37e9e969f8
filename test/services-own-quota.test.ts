/**
 * Each service's own request quota, in front of its KMS calls: past it the service answers with its own throttling
 * error (Secrets Manager and Parameter Store: ThrottlingException, HTTP 400, "Rate exceeded", retried as a throttle),
 * makes no KMS call, and counts the request as throttled by the service, not by KMS. Rates come from the data tables;
 * Parameter Store's depend on its throughput setting; a scenario's `serviceQuotas` overrides any of them.
 */
import { describe, expect, test } from 'vitest';
import { PARAMETER_STORE_QUOTAS, SECRETS_MANAGER_QUOTAS, serviceQuotaName, type ServiceOutcome } from '../src/services/index.js';
import { servicesFixture } from './support/services-fixture.js';

function errorOf(outcome: ServiceOutcome): { name: string; httpStatus: number; retry: string; cause: string; message: string } | undefined {
  return outcome.ok ? undefined : { name: outcome.error.name, httpStatus: outcome.error.httpStatus, retry: outcome.error.retry, cause: outcome.error.cause, message: outcome.error.message };
}

describe("the services' own quotas", () => {
  test.each([
    ['secretsmanager:GetSecretValue', 10_000],
    ['secretsmanager:writes', 50],
    ['secretsmanager:CreateSecret', 50],
    ['ssm:GetParameter', 40],
    ['ssm:GetParameter-higher', 10_000],
    ['ssm:PutParameter', 3],
    ['ssm:PutParameter-higher', 10],
  ])('%s is %i requests per second, with its source', (name, rate) => {
    const row = [...SECRETS_MANAGER_QUOTAS, ...PARAMETER_STORE_QUOTAS].find((r) => serviceQuotaName(r) === name);
    expect(row?.ratePerSec).toBe(rate);
    expect(row?.source.length).toBeGreaterThan(20);
  });

  test.each([
    ['secretsmanager:GetSecretValue', { SecretId: 'db' }, 'secretsmanager:GetSecretValue'],
    ['secretsmanager:DescribeSecret', { SecretId: 'db' }, 'secretsmanager:GetSecretValue'],
    ['secretsmanager:PutSecretValue', { SecretId: 'db' }, 'secretsmanager:writes'],
    ['ssm:GetParameter', { Name: '/app/std', WithDecryption: true }, 'ssm:GetParameter'],
    ['ssm:PutParameter', { Name: '/app/std' }, 'ssm:PutParameter'],
  ] as const)('%s past its quota: ThrottlingException 400 from the service, no KMS call', (op, input, quota) => {
    const fixture = servicesFixture({ overrides: { 'us-east-1': { [quota]: 2 } } });
    const caller = fixture.caller();
    const outcomes = Array.from({ length: 3 }, () => fixture.world.attempt(op, input, caller));
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false]);
    expect(errorOf(outcomes[2] as ServiceOutcome)).toEqual({ name: 'ThrottlingException', httpStatus: 400, retry: 'throttle', cause: 'service-quota', message: 'Rate exceeded' });
    const kmsCallsPerRequest = op === 'secretsmanager:DescribeSecret' ? 0 : 1;
    expect(fixture.calls.length).toBe(2 * kmsCallsPerRequest);
    const counts = fixture.world.counts().requests.find((r) => r.operation === op);
    expect(counts).toMatchObject({ requests: 3, succeeded: 2, throttledByService: 1, throttledByKms: 0 });
    expect(fixture.world.quotaState().find((q) => q.quota === quota)).toMatchObject({ ratePerSec: 2, admitted: 2, throttled: 1 });
    // The next one-second window admits again.
    fixture.clock.advanceMs(1000);
    expect(fixture.world.attempt(op, input, caller).ok).toBe(true);
  });

  test("Parameter Store's higher throughput raises GetParameter from 40 to 10,000 per second", () => {
    const reads = (throughput: 'standard' | 'higher'): number => {
      const fixture = servicesFixture({
        resources: { parameters: [{ name: '/p', key: 'app' }], parameterStore: [{ throughput }] },
        quotas: { overrides: { '*': { symmetric: 1e6 } } },
      });
      const caller = fixture.caller();
      let ok = 0;
      for (let i = 0; i < 200; i++) if (fixture.world.attempt('ssm:GetParameter', { Name: '/p', WithDecryption: false }, caller).ok) ok++;
      return ok;
    };
    expect(reads('standard')).toBe(40);
    expect(reads('higher')).toBe(200);
  });

  test("the quota is the calling account's in its region: another account, or another region, has its own", () => {
    const fixture = servicesFixture({ overrides: { '*': { 'secretsmanager:GetSecretValue': 1 } } });
    expect(fixture.world.attempt('secretsmanager:DescribeSecret', { SecretId: 'db' }, fixture.caller()).ok).toBe(true);
    expect(fixture.world.attempt('secretsmanager:DescribeSecret', { SecretId: 'db' }, fixture.caller()).ok).toBe(false);
    // Another region: its own budget (and the secret is not there).
    const elsewhere = fixture.world.attempt('secretsmanager:DescribeSecret', { SecretId: 'db' }, fixture.caller({ region: 'eu-west-1' }));
    expect(errorOf(elsewhere)?.name).toBe('ResourceNotFoundException');
  });
});
