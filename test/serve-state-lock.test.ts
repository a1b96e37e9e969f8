/**
 * The `--state` directory's lock and mode: a lock naming this very process (a restarted container reuses its pid,
 * often 1) or a pid now running another process is taken over; a directory the user created is made 0700.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { STATE_LOCK_NAME, StateKeeper } from '../src/serve/state-keeper.js';
import { tempDirs } from './support/temp-dirs.js';

const tempDir = tempDirs('kms-bench-serve-lock-');
const empty = { accountId: '111122223333', seed: 1, keyIdsIssued: 0, keys: [] };

describe('serve --state lock', () => {
  test('a lock file naming the current pid is stale and taken over', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, STATE_LOCK_NAME), String(process.pid));
    const { keeper } = StateKeeper.open(dir, () => empty);
    expect((await readFile(join(dir, STATE_LOCK_NAME), 'utf8')).split(' ')[0]).toBe(String(process.pid));
    keeper.close();
  });

  test('a lock file naming a running pid with another start time is stale and taken over', async () => {
    const dir = await tempDir();
    // The parent runs, but did not start at tick 1: the pid now belongs to another process than the lock's.
    await writeFile(join(dir, STATE_LOCK_NAME), `${process.ppid} 1`);
    const { keeper } = StateKeeper.open(dir, () => empty);
    keeper.close();
  });

  test('a lock file naming a running pid without a start time is honoured', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, STATE_LOCK_NAME), String(process.ppid));
    expect(() => StateKeeper.open(dir, () => empty)).toThrow(/in use by another kms-bench serve/);
  });

  test('a state directory the user created with mode 0755 is made 0700', async () => {
    const dir = join(await tempDir(), 'state');
    await mkdir(dir, { mode: 0o755 });
    const { keeper } = StateKeeper.open(dir, () => empty);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    keeper.close();
  });
});
