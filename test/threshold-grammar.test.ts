/**
 * The threshold grammar: conditions and keys as written in a scenario, and every bad one reported by the scenario
 * validator with its path (which `validate` and `run` turn into exit 2).
 */
import { describe, expect, test } from 'vitest';
import { compileThresholds, parseCondition, parseThresholdKey, splitSelection, ThresholdError } from '../src/scenario/threshold-grammar.js';
import { ScenarioError, validateScenario } from '../src/scenario/index.js';

function base(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'gates',
    duration: '2s',
    keys: [{ name: 'app', region: 'us-east-1' }],
    fleets: [
      {
        name: 'web',
        region: 'us-east-1',
        workload: { model: 'open', arrivalRate: 10 },
        mix: [
          { op: 'Encrypt', key: 'app' },
          { op: 'Decrypt', key: 'app' },
        ],
      },
    ],
    ...extra,
  };
}

function problems(document: Record<string, unknown>): string[] {
  try {
    validateScenario(document);
  } catch (error) {
    if (error instanceof ScenarioError) return error.lines();
    throw error;
  }
  return [];
}

describe('threshold conditions', () => {
  test.each([
    ['< 0.01', { comparator: '<', value: 0.01 }],
    ['<=0.05', { comparator: '<=', value: 0.05 }],
    ['> 100', { comparator: '>', value: 100 }],
    ['>= 1_000', { comparator: '>=', value: 1000 }],
    ['== 0', { comparator: '==', value: 0 }],
    ['!= 3', { comparator: '!=', value: 3 }],
    ['< 5e4', { comparator: '<', value: 50_000 }],
    ['< 1%', { comparator: '<', value: 0.01, percent: true }],
    ['p99 < 50000', { stat: 'p99', comparator: '<', value: 50_000 }],
    ['p(99.9) <= 1e5', { stat: 'p999', comparator: '<=', value: 100_000 }],
    ['p(50)<2000', { stat: 'p50', comparator: '<', value: 2000 }],
    ['med < 2000', { stat: 'p50', comparator: '<', value: 2000 }],
    ['avg < 900', { stat: 'mean', comparator: '<', value: 900 }],
    ['< 50ms', { comparator: '<', value: 50, unit: 'ms', percent: false }],
    ['p99 <= 1.5 s', { stat: 'p99', comparator: '<=', value: 1.5, unit: 's' }],
    ['< 250us', { comparator: '<', value: 250, unit: 'us' }],
    ['< 250µs', { comparator: '<', value: 250, unit: 'µs' }],
    ['< 250μs', { comparator: '<', value: 250, unit: 'μs' }],
    ['< 1e3ms', { comparator: '<', value: 1000, unit: 'ms' }],
  ])('%j parses', (text, expected) => {
    const parsed = parseCondition(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value).toMatchObject(expected);
  });

  test.each([
    ['', 'is not a threshold expression'],
    ['abc', 'is not a threshold expression'],
    ['<< 5', 'is not a threshold expression'],
    ['< abc', '"abc" is not a number'],
    ['< 1e999', 'not a finite number'],
    ['p95 < 5', 'unknown statistic "p95"'],
    ['throttleRate < 0.01', 'the metric goes in the key'],
    ['0.01 >', 'is not a threshold expression'],
    ['<', 'is not a threshold expression'],
    ['< 5sec', 'unknown unit "sec"; a latency threshold takes us, µs, ms or s'],
    ['< 5 minutes', 'unknown unit "minutes"'],
    ['< ms', '"ms" is not a number'],
    ['< 1,000', '"1,000" is not a number'],
    ['latency.p99 < 5', 'the metric goes in the key'],
  ])('%j is rejected: %s', (text, message) => {
    const parsed = parseCondition(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });
});

describe('threshold keys', () => {
  test.each([
    ['throttleRate', { metric: 'throttleRate' }],
    ['fleets.web.goodputPerSec', { fleet: 'web', metric: 'goodputPerSec' }],
    ['fleets.web.ops.Encrypt.latencyUs.p99', { fleet: 'web', operation: 'Encrypt', metric: 'latencyUs.p99' }],
    ['costUsdPerMonth', { metric: 'costUsdPerMonth' }],
  ])('%s names %o', (key, ref) => {
    const parsed = parseThresholdKey(key);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.ref).toEqual(ref);
  });

  test.each([
    ['latency.p99', { metric: 'latency.p99' }],
    ['fleets.web.latency.max', { fleet: 'web', metric: 'latency.max' }],
    ['latency', { metric: 'latency' }],
  ])('the ms latency family: %s names %o', (key, ref) => {
    const parsed = parseThresholdKey(key);
    expect(parsed).toEqual({ ok: true, value: { ref, selector: [] } });
  });

  test('a selector is split before each known axis, so JSON values may hold commas', () => {
    const pairs = splitSelection('retry={"policy":"none","maxAttempts":1},quotas.profile=kms-2019', ['retry', 'quotas.profile']);
    expect(pairs).toEqual({
      ok: true,
      value: [
        { axis: 'retry', value: '{"policy":"none","maxAttempts":1}' },
        { axis: 'quotas.profile', value: 'kms-2019' },
      ],
    });
  });
});

