/**
 * The report side of the CLI as a user runs it (the built `dist/src/cli/main.js`, which `npm test` builds first):
 * the report directory, thresholds deciding the exit code (0 / 1, bad ones 2), `--format gab|bmf`, and `compare`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const CLI = join(import.meta.dirname, '..', 'dist', 'src', 'cli', 'main.js');
const GATES = join(import.meta.dirname, 'fixtures', 'cli', 'report-gates.yaml');

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'kms-bench-cli-report-'));
}

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
    expect(written.variants[0].fleetPlacement).toEqual({ web: { region: 'us-east-1', accountId: '111122223333' } });
    expect(await readFile(summary, 'utf8')).toContain('### Thresholds: 5 passed, 0 failed');
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
