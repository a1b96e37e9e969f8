/**
 * The run's build step (test/support/build-once.ts) on a throwaway project: a type error is a failed build whose
 * message names the file and the error, and an incremental rebuild with nothing changed still fails (a build info file
 * that forgot the error would let the next run test stale code).
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildFailure, runTsc } from './support/build-once.js';
import { tempDirs } from './support/temp-dirs.js';

const tempDir = tempDirs('kms-bench-build-once-');

/** A project built like tsconfig.build.json: incremental, its build info inside the output directory. */
async function project(source: string): Promise<string> {
  const dir = await tempDir();
  const compilerOptions = {
    strict: true,
    lib: ['es2022'],
    types: [],
    skipLibCheck: true,
    outDir: 'out',
    incremental: true,
    tsBuildInfoFile: 'out/.tsbuildinfo',
  };
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['x.ts'] }));
  await writeFile(join(dir, 'x.ts'), source);
  return dir;
}

const ARGS = ['-p', 'tsconfig.json', '--pretty', 'false'] as const;

describe('the build before the tests', () => {
  test('a clean project builds; a type error then fails the build, and keeps failing it with nothing changed', async () => {
    const dir = await project('export const answer: number = 42;\n');
    expect(await runTsc(dir, ARGS)).toEqual({ ok: true, output: '' });
    expect(existsSync(join(dir, 'out', 'x.js'))).toBe(true);

    await writeFile(join(dir, 'x.ts'), "export const answer: number = 'forty-two';\n");
    const broken = await runTsc(dir, ARGS);
    expect(broken.ok).toBe(false);
    expect(broken.output).toMatch(/x\.ts\(1,14\): error TS2322/);
    // The incremental rebuild of an unchanged broken project reports the same error again.
    expect(await runTsc(dir, ARGS)).toEqual(broken);
  });

  test("the run's error says what failed and why it stops the run, then the compiler's lines, cut to a limit", () => {
    const output = Array.from({ length: 5 }, (_, i) => `src/f${i}.ts(1,1): error TS1000: problem ${i}`).join('\n');
    const message = buildFailure({ ok: false, output }, 3).message;
    expect(message).toMatch(/^the build \(tsc -p tsconfig\.build\.json --pretty false\) failed, so no test ran/);
    expect(message).toContain('stale');
    expect(message).toContain('problem 2');
    expect(message).not.toContain('problem 3');
    expect(message).toMatch(/… 2 more line\(s\)$/);
  });
});
