import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { KMS_OPERATIONS } from '../src/kms/types.js';
import { QUOTA_ENFORCEMENTS } from '../src/quota/index.js';
import {
  MIX_OPERATIONS,
  ScenarioError,
  formatDuration,
  loadScenarioFile,
  parseDuration,
  parseScenarioText,
  scenarioHash,
  validateScenario,
} from '../src/scenario/index.js';
import type { Scenario } from '../src/scenario/index.js';
import { ENVELOPE_OPERATIONS } from '../src/metrics/cache-summary.js';
import { SDK_RETRY_TABLE } from '../src/client/sdk-retry-table.js';
import { oneFleetScenario } from './support/scenario-text.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'scenarios');

const MINIMAL = oneFleetScenario();

/** The problems a text fails with, as `path: message` lines. */
function problemsOf(text: string, sourceName = 'test.yaml'): string[] {
  try {
    parseScenarioText(text, sourceName);
  } catch (error) {
    if (error instanceof ScenarioError) return error.lines();
    throw error;
  }
  throw new Error('the scenario was valid');
}

/** MINIMAL with its only fleet's fields replaced by `fleet` (YAML lines, indented 4). */
function withFleet(fleet: string, keys = '  - { name: app, region: us-east-1 }'): string {
  return `name: t\nduration: 10s\nkeys:\n${keys}\nfleets:\n  - name: web\n    region: us-east-1\n${fleet}\n`;
}

