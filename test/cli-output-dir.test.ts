/**
 * The report directory: a `--out` that cannot hold the report is refused before the run starts (exit 2, nothing
 * measured and lost), an earlier report is overwritten only with `--force`, and a report that still cannot be written
 * at the end goes to a rescue directory in the temp dir, with the table printed anyway (exit 3).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { prepareOutputDir } from '../src/api/output-dir.js';
import { writeReportOrRescue } from '../src/api/write-reports.js';
import { syntheticResult } from './support/report-fixture.js';
import { runCli, type CliExit } from './support/cli.js';
import { tempDirs } from './support/temp-dirs.js';

const SHORT = join(import.meta.dirname, 'fixtures', 'cli', 'short.yaml');
const tempDir = tempDirs('kms-bench-out-');

/**
 * Runs the CLI (killed if it outlives `timeoutMs`); `whenStderr` runs once stderr contains its text. `tmp` becomes
 * the child's TMPDIR, so a rescue directory lands where the test removes it.
 */
function cli(args: readonly string[], options: { tmp?: string; whenStderr?: [string, () => Promise<void>] } = {}, timeoutMs = 60_000): Promise<CliExit> {
  let hook = options.whenStderr;
  let failure: unknown;
  return runCli(args, {
    ...(options.tmp === undefined ? {} : { env: { TMPDIR: options.tmp } }),
    timeoutMs,
    onStderr: (stderr) => {
      if (hook === undefined || !stderr.includes(hook[0])) return;
      const [, action] = hook;
      hook = undefined;
      action().catch((error: unknown) => (failure = error));
    },
  }).then((exit) => {
    if (failure !== undefined) throw failure;
    return exit;
  });
}

/** Refused before any work: exit 2 on its own, the reason on stderr, and no sign that the run started. */
function expectRefusedBeforeRun(result: CliExit, reason: string): void {
  expect(result.signal).toBeNull();
  expect(result.stderr).toBe(`kms-bench: ${reason}\n`);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
}

describe('kms-bench run --out is checked before the run', () => {
  test('an existing file', async () => {
    const file = join(await tempDir(), 'taken');
    await writeFile(file, 'not a directory');
    expectRefusedBeforeRun(await cli(['run', SHORT, '--out', file]), `--out ${file} is an existing file, not a directory`);
  });

  test('an empty name', async () => {
    expectRefusedBeforeRun(await cli(['run', SHORT, '--out', '']), '--out must name a directory, got an empty string');
  });

  test.each([
    ['/proc/kms-bench-report', '/proc'],
    ['/sys/kms-bench-report', '/sys'],
    ['/dev/null', '/dev'],
  ])('%s, under a kernel filesystem, without calling mkdir there', async (out, root) => {
    expectRefusedBeforeRun(
      await cli(['run', SHORT, '--out', out]),
      `--out ${out} is under ${root}, a kernel filesystem, not a place for reports; choose another directory`,
    );
  });

  test('a path through a symbolic link into /proc', async () => {
    const link = join(await tempDir(), 'proc-link');
    await symlink('/proc/self', link);
    const out = join(link, 'report');
    expectRefusedBeforeRun(
      await cli(['run', SHORT, '--out', out]),
      `--out ${out} is under /proc, a kernel filesystem, not a place for reports; choose another directory`,
    );
  });

  test('a path through a file', async () => {
    const file = join(await tempDir(), 'file');
    await writeFile(file, '');
    const out = join(file, 'report');
    expectRefusedBeforeRun(await cli(['run', SHORT, '--out', out]), `cannot create --out ${out}: a part of the path is a file, not a directory`);
  });

  test('a directory holding an earlier report is refused without --force and overwritten with it', async () => {
    const out = join(await tempDir(), 'report');
    await mkdir(out);
    await writeFile(join(out, 'result.json'), '{"earlier": true}\n');
    expectRefusedBeforeRun(
      await cli(['run', SHORT, '--out', out]),
      `--out ${out} already holds a report (result.json); pass --force to overwrite it, or choose another directory`,
    );
    const forced = await cli(['run', SHORT, '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(join(out, 'result.json'));
    expect(await readdir(out)).toEqual(expect.arrayContaining(['result.json', 'summary.md', 'report.html']));
  });
});

describe('a report that cannot be written at the end is rescued', () => {
  test('the directory replaced by a file during the run: table printed, report in the temp dir, exit 3', async () => {
    const base = await tempDir();
    const out = join(base, 'report');
    const tmp = join(base, 'tmp');
    await mkdir(tmp);
    const result = await cli(['run', SHORT, '--out', out, '--duration', '2s'], {
      tmp,
      // The directory passed the check; it goes away while the run is under way.
      whenStderr: ['kms-bench: running', async () => {
        await rm(out, { recursive: true, force: true });
        await writeFile(out, 'in the way');
      }],
    });
    const [rescue] = await readdir(tmp);
    expect(rescue).toMatch(/^kms-bench-rescue-\d{8}T\d{6}Z-/);
    const rescueDir = join(tmp, rescue as string);
    expect(result.stdout).toContain('web');
    expect(result.stdout).toContain(join(rescueDir, 'result.json'));
    expect(result.stderr).toContain(`kms-bench: could not write the report to ${out}: `);
    expect(result.stderr).toContain(`kms-bench: the report was written to ${rescueDir} instead`);
    expect(existsSync(join(rescueDir, 'result.json'))).toBe(true);
    expect(result.code).toBe(3);
  });
});

describe('prepareOutputDir and writeReportOrRescue', () => {
  test('the default directory gets a fresh sibling when it exists; an explicit one is created and left empty', async () => {
    const base = await tempDir();
    await mkdir(join(base, 'run'));
    expect(await prepareOutputDir(join(base, 'run'), { explicit: false, force: false })).toEqual({ ok: true, dir: join(base, 'run-2') });
    expect(await prepareOutputDir(join(base, 'new', 'deep'), { explicit: true, force: false })).toEqual({ ok: true, dir: join(base, 'new', 'deep') });
    // The write probe is removed again.
    expect(await readdir(join(base, 'new', 'deep'))).toEqual([]);
  });

  test('a failed write goes to a rescue directory; when that fails too, nothing is claimed written', async () => {
    const base = await tempDir();
    await writeFile(join(base, 'file'), '');
    const result = syntheticResult({ variants: [{ name: 'base', ops: [{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 10 }] }] });
    const blocked = join(base, 'file', 'report');
    const now = new Date('2026-01-02T03:04:05Z');

    const rescued = await writeReportOrRescue(blocked, result, { formats: [], rescueRoot: base, now });
    expect(rescued.written?.result).toMatch(new RegExp(`^${base}/kms-bench-rescue-20260102T030405Z-[^/]+/result\\.json$`));
    expect(existsSync(rescued.written?.result as string)).toBe(true);
    expect(rescued.notice).toMatch(/^kms-bench: could not write the report to .*\nkms-bench: the report was written to .* instead\n$/);

    const lost = await writeReportOrRescue(blocked, result, { formats: [], rescueRoot: join(base, 'file'), now });
    expect(lost.written).toBeUndefined();
    expect(lost.notice).toContain('writing it to the temp dir failed too');
  });
});
