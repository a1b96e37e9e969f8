/**
 * `--stream` never costs the run: a stream whose writes fail (a full disk) stops with one warning while the run and its
 * report go on, on both clocks; a caller's `onSeconds` that throws is reported, not thrown into the engine; a run
 * refused before any work leaves an existing stream file as it was; on the virtual clock each variant's lines come
 * as soon as its simulations finish.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../src/api/load-scenario.js';
import { RunRefusedError, type RunProgress } from '../src/api/run-events.js';
import { runScenario } from '../src/api/run-scenario.js';
import { runCli } from './support/cli.js';
import { tempDirs } from './support/temp-dirs.js';

const SCENARIO = join(import.meta.dirname, 'fixtures', 'cli', 'abort-on-fail.yaml');
const tempDir = tempDirs('kms-bench-stream-fail-');
const FULL = '/dev/full';
const haveFull = existsSync(FULL);

describe('--stream write failures', () => {
  test.skipIf(!haveFull)('wall clock through a .ndjson link to /dev/full: warned once, the run completes with its report', async () => {
    const dir = await tempDir();
    const link = join(dir, 'full.ndjson');
    await symlink(FULL, link);
    const out = join(dir, 'report');
    const run = await runCli(['run', SCENARIO, '--clock', 'wall', '--duration', '2s', '--workers', '1', '--set', 'thresholds={}', '--set', 'model.crypto=real', '--stream', link, '--out', out]);
    expect(run.stderr).not.toContain('    at ');
    expect(run.stderr.match(/warning: --stream .*writing failed/g)).toHaveLength(1);
    expect(run.code).toBe(0);
    const result = JSON.parse(await readFile(join(out, 'result.json'), 'utf8')) as { state: string; variants: unknown[] };
    expect(result.state).toBe('completed');
    expect(result.variants).toHaveLength(1);
  });

  test.skipIf(!haveFull)('virtual clock: the result keeps every variant, and the warning reaches onWarning', async () => {
    const dir = await tempDir();
    const link = join(dir, 'full.csv');
    await symlink(FULL, link);
    const scenario = await loadScenario(SCENARIO, { duration: '3s', overrides: ['thresholds={}'] });
    const warnings: string[] = [];
    // CSV writes its header when the file is opened: on a full disk that refuses the run before any work.
    await expect(runScenario(scenario, { workers: 1, stream: link })).rejects.toBeInstanceOf(RunRefusedError);
    const ndjson = join(dir, 'full.ndjson');
    await symlink(FULL, ndjson);
    const result = await runScenario(scenario, { workers: 1, stream: ndjson, onWarning: (message) => warnings.push(message) });
    expect(result.state).toBe('completed');
    expect(result.variants).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('writing failed');
  });

  test('an onSeconds that throws is reported once; the run completes', async () => {
    const scenario = await loadScenario(SCENARIO, { duration: '3s', overrides: ['thresholds={}'] });
    const warnings: string[] = [];
    let calls = 0;
    const result = await runScenario(scenario, {
      workers: 1,
      onSeconds: () => {
        calls++;
        throw new Error('listener broke');
      },
      onWarning: (message) => warnings.push(message),
    });
    expect(result.state).toBe('completed');
    expect(result.variants).toHaveLength(1);
    expect(calls).toBe(1);
    expect(warnings).toEqual([expect.stringContaining('listener broke')]);
  });

  test('a run refused by its report directory leaves an existing stream file untouched', async () => {
    const dir = await tempDir();
    const file = join(dir, 'keep.ndjson');
    await writeFile(file, '{"kept":true}\n');
    const report = join(dir, 'report');
    await mkdir(report);
    await writeFile(join(report, 'result.json'), '{}');
    const scenario = await loadScenario(SCENARIO, { duration: '2s', overrides: ['thresholds={}'] });
    await expect(runScenario(scenario, { workers: 1, stream: file, report: { dir: report } })).rejects.toBeInstanceOf(RunRefusedError);
    expect(await readFile(file, 'utf8')).toBe('{"kept":true}\n');
  });
});

describe('virtual clock: when the lines come', () => {
  test("each variant's lines as soon as its simulations finish, before the next variant's", async () => {
    const text = `${await readFile(SCENARIO, 'utf8')}matrix:\n  fleets.batch.retry:\n    - { policy: none, maxAttempts: 1 }\n    - { policy: full-jitter, base: 50ms, cap: 1s, maxAttempts: 2 }\n`;
    const scenario = await loadScenario({ text, name: 'two-variants.yaml' }, { duration: '3s', overrides: ['thresholds={}'] });
    let done = 0;
    const doneAtLines: number[] = [];
    await runScenario(scenario, {
      workers: 1,
      onProgress: (progress: RunProgress) => {
        if (progress.clock === 'virtual') done = progress.done;
      },
      onSeconds: () => doneAtLines.push(done),
    });
    expect(doneAtLines).toEqual([1, 2]);
  });
});
