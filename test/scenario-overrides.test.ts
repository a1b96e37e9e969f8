import { describe, expect, test } from 'vitest';
import { ScenarioError, applyOverrides, parseScenarioText, readScenarioText } from '../src/scenario/index.js';
import type { ScenarioDocument } from '../src/scenario/index.js';

const TEXT = `
name: overrides
duration: 10s
keys: [{ name: app, region: us-east-1 }]
fleets:
  - name: web
    region: us-east-1
    workload: { model: open, arrivalRate: 100, maxInFlight: 50 }
    mix: [{ op: Encrypt, key: app }, { op: Decrypt, key: app }]
  - name: batch
    region: us-east-1
    workload: { model: closed, clients: 4 }
    mix: [{ op: Decrypt, key: app }]
`;

function raw(): ScenarioDocument {
  return readScenarioText(TEXT, 'o.yaml').document as ScenarioDocument;
}

function problemsOf(sets: string[]): string[] {
  try {
    applyOverrides(raw(), sets);
  } catch (error) {
    if (error instanceof ScenarioError) return error.lines();
    throw error;
  }
  throw new Error('the overrides were accepted');
}

describe('--set overrides', () => {
  test('top-level, nested-by-name and created paths take YAML scalar values', () => {
    const document = applyOverrides(raw(), [
      'duration=5s',
      'fleets.web.workload.arrivalRate=500',
      'quotas.overrides.us-east-1.symmetric=100',
      'fleets.batch.client=sdk',
      'fleets.web.workload.poisson=true',
      'keys.app.account="444455556666"',
    ]);
    expect(document['duration']).toBe('5s');
    expect(document['quotas']).toEqual({ overrides: { 'us-east-1': { symmetric: 100 } } });
    expect(document['keys']).toEqual([{ name: 'app', region: 'us-east-1', account: '444455556666' }]);
    const scenario = parseScenarioText(JSON.stringify(document), 'o.json');
    expect(scenario.durationMs).toBe(5000);
    expect(scenario.quotas.overrides).toEqual({ 'us-east-1': { symmetric: 100 } });
    expect(scenario.fleets[0]?.workload).toMatchObject({ arrivalRatePerSec: 500, poisson: true });
    expect(scenario.fleets[1]).toMatchObject({ client: 'sdk', retry: { policy: 'sdk-standard' } });
  });

  test('list entries by index, in brackets or dotted, and values that are YAML collections', () => {
    const document = applyOverrides(raw(), [
      'fleets[0].mix[1].weight=3',
      'fleets.1.mix.0.payloadBytes={ min: 16, max: 64 }',
      'fleets.web.retry={ policy: full-jitter, cap: 2s }',
    ]);
    const scenario = parseScenarioText(JSON.stringify(document), 'o.json');
    expect(scenario.fleets[0]?.mix[1]?.weight).toBe(3);
    expect(scenario.fleets[1]?.mix[0]?.payload).toEqual({ kind: 'bytes', minBytes: 16, maxBytes: 64 });
    expect(scenario.fleets[0]?.retry).toMatchObject({ policy: 'full-jitter', capMs: 2000 });
  });

  test('an empty value or null removes the field, so its default applies', () => {
    const document = applyOverrides(raw(), ['fleets.web.workload.maxInFlight=', 'fleets.web.workload.arrivalRate=null']);
    expect(document['fleets']).toMatchObject([{ workload: { model: 'open' } }, {}]);
    expect((document['fleets'] as { workload: object }[])[0]?.workload).toEqual({ model: 'open' });
  });

  test('later overrides win, and the input document is not changed', () => {
    const input = raw();
    const before = structuredClone(input);
    const document = applyOverrides(input, ['duration=1s', 'duration=2s']);
    expect(document['duration']).toBe('2s');
    expect(input).toEqual(before);
  });

  test('a path that does not exist is an error naming it; every bad override is reported at once', () => {
    expect(
      problemsOf([
        'fleets.api.client=sdk',
        'quotas.overides.us-east-1.symmetric=1',
        'fleets.batch.workload.arrivalRate=5',
        'fleets.web.mix[5].weight=1',
        'duration.unit=s',
        'durations',
        'fleets.web.colour=null',
      ]),
    ).toEqual([
      '--set fleets.api.client: no fleet named "api"; fleets are web and batch',
      '--set fleets.web.mix[5].weight: fleets[0].mix has no entry [5] (it has 2)',
      '--set duration.unit: duration is "10s", not an object, so it has no field "unit"',
      '--set durations: expected path=value, e.g. --set duration=5s',
      '--set quotas.overides.us-east-1.symmetric: quotas.overides does not exist (did you mean "overrides"?)',
      '--set fleets.batch.workload.arrivalRate: fleets[1].workload.arrivalRate does not exist; expected model, clients, thinkTime or iterations',
      '--set fleets.web.colour: fleets[0].colour does not exist; expected name, region, account, client, workload, mix, retry, cache, algorithmSuite, principal or secretsCache',
    ]);
  });

  test('a value that is not valid YAML, or an empty path, is refused', () => {
    expect(problemsOf(['fleets.web.region=[us-east-1', '=5'])).toEqual([
      expect.stringMatching(/^--set fleets\.web\.region: the value is not valid YAML: /),
      '--set : the path is empty',
    ]);
  });

  test('parseScenarioText applies overrides before validating, and their problems have no line in the file', () => {
    const scenario = parseScenarioText(TEXT, 'o.yaml', { sets: ['duration=3s', 'fleets.batch.workload.clients=8'] });
    expect(scenario.durationMs).toBe(3000);
    expect(scenario.fleets[1]?.workload).toMatchObject({ clients: 8 });
    expect(scenario.document['duration']).toBe('3s');
    try {
      parseScenarioText(TEXT, 'o.yaml', { sets: ['fleets.batch.workload.clients=0'] });
      expect.unreachable();
    } catch (error) {
      expect((error as ScenarioError).problems).toEqual([{ path: 'fleets[1].workload.clients', message: 'must be ≥ 1' }]);
      expect((error as ScenarioError).sourceName).toBe('o.yaml');
    }
    expect(() => parseScenarioText(TEXT, 'o.yaml', { sets: ['fleets.nope.client=sdk'] })).toThrow(ScenarioError);
  });

  test('a value nested past the scenario file limit, or an alias bomb, is refused by name, not by a stack overflow', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    expect(problemsOf([`fleets.web.mix=${deep}`])).toEqual([expect.stringMatching(/^--set fleets\.web\.mix: the value is not valid YAML: .*too deeply nested/)]);
    const levels = Array.from({ length: 9 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(9).fill(i === 0 ? '"lol"' : `*l${i}`).join(',')}]`);
    expect(problemsOf([`fleets.web.mix={${levels.join(', ')}}`])).toEqual([expect.stringMatching(/^--set fleets\.web\.mix: the value is not valid YAML: /)]);
  });
});
