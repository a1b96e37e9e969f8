/**
 * The scenario loader against hostile input (test/fixtures/hostile/): each is refused as bad input (a ScenarioError,
 * exit 2 in the CLI) with one line saying what the file is, never a stack overflow, an out-of-memory abort or a
 * garbled dump; and a legitimate file that shares anchors across 120 fleets still loads.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenarioFile, parseScenarioText, readScenarioText, ScenarioError } from '../src/scenario/index.js';
import { INPUT_LIMITS, ScenarioInputError } from '../src/scenario/input-limits.js';
import { decodeScenarioText } from '../src/scenario/scenario-bytes.js';
import { tempDirs } from './support/temp-dirs.js';

const HOSTILE = join(import.meta.dirname, 'fixtures', 'hostile');
const LEGIT = join(HOSTILE, 'legit-120-fleets-anchored.yaml');
const tempDir = tempDirs('kms-bench-loader-');

/** The ScenarioError `run` threw or rejected with; fails the test if it succeeded or threw anything else. */
async function scenarioErrorOf(run: () => unknown): Promise<ScenarioError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error('expected a ScenarioError');
}

describe('hostile files are refused with one line saying what the file is', () => {
  test.each([
    ['alias-bomb.yaml', 'too many YAML alias expansions: more than 10,000 (an alias bomb?)'],
    ['deep-nesting.yaml', 'too deeply nested: more than 64 levels of mappings and sequences (line 3, column 72)'],
    ['deep-nesting-block.yaml', 'too deeply nested: more than 64 levels of mappings and sequences (line 4, column 129)'],
    ['deep-nesting.json', 'too deeply nested: more than 64 levels of mappings and sequences (line 1, column 91)'],
    ['binary-garbage.yaml', 'file is binary, not YAML or JSON text (a NUL byte at offset 143)'],
    ['binary-no-nul.yaml', 'file is not UTF-8 text (binary, or another encoding such as Latin-1): invalid byte 0x8B (line 1, column 2)'],
    ['latin1.yaml', 'file is not UTF-8 text (binary, or another encoding such as Latin-1): invalid byte 0xE9 (line 2, column 17)'],
    ['utf16le-bom.yaml', 'file is UTF-16; save it as UTF-8'],
    ['utf16be-bom.yaml', 'file is UTF-16; save it as UTF-8'],
    ['utf16le-no-bom.yaml', 'file is UTF-16; save it as UTF-8'],
    [
      'control-character.yaml',
      'file holds the control character U+001B; YAML and JSON text allows only printable characters, tabs and newlines (line 2, column 15)',
    ],
  ])('%s', async (file, message) => {
    const path = join(HOSTILE, file);
    const error = await scenarioErrorOf(() => loadScenarioFile(path));
    expect(error).toBeInstanceOf(ScenarioInputError);
    expect(error.lines()).toEqual([message]);
    expect(error.format()).toBe(`invalid scenario ${path}: ${message}`);
  });

  test('a file larger than the limit is refused without being parsed', async () => {
    const path = join(await tempDir(), 'huge.yaml');
    const text = `name: x\ndescription: ${'a'.repeat(INPUT_LIMITS.maxFileBytes)}\n`;
    await writeFile(path, text);
    const error = await scenarioErrorOf(() => loadScenarioFile(path));
    const size = text.length.toLocaleString('en-US');
    expect(error.lines()).toEqual([`file is larger than 1 MiB (${size} bytes); a scenario is a small YAML or JSON text file`]);
  });

  test('a directory is named as one', async () => {
    const dir = await tempDir();
    expect((await scenarioErrorOf(() => loadScenarioFile(dir))).lines()).toEqual([`cannot read ${dir}: it is a directory`]);
  });

  test.each([
    ['UTF-32 LE', Buffer.from([0xff, 0xfe, 0, 0, 0x6e, 0, 0, 0]), 'file is UTF-32; save it as UTF-8'],
    ['UTF-32 BE', Buffer.from([0, 0, 0xfe, 0xff, 0, 0, 0, 0x6e]), 'file is UTF-32; save it as UTF-8'],
    ['UTF-16 BE without a mark', Buffer.from('name: x\nseed: 1\n', 'utf16le').swap16(), 'file is UTF-16; save it as UTF-8'],
  ])('%s text is named', (_name, bytes, message) => {
    expect(() => decodeScenarioText(bytes, 'x.yaml')).toThrow(message);
  });

  test('UTF-8 with a byte order mark and non-ASCII text is accepted as it is', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('description: café ☕ 🔑\n', 'utf8')]);
    expect(decodeScenarioText(bytes, 'x.yaml')).toBe('description: café ☕ 🔑\n');
  });
});

