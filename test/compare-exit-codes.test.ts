/**
 * `kms-bench compare`: every shared metric with its change, direction-aware regressions (exit 1), incomparable inputs
 * (exit 2), a different scenario only a warning, deterministic metrics gated exactly by default.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compareFiles } from '../src/cli/compare.js';
import { compareResults, parseTolerance } from '../src/report/compare.js';
import { resultToJson } from '../src/report/result.js';
import type { RunResult } from '../src/report/result.js';
import { simpleScenario, slot, syntheticResult } from './support/report-fixture.js';
import type { SyntheticRun } from './support/report-fixture.js';

function run(options: { admitted?: number; throttled?: number; latencyUs?: number } & Partial<SyntheticRun> = {}): RunResult {
  return syntheticResult({
    variants: [
      {
        name: 'default',
        scenario: simpleScenario(),
        ops: [
          {
            fleet: 'web',
            op: 'Encrypt',
            bucket: 'symmetric',
            admittedPerSec: options.admitted ?? 100,
            throttledPerSec: options.throttled ?? 10,
            latencyUs: options.latencyUs ?? 1_000,
          },
        ],
        quota: [slot('symmetric', 100, 500, 50)],
      },
    ],
    ...options,
  });
}

async function files(...results: (RunResult | string)[]): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'kms-bench-compare-'));
  return Promise.all(
    results.map(async (result, index) => {
      const path = join(dir, `r${index}.json`);
      await writeFile(path, typeof result === 'string' ? result : resultToJson(result));
      return path;
    }),
  );
}

async function compare(baseline: RunResult | string, candidate: RunResult | string, tolerance = '5%', toleranceDeterministic = '0%') {
  const [a = '', b = ''] = await files(baseline, candidate);
  return compareFiles({ baseline: a, candidate: b, tolerance, toleranceDeterministic });
}

describe('compare exit codes', () => {
  test('identical results: exit 0, every metric unchanged', async () => {
    const outcome = await compare(run(), run());
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toContain('0 regressions, 0 improvements');
    expect(outcome.stdout).toContain('latencyUs.p99');
    // One fleet calling one operation: its scopes would only repeat the variant's numbers.
    expect(outcome.stdout).not.toContain('fleets.web');
    expect(outcome.stdout).toContain('costUsdPerMonth');
  });

  test('higher latency beyond the tolerance is a regression: exit 1', async () => {
    const outcome = await compare(run(), run({ latencyUs: 1_200 }));
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toMatch(/✗ +default +latencyUs\.p99 +1,000 +1,200 +\+20% +regression/);
  });

  test('more throttles are a regression, fewer an improvement (direction-aware)', async () => {
    const worse = compareResults(run(), run({ throttled: 20 }));
    expect(worse.entries.find((e) => e.path === 'throttleRate')?.verdict).toBe('regression');
    const better = compareResults(run({ throttled: 20 }), run());
    expect(better.entries.find((e) => e.path === 'throttleRate')?.verdict).toBe('improvement');
  });

  test('higher goodput is an improvement, lower a regression', async () => {
    const up = compareResults(run(), run({ admitted: 120 }));
    expect(up.entries.find((e) => e.path === 'goodputPerSec')?.verdict).toBe('improvement');
    expect(up.entries.find((e) => e.path === 'offered')?.verdict).toBe('changed');
    const down = await compare(run(), run({ admitted: 80 }));
    expect(down.exitCode).toBe(1);
    expect(down.stdout).toMatch(/✗ +default +goodputPerSec +100 +80 +-20% +regression/);
  });

  test('a change within the noisy tolerance passes; a tighter tolerance fails it', async () => {
    expect((await compare(run(), run({ latencyUs: 1_030 }))).exitCode).toBe(0);
    const tight = await compare(run(), run({ latencyUs: 1_030 }), '1%');
    expect(tight.exitCode).toBe(1);
  });

  test('deterministic (virtual-clock) metrics must match exactly unless given a tolerance', async () => {
    const baseline = run({ clock: 'virtual' });
    const candidate = run({ clock: 'virtual', latencyUs: 1_030 });
    const exact = await compare(baseline, candidate);
    expect(exact.exitCode).toBe(1);
    expect(compareResults(baseline, candidate).entries.every((e) => e.determinism === 'deterministic')).toBe(true);
    expect((await compare(baseline, candidate, '5%', '5%')).exitCode).toBe(0);
    // A noisy result on either side makes every metric noisy.
    expect((await compare(run(), candidate)).exitCode).toBe(0);
  });

  test('a different scenario hash is a warning, not an error', async () => {
    const outcome = await compare(run(), run({ hash: 'a'.repeat(64) }));
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stderr).toContain('warning: the scenarios differ');
  });

  test('a different result schema version is an error: exit 2', async () => {
    const future = JSON.stringify({ ...run(), schemaVersion: 2 });
    const outcome = await compare(run(), future);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain('result schema version 2; this kms-bench reads version 1');
  });

  test('results without a shared variant cannot be compared: exit 2', async () => {
    const other = syntheticResult({ variants: [{ name: 'retry=none', ops: [] }] });
    const outcome = await compare(run(), other);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain('share no variant');
  });

  test('a missing file, a file that is not JSON and a file that is not a result: exit 2', async () => {
    const [good = ''] = await files(run());
    expect((await compareFiles({ baseline: good, candidate: join(tmpdir(), 'no-such-result.json'), tolerance: '5%', toleranceDeterministic: '0%' })).exitCode).toBe(2);
    const notJson = await compare(run(), '{ nope');
    expect(notJson.exitCode).toBe(2);
    expect(notJson.stderr).toContain('not valid JSON');
    const foreign = await compare(run(), JSON.stringify({ benchmarks: [] }));
    expect(foreign.exitCode).toBe(2);
    expect(foreign.stderr).toContain('not a kms-bench result');
  });

  test('a bad tolerance is bad input: exit 2', async () => {
    expect((await compare(run(), run(), 'lots')).exitCode).toBe(2);
    expect(parseTolerance('5%')).toBe(0.05);
    expect(parseTolerance('0.5%')).toBe(0.005);
    expect(parseTolerance('0.1')).toBe(0.1);
    expect(parseTolerance('-1%')).toBeUndefined();
  });

  test('a report directory can stand for its result.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kms-bench-compare-dir-'));
    await writeFile(join(dir, 'result.json'), resultToJson(run()));
    const outcome = await compareFiles({ baseline: dir, candidate: dir, tolerance: '5%', toleranceDeterministic: '0%', format: 'markdown' });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toContain('| :-: | :-- | :-- | --: | --: | --: | :-- |');
  });
});
