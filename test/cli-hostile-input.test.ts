/**
 * The CLI as a user runs it (the built `dist/src/cli/main.js`) against hostile scenario files and bad option values:
 * `validate` and `run` exit 2 with a line naming the problem, never a stack trace, and end promptly — each child is
 * killed if it outlives its timeout, so a hang fails the test by its exit status rather than by a clock assertion.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FLAG_OPTIONS } from '../src/cli/cli-values.js';
import { runCli, type CliExit } from './support/cli.js';
import { tempDirs } from './support/temp-dirs.js';

const HOSTILE = join(import.meta.dirname, 'fixtures', 'hostile');
const SHORT = join(import.meta.dirname, 'fixtures', 'cli', 'short.yaml');
const tempDir = tempDirs('kms-bench-hostile-');

/** Runs the CLI; the child is killed (SIGKILL) if it runs longer than `timeoutMs`, which shows as `signal`. */
function cli(args: readonly string[], nodeOptions: readonly string[] = [], timeoutMs = 20_000): Promise<CliExit> {
  return runCli(args, { nodeOptions, timeoutMs });
}

/** The outcome a user sees for bad input: exit 2 on its own (not killed), no stack frame, nothing on stdout. */
function expectRefused(result: CliExit): void {
  expect(result.signal).toBeNull();
  expect(result.stderr).not.toMatch(/^ {4}at /m);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
}

const HOSTILE_FILES = [
  ['alias-bomb.yaml', 'too many YAML alias expansions'],
  ['deep-nesting.yaml', 'too deeply nested: more than 64 levels'],
  ['deep-nesting-block.yaml', 'too deeply nested: more than 64 levels'],
  ['deep-nesting.json', 'too deeply nested: more than 64 levels'],
  ['binary-garbage.yaml', 'file is binary'],
  ['binary-no-nul.yaml', 'file is not UTF-8 text'],
  ['latin1.yaml', 'file is not UTF-8 text'],
  ['utf16le-bom.yaml', 'file is UTF-16; save it as UTF-8'],
  ['utf16be-bom.yaml', 'file is UTF-16; save it as UTF-8'],
  ['utf16le-no-bom.yaml', 'file is UTF-16; save it as UTF-8'],
  ['control-character.yaml', 'control character U+001B'],
] as const;

describe('hostile scenario files', () => {
  test.each(HOSTILE_FILES)('validate %s exits 2 with one line', async (file, message) => {
    const path = join(HOSTILE, file);
    const result = await cli(['validate', path]);
    expectRefused(result);
    expect(result.stderr).toMatch(new RegExp(`^invalid scenario ${path}: .*${message.replace(/[.*+?()[\]]/g, '\\$&')}.*\\n$`));
  });

  // `run` loads a scenario through the same code as `validate`: one file of each kind is enough to show it refuses.
  const RUN_FILES = HOSTILE_FILES.filter(([file]) =>
    ['alias-bomb.yaml', 'deep-nesting.json', 'binary-garbage.yaml', 'utf16le-bom.yaml', 'control-character.yaml'].includes(file),
  );

  test.each(RUN_FILES)('run %s exits 2 before the run starts', async (file, message) => {
    const out = join(await tempDir(), 'report');
    const result = await cli(['run', join(HOSTILE, file), '--out', out]);
    expectRefused(result);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/running|simulating/);
    expect(existsSync(out)).toBe(false);
  });

  test.each(['validate', 'run'])('%s: a duplicate key is named with its line', async (command) => {
    const options = command === 'run' ? ['--out', join(await tempDir(), 'report')] : [];
    const result = await cli([command, join(HOSTILE, 'duplicate-key.yaml'), ...options]);
    expectRefused(result);
    expect(result.stderr).toContain('duplicate key "workload" at line 16, column 5 (first at line 13)');
  });

  test('the nine-level alias bomb is refused within a 64 MB heap', async () => {
    // 9^9 strings would need gigabytes; the check happens before anything is expanded.
    const result = await cli(['validate', join(HOSTILE, 'alias-bomb.yaml')], ['--max-old-space-size=64']);
    expectRefused(result);
  });

  test('a legitimate file with 120 fleets sharing anchors validates', async () => {
    const result = await cli(['validate', join(HOSTILE, 'legit-120-fleets-anchored.yaml')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('120 fleet(s)');
  });

  test.skipIf(!existsSync('/dev/zero'))('a scenario path that never ends (/dev/zero) is refused by size', async () => {
    const result = await cli(['validate', '/dev/zero']);
    expectRefused(result);
    expect(result.stderr).toBe('invalid scenario /dev/zero: file is larger than 1 MiB; a scenario is a small YAML or JSON text file\n');
  });
});

describe('option values', () => {
  test.each([
    [['--duration', '-5s'], '--duration must be a positive duration like 30s (a number with a unit ms, s, m or h), got -5s'],
    [['--duration', '0s'], '--duration must be a positive duration like 30s (a number with a unit ms, s, m or h), got 0s'],
    [['--duration', '10'], '--duration must be a positive duration like 30s (a number with a unit ms, s, m or h), got 10'],
    [['--seed', 'abc'], '--seed must be a whole number, got abc'],
    [['--seed', '1.5'], '--seed must be a whole number, got 1.5'],
    [['--seed', '99999999999999999999'], '--seed must be a whole number from -9007199254740991 to 9007199254740991, got 99999999999999999999'],
    [['--seed'], '--seed needs a value, e.g. --seed 42'],
    [['--seed', '1', '--seed', '2'], '--seed was given 2 times (1, 2); give it once'],
    [['--workers', 'abc'], '--workers must be a whole number ≥ 1, got abc'],
    [['--workers', '0'], '--workers must be a whole number ≥ 1, got 0'],
    [['--workers', '-2'], '--workers must be a whole number ≥ 1, got -2'],
    [['--repeat', 'abc'], '--repeat must be a whole number ≥ 1, got abc'],
    [['--repeat', '-1.5'], '--repeat must be a whole number ≥ 1, got -1.5'],
  ])('run %j is refused naming the option and the value', async (args, message) => {
    const result = await cli(['run', SHORT, ...args]);
    expectRefused(result);
    expect(result.stderr).toBe(`kms-bench: ${message}\n`);
  });

  test('compare: a negative tolerance reaches its own check instead of being read as flags', async () => {
    const result = await cli(['compare', 'a.json', 'b.json', '--tolerance', '-5%']);
    expectRefused(result);
    expect(result.stderr).toBe('kms-bench: --tolerance must be a percentage such as 5%, got "-5%"\n');
  });

  test('a flag followed by a negative-looking word is still an unknown argument', async () => {
    const result = await cli(['run', SHORT, '--json', '-5s']);
    expectRefused(result);
    expect(result.stderr).toContain('Unknown argument: 5');
  });

  test.each(['run', 'validate', 'compare'])('the options that take no value are the booleans `%s --help` lists', async (command) => {
    const help = (await cli([command, '--help'])).stdout;
    const booleans = [...help.matchAll(/^\s+--([\w-]+)\b.*\[boolean\]/gm)].map((match) => match[1] as string);
    expect(booleans.length).toBeGreaterThan(0);
    for (const name of booleans) expect(FLAG_OPTIONS).toContain(name);
  });
});
