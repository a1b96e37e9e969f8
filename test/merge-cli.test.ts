/**
 * `kms-bench merge` end to end, as a user runs it (the built CLI): two `run --shard` instances on the wall clock with
 * a run id, merged into one report directory (result.json, summary.md, report.html) whose header names the run and
 * its instances; shards missing from k/n make it incomplete (exit 3); refusals exit 2 with the file and the field;
 * `--shard` that is not k/n exits 2 before any work.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { RunResult } from '../src/report/result-types.js';
import { runCli } from './support/cli.js';
import { tempDirs } from './support/temp-dirs.js';

const SHORT = join(import.meta.dirname, 'fixtures', 'cli', 'short.yaml');
const tempDir = tempDirs('kms-bench-merge-cli-');

const readResult = async (dir: string): Promise<RunResult> => JSON.parse(await readFile(join(dir, 'result.json'), 'utf8')) as RunResult;

describe('kms-bench merge', () => {
  test('two wall-clock shards merge into one report that adds them up and lists both instances', async () => {
    const dir = await tempDir();
    const [a, b, out] = ['a', 'b', 'merged'].map((name) => join(dir, name)) as [string, string, string];
    const common = ['run', SHORT, '--workers', '1', '--run-id', 'nightly-7', '--set', 'quotas.overrides.us-east-1.symmetric=1000'];
    const runs = await Promise.all([
      runCli([...common, '--shard', '0/2', '--instance-id', 'host-a', '--out', a]),
      runCli([...common, '--shard', '1/2', '--instance-id', 'host-b', '--out', b]),
    ]);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const merged = await runCli(['merge', join(a, 'result.json'), b, '--out', out]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toContain('merged 2 result(s): host-a, host-b');
    for (const file of ['result.json', 'summary.md', 'report.html']) expect((await stat(join(out, file))).size).toBeGreaterThan(0);
    const [ra, rb, rm] = await Promise.all([readResult(a), readResult(b), readResult(out)]);
    expect(ra.environment.instanceId).toBe('host-a');
    expect(ra.variants[0]?.mergeable?.wallStartMs).toBeGreaterThan(0);
    expect(rm.runId).toBe('nightly-7');
    expect(rm.instances?.map((i) => i.id)).toEqual(['host-a', 'host-b']);
    // 40 arrivals/s for 1 s: 20 each, 40 together.
    expect([ra, rb].map((r) => r.variants[0]?.metrics.total.offered)).toEqual([20, 20]);
    const total = rm.variants[0]?.metrics.total;
    expect(total?.offered).toBe(40);
    expect(total?.succeeded).toBe((ra.variants[0]?.metrics.total.succeeded ?? 0) + (rb.variants[0]?.metrics.total.succeeded ?? 0));
    const summary = await readFile(join(out, 'summary.md'), 'utf8');
    expect(summary).toContain('run nightly-7 · merged from 2 instance(s): host-a (shard 0/2), host-b (shard 1/2)');
  }, 180_000);

  test('the same result twice is refused with exit 2, naming the file and the field', async () => {
    const dir = await tempDir();
    const a = join(dir, 'a');
    const run = await runCli(['run', SHORT, '--clock', 'virtual', '--instance-id', 'only', '--out', a]);
    expect(run.code, run.stderr).toBe(0);
    const merged = await runCli(['merge', a, join(a, 'result.json'), '--out', join(dir, 'merged')]);
    expect(merged.code).toBe(2);
    expect(merged.stderr).toBe(`kms-bench: ${join(a, 'result.json')}: environment.instanceId "only" is also ${a}'s: the same instance's result twice\n`);
    await expect(stat(join(dir, 'merged'))).rejects.toThrow();
  }, 120_000);

  test('shards missing from k/n: the merged result is incomplete, naming them, and exits 3', async () => {
    const dir = await tempDir();
    const [a, b, out] = ['a', 'b', 'merged'].map((name) => join(dir, name)) as [string, string, string];
    const common = ['run', SHORT, '--clock', 'virtual', '--run-id', 'thirds'];
    const runs = await Promise.all([
      runCli([...common, '--shard', '0/3', '--instance-id', 'host-a', '--out', a]),
      runCli([...common, '--shard', '1/3', '--instance-id', 'host-b', '--out', b]),
    ]);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const merged = await runCli(['merge', a, b, '--out', out]);
    expect(merged.code, merged.stderr).toBe(3);
    const result = await readResult(out);
    expect(result.state).toBe('incomplete');
    expect(result.reason).toContain('shard(s) 2/3 not among the merged results');
  }, 120_000);

  test('a --shard that is not k/n is refused with exit 2 before any work', async () => {
    const run = await runCli(['run', SHORT, '--shard', '2/2']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('kms-bench: --shard must be k/n with whole numbers 0 ≤ k < n, e.g. 0/2, got 2/2\n');
  });
});
