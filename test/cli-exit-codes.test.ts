/**
 * The CLI as a user runs it (the built `dist/src/cli/main.js`, which `npm test` builds first): exit codes 0, 2 and 3,
 * and a report on disk even when the run is interrupted.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const CLI = join(import.meta.dirname, '..', 'dist', 'src', 'cli', 'main.js');
const SHORT = join(import.meta.dirname, 'fixtures', 'cli', 'short.yaml');

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI; `interruptWhen` sends SIGINT once stderr contains it. */
function cli(args: string[], interruptWhen?: string): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (interruptWhen !== undefined && !interrupted && stderr.includes(interruptWhen)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'kms-bench-cli-'));
}

describe('kms-bench exit codes', () => {
  test('validate: a good scenario exits 0', async () => {
    const result = await cli(['validate', SHORT]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('valid');
  });

  test('validate: a broken scenario exits 2 naming every bad field', async () => {
    const result = await cli(['validate', SHORT, '--set', 'duration=10', '--set', 'fleets.web.retry.maxAttempts=0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('duration');
    expect(result.stderr).toContain('fleets[0].retry.maxAttempts');
  });

  test('run: a missing file exits 2', async () => {
    const result = await cli(['run', join(await tempDir(), 'nope.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nope.yaml');
  });

  test('run: --workers 0 exits 2 naming the option', async () => {
    const result = await cli(['run', SHORT, '--workers', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--workers');
  });

  test('run: an unknown command or option exits 2', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['run', SHORT, '--no-such-option'])).code).toBe(2);
  });

  test('run: a completed run exits 0 and writes result.json', async () => {
    const out = await tempDir();
    const result = await cli(['run', SHORT, '--out', out, '--workers', '2']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('throttle rate');
    const written = JSON.parse(await readFile(join(out, 'result.json'), 'utf8'));
    expect(written.state).toBe('completed');
    expect(written.schemaVersion).toBe(1);
    expect(written.environment.dependencies['@aws-sdk/client-kms']).toMatch(/^\d+\.\d+\.\d+/);
    expect(written.variants[0].metrics.total.offered).toBeGreaterThan(0);
  });

  test('run --json prints the result on stdout', async () => {
    const out = await tempDir();
    const result = await cli(['run', SHORT, '--out', out, '--json', '--workers', '1']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).scenario.name).toBe('cli-short');
  });

  test('run: Ctrl-C writes what was measured, marked incomplete, and exits 3', async () => {
    const out = await tempDir();
    const result = await cli(['run', SHORT, '--out', out, '--duration', '60s', '--workers', '2'], 'kms-bench: running');
    expect(result.code).toBe(3);
    const written = JSON.parse(await readFile(join(out, 'result.json'), 'utf8'));
    expect(written.state).toBe('incomplete');
    expect(written.reason).toBe('interrupted');
  });
});
