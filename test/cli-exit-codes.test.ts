/**
 * The CLI as a user runs it (the built `dist/src/cli/main.js`, which `npm test` builds first): exit codes 0, 2 and 3,
 * a suggestion for a mistyped option, and a report on disk even when the run is interrupted.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli, type CliExit } from './support/cli.js';
import { tempDirs } from './support/temp-dirs.js';

const SHORT = join(import.meta.dirname, 'fixtures', 'cli', 'short.yaml');

/** Runs the CLI; `interruptWhen` sends SIGINT once stderr contains it. */
function cli(args: string[], interruptWhen?: string): Promise<CliExit> {
  let interrupted = false;
  return runCli(args, {
    onStderr: (stderr, child) => {
      if (interruptWhen === undefined || interrupted || !stderr.includes(interruptWhen)) return;
      interrupted = true;
      child.kill('SIGINT');
    },
  });
}

/** A fresh directory for report output, removed after the test. */
const tempDir = tempDirs('kms-bench-cli-');

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

  test('run: a mistyped option exits 2 naming the option it resembles', async () => {
    const result = await cli(['run', SHORT, '--duraton', '5s']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('kms-bench: unknown option --duraton (did you mean --duration?)\nRun `kms-bench run --help` for usage.\n');
  });

  // Every option a command lists in its help, typed with its last letter doubled, is recognised and suggested: the
  // test reads the options from `--help`, so an option added later is covered without editing this test.
  test.each([
    ['run', [SHORT]],
    ['validate', [SHORT]],
    ['compare', ['base.json', 'new.json']],
  ])('%s: a typo of each of its options gets that option suggested', async (command, positionals) => {
    const help = await cli([command, '--help']);
    expect(help.code).toBe(0);
    const options = [...help.stdout.matchAll(/^ {2}(?:-\w, | {4})?--([a-z][\w-]*)/gm)].map((match) => match[1] ?? '');
    expect(options).toContain('help');
    expect(options.length).toBeGreaterThan(2);
    const typos = options.map((option) => `${option}${option.at(-1) ?? ''}`);
    const result = await cli([command, ...positionals, ...typos.map((typo) => `--${typo}`)]);
    expect(result.code).toBe(2);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('kms-bench: unknown option'));
    expect(lines).toEqual(options.map((option, i) => `kms-bench: unknown option --${typos[i] ?? ''} (did you mean --${option}?)`));
  });

  test('an unknown option resembling none, or a stray word, is named without a suggestion', async () => {
    const result = await cli(['compare', 'a.json', 'b.json', 'extra', '--frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('kms-bench: unknown option --frobnicate\n');
    expect(result.stderr).toContain('kms-bench: Unknown argument: extra\n');
    expect(result.stderr).not.toContain('did you mean');
  });

  test('validate: a time unit on a metric that is not a time, or an unknown unit, exits 2 naming the threshold', async () => {
    const result = await cli([
      'validate',
      SHORT,
      '--set',
      'thresholds.throttleRate=["< 5ms"]',
      '--set',
      'thresholds.latency=["p99 < 50", "p50 < 5sec"]',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('thresholds.throttleRate[0]: "< 5ms": ms is a time unit, and throttleRate is not a time');
    expect(result.stderr).toContain('thresholds.latency[1]: "p50 < 5sec": unknown unit "sec"');
    const good = await cli(['validate', SHORT, '--set', 'thresholds.latency=["p99 < 50"]', '--set', 'thresholds.latencyUs=["p99 < 0.5s"]']);
    expect(good.code).toBe(0);
  });

  test('compare --help states the default tolerances and the harness flag', async () => {
    const result = await cli(['compare', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('counts and rates 10%, latency p50/p90/mean 30%, p99/p999/max 100%');
    expect(result.stdout).toContain('--gate-harness');
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