describe('duplicate keys are named with their lines', () => {
  test('a YAML key given twice names the key, its line and the first one', async () => {
    const error = await scenarioErrorOf(() => loadScenarioFile(join(HOSTILE, 'duplicate-key.yaml')));
    expect(error.lines()).toEqual(['duplicate key "workload" at line 16, column 5 (first at line 13): a mapping holds each key once']);
    expect(error.problems[0]).toMatchObject({ line: 16, column: 5 });
  });

  test.each([
    ['a JSON key', '{\n  "name": "a",\n  "name": "b"\n}\n', 'x.json', 'duplicate key "name" at line 3, column 3 (first at line 2): a mapping holds each key once'],
    ['a key in a flow mapping', 'name: x\nquotas: { profile: kms-current, profile: kms-2019 }\n', 'x.yaml', 'duplicate key "profile" at line 2, column 33 (first at line 2): a mapping holds each key once'],
  ])('%s given twice is named', async (_name, text, source, message) => {
    expect((await scenarioErrorOf(() => readScenarioText(text, source))).lines()).toEqual([message]);
  });
});

describe('nesting and alias limits fit real files and refuse bombs', () => {
  const nested = (levels: number): string => `a: ${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}\n`;

  test('a document exactly at the nesting limit is read; one level more is refused', async () => {
    expect(() => readScenarioText(nested(INPUT_LIMITS.maxNestingDepth), 'x.yaml')).not.toThrow();
    const error = await scenarioErrorOf(() => readScenarioText(nested(INPUT_LIMITS.maxNestingDepth + 1), 'x.yaml'));
    expect(error.lines()).toEqual(['too deeply nested: more than 64 levels of mappings and sequences (line 1, column 67)']);
  });

  test('120 fleets sharing anchors load, each with its own copy of the shared parts', async () => {
    const text = await readFile(LEGIT, 'utf8');
    const scenario = parseScenarioText(text, LEGIT, { sets: ['fleets.host-001.mix[0].weight=5'] });
    expect(scenario.fleets).toHaveLength(120);
    // The override changed the fleet it named, not the anchor every other fleet aliases.
    expect(scenario.fleets.map((fleet) => fleet.mix[0]?.weight)).toEqual([1, 5, ...Array<number>(118).fill(1)]);
  });

  test('a large anchor aliased many times is refused by its expanded size', async () => {
    const text = `big: &b [${Array<string>(5_000).fill('1').join(',')}]\nuses: [${Array<string>(300).fill('*b').join(',')}]\n`;
    expect((await scenarioErrorOf(() => readScenarioText(text, 'x.yaml'))).lines()).toEqual([
      'YAML aliases expand the document to more than 1,000,000 values (an alias bomb?)',
    ]);
  });

  test('aliases that nest past the limit once expanded are refused', async () => {
    const text = `a: &a ${'['.repeat(40)}${']'.repeat(40)}\nb: ${'['.repeat(30)}*a${']'.repeat(30)}\n`;
    expect((await scenarioErrorOf(() => readScenarioText(text, 'x.yaml'))).lines()).toEqual([
      'too deeply nested once YAML aliases are expanded: more than 64 levels of mappings and sequences',
    ]);
  });

  test.each([
    ['refers to its own ancestor', 'a: &a [1, *a]\n', 'a YAML alias refers to a mapping or sequence that contains it; a scenario must be a tree'],
    ['names no anchor', 'a: *nope\n', 'YAML alias error: Unresolved alias (the anchor must be set before the alias): nope'],
  ])('an alias that %s is refused', async (_name, text, message) => {
    expect((await scenarioErrorOf(() => readScenarioText(text, 'x.yaml'))).lines()).toEqual([message]);
  });
});