describe('good scenarios', () => {
  test('a minimal file parses with every default filled in', () => {
    const scenario = parseScenarioText(MINIMAL, 'minimal.yaml');
    const { document: _document, ...settings } = scenario;
    expect(settings).toEqual({
      name: 'minimal',
      description: undefined,
      seed: 1,
      durationMs: 10_000,
      clock: 'wall',
      workers: undefined,
      model: { crypto: 'real' },
      quotas: { profile: 'kms-current', enforcement: 'fixed-window', burstSeconds: 1, overrides: {} },
      keys: [
        {
          name: 'app',
          region: 'us-east-1',
          account: '111122223333',
          keySpec: 'SYMMETRIC_DEFAULT',
          keyUsage: 'ENCRYPT_DECRYPT',
          aliases: [],
          state: 'Enabled',
          keyId: undefined,
        },
      ],
      // No latency given for us-east-1 and no default: the documented assumption, flagged, never a silent 0 ms.
      serviceLatency: { default: { distribution: 'lognormal', medianMs: 4, p99Ms: 25 } },
      serviceLatencyAssumed: true,
      lateness: { thresholdMs: 10 },
      faults: [],
      fleets: [
        {
          name: 'web',
          region: 'us-east-1',
          account: '111122223333',
          client: 'direct',
          workload: { model: 'open', arrivalRatePerSec: 100, stages: [], poisson: false, maxInFlight: undefined },
          mix: [
            {
              op: 'Encrypt',
              weight: 1,
              key: 'app',
              destinationKey: undefined,
              payload: { kind: 'bytes', minBytes: 32, maxBytes: 32 },
              contexts: 0,
              signingAlgorithm: undefined,
            },
          ],
          retry: { policy: 'exponential', baseMs: 100, capMs: 20_000, maxAttempts: 3, tokenBudget: undefined },
          cache: undefined,
          algorithmSuite: undefined,
        },
      ],
      thresholds: {},
      thresholdAborts: [],
      prices: {},
      matrix: [],
    });
  });

  test('the document is kept as written, apart from the scenario it produced', () => {
    const scenario = parseScenarioText(MINIMAL, 'minimal.yaml');
    expect(scenario.document).toMatchObject({ name: 'minimal', duration: '10s' });
    expect(scenario.document).not.toHaveProperty('seed');
  });

  test('a full file converts durations, rates and defaults that depend on other fields', () => {
    const scenario = parseScenarioText(
      `
name: full.example_1
description: every field
seed: 42
duration: 1m30s
clock: virtual
workers: 2
quotas:
  profile: kms-2019
  enforcement: token-bucket
  burstSeconds: 0.5
  overrides: { us-east-1: { symmetric: 50, "gdkp:RSA_2048": 2 }, "*": { rsa: 10 } }
keys:
  - { name: app, region: us-east-1, account: "444455556666", aliases: [alias/app, alias/team/app], state: Disabled,
      keyId: 1234abcd-12ab-34cd-56ef-1234567890ab }
  - { name: signer, region: us-east-1, keySpec: RSA_3072, keyUsage: SIGN_VERIFY }
  - { name: ecc, region: us-east-1, keySpec: ECC_NIST_P384 }
serviceLatency:
  default: { distribution: lognormal, medianMs: 4, p99Ms: 25 }
  us-east-1: { distribution: constant, ms: 2 }
fleets:
  - name: web
    region: us-east-1
    account: "444455556666"
    workload: { model: open, arrivalRate: 200, stages: [{ duration: 5s, target: 400 }, { duration: 250ms, target: 0 }], poisson: true, maxInFlight: 1000 }
    mix:
      - { op: Encrypt, key: app, weight: 3, payloadBytes: { min: 16, max: 4096 }, contexts: 10 }
      - { op: ReEncrypt, key: app }
      - { op: GenerateDataKeyWithoutPlaintext, key: app, payloadBytes: 64 }
      - { op: Sign, key: signer }
      - { op: Verify, key: ecc }
      - { op: Sign, key: signer, signingAlgorithm: RSASSA_PSS_SHA_512 }
      - { op: GetPublicKey, key: ecc }
      - { op: GenerateRandom, payloadBytes: 1024 }
    retry: { policy: decorrelated-jitter, base: 50ms, cap: 2s, maxAttempts: 5, tokenBudget: { capacity: 100 } }
  - name: batch
    region: us-east-1
    client: sdk
    workload: { model: closed, clients: 50, thinkTime: 1.5s, iterations: 1000 }
    mix: [{ op: DescribeKey, key: ecc }]
thresholds:
  latencyUs.p99: "< 5000"
  throttleRate: ["< 0.01"]
`,
      'full.yaml',
    );
    expect(scenario).toMatchObject({
      name: 'full.example_1',
      description: 'every field',
      seed: 42,
      durationMs: 90_000,
      clock: 'virtual',
      workers: 2,
      quotas: { profile: 'kms-2019', enforcement: 'token-bucket', burstSeconds: 0.5 },
      thresholds: { 'latencyUs.p99': ['< 5000'], throttleRate: ['< 0.01'] },
    });
    expect(scenario.quotas.overrides).toEqual({ 'us-east-1': { symmetric: 50, 'gdkp:RSA_2048': 2 }, '*': { rsa: 10 } });
    expect(scenario.keys.map((key) => [key.name, key.account, key.keyUsage, key.state])).toEqual([
      ['app', '444455556666', 'ENCRYPT_DECRYPT', 'Disabled'],
      ['signer', '111122223333', 'SIGN_VERIFY', 'Enabled'],
      ['ecc', '111122223333', 'SIGN_VERIFY', 'Enabled'],
    ]);
    expect(scenario.serviceLatency).toEqual({
      default: { distribution: 'lognormal', medianMs: 4, p99Ms: 25 },
      'us-east-1': { distribution: 'constant', ms: 2 },
    });
    const [web, batch] = scenario.fleets;
    expect(web?.workload).toEqual({
      model: 'open',
      arrivalRatePerSec: 200,
      stages: [
        { durationMs: 5000, targetRatePerSec: 400 },
        { durationMs: 250, targetRatePerSec: 0 },
      ],
      poisson: true,
      maxInFlight: 1000,
    });
    expect(web?.mix.map((entry) => [entry.op, entry.payload, entry.destinationKey, entry.signingAlgorithm, entry.contexts])).toEqual([
      ['Encrypt', { kind: 'bytes', minBytes: 16, maxBytes: 4096 }, undefined, undefined, 10],
      ['ReEncrypt', { kind: 'bytes', minBytes: 32, maxBytes: 32 }, 'app', undefined, 0],
      ['GenerateDataKeyWithoutPlaintext', { kind: 'bytes', minBytes: 64, maxBytes: 64 }, undefined, undefined, 0],
      ['Sign', { kind: 'bytes', minBytes: 32, maxBytes: 32 }, undefined, 'RSASSA_PSS_SHA_256', 0],
      ['Verify', { kind: 'bytes', minBytes: 32, maxBytes: 32 }, undefined, 'ECDSA_SHA_384', 0],
      ['Sign', { kind: 'bytes', minBytes: 32, maxBytes: 32 }, undefined, 'RSASSA_PSS_SHA_512', 0],
      ['GetPublicKey', { kind: 'none' }, undefined, undefined, 0],
      ['GenerateRandom', { kind: 'bytes', minBytes: 1024, maxBytes: 1024 }, undefined, undefined, 0],
    ]);
    expect(web?.retry).toEqual({
      policy: 'decorrelated-jitter',
      baseMs: 50,
      capMs: 2000,
      maxAttempts: 5,
      tokenBudget: { capacity: 100, retryCost: SDK_RETRY_TABLE.retryCost, timeoutCost: SDK_RETRY_TABLE.transientRetryCost, successRefund: 1 },
    });
    expect(batch?.workload).toEqual({ model: 'closed', clients: 50, thinkTimeMs: 1500, iterations: 1000 });
    expect(batch?.retry).toEqual({ policy: 'sdk-standard', maxAttempts: 3 });
    expect(batch?.mix[0]?.payload).toEqual({ kind: 'none' });
  });

  test('GenerateDataKey defaults to an AES_256 data key', () => {
    const scenario = parseScenarioText(withFleet('    workload: { model: open, arrivalRate: 1 }\n    mix: [{ op: GenerateDataKey, key: app }]'), 't.yaml');
    expect(scenario.fleets[0]?.mix[0]?.payload).toEqual({ kind: 'dataKeySpec', dataKeySpec: 'AES_256' });
  });

  test('a retry policy written as a bare string takes every default', () => {
    const scenario = parseScenarioText(
      withFleet('    workload: { model: open, arrivalRate: 1 }\n    mix: [{ op: GenerateRandom }]\n    retry: full-jitter'),
      't.yaml',
    );
    expect(scenario.fleets[0]?.retry).toEqual({ policy: 'full-jitter', baseMs: 100, capMs: 20_000, maxAttempts: 3, tokenBudget: undefined });
  });

  test('an open workload with stages may leave out its starting rate (0)', () => {
    const scenario = parseScenarioText(
      withFleet('    workload: { model: open, stages: [{ duration: 5s, target: 10 }] }\n    mix: [{ op: GenerateRandom }]'),
      't.yaml',
    );
    expect(scenario.fleets[0]?.workload).toMatchObject({ arrivalRatePerSec: 0 });
  });

  test('the same scenario in JSON gives the same result as in YAML', async () => {
    const fromYaml = parseScenarioText(MINIMAL, 'minimal.yaml');
    const json = JSON.stringify(fromYaml.document, null, 2);
    expect(parseScenarioText(json, 'minimal.json')).toEqual(fromYaml);
    expect(parseScenarioText(json, 'from-stdin')).toEqual(fromYaml);
    await expect(loadScenarioFile(join(FIXTURES, 'bad-json-syntax.json'))).rejects.toThrow(/JSON syntax error/);
  });

  test('a document object validates like a file', () => {
    const scenario = parseScenarioText(MINIMAL, 'minimal.yaml');
    expect(validateScenario(scenario.document)).toEqual(scenario);
  });
});

