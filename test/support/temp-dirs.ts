/**
 * Temp directories for one test file. Call `tempDirs(prefix)` at the top of the file (it registers an `afterEach`);
 * each directory the returned function makes is removed, with everything in it, after the test that made it, whether
 * the test passed or failed. The run's check (test/support/temp-check.ts) fails the run if anything is left behind.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

export function tempDirs(prefix: string): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}
