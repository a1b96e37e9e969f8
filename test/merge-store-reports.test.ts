/**
 * `kms-bench merge` keeps what each instance's shared quota store and service quotas counted: fault decisions and lease
 * misses summed, admissions added by Unix second, fault windows on the merged timeline by wall time, and service quota
 * rows summed per quota. A run's default run id is the one result.json records, and a board accepts only the engine's
 * `/v<index>` variant suffix beyond the run id rule.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../src/api/load-scenario.js';
import { runScenario } from '../src/api/run-scenario.js';
import { defaultRunId } from '../src/scenario/hash.js';
import { mergeServiceQuotas, mergeStoreReports } from '../src/api/merge-store-reports.js';
import { runIdProblem, validateQuotaOptions, type QuotaStoreReport } from '../src/quota/index.js';
import type { VariantResult } from '../src/report/result-types.js';

const report = (over: Partial<QuotaStoreReport>): QuotaStoreReport => ({
  store: 'redis://127.0.0.1:6379/0',
  runId: 'r1',
  lease: 10,
  fault: 'local',
  faultDecisions: 0,
  leaseMisses: 0,
  faultWindows: [],
  admittedPerUnixSecond: { fromUnixSecond: 100, counts: [] },
  ...over,
});
const variant = (over: Partial<VariantResult>): VariantResult => over as VariantResult;

describe('merging store reports', () => {
  test('sums, adds by Unix second and lines fault windows up by wall time', () => {
    const a = report({ faultDecisions: 3, leaseMisses: 1, faultWindows: [{ fromSecond: 2, toSecond: 3, decisions: 3 }], admittedPerUnixSecond: { fromUnixSecond: 100, counts: [5, 6] } });
    const b = report({ faultDecisions: 4, leaseMisses: 2, faultWindows: [{ fromSecond: 0, toSecond: 0, decisions: 4 }], admittedPerUnixSecond: { fromUnixSecond: 101, counts: [1, 2] } });
    // b started one second after a: its second 0 is the merged second 1.
    expect(mergeStoreReports([variant({ quotaStore: a }), variant({ quotaStore: b })], [0, 1])).toEqual(
      report({
        faultDecisions: 7,
        leaseMisses: 3,
        faultWindows: [{ fromSecond: 1, toSecond: 1, decisions: 4 }, { fromSecond: 2, toSecond: 3, decisions: 3 }],
        admittedPerUnixSecond: { fromUnixSecond: 100, counts: [5, 7, 2] },
      }),
    );
    expect(mergeStoreReports([variant({}), variant({})], [0, 0])).toBeUndefined();
  });

  test('service quota rows are summed per quota and resource, their rate kept', () => {
    const row = { accountId: '1', region: 'us-east-1', quota: 's3:put', ratePerSec: 3500, admitted: 10, throttled: 1 };
    const services = (quotas: object[]): Partial<VariantResult> => ({ services: { kmsCalls: [], requests: [], sources: [], quotas } } as unknown as Partial<VariantResult>);
    expect(mergeServiceQuotas([variant(services([row])), variant(services([row, { ...row, resourceKey: 'b' }]))])).toEqual([
      { ...row, admitted: 20, throttled: 2 },
      { ...row, resourceKey: 'b' },
    ]);
    expect(mergeServiceQuotas([variant({})])).toBeUndefined();
  });
});

describe('run ids', () => {
  test('a run without --run-id records the default id its quota budgets were named by', async () => {
    const scenario = await loadScenario(join(import.meta.dirname, 'fixtures', 'cli', 'short.yaml'));
    const result = await runScenario({ ...scenario, clock: 'virtual' }, { workers: 1 });
    expect(result.runId).toBe(defaultRunId({ ...scenario, clock: 'virtual' }));
    expect(result.runId).toMatch(/^scenario-[0-9a-f]{16}$/);
  }, 60_000);

  test('a user cannot give the suffix, so `x:v1` is not run `x`\'s variant 1', () => {
    expect(runIdProblem('x:v1')).toBeUndefined();
    expect(runIdProblem('x/v1')).toBeDefined();
    expect(validateQuotaOptions({ runId: 'x/v1' }).runId).toBe('x/v1');
    expect(() => validateQuotaOptions({ runId: 'x/y' })).toThrow();
  });
});
