import { describe, expect, test } from 'vitest';
import { ScenarioError, expandMatrix, parseScenarioText } from '../src/scenario/index.js';
import { planVariant } from '../src/engine/plan.js';

/** A scenario with one fleet whose extra YAML lines (indented 4) are `fleet`. */
function scenario(fleet: string, mix = '[{ op: envelopeEncrypt, key: app, payloadBytes: 1048576, contexts: 3 }]', extra = ''): string {
  return `name: t\nduration: 2s\nkeys:\n  - { name: app, region: us-east-1 }\nfleets:\n  - name: web\n    region: us-east-1\n    mix: ${mix}\n${fleet}\n${extra}`;
}
const OPEN = '    workload: { model: open, arrivalRate: 100 }';
const CLOSED = '    workload: { model: closed, clients: 4 }';

function problemsOf(text: string): string[] {
  try {
    parseScenarioText(text, 'test.yaml');
  } catch (error) {
    if (error instanceof ScenarioError) return error.lines();
    throw error;
  }
  throw new Error('the scenario was valid');
}

describe('cache: in a scenario', () => {
  test('defaults, and cache: off', () => {
    const parsed = parseScenarioText(scenario(`${OPEN}\n    cache: {}`), 't.yaml');
    expect(parsed.fleets[0]?.cache).toEqual({
      capacity: 100,
      maxAgeMs: 60_000,
      maxMessagesEncrypted: 2 ** 32,
      maxBytesEncrypted: Number.MAX_SAFE_INTEGER,
      partition: 'fleet',
      dedupeInFlight: false,
    });
    expect(parseScenarioText(scenario(`${OPEN}\n    cache: off`), 't.yaml').fleets[0]?.cache).toBeUndefined();
    expect(parseScenarioText(scenario(OPEN), 't.yaml').fleets[0]?.cache).toBeUndefined();
    const planned = planVariant('v', parseScenarioText(scenario(`${CLOSED}\n    cache: { maxAge: 5s, partition: client, dedupeInFlight: true }`), 't.yaml'));
    expect(planned.fleets[0]?.cache).toMatchObject({ maxAgeMs: 5000, partition: 'client', dedupeInFlight: true });
  });

  test('bad settings are reported with their paths, all at once', () => {
    const problems = problemsOf(
      scenario(`${OPEN}\n    cache: { capacity: 0, maxAge: 0s, maxMessagesEncrypted: 5000000000, partition: host, dedup: true }`),
    );
    const text = problems.join('\n');
    expect(text).toMatch(/fleets\[0\]\.cache\.capacity/);
    expect(text).toMatch(/fleets\[0\]\.cache\.maxAge.*must be > 0/);
    expect(text).toMatch(/fleets\[0\]\.cache\.maxMessagesEncrypted/);
    expect(text).toMatch(/fleets\[0\]\.cache\.partition/);
    expect(text).toMatch(/fleets\[0\]\.cache.*dedup/);
  });

  test.each([
    [`${OPEN}\n    cache: { partition: client }`, undefined, /fleets\[0\]\.cache\.partition.*partition: client needs a closed workload/],
    [`${OPEN}\n    cache: {}`, '[{ op: Encrypt, key: app }]', /fleets\[0\]\.cache.*the mix has neither/],
    [`${OPEN}\n    client: esdk`, '[{ op: Encrypt, key: app }]', /fleets\[0\]\.mix\[0\]\.op.*client: esdk .* runs envelopeEncrypt and envelopeDecrypt only, not Encrypt/],
    [`${OPEN}\n    client: esdk\n    retry: full-jitter`, undefined, /fleets\[0\]\.retry\.policy.*use sdk-standard or sdk-adaptive/],
    [`${OPEN}\n    client: esdk\n    cache: { dedupeInFlight: true }`, undefined, /fleets\[0\]\.cache\.dedupeInFlight.*does not merge concurrent misses/],
    [`${OPEN}\n    algorithmSuite: committing`, undefined, /fleets\[0\]\.algorithmSuite.*needs client: esdk/],
    [`${OPEN}\n    cache: 12`, undefined, /fleets\[0\]\.cache: must be .*an object, got 12/],
    [OPEN, '[{ op: envelopeEncrypt, key: app, payloadBytes: 100000000 }]', /fleets\[0\]\.mix\[0\]\.payloadBytes.*must be ≤ 67108864/],
  ])('%s is rejected', (fleet, mix, message) => {
    expect(problemsOf(scenario(fleet, mix)).join('\n')).toMatch(message);
  });

  test('client: esdk defaults to the SDK retry and the signed committing suite', () => {
    const fleet = parseScenarioText(scenario(`${OPEN}\n    client: esdk`), 't.yaml').fleets[0];
    expect(fleet).toMatchObject({ client: 'esdk', algorithmSuite: 'committing-signed', retry: { policy: 'sdk-standard' } });
  });

  test('a matrix over cache settings', () => {
    const text = scenario(OPEN, undefined, 'matrix:\n  fleets.web.cache: [off, { maxMessagesEncrypted: 100 }, { maxAge: 1s }]\n');
    const variants = expandMatrix(parseScenarioText(text, 't.yaml'));
    expect(variants.map((v) => v.scenario.fleets[0]?.cache?.maxMessagesEncrypted)).toEqual([undefined, 100, 2 ** 32]);
    expect(variants[2]?.scenario.fleets[0]?.cache?.maxAgeMs).toBe(1000);
    const bad = scenario(OPEN, undefined, 'matrix:\n  fleets.web.cache: [off, { capacity: -1 }]\n');
    expect(problemsOf(bad).join('\n')).toMatch(/matrix\[fleets\.web\.cache=.*\] fleets\[0\]\.cache\.capacity/);
  });
});