describe('bad scenario files fail with exactly their expected problems', () => {
  const files = readdirSync(FIXTURES).filter((file) => /^bad-.*\.(yaml|json)$/.test(file));

  test('the fixtures folder holds bad scenarios, each with its expected problems', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) expect(readdirSync(FIXTURES)).toContain(file.replace(/\.(yaml|json)$/, '.expected.txt'));
  });

  test.each(files)('%s', async (file) => {
    const expected = readFileSync(join(FIXTURES, file.replace(/\.(yaml|json)$/, '.expected.txt')), 'utf8').trimEnd().split('\n');
    const error = await loadScenarioFile(join(FIXTURES, file)).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).lines()).toEqual(expected);
  });
});

describe('problems', () => {
  test('every problem of a file is reported at once, each with its line', () => {
    const text = withFleet(
      '    client: lambda\n    workload: { model: open, arrivalRate: -1 }\n    mix: [{ op: Sign, key: app }]\n    retry: { policy: exponential, base: 1s, cap: 10ms }',
    ).replace('duration: 10s', 'duration: 10');
    let error: unknown;
    try {
      parseScenarioText(text, 't.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    const problems = (error as ScenarioError).problems;
    expect(problems.map((problem) => [problem.path, problem.line])).toEqual([
      ['duration', 2],
      ['fleets[0].client', 8],
      ['fleets[0].workload.arrivalRate', 9],
      ['fleets[0].mix[0].key', 10],
      ['fleets[0].retry.cap', 11],
    ]);
  });

  test('unknown fields are errors, not ignored', () => {
    expect(problemsOf(MINIMAL.replace('duration: 10s', 'duration: 10s\nworker: 2'))).toEqual([
      'worker: unrecognized key (did you mean "workers"?)',
    ]);
    expect(problemsOf(MINIMAL.replace('{ op: Encrypt, key: app }', '{ op: Encrypt, key: app, size: 5 }'))).toEqual([
      'fleets[0].mix[0].size: unrecognized key; expected op, weight, key, destinationKey, payloadBytes, dataKeySpec, contexts, signingAlgorithm, secret, parameter or withDecryption',
    ]);
  });

  test.each([
    ['duration: 10', "duration: 10 has no unit; use a unit, e.g. '10s' (ms, s, m or h)"],
    ['duration: "10"', `duration: "10" has no unit; use a unit, e.g. '10s' (ms, s, m or h)`],
    ['duration: 10 s', `duration: "10 s" is not a duration; write a number with a unit ms, s, m or h, e.g. '250ms', '1.5s', '5m'`],
    ['duration: 0ms', 'duration: must be > 0'],
  ])('a bad duration (%s) says to use a unit', (line, expected) => {
    expect(problemsOf(MINIMAL.replace('duration: 10s', line))).toEqual([expected]);
  });

  test('a retry cap below its base is refused at the cap', () => {
    const fleet = (name: string, retry: string): string =>
      `  - name: ${name}\n    region: us-east-1\n    workload: { model: open, arrivalRate: 1 }\n    mix: [{ op: GenerateRandom }]\n    retry: ${retry}`;
    const text = `name: t\nduration: 10s\nfleets:\n${fleet('a', 'exponential')}\n${fleet('b', '{ policy: full-jitter, base: 1s, cap: 500ms }')}\n`;
    expect(problemsOf(text)).toEqual(['fleets[1].retry.cap: must be ≥ base (cap 500 ms < base 1000 ms)']);
  });

  test('none (no retry) and immediate (no backoff) validate; none with retries points to immediate; unknown names list the valid ones', () => {
    const retry = (value: string): string => withFleet(`    workload: { model: open, arrivalRate: 1 }\n    mix: [{ op: GenerateRandom }]\n    retry: ${value}`);
    const parsed = (value: string) => parseScenarioText(retry(value), 't.yaml').fleets[0]?.retry;
    expect(parsed('none')).toEqual({ policy: 'none', maxAttempts: 1 });
    expect(parsed('{ policy: none, maxAttempts: 1 }')).toEqual({ policy: 'none', maxAttempts: 1 });
    expect(parsed('{ policy: immediate, maxAttempts: 6 }')).toEqual({ policy: 'immediate', maxAttempts: 6, tokenBudget: undefined });
    expect(problemsOf(retry('{ policy: none, maxAttempts: 6 }'))).toEqual([
      'fleets[0].retry.maxAttempts: must be 1 or absent: policy none makes one attempt (no retry), got 6; to retry at once without backoff use policy immediate',
    ]);
    expect(problemsOf(retry('{ policy: none, tokenBudget: { capacity: 10 } }'))).toEqual([
      'fleets[0].retry.tokenBudget: is not taken by policy none, which makes no retry to budget',
    ]);
    expect(problemsOf(retry('{ policy: no-backoff }'))).toEqual([
      'fleets[0].retry.policy: unknown policy "no-backoff"; expected none, immediate, constant, exponential, full-jitter, ' +
        'equal-jitter, decorrelated-jitter, sdk-standard or sdk-adaptive',
    ]);
  });

  test('a key reference must name a key', () => {
    expect(problemsOf(MINIMAL.replace('key: app }', 'key: appp }'))).toEqual([
      'fleets[0].mix[0].key: unknown key "appp" (did you mean "app"?); keys are app',
    ]);
  });

  test.each([
    ['Sign', 'SYMMETRIC_DEFAULT', 'Sign needs a SIGN_VERIFY key (RSA or ECC); key "k" is SYMMETRIC_DEFAULT with usage ENCRYPT_DECRYPT'],
    ['Encrypt', 'HMAC_256', 'Encrypt needs an ENCRYPT_DECRYPT key (SYMMETRIC_DEFAULT or RSA); key "k" is HMAC_256 with usage GENERATE_VERIFY_MAC'],
    ['GenerateMac', 'ECC_NIST_P256', 'GenerateMac needs an HMAC key (HMAC_224, HMAC_256, HMAC_384 or HMAC_512); key "k" is ECC_NIST_P256 with usage SIGN_VERIFY'],
    ['GenerateDataKey', 'RSA_4096', 'GenerateDataKey needs a symmetric encryption key (SYMMETRIC_DEFAULT); key "k" is RSA_4096 with usage ENCRYPT_DECRYPT'],
    ['GetPublicKey', 'SYMMETRIC_DEFAULT', 'GetPublicKey needs an asymmetric key (RSA or ECC); key "k" is SYMMETRIC_DEFAULT with usage ENCRYPT_DECRYPT'],
  ])('%s with a %s key is refused', (op, keySpec, message) => {
    const text = withFleet(`    workload: { model: open, arrivalRate: 1 }\n    mix: [{ op: ${op}, key: k }]`, `  - { name: k, region: us-east-1, keySpec: ${keySpec} }`);
    expect(problemsOf(text)).toEqual([`fleets[0].mix[0].key: ${message}`]);
  });

  test.each([
    ['Encrypt', 'SYMMETRIC_DEFAULT'],
    ['Decrypt', 'RSA_2048'],
    ['Sign', 'RSA_2048", keyUsage: "SIGN_VERIFY'],
    ['VerifyMac', 'HMAC_512'],
    ['DescribeKey', 'HMAC_224'],
    ['GetPublicKey', 'ECC_SECG_P256K1'],
  ])('%s with a %s key is accepted', (op, keySpec) => {
    const text = withFleet(`    workload: { model: open, arrivalRate: 1 }\n    mix: [{ op: ${op}, key: k }]`, `  - { name: k, region: us-east-1, keySpec: "${keySpec}" }`);
    expect(() => parseScenarioText(text, 't.yaml')).not.toThrow();
  });

  test('duplicate fleet names are refused at the second', () => {
    const fleet = '  - name: web\n    region: us-east-1\n    workload: { model: open, arrivalRate: 1 }\n    mix: [{ op: GenerateRandom }]';
    expect(problemsOf(`name: t\nduration: 10s\nfleets:\n${fleet}\n${fleet}\n${fleet}\n`)).toEqual([
      'fleets[1].name: duplicate fleet name "web" (also fleets[0])',
      'fleets[2].name: duplicate fleet name "web" (also fleets[0])',
    ]);
  });

  test('a stage plan longer than the run is refused', () => {
    const text = withFleet('    workload: { model: open, stages: [{ duration: 8s, target: 1 }, { duration: 3s, target: 0 }] }\n    mix: [{ op: GenerateRandom }]');
    expect(problemsOf(text)).toEqual(["fleets[0].workload.stages: the stages last 11s, longer than the scenario's duration 10s"]);
  });

  test('a YAML syntax error names its line and column', () => {
    const error = (() => {
      try {
        parseScenarioText('name: x\nduration: 10s\nfleets:\n  - name: [web\n', 'x.yaml');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ScenarioError);
    const [problem] = (error as ScenarioError).problems;
    expect(problem?.path).toBe('');
    expect(problem?.message).toMatch(/^YAML syntax error: .* \(line 5, column 1\)$/);
    expect(problem?.line).toBe(5);
  });

  test('a file holding two YAML documents, or a key twice, is refused', () => {
    expect(problemsOf(`${MINIMAL}---\nname: other\n`)[0]).toMatch(/^YAML syntax error: Source contains multiple documents/);
    expect(problemsOf(MINIMAL.replace('duration: 10s', 'duration: 10s\nduration: 5s'))).toEqual([
      'duplicate key "duration" at line 4, column 1 (first at line 3): a mapping holds each key once',
    ]);
  });

  test('a file that cannot be read is a scenario error', async () => {
    await expect(loadScenarioFile(join(FIXTURES, 'no-such-file.yaml'))).rejects.toThrow(/cannot read .*no such file/);
  });

  test('format() gives a header and one line per problem with its position', () => {
    try {
      parseScenarioText(MINIMAL.replace('duration: 10s', 'duration: 10\nseed: x'), 'm.yaml');
      expect.unreachable();
    } catch (error) {
      expect((error as ScenarioError).format()).toBe(
        [
          'invalid scenario m.yaml: 2 problems',
          "  duration: 10 has no unit; use a unit, e.g. '10s' (ms, s, m or h) (m.yaml:3:11)",
          '  seed: must be a number, got "x" (m.yaml:4:7)',
        ].join('\n'),
      );
      expect((error as ScenarioError).message).toBe((error as ScenarioError).format());
    }
  });
});

describe('names mirror the tables they validate against', () => {
  test('enforcement modes are the quota module’s: a name it does not know is refused in its words', () => {
    const text = `${MINIMAL}quotas: { enforcement: leaky }\n`;
    expect(problemsOf(text)).toEqual([`quotas.enforcement: unknown enforcement "leaky"; expected ${QUOTA_ENFORCEMENTS.join(' or ')}`]);
  });

  test('every mix operation is a KMS operation the model answers, or an envelope operation', () => {
    for (const op of MIX_OPERATIONS) {
      if (!(ENVELOPE_OPERATIONS as readonly string[]).includes(op)) expect(KMS_OPERATIONS).toContain(op);
    }
  });
});

describe('durations', () => {
  test.each([
    ['250ms', 250],
    ['1.5s', 1500],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['.5s', 500],
    ['1.1s', 1100],
    ['0.25ms', 0.25],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  test.each([[10], ['10'], ['10 s'], ['-1s'], ['1d'], [''], [null]])('%j is refused', (value) => {
    expect(parseDuration(value).ok).toBe(false);
  });

  test.each([0, 0.5, 250, 1000, 1500, 60_000, 90_000, 3_600_000])('formatDuration(%d) parses back', (ms) => {
    expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, ms });
  });
});

describe('scenarioHash', () => {
  const base = (): Scenario => parseScenarioText(MINIMAL, 'minimal.yaml');

  test('is a sha256 hex digest, the same for the same settings whatever the key order or spelling', () => {
    const reordered = parseScenarioText(
      `
fleets:
  - mix: [{ key: app, op: Encrypt, weight: 1 }]
    workload: { arrivalRate: 100, model: open }
    region: us-east-1
    name: web
keys: [{ region: us-east-1, name: app, keySpec: SYMMETRIC_DEFAULT }]
duration: 10000ms
seed: 1
name: minimal
`,
      'reordered.yaml',
    );
    expect(scenarioHash(base())).toMatch(/^[0-9a-f]{64}$/);
    expect(scenarioHash(reordered)).toBe(scenarioHash(base()));
  });

  test('changes when a setting changes', () => {
    const other = parseScenarioText(MINIMAL.replace('arrivalRate: 100', 'arrivalRate: 101'), 'm.yaml');
    expect(scenarioHash(other)).not.toBe(scenarioHash(base()));
  });
});

describe('closed fleets on the virtual clock', () => {
  const closed = (workload: string): string =>
    [
      'name: closed-virtual',
      'duration: 5s',
      'clock: virtual',
      'keys: [{ name: app, region: us-east-1 }]',
      'fleets:',
      '  - name: web',
      '    region: us-east-1',
      `    workload: ${workload}`,
      '    mix: [{ op: Encrypt, key: app }]',
    ].join('\n');

  test('a closed client with no think time and no iterations is refused: it would never let time move', () => {
    expect(() => parseScenarioText(closed('{ model: closed, clients: 2 }'), 'c.yaml')).toThrow(
      'fleets[0].workload.thinkTime: must be > 0 with clock: virtual unless iterations is set',
    );
  });

  test.each(['{ model: closed, clients: 2, thinkTime: 1ms }', '{ model: closed, clients: 2, iterations: 10 }'])(
    '%s is accepted',
    (workload) => {
      expect(parseScenarioText(closed(workload), 'c.yaml').fleets[0]?.workload.model).toBe('closed');
    },
  );
});
