import { describe, expect, test } from 'vitest';
import { MAX_VARIANTS, ScenarioError, expandMatrix, parseScenarioText } from '../src/scenario/index.js';
import { axisLabels } from '../src/scenario/matrix.js';

const BASE = `
name: backoff
duration: 10s
keys: [{ name: app, region: us-east-1 }]
fleets:
  - name: web
    region: us-east-1
    workload: { model: open, arrivalRate: 100 }
    mix: [{ op: Encrypt, key: app }]
  - name: batch
    region: us-east-1
    workload: { model: closed, clients: 4 }
    mix: [{ op: Decrypt, key: app }]
    retry: { policy: constant, base: 10ms }
`;

function withMatrix(matrix: string): string {
  return `${BASE}matrix:\n${matrix}\n`;
}

function problemsOf(text: string): string[] {
  try {
    parseScenarioText(text, 'm.yaml');
  } catch (error) {
    if (error instanceof ScenarioError) return error.lines();
    throw error;
  }
  throw new Error('the scenario was valid');
}

describe('expandMatrix', () => {
  test('a scenario without a matrix is one variant named default', () => {
    const scenario = parseScenarioText(BASE, 'm.yaml');
    expect(expandMatrix(scenario)).toEqual([{ name: 'default', values: {}, scenario }]);
  });

  test('the variants are the cartesian product, first axis slowest, named by their values', () => {
    const scenario = parseScenarioText(
      withMatrix('  retry: [none, exponential, full-jitter]\n  quotas.profile: [kms-2019, kms-current]'),
      'm.yaml',
    );
    const variants = expandMatrix(scenario);
    expect(variants.map((variant) => variant.name)).toEqual([
      'retry=none,quotas.profile=kms-2019',
      'retry=none,quotas.profile=kms-current',
      'retry=exponential,quotas.profile=kms-2019',
      'retry=exponential,quotas.profile=kms-current',
      'retry=full-jitter,quotas.profile=kms-2019',
      'retry=full-jitter,quotas.profile=kms-current',
    ]);
    expect(variants[3]?.values).toEqual({ retry: 'exponential', 'quotas.profile': 'kms-current' });
    expect(variants[3]?.scenario.quotas.profile).toBe('kms-current');
  });

  test('the retry axis sets every fleet’s retry, each value taking the policy’s defaults', () => {
    const scenario = parseScenarioText(withMatrix('  retry: [none, full-jitter]'), 'm.yaml');
    const [none, jitter] = expandMatrix(scenario);
    expect(none?.scenario.fleets.map((fleet) => fleet.retry)).toEqual([
      { policy: 'none', maxAttempts: 1 },
      { policy: 'none', maxAttempts: 1 },
    ]);
    expect(jitter?.scenario.fleets.map((fleet) => fleet.retry)).toEqual([
      { policy: 'full-jitter', baseMs: 100, capMs: 20_000, maxAttempts: 3, tokenBudget: undefined },
      { policy: 'full-jitter', baseMs: 100, capMs: 20_000, maxAttempts: 3, tokenBudget: undefined },
    ]);
  });

  test('a dotted path reaches one fleet by name, and defaults follow the value (sdk client → sdk-standard)', () => {
    const scenario = parseScenarioText(withMatrix('  fleets.web.client: [direct, sdk]'), 'm.yaml');
    const variants = expandMatrix(scenario);
    expect(variants.map((variant) => variant.name)).toEqual(['fleets.web.client=direct', 'fleets.web.client=sdk']);
    expect(variants.map((variant) => [variant.scenario.fleets[0]?.client, variant.scenario.fleets[0]?.retry.policy])).toEqual([
      ['direct', 'exponential'],
      ['sdk', 'sdk-standard'],
    ]);
    expect(variants.map((variant) => variant.scenario.fleets[1]?.client)).toEqual(['direct', 'direct']);
  });

  test('values of any shape: durations, numbers, objects, and null for the default', () => {
    const scenario = parseScenarioText(
      withMatrix(
        '  duration: [5s, 1m]\n  fleets.web.workload.arrivalRate: [50, 500]\n' +
          '  fleets.batch.retry: [{ policy: exponential, cap: 1s }, null]',
      ),
      'm.yaml',
    );
    const variants = expandMatrix(scenario);
    expect(variants).toHaveLength(8);
    expect(variants[0]?.name).toBe('duration=5s,fleets.web.workload.arrivalRate=50,fleets.batch.retry=exponential');
    expect(variants[7]?.name).toBe('duration=1m,fleets.web.workload.arrivalRate=500,fleets.batch.retry=null');
    expect(variants[0]?.scenario.fleets[1]?.retry).toEqual({ policy: 'exponential', baseMs: 100, capMs: 1000, maxAttempts: 3, tokenBudget: undefined });
    expect(variants[7]?.scenario).toMatchObject({ durationMs: 60_000, fleets: [{ workload: { arrivalRatePerSec: 500 } }, {}] });
    expect(variants[7]?.scenario.fleets[1]?.retry.policy).toBe('exponential'); // null removed it: the direct default
  });

  test('a variant is a complete scenario without a matrix, and its document holds its values', () => {
    const scenario = parseScenarioText(withMatrix('  quotas.profile: [unlimited]'), 'm.yaml');
    const [variant] = expandMatrix(scenario);
    expect(variant?.scenario.matrix).toEqual([]);
    expect(variant?.scenario.document).not.toHaveProperty('matrix');
    expect(variant?.scenario.document['quotas']).toEqual({ profile: 'unlimited' });
    expect(expandMatrix(variant?.scenario ?? scenario)).toEqual([{ name: 'default', values: {}, scenario: variant?.scenario }]);
    expect(scenario.matrix).toEqual([{ path: 'quotas.profile', values: ['unlimited'] }]);
  });

  test('expansion is deterministic', () => {
    const text = withMatrix('  retry: [none, exponential]\n  fleets.batch.workload.clients: [1, 2, 3]');
    expect(expandMatrix(parseScenarioText(text, 'a.yaml'))).toEqual(expandMatrix(parseScenarioText(text, 'a.yaml')));
  });
});

