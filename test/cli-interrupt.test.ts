/**
 * Interrupting `kms-bench run` (the built `dist/src/cli/main.js`) however the signal arrives: once, twice within a
 * few milliseconds (what `timeout -s INT` and a signal to the process group deliver), or to the whole group through a
 * parent that forwards it again (what npm does under `npx`). Each time the run exits 3 and writes result.json marked
 * incomplete; a 1,000-hour run stopped after seconds writes timelines of the seconds that ran, not of 1,000 hours.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { tempDirs } from './support/temp-dirs.js';
import { CLI } from './support/cli.js';

const SHORT = join(import.meta.dirname, 'fixtures', 'cli', 'short.yaml');
/**
 * A child still running after this long is killed (its process group): the test then fails on its exit code, before
 * vitest's 60 s test timeout would cut it short.
 */
const KILL_AFTER_MS = 45_000;
/** How long the run measures before it is interrupted (so there is something to write). */
const RUN_FOR_MS = 1_500;

const tempDir = tempDirs('kms-bench-interrupt-');
const children = new Set<ChildProcess>();

/** Sends a signal to a process or group that may have exited already (ESRCH is then no error). */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.pid !== undefined) signal(-child.pid, 'SIGKILL');
  children.clear();
});

/** How to deliver the interrupt to the spawned process (`pid`, the leader of its own process group). */
type Deliver = (pid: number) => void;

const once: Deliver = (pid) => signal(pid, 'SIGINT');
const twiceWithinMs: Deliver = (pid) => {
  signal(pid, 'SIGINT');
  setTimeout(() => signal(pid, 'SIGINT'), 3);
};
const toGroup: Deliver = (pid) => signal(-pid, 'SIGINT');

/**
 * A parent that forwards SIGINT and SIGTERM to its child and exits with the child's status, as npm does for the
 * command `npx` runs: a signal to the group reaches the CLI twice, from the terminal and from the parent.
 */
const FORWARDER = `
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, process.argv.slice(1), { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
`;

interface Exit {
  readonly code: number | null;
  readonly stderr: string;
}

/** Runs `node <args>` as the leader of a new process group; delivers the interrupt `RUN_FOR_MS` after `startedWhen`. */
function interrupted(nodeArgs: string[], startedWhen: string, deliver: Deliver): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    children.add(child);
    const killer = setTimeout(() => child.pid !== undefined && signal(-child.pid, 'SIGKILL'), KILL_AFTER_MS);
    let stderr = '';
    let sent = false;
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && stderr.includes(startedWhen)) {
        sent = true;
        setTimeout(() => child.pid !== undefined && deliver(child.pid), RUN_FOR_MS);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      children.delete(child);
      resolve({ code, stderr });
    });
  });
}

interface Written {
  readonly state: string;
  readonly reason: string;
  readonly bytes: number;
  readonly timelineSeconds: number;
  readonly simulatedSeconds: number | undefined;
}

async function written(out: string): Promise<Written> {
  const file = join(out, 'result.json');
  const result = JSON.parse(await readFile(file, 'utf8')) as {
    state: string;
    reason: string;
    variants: { metrics: { timelineSeconds: number }; simulatedSeconds?: number }[];
  };
  const variant = result.variants[0];
  return {
    state: result.state,
    reason: result.reason,
    bytes: (await stat(file)).size,
    timelineSeconds: variant?.metrics.timelineSeconds ?? Number.NaN,
    simulatedSeconds: variant?.simulatedSeconds,
  };
}

// A thousand hours on the wall clock is past the 24-hour wall-time budget: --allow-large says it is meant.
const LONG_WALL = ['run', SHORT, '--duration', '1000h', '--allow-large', '--workers', '1'];

describe('an interrupted run exits 3 and writes what it measured, marked incomplete', () => {
  test.each([
    ['SIGINT once', once],
    ['SIGINT twice within 3 ms', twiceWithinMs],
    ['SIGINT to the process group', toGroup],
  ])('%s', async (_, deliver) => {
    const out = await tempDir();
    const exit = await interrupted([CLI, ...LONG_WALL, '--out', out], 'kms-bench: running', deliver);
    expect(exit.stderr).not.toContain('quitting at once');
    expect(exit.code).toBe(3);
    const result = await written(out);
    expect(result).toMatchObject({ state: 'incomplete', reason: 'interrupted' });
    // Seconds that ran (a few, however loaded the machine), not the 3.6 million planned.
    expect(result.timelineSeconds).toBeLessThan(KILL_AFTER_MS / 1000);
    expect(result.bytes).toBeLessThan(1_000_000);
  });

  test('SIGINT to the group of a parent that forwards it again, as npm does under npx: the parent exits 3', async () => {
    const out = await tempDir();
    const exit = await interrupted(['-e', FORWARDER, CLI, ...LONG_WALL, '--out', out], 'kms-bench: running', toGroup);
    expect(exit.code).toBe(3);
    expect(await written(out)).toMatchObject({ state: 'incomplete', reason: 'interrupted' });
  });

  test('a 1,000-hour simulation stopped early writes timelines of the simulated seconds it reached', async () => {
    const out = await tempDir();
    const args = [CLI, 'run', SHORT, '--clock', 'virtual', '--set', 'model.crypto=off', '--duration', '1000h', '--out', out];
    const exit = await interrupted(args, 'kms-bench: simulating', twiceWithinMs);
    expect(exit.code).toBe(3);
    const result = await written(out);
    expect(result).toMatchObject({ state: 'incomplete', reason: 'interrupted' });
    const simulated = result.simulatedSeconds ?? Number.NaN;
    expect(simulated).toBeLessThan(3_600_000);
    expect(result.timelineSeconds).toBeLessThanOrEqual(Math.floor(simulated) + 1);
    // About 80 bytes of result.json per simulated second in the summary's timelines and as much again in the mergeable
    // wire copy (`kms-bench merge`), plus fixed-size histograms: the whole plan would have been over 500 MB.
    expect(result.bytes).toBeLessThan(400 * (simulated + 100));
  });
});
