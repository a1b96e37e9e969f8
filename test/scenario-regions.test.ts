/**
 * Scenario regions are checked against the regions KMS has (src/kms/regions.ts) at validation, with the path and a
 * near miss named: a made-up region is bad input (exit 2), not a model that refuses to start.
 */
import { describe, expect, test } from 'vitest';
import { KMS_REGIONS } from '../src/kms/regions.js';
import { parseScenarioText, ScenarioError } from '../src/scenario/index.js';

function scenario(region: string, latencyRegion = 'default', overrideRegion = 'us-east-1'): string {
  return `name: t
duration: 1s
keys:
  - { name: app, region: ${region} }
quotas: { overrides: { ${overrideRegion}: { symmetric: 10 } } }
serviceLatency: { ${latencyRegion}: { distribution: constant, ms: 1 } }
fleets:
  - name: web
    region: ${region}
    workload: { model: open, arrivalRate: 1 }
    mix: [{ op: Encrypt, key: app }]
`;
}

function problems(text: string): string[] {
  try {
    parseScenarioText(text, 't.yaml');
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('scenario regions', () => {
  test.each(KMS_REGIONS.map((row) => row.region))('%s, a region KMS has, validates everywhere a region is named', (region) => {
    expect(problems(scenario(region, region, region))).toEqual([]);
  });

  test('a region-shaped name KMS does not have is refused at every place a region is named, with a near miss', () => {
    expect(problems(scenario('us-east-9', 'us-west-7', 'eu-wset-1'))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^keys\[0\]\.region: "us-east-9" is not a region KMS has \(did you mean "us-east-[12]"\?\)/),
        expect.stringMatching(/^fleets\[0\]\.region: "us-east-9" is not a region KMS has/),
        expect.stringMatching(/^serviceLatency\.us-west-7: .*"us-west-7" is not a region KMS has/),
        expect.stringMatching(/^quotas\.overrides\.eu-wset-1: .*"eu-wset-1" is not a region KMS has \(did you mean "eu-west-1"\?\)/),
      ]),
    );
  });

  test('a name that is not region-shaped says so', () => {
    expect(problems(scenario('"../.."'))).toEqual(expect.arrayContaining([expect.stringMatching(/is not an AWS region name \(e\.g\. us-east-1\)/)]));
  });
});