describe('time units on latency thresholds', () => {
  const bound = (key: string, expression: string): number | undefined => compileThresholds({ [key]: [expression] })[0]?.value;

  test.each([
    ['latencyUs.p99', '< 50ms', 50_000],
    ['latencyUs.p99', '< 0.05s', 50_000],
    ['latencyUs.p99', '< 50000us', 50_000],
    ['latencyUs.p99', '< 50000', 50_000],
    ['latencyUs', 'p(99.9) < 2 s', 2_000_000],
    ['latency.p99', '< 50', 50],
    ['latency.p99', '< 50ms', 50],
    ['latency.p99', '< 50000µs', 50],
    ['latency', 'p50 < 1.5s', 1_500],
    ['latencyUs.p50', '<= 1.1ms', 1_100],
    ['latency.max', '<= 0.3ms', 0.3],
  ])('%s %s is a bound of %d in the metric\'s unit', (key, expression, value) => {
    expect(bound(key, expression)).toBe(value);
  });

  test.each([
    ['throttleRate', '< 5ms', 'ms is a time unit, and throttleRate is not a time'],
    ['goodputPerSec', '> 1s', 's is a time unit, and goodputPerSec is not a time'],
    ['latencyUs.count', '> 100ms', 'ms is a time unit, and latencyUs.count is not a time'],
    ['latency', 'count > 1s', 's is a time unit, and latency.count is not a time'],
    ['latency.p99', '< 5%', '% applies to ratios'],
    ['throttleRate', 'p99 < 5', 'a statistic applies to latencyUs and latency only, not to throttleRate'],
  ])('%s %j is refused: %s', (key, expression, message) => {
    expect(() => compileThresholds({ [key]: [expression] })).toThrow(ThresholdError);
    expect(() => compileThresholds({ [key]: [expression] })).toThrow(message);
  });
});

