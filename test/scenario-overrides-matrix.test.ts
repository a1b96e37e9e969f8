/**
 * `--set matrix.<axis path>=[…]`: a matrix axis is keyed by a dotted path, so everything after `matrix.` names the
 * axis — it adds the axis, replaces one the file spells differently, and a path naming nothing is refused as an
 * override, never blamed on a line of the file.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ScenarioError, applyOverrides, expandMatrix, parseScenarioText } from '../src/scenario/index.js';
import { runCli } from './support/cli.js';

const TEXT = `
name: matrix-overrides
duration: 10s
keys: [{ name: app, region: us-east-1 }]
fleets:
  - name: web
    region: us-east-1
    workload: { model: open, arrivalRate: 100 }
    mix: [{ op: Encrypt, key: app }]
matrix:
  fleets[0].workload.arrivalRate: [10, 20, 30]
  retry: [none, full-jitter]
`;

function problemsOf(sets: string[]): ScenarioError {
  try {
    parseScenarioText(TEXT, 'm.yaml', { sets });
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error('the overrides were accepted');
}

describe('--set on matrix axes', () => {
  test('a new axis is added under its own dotted path', () => {
    const scenario = parseScenarioText(TEXT, 'm.yaml', { sets: ['matrix.quotas.profile=[kms-2019, kms-current]'] });
    const variants = expandMatrix(scenario);
    expect(variants).toHaveLength(12);
    expect(variants[0]?.name).toBe('fleets[0].workload.arrivalRate=10,retry=none,quotas.profile=kms-2019');
    expect(new Set(variants.map((variant) => variant.scenario.quotas.profile))).toEqual(new Set(['kms-2019', 'kms-current']));
  });

  test('an axis the file spells another way is replaced, not doubled', () => {
    const document = applyOverrides(parseScenarioText(TEXT, 'm.yaml').document, ['matrix.fleets.web.workload.arrivalRate=[100, 200]']);
    expect(document['matrix']).toEqual({ 'fleets[0].workload.arrivalRate': [100, 200], retry: ['none', 'full-jitter'] });
    const scenario = parseScenarioText(TEXT, 'm.yaml', { sets: ['matrix.fleets.web.workload.arrivalRate=[100, 200]', 'matrix.retry='] });
    const rates = expandMatrix(scenario).map((variant) => variant.scenario.fleets[0]?.workload);
    expect(rates).toEqual([expect.objectContaining({ arrivalRatePerSec: 100 }), expect.objectContaining({ arrivalRatePerSec: 200 })]);
  });

  test('an axis naming no fleet is a bad override, without a line of the file', () => {
    const error = problemsOf(['matrix.fleets.webb.workload.arrivalRate=[1, 2]']);
    expect(error.problems).toEqual([
      { path: '--set matrix.fleets.webb.workload.arrivalRate', message: 'matrix axis "fleets.webb.workload.arrivalRate": no fleet named "webb" (did you mean "web"?); fleets are web' },
    ]);
  });

  test('an axis naming an unknown field, or a value that is not a list, is reported at the axis without a line', () => {
    expect(problemsOf(['matrix.fleets.web.workload.rate=[1, 2]']).problems).toEqual([
      { path: 'matrix.fleets.web.workload.rate', message: 'fleets[0].workload.rate does not exist (did you mean "arrivalRate"?)' },
    ]);
    const notList = problemsOf(['matrix.quotas.profile=kms-2019']).problems;
    expect(notList).toHaveLength(1);
    expect(notList[0]?.path).toBe('matrix["quotas.profile"]');
    expect(notList[0]?.line).toBeUndefined();
  });

  test('kms-bench validate takes a matrix override on the command line', async () => {
    const scenario = join(import.meta.dirname, '..', 'scenarios', 'default.yaml');
    const good = await runCli(['validate', scenario, '--set', 'matrix.fleets.web.workload.arrivalRate=[100,200]']);
    expect(good.stdout).toContain('2 variant(s)');
    expect(good.code).toBe(0);
    const bad = await runCli(['validate', scenario, '--set', 'matrix.fleets.webb.workload.arrivalRate=[100,200]']);
    expect(bad.stderr).toContain('--set matrix.fleets.webb.workload.arrivalRate: matrix axis "fleets.webb.workload.arrivalRate": no fleet named "webb"');
    expect(bad.stderr).not.toMatch(/default\.yaml:\d/);
    expect(bad.code).toBe(2);
  });
});
