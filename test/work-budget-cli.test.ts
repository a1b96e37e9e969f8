/**
 * `kms-bench run` (the built `dist/src/cli/main.js`) refuses absurd sizes before any work starts: exit 2, the
 * estimate, and the option that lifts the limit; no report directory is made. A run within the budget starts.
 */
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli, type CliExit } from './support/cli.js';
import { tempDirs } from './support/temp-dirs.js';

const SHORT = join(import.meta.dirname, 'fixtures', 'cli', 'short.yaml');
/** A refusal comes within seconds; a run that started instead is killed after this and fails on its exit code. */
const KILL_AFTER_MS = 45_000;

const tempDir = tempDirs('kms-bench-budget-');

function cli(args: string[]): Promise<CliExit> {
  return runCli(args, { timeoutMs: KILL_AFTER_MS });
}

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/** A scenario whose fleet is a closed workload of `clients` clients. */
async function closedScenario(dir: string, clients: number): Promise<string> {
  const file = join(dir, 'closed.yaml');
  await writeFile(
    file,
    `name: closed-huge
duration: 10s
keys: [{ name: app, region: us-east-1 }]
fleets:
  - name: web
    region: us-east-1
    workload: { model: closed, clients: ${clients}, thinkTime: 1s }
    mix: [{ op: Encrypt, key: app, payloadBytes: 16 }]
    retry: { policy: none, maxAttempts: 1 }
`,
  );
  return file;
}

describe('absurd sizes are refused before any work, naming the option that lifts the limit', () => {
  test.each([
    ['an arrival rate of 1e12/s', ['--set', 'fleets[0].workload.arrivalRate=1e12'], /would send ~1e12 requests \(~\d+ days at ~83k\/s per worker\); the limit is 2e9 \(--max-requests to raise it\)/],
    [
      'the same, simulated',
      ['--clock', 'virtual', '--set', 'model.crypto=off', '--set', 'fleets[0].workload.arrivalRate=1e12'],
      /would simulate ~1e12 requests \(~12 days at ~1M\/s per core\); the limit is 2e9 \(--max-requests to raise it\)/,
    ],
    ['a duration of 100,000 hours', ['--duration', '100000h'], /would send ~1\.4e10 requests .*--max-requests/],
    ['a duration whose report cannot be written', ['--duration', '100000h', '--allow-large'], /result\.json would be ~\d+ GiB .* shorten the duration/],
    ['--workers 100000', ['--workers', '100000'], /--workers 100000 is more than .*--oversubscribe/],
    ['--workers 100000 --oversubscribe', ['--workers', '100000', '--oversubscribe'], /--workers 100000 is more than --oversubscribe allows on this machine: 8 threads per core/],
    ['a request budget set lower', ['--clock', 'virtual', '--max-requests', '10'], /would simulate ~40 requests .*; the limit is 10 \(--max-requests to raise it\)/],
    ['--max-requests 0', ['--max-requests', '0'], /--max-requests must be a number ≥ 1, e\.g\. 5e9, got 0/],
  ])('%s', async (_, args, message) => {
    const out = join(await tempDir(), 'report');
    const result = await cli(['run', SHORT, '--out', out, ...args]);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect(await exists(out)).toBe(false);
  });

  test('10,000,000 closed clients: the memory they need, and --allow-large', async () => {
    const dir = await tempDir();
    const out = join(dir, 'report');
    const result = await cli(['run', await closedScenario(dir, 10_000_000), '--out', out]);
    expect(result.stderr).toMatch(/would need ~\d+ GiB of memory \(clients and requests in flight ~\d+ GiB, .*\(--allow-large to lift it\)/);
    expect(result.code).toBe(2);
    expect(await exists(out)).toBe(false);
  });

  test('a run within the budget starts and completes', async () => {
    const out = join(await tempDir(), 'report');
    const result = await cli(['run', SHORT, '--clock', 'virtual', '--duration', '2s', '--out', out]);
    expect(result.code).toBe(0);
    expect(await exists(join(out, 'result.json'))).toBe(true);
  });
});
