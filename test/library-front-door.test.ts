/**
 * The library's front door, through the public barrel (src/index.ts) only: the README's "Library use" snippets run as
 * written, so the README cannot show an API that does not exist or does not do what it says; and the same path typed,
 * with a scenario given as text, a report directory, and the two errors a caller handles.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import * as kmsBench from '../src/index.js';
import { loadScenario, RunRefusedError, runScenario, ScenarioError, type ReportOutcome, type RunStart } from '../src/index.js';
import { tempDirs } from './support/temp-dirs.js';

const ROOT = join(import.meta.dirname, '..');
const tempDir = tempDirs('kms-bench-front-door-');

/** The ```ts blocks of the README's "Library use" section. */
function librarySnippets(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Library use\n');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

type Snippet = (modules: Record<string, unknown>, printed: string[]) => Promise<Record<string, unknown>>;
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => Snippet;

/**
 * Runs a snippet as written, with its `import { a, b } from 'x'` lines reading from `modules` and `console.log`
 * collected, and returns the values of `names` at its end. Snippets are plain JavaScript (no type annotations), so a
 * reader can paste them into a `.mjs` file too.
 */
async function runSnippet(code: string, modules: Record<string, unknown>, names: readonly string[]): Promise<{ printed: string[]; values: Record<string, unknown> }> {
  const body = code
    .replace(/^import \{([^}]+)\} from '([^']+)';$/gm, (_, bindings: string, from: string) => `const {${bindings}} = modules[${JSON.stringify(from)}];`)
    .replace(/\bconsole\.log\(/g, 'printed.push(');
  expect(body, 'every import in a README snippet is `import { … } from "…"`').not.toMatch(/^\s*import\b/m);
  const printed: string[] = [];
  const values = await new AsyncFunction('modules', 'printed', `${body}\nreturn { ${names.join(', ')} };`)(modules, printed);
  return { printed, values };
}

describe('README, "Library use"', () => {
  test('has the two snippets this file runs', () => {
    const snippets = librarySnippets();
    expect(snippets).toHaveLength(2);
    expect(snippets[0]).toContain("from 'kms-bench'");
  });

  test('runs a scenario through loadScenario and runScenario and prints each fleet\'s headline figures', async () => {
    const [snippet = ''] = librarySnippets();
    const { printed, values } = await runSnippet(snippet, { 'kms-bench': kmsBench }, ['result']);
    const result = values['result'] as kmsBench.RunResult;
    expect(result.state).toBe('completed');
    expect(result.scenario.clock).toBe('virtual');
    const web = result.variants[0]?.metrics.fleets['web']?.total;
    // ~400/s offered against a 200/s quota: about the quota succeeds, and a good share of attempts is throttled.
    expect(web?.goodputPerSec).toBeGreaterThan(150);
    expect(web?.goodputPerSec).toBeLessThanOrEqual(200);
    expect(web?.throttleRate).toBeGreaterThan(0.1);
    expect(printed).toEqual([expect.stringMatching(/^default web: \d+ ops\/s succeeded, \d+\.\d% of attempts throttled, p99 \d+ µs$/)]);
  });

  test('drives the model through the real KMSClient with createKmsRequestHandler', async () => {
    const [, snippet = ''] = librarySnippets();
    const sdk = await import('@aws-sdk/client-kms');
    const { values } = await runSnippet(snippet, { 'kms-bench': kmsBench, '@aws-sdk/client-kms': sdk }, ['kms', 'CiphertextBlob']);
    expect(values['CiphertextBlob']).toBeInstanceOf(Uint8Array);
    const kms = values['kms'] as kmsBench.KmsModel;
    expect(kms.quotaState()).toEqual([expect.objectContaining({ region: 'eu-west-1', bucket: 'symmetric', admitted: 1, throttled: 0 })]);
  });
});

const SMALL = `
name: front-door
seed: 7
duration: 3s
clock: virtual
quotas: { overrides: { us-east-1: { symmetric: 100 } } }
keys: [{ name: app, region: us-east-1 }]
fleets:
  - name: web
    region: us-east-1
    workload: { model: open, arrivalRate: 50 }
    mix: [{ op: Encrypt, key: app }]
`;

describe('the public API', () => {
  test('loads scenario text, runs it on the virtual clock and writes the report directory', async () => {
    const scenario = await loadScenario({ text: SMALL, name: 'front-door.yaml' }, { seed: 8 });
    expect(scenario.seed).toBe(8);
    const dir = join(await tempDir(), 'report');
    const started: RunStart[] = [];
    let outcome: ReportOutcome | undefined;
    const result = await runScenario(scenario, { workers: 1, onStart: (start) => started.push(start), report: { dir, onWritten: (o) => (outcome = o) } });
    expect(started).toEqual([expect.objectContaining({ scenario: 'front-door', clock: 'virtual', variants: ['default'], reportDir: dir })]);
    // 50/s under a 100/s quota for 3 s: every request succeeds.
    const web = result.variants[0]?.metrics.fleets['web']?.total;
    expect(web?.succeeded).toBe(150);
    expect(web?.throttled).toBe(0);
    expect(outcome?.notice).toBeUndefined();
    expect(outcome?.written?.result).toBe(join(dir, 'result.json'));
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
  });

  test('loadScenario throws one ScenarioError with every problem', async () => {
    const bad = SMALL.replace('duration: 3s', 'duration: -3s').replace('arrivalRate: 50', 'arrivalRate: fast');
    const error = await loadScenario({ text: bad }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).problems.map((problem) => problem.path)).toEqual(['duration', 'fleets[0].workload.arrivalRate']);
  });

  test('runScenario refuses a run past its budget before any work, naming the option that lifts it', async () => {
    const scenario = await loadScenario({ text: SMALL });
    const started: RunStart[] = [];
    const error = await runScenario(scenario, { workers: 1, budget: { maxRequests: 10 }, onStart: (start) => started.push(start) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RunRefusedError);
    expect((error as RunRefusedError).refusals).toEqual([expect.stringMatching(/would simulate ~150 requests .*; the limit is 10 \(budget\.maxRequests to raise it\)$/)]);
    expect(started).toEqual([]);
  });

  test.each([
    ['workers 0', { workers: 0 }, /^workers must be a whole number ≥ 1, got 0$/],
    ['workers 1.5', { workers: 1.5 }, /^workers must be a whole number ≥ 1, got 1\.5$/],
    ['repeat 2.5', { repeat: 2.5 }, /^repeat must be a whole number ≥ 1, got 2\.5$/],
  ])('runScenario refuses %s before any work', async (_name, options, message) => {
    const scenario = await loadScenario({ text: SMALL });
    const error = await runScenario(scenario, options).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RunRefusedError);
    expect((error as RunRefusedError).refusals).toEqual([expect.stringMatching(message)]);
  });

  test('runScenario refuses repeat on the wall clock, even repeat 1', async () => {
    const scenario = await loadScenario({ text: SMALL }, { clock: 'wall' });
    const error = await runScenario(scenario, { repeat: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RunRefusedError);
    expect((error as RunRefusedError).refusals).toEqual([expect.stringMatching(/^repeat needs the virtual clock/)]);
  });
});
