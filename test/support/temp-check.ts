/**
 * Vitest globalSetup: the test run leaves nothing in the temp directory.
 *
 * Before any test file starts, the run gets a temp directory of its own (`kms-bench-test-run-*` under the OS temp
 * directory) and TMPDIR points at it, so `os.tmpdir()` in every test worker, and in every child process they spawn
 * (the CLI, its worker threads, Chromium), answers with it. After the last file, whatever is still in it is what some
 * test made and did not remove: the run fails (exit code 1) naming each leftover (the prefixes name the test helpers).
 * The directory is removed either way. A run of its own means runs side by side on one machine never see each other's files.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function setup(): Promise<() => Promise<void>> {
  const previous = process.env['TMPDIR'];
  const runDir = await mkdtemp(join(tmpdir(), 'kms-bench-test-run-'));
  process.env['TMPDIR'] = runDir;
  return async () => {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
    const left = await readdir(runDir);
    await rm(runDir, { recursive: true, force: true });
    if (left.length > 0) {
      // Vitest prints an error thrown here ("error during close") but still exits 0: set the exit code as well.
      process.exitCode = 1;
      throw new Error(
        `the tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temp directory: ${left.sort().join(', ')}; ` +
          'remove what a test makes in afterEach/afterAll (test/support/temp-dirs.ts)',
      );
    }
  };
}