describe('matrix problems are reported with the variant that has them', () => {
  test('a bad value is reported once, under that value', () => {
    expect(problemsOf(withMatrix('  retry: [none, exponential]\n  quotas.profile: [kms-2019, kms-2020]'))).toEqual([
      'matrix[quotas.profile=kms-2020] quotas.profile: unknown profile "kms-2020"; expected kms-2019, kms-current or unlimited (did you mean "kms-2019"?)',
    ]);
  });

  test('a value that breaks a rule in the base is reported under that value', () => {
    expect(problemsOf(withMatrix("  retry: [none, { policy: exponential, base: 1s, cap: 100ms }]"))).toEqual([
      'matrix[retry={"policy":"exponential","base":"1s","cap":"100ms"}] fleets[0].retry.cap: must be ≥ base (cap 100 ms < base 1000 ms)',
      'matrix[retry={"policy":"exponential","base":"1s","cap":"100ms"}] fleets[1].retry.cap: must be ≥ base (cap 100 ms < base 1000 ms)',
    ]);
  });

  test('a problem of two values together names both', () => {
    expect(problemsOf(withMatrix('  fleets.web.client: [direct, sdk]\n  fleets.web.retry: [exponential, sdk-adaptive]'))).toEqual([
      "matrix[fleets.web.client=direct,fleets.web.retry=sdk-adaptive] fleets[0].retry.policy: sdk-adaptive is the AWS SDK's own retry strategy and needs client: sdk",
    ]);
  });

  test('a path through a fleet that does not exist, or to a field that does not exist, is refused', () => {
    expect(problemsOf(withMatrix('  fleets.api.client: [sdk]\n  fleets.web.workload.rate: [5]\n  fleets.batch.workload.clients.max: [1]'))).toEqual([
      'matrix.fleets.api.client: no fleet named "api"; fleets are web and batch',
      'matrix.fleets.web.workload.rate: fleets[0].workload.rate does not exist (did you mean "arrivalRate"?)',
      'matrix.fleets.batch.workload.clients.max: fleets[1].workload.clients is 4, not an object, so it has no field "max"',
    ]);
    // A path through a field the file leaves out is created, so the schema judges it: under that axis alone.
    expect(problemsOf(withMatrix('  quotas.profile: [kms-2019, unlimited]\n  seed.value: [1]'))).toEqual([
      'matrix[seed.value=1] seed: must be a number, got an object',
    ]);
  });

  test('a repeated value, two axes on one field and an empty axis are refused', () => {
    expect(problemsOf(withMatrix('  quotas.profile: [kms-2019, kms-2019]\n  retry: [none]\n  fleets.web.retry: [none]\n  seed: []'))).toEqual([
      'matrix.quotas.profile: duplicate value kms-2019 (also [0])',
      'matrix.fleets.web.retry: sets the same field as matrix.retry',
      'matrix.seed: must have at least 1 entry',
    ]);
  });

  test(`more than ${MAX_VARIANTS} variants is refused`, () => {
    const values = (n: number): string => `[${Array.from({ length: n }, (_, i) => i + 1).join(', ')}]`;
    expect(problemsOf(withMatrix(`  seed: ${values(40)}\n  fleets.batch.workload.clients: ${values(30)}`))).toEqual([
      `matrix: expands to 1200 variants; at most ${MAX_VARIANTS}`,
    ]);
  });

  test('variant problems point at the matrix value in the file', () => {
    try {
      parseScenarioText(withMatrix('  quotas.profile: [kms-2019, kms-2020]'), 'm.yaml');
      expect.unreachable();
    } catch (error) {
      const [problem] = (error as ScenarioError).problems;
      expect([problem?.line, problem?.column]).toEqual([16, 30]); // kms-2020 in "  quotas.profile: [kms-2019, kms-2020]"
    }
  });
});

describe('variant names people can read', () => {
  test.each([
    [['none', 'full-jitter'], ['none', 'full-jitter']],
    [[{ policy: 'none' }, { policy: 'full-jitter', base: '50ms' }], ['none', 'full-jitter']],
    [
      [
        { policy: 'full-jitter', base: '50ms' },
        { policy: 'full-jitter', base: '100ms' },
      ],
      ['full-jitter{base:50ms}', 'full-jitter{base:100ms}'],
    ],
    [[100, 200], ['100', '200']],
    [[{ capacity: 10 }, { capacity: 20, maxAge: '5s' }], ['capacity:10', 'capacity:20 maxAge:5s']],
    [['off', { maxMessagesEncrypted: 10 }], ['off', 'maxMessagesEncrypted:10']],
  ])('axis values %j are labelled %j', (values, labels) => {
    expect(axisLabels(values)).toEqual(labels);
  });
});
