/**
 * The report side of the CLI as a user runs it (the built `dist/src/cli/main.js`, which `npm test` builds first):
 * the report directory, thresholds deciding the exit code (0 / 1, bad ones 2), `--format gab|bmf`, and `compare`.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli, type CliExit } from './support/cli.js';
import { tempDirs } from './support/temp-dirs.js';

const GATES = join(import.meta.dirname, 'fixtures', 'cli', 'report-gates.yaml');

function cli(args: string[], env: Record<string, string> = {}): Promise<CliExit> {
  return runCli(args, { env });
}

/** A fresh directory for report output, removed after the test. */
const tempDir = tempDirs('kms-bench-cli-report-');

describe('kms-bench run: reports and thresholds', () => {
  test('thresholds that hold exit 0; the report directory has summary.md, report.html and the CI files', async () => {
    const out = await tempDir();
    const summary = join(out, 'job-summary.md');
    await writeFile(summary, '');
    const result = await cli(['run', GATES, '--out', join(out, 'report'), '--workers', '1', '--format', 'gab', '--format', 'bmf'], {
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(result.stderr).not.toContain('harness failure');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('thresholds: 5 passed, 0 failed');
    expect(result.stdout).toMatch(/✓ costUsdPerMonth < 1000000 +observed /);
    const files = (await readdir(join(out, 'report'))).sort();
    expect(files).toEqual(['bmf.noisy.json', 'gab-bigger.noisy.json', 'gab-smaller.noisy.json', 'report.html', 'result.json', 'summary.md']);
    const written = JSON.parse(await readFile(join(out, 'report', 'result.json'), 'utf8'));
    expect(written.thresholds).toHaveLength(5);
    expect(written.variants[0].cost.costUsdPerMonth).toBeGreaterThan(1);
    expect(written.variants[0].fleetPlacement).toEqual({
      web: { region: 'us-east-1', accountId: '111122223333', retry: { policy: 'none', maxAttempts: 1 } },
    });
    expect(await readFile(summary, 'utf8')).toContain('### Thresholds: 5 passed, 0 failed');
    expect(result.stdout).toContain('retry policies:\n  web (us-east-1): none (no retry: one attempt)');
  });

  test('a failed threshold exits 1 and shows ✗ with the observed value', async () => {
    const out = await tempDir();
    const result = await cli(['run', GATES, '--out', out, '--workers', '1', '--set', 'thresholds={"throttleRate": ["< 0"]}']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('thresholds: 0 passed, 1 failed');
    expect(result.stdout).toMatch(/✗ throttleRate < 0 +observed \d/);
    expect(await readFile(join(out, 'summary.md'), 'utf8')).toContain('| ✗ | `throttleRate < 0` |');
  });

  test('a bad threshold or an unknown metric is invalid input: exit 2 naming its path, before any run', async () => {
    const bad = await cli(['run', GATES, '--set', 'thresholds={"throtleRate": ["< 0.1"], "latencyUs.p99": ["< soon"]}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('thresholds.throtleRate: unknown metric "throtleRate" (did you mean "throttleRate"?)');
    expect(bad.stderr).toContain('thresholds["latencyUs.p99"][0]: "< soon" is not a threshold expression');
    expect(bad.stderr).not.toContain('kms-bench: running');
    const validate = await cli(['validate', GATES, '--set', 'prices={"keyMonthUsd": -1}']);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain('prices.keyMonthUsd: must be ≥ 0');
  });

  test('--format rejects an unknown format: exit 2', async () => {
    expect((await cli(['run', GATES, '--format', 'junit'])).code).toBe(2);
  });
});

/** Two fleets in two regions on the virtual clock; the matrix changes web's retry policy. */
const TWO_FLEETS = `
name: two-fleets
seed: 4
duration: 3s
clock: virtual
quotas:
  overrides:
    us-east-1: { symmetric: 50 }
keys:
  - { name: east, region: us-east-1 }
  - { name: west, region: eu-west-1 }
fleets:
  - name: web
    region: us-east-1
    workload: { model: open, arrivalRate: 100 }
    mix: [{ op: Encrypt, key: east, payloadBytes: 16 }]
    retry: { policy: none, maxAttempts: 1 }
  - name: batch
    region: eu-west-1
    workload: { model: open, arrivalRate: 20 }
    mix: [{ op: Encrypt, key: west, payloadBytes: 16 }]
    retry: { policy: none, maxAttempts: 1 }
matrix:
  fleets.web.retry: [none, { policy: exponential, base: 10ms, cap: 100ms, maxAttempts: 3 }]
`;

describe('kms-bench run: fleets, retry policies and costs a run cannot support', () => {
  test('a two-fleet run shows each fleet in the table, summary.md and report.html, and says each retry policy', async () => {
    const out = await tempDir();
    const scenario = join(out, 'two-fleets.yaml');
    await writeFile(scenario, TWO_FLEETS);
    const result = await cli(['run', scenario, '--out', join(out, 'report')]);
    expect(result.stderr).not.toContain('harness failure');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.find((line) => line.startsWith('fleet web · region'))).toMatch(/us-east-1\s+us-east-1$/);
    expect(lines.find((line) => line.startsWith('fleet batch · region'))).toMatch(/eu-west-1\s+eu-west-1$/);
    // batch is never throttled (eu-west-1's quota is far above 20/s): its block says so whatever web does.
    const batch = lines.findIndex((line) => line.startsWith('fleet batch · region'));
    // About 20/s offered (the open model's first arrival is one interval in), the same in both variants.
    expect(lines[batch + 1]).toMatch(/^ {2}offered \/s +(19\.\d|20\.0) +\1$/);
    expect(lines[batch + 3]).toMatch(/^ {2}throttle rate +0\.00% +0\.00%$/);
    expect(result.stdout).toContain('  web (us-east-1) in fleets.web.retry=none: none (no retry: one attempt)');
    expect(result.stdout).toMatch(/ {2}web \(us-east-1\) in fleets\.web\.retry=\S+: exponential, base 10 ms, cap 100 ms, up to 3 attempts/);
    expect(result.stdout).toContain('  batch (eu-west-1): none (no retry: one attempt)');
    const summary = await readFile(join(out, 'report', 'summary.md'), 'utf8');
    expect(summary).toContain('| **fleet batch · region** | eu-west-1 | eu-west-1 |');
    const html = await readFile(join(out, 'report', 'report.html'), 'utf8');
    expect(html).toContain('fleet batch · region');
    expect(html).toContain('Fleets and retry policies');
  });

  test('a run too short for a steady state prints its cost as n/a with the reason', async () => {
    const out = await tempDir();
    const scenario = join(out, 'two-fleets.yaml');
    await writeFile(scenario, TWO_FLEETS);
    const result = await cli(['run', scenario, '--out', join(out, 'report'), '--duration', '500ms']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^cost \$\/month +n\/a +n\/a$/m);
    expect(result.stdout).toMatch(/cost n\/a:\n {2}fleets\.web\.retry=none: too short to reach steady state: 0\.5 s is less than one quota window/);
    expect(result.stdout).toMatch(/^⚠ fleets\.web\.retry=none: the run measured 0\.5 s, less than one quota window/m);
  });
});

describe('kms-bench compare', () => {
  test('two runs of one scenario compare with exit 0 or 1; unreadable input exits 2', async () => {
    const out = await tempDir();
    const first = await cli(['run', GATES, '--out', join(out, 'a'), '--workers', '1']);
    expect(first.code).toBe(0);
    const same = await cli(['compare', join(out, 'a'), join(out, 'a', 'result.json')]);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('0 regressions, 0 improvements');
    // A baseline with twice the goodput makes the candidate a regression.
    const result = JSON.parse(await readFile(join(out, 'a', 'result.json'), 'utf8'));
    result.variants[0].metrics.total.goodputPerSec *= 2;
    await writeFile(join(out, 'better.json'), JSON.stringify(result));
    const regressed = await cli(['compare', join(out, 'better.json'), join(out, 'a')]);
    expect(regressed.code).toBe(1);
    expect(regressed.stdout).toMatch(/✗ +default +goodputPerSec .* regression/);
    const missing = await cli(['compare', join(out, 'a'), join(out, 'nowhere')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or directory');
  });
});