describe('thresholds in a scenario', () => {
  test('a scenario with good thresholds validates and keeps them', () => {
    const scenario = validateScenario(
      base({
        thresholds: {
          throttleRate: ['< 0.01'],
          'latencyUs.p99': ['< 50000'],
          latencyUs: ['p99 < 50000', 'p(50) < 5000'],
          'fleets.web.ops.Encrypt.goodputPerSec': '> 100',
          kmsCallsPerOp: ['<= 0.05'],
          costUsdPerMonth: ['< 200'],
          'latency.p99': ['< 50', '< 0.05s'],
          'fleets.web.ops.Decrypt.latency': ['p(99.9) < 100ms'],
        },
      }),
    );
    expect(scenario.thresholds['fleets.web.ops.Encrypt.goodputPerSec']).toEqual(['> 100']);
    expect(scenario.thresholds['latency.p99']).toEqual(['< 50', '< 0.05s']);
    expect(Object.keys(scenario.thresholds)).toHaveLength(8);
  });

  test('a time unit on a metric that is not a time, or an unknown unit, is reported with its path', () => {
    expect(
      problems(
        base({
          thresholds: {
            throttleRate: ['< 5ms'],
            'latencyUs.p99': ['< 50 msec'],
            'latency.p95': ['< 50'],
            latency: ['< 50'],
          },
        }),
      ),
    ).toEqual([
      'thresholds.throttleRate[0]: "< 5ms": ms is a time unit, and throttleRate is not a time; units apply to latency (latencyUs.p99, latency.p99, …)',
      'thresholds["latencyUs.p99"][0]: "< 50 msec": unknown unit "msec"; a latency threshold takes us, µs, ms or s',
      'thresholds["latency.p95"]: unknown latency statistic "p95"; latency has p50, p90, p99, p999, max, mean or count',
      'thresholds.latency[0]: "< 50": latency needs a statistic, e.g. "p99 < 50" (or key latency.p99)',
    ]);
  });

  test('every bad threshold is reported at once, each with its path', () => {
    const lines = problems(
      base({
        thresholds: {
          throtleRate: ['< 0.01'],
          'latencyUs.p99': ['< fast'],
          latencyUs: ['< 5000'],
          'fleets.webb.throttleRate': ['< 0.1'],
          'fleets.web.ops.Sign.throttleRate': ['< 0.1'],
          'fleets.web.costUsdPerMonth': ['< 10'],
          'goodputPerSec': ['> 1', '> 1%'],
          'throttleRate{retry=none}': ['< 0.1'],
          failureRate: [],
        },
      }),
    );
    expect(lines).toEqual([
      'thresholds.throtleRate: unknown metric "throtleRate" (did you mean "throttleRate"?); metrics are ' + lines[0]?.split('metrics are ')[1],
      'thresholds["latencyUs.p99"][0]: "< fast" is not a threshold expression: "fast" is not a number',
      'thresholds.latencyUs[0]: "< 5000": latencyUs needs a statistic, e.g. "p99 < 50000" (or key latencyUs.p99)',
      'thresholds["fleets.webb.throttleRate"]: unknown fleet "webb" (did you mean "web"?); fleets are web',
      'thresholds["fleets.web.ops.Sign.throttleRate"]: fleet "web" does not call Sign; its operations are Encrypt or Decrypt',
      'thresholds["fleets.web.costUsdPerMonth"]: costUsdPerMonth is measured for a whole variant, not per fleet or operation; write "costUsdPerMonth"',
      'thresholds.goodputPerSec[1]: "> 1%": % applies to ratios (throttleRate, failureRate, …), not to goodputPerSec',
      'thresholds.throttleRate{retry=none}: selects matrix values, but the scenario has no matrix',
      'thresholds.failureRate: has no expression; give at least one, e.g. "< 0.01"',
    ]);
  });

  test('a selector must name an axis and one of its values', () => {
    const matrix = { retry: [{ policy: 'none', maxAttempts: 1 }, 'full-jitter'] };
    expect(problems(base({ matrix, thresholds: { 'throttleRate{retry=full-jitter}': ['< 0.1'] } }))).toEqual([]);
    expect(problems(base({ matrix, thresholds: { 'throttleRate{retry=*jitter}': ['< 0.1'] } }))).toEqual([]);
    expect(problems(base({ matrix, thresholds: { 'throttleRate{retry=full-jiter}': ['< 0.1'] } }))).toEqual([
      'thresholds.throttleRate{retry=full-jiter}: no variant has retry=full-jiter (did you mean "full-jitter"?); retry takes none or full-jitter',
    ]);
    expect(problems(base({ matrix, thresholds: { 'throttleRate{retri=none}': ['< 0.1'] } }))[0]).toContain(
      'unknown matrix axis "retri" (did you mean "retry"?)',
    );
    expect(problems(base({ matrix, thresholds: { 'throttleRate{retry=none': ['< 0.1'] } }))[0]).toContain('must close with "}"');
  });

  test('a threshold of the wrong type is a schema problem with its path', () => {
    expect(problems(base({ thresholds: { throttleRate: 0.01 } }))[0]).toMatch(/^thresholds\.throttleRate: /);
  });
});

describe('prices in a scenario', () => {
  test('overrides are kept; unknown names and bad values are reported with their paths', () => {
    expect(validateScenario(base({ prices: { symmetricPer10kUsd: 0.05, keyRotations: 2 } })).prices).toEqual({
      symmetricPer10kUsd: 0.05,
      keyRotations: 2,
    });
    expect(validateScenario(base()).prices).toEqual({});
    expect(problems(base({ prices: { symetricPer10kUsd: 0.05, keyMonthUsd: -1, keyRotations: 1.5, hoursPerMonth: 0 } }))).toEqual([
      'prices.keyMonthUsd: must be ≥ 0',
      'prices.keyRotations: must be an integer, got 1.5',
      'prices.hoursPerMonth: must be > 0',
      'prices.symetricPer10kUsd: unrecognized key (did you mean "symmetricPer10kUsd"?)',
    ]);
  });
});
