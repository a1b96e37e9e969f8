/**
 * `clock: virtual` from the scenario and the CLI (the built `dist/src/cli/main.js`): `--clock virtual` runs the
 * simulator, two runs write byte-identical result.json outside `environment`, `--repeat` reports the spread across
 * seeds, and `model.crypto: off` is refused on the wall clock with the field's path.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseScenarioText, ScenarioError } from '../src/scenario/index.js';
import { runCli, type CliExit } from './support/cli.js';
import { tempDirs } from './support/temp-dirs.js';

const SHORT = join(import.meta.dirname, 'fixtures', 'cli', 'short.yaml');

function cli(args: string[]): Promise<CliExit> {
  return runCli(args);
}

/** A fresh directory for report output, removed after the test. */
const tempDir = tempDirs('kms-bench-virtual-');
let lastOut = '';

async function virtualRun(...extra: string[]): Promise<Record<string, unknown>> {
  lastOut = await tempDir();
  const result = await cli(['run', SHORT, '--clock', 'virtual', '--duration', '5s', '--out', lastOut, ...extra]);
  expect(result.stderr).not.toContain('failure');
  expect(result.code).toBe(0);
  return JSON.parse(await readFile(join(lastOut, 'result.json'), 'utf8')) as Record<string, unknown>;
}

describe('kms-bench run --clock virtual', () => {
  test('two runs write the same result.json apart from environment', async () => {
    const { environment: envA, ...a } = await virtualRun('--set', 'model.crypto=off');
    const { environment: envB, ...b } = await virtualRun('--set', 'model.crypto=off');
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(envA).toHaveProperty('variantWallSeconds');
    expect(envB).toHaveProperty('variantWallSeconds');
    const variant = (a['variants'] as Record<string, unknown>[])[0];
    expect(variant).toMatchObject({ crypto: 'off' });
    // The last answers arrive after the schedule's end (the assumed service latency): a little past 5 s.
    const simulated = (variant as { simulatedSeconds: number }).simulatedSeconds;
    expect(simulated).toBeGreaterThanOrEqual(5);
    expect(simulated).toBeLessThan(5.5);
    // The fixture sets no service latency: the result says which was assumed.
    expect(a['scenario']).toMatchObject({ clock: 'virtual', serviceLatencyAssumed: 'lognormal, median 4 ms, p99 25 ms' });
  });

  test('--repeat reports mean and spread across seeds', async () => {
    const result = await virtualRun('--repeat', '3', '--set', 'fleets[0].workload.poisson=true');
    const variant = (result['variants'] as { repeats: { seeds: number[]; metrics: Record<string, { mean: number; min: number; max: number; stddev: number }> } }[])[0];
    expect(variant?.repeats.seeds).toEqual([5, 6, 7]);
    const offered = variant?.repeats.metrics['offered'];
    expect(offered?.min).toBeLessThanOrEqual(offered?.mean ?? -1);
    expect(offered?.max).toBeGreaterThan(offered?.min ?? Infinity);
    expect(offered?.stddev).toBeGreaterThan(0);
    // Both human reports show the spread and the simulated time.
    for (const file of ['summary.md', 'report.html']) {
      const text = await readFile(join(lastOut, file), 'utf8');
      expect(text).toMatch(/± seeds: mean ± sd \(min–max\)/);
      expect(text).toMatch(/[\d,.]+ ± [\d,.]+ \([\d,.]+–[\d,.]+\)/);
      expect(text).toContain('across seeds 5, 6, 7');
      expect(text).toMatch(/virtual clock \(deterministic\), [\d.]+ simulated s per variant/);
    }
  });

  test('--repeat without the virtual clock is a usage error', async () => {
    const result = await cli(['run', SHORT, '--repeat', '2']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--repeat needs the virtual clock');
  });
});

describe('model.crypto', () => {
  const scenario = (clock: string, crypto: string): string => `
name: crypto
duration: 1s
clock: ${clock}
model: { crypto: ${crypto} }
keys: [{ name: app, region: us-east-1 }]
fleets:
  - { name: web, region: us-east-1, workload: { model: open, arrivalRate: 10 }, mix: [{ op: Encrypt, key: app }] }
`;
  const problems = (text: string): string[] => {
    try {
      parseScenarioText(text, 'test.yaml');
      return [];
    } catch (error) {
      if (error instanceof ScenarioError) return error.lines();
      throw error;
    }
  };

  test.each([
    ['virtual', 'off', []],
    ['virtual', 'real', []],
    ['wall', 'real', []],
  ])('clock %s with crypto %s is valid', (clock, crypto, expected) => {
    expect(problems(scenario(clock, crypto))).toEqual(expected);
  });

  test('crypto: off on the wall clock is rejected at model.crypto', () => {
    const lines = problems(scenario('wall', 'off'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/model\.crypto.*only available with clock: virtual/);
  });

  test('an unknown crypto mode names the choices', () => {
    const lines = problems(scenario('virtual', 'fast'));
    expect(lines.join('\n')).toMatch(/model\.crypto/);
  });

  test('the default is real', () => {
    expect(parseScenarioText(scenario('virtual', 'real').replace(/^model:.*$/m, ''), 'x.yaml').model).toEqual({ crypto: 'real' });
  });
});
