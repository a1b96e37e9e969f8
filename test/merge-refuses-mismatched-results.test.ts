/**
 * What `kms-bench merge` refuses, before adding anything up, with every reason naming its file and the field:
 * results of different scenarios or run ids, one instance or one shard twice, an already merged result, a file that
 * is not JSON or is cut short, a result without mergeable metrics, a corrupt histogram. Incomplete runs merge, and the
 * merged result stays incomplete.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadScenario } from '../src/api/load-scenario.js';
import { MergeRefusedError, mergeResults, readMergeInputs, type MergeInput } from '../src/api/merge-results.js';
import { runScenario } from '../src/api/run-scenario.js';
import { resultToJson } from '../src/report/result.js';
import type { RunResult } from '../src/report/result-types.js';
import { tempDirs } from './support/temp-dirs.js';

const tempDir = tempDirs('kms-bench-merge-refusals-');

const scenarioText = (rate: number): string => `
name: refusals
seed: 3
duration: 2s
clock: virtual
model: { crypto: off }
quotas: { profile: unlimited }
keys: [{ name: app, region: us-east-1 }]
fleets:
  - { name: web, region: us-east-1, workload: { model: open, arrivalRate: ${rate} }, mix: [{ op: Encrypt, key: app, weight: 1 }] }
`;

let a: RunResult;
let b: RunResult;
let other: RunResult;

async function shard(text: string, index: number, runId: string): Promise<RunResult> {
  const scenario = await loadScenario({ text, name: 'refusals.yaml' });
  return runScenario(scenario, { workers: 1, runId, shard: { index, count: 2 }, instanceId: `host-${index}` });
}

beforeAll(async () => {
  [a, b, other] = await Promise.all([shard(scenarioText(50), 0, 'r1'), shard(scenarioText(50), 1, 'r1'), shard(scenarioText(60), 1, 'r1')]);
}, 120_000);

/** The problems merging `inputs` is refused with. */
async function refusal(inputs: MergeInput[]): Promise<readonly string[]> {
  const error: unknown = await mergeResults(inputs).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MergeRefusedError);
  return (error as MergeRefusedError).problems;
}

const edit = (result: RunResult, change: (copy: Record<string, unknown>) => void): RunResult => {
  const copy = structuredClone(result) as unknown as Record<string, unknown>;
  change(copy);
  return copy as unknown as RunResult;
};

describe('kms-bench merge refuses', () => {
  test('results of different scenarios, naming both files and scenario.hash', async () => {
    const problems = await refusal([{ file: 'a.json', result: a }, { file: 'c.json', result: other }]);
    expect(problems).toEqual([expect.stringMatching(/^c\.json: scenario\.hash \S+ \(scenario "refusals"\) differs from a\.json's .*different scenarios/)]);
  });

  test('results of different run ids, naming runId', async () => {
    const problems = await refusal([{ file: 'a.json', result: a }, { file: 'b.json', result: edit(b, (r) => (r['runId'] = 'r2')) }]);
    expect(problems).toEqual(['b.json: runId "r2" differs from a.json\'s "r1": results of different runs cannot be merged']);
  });

  test('one instance twice, and one shard twice', async () => {
    const twin = edit(b, (r) => ((r['environment'] as Record<string, unknown>)['instanceId'] = 'host-0'));
    expect(await refusal([{ file: 'a.json', result: a }, { file: 'b.json', result: twin }])).toEqual([
      'b.json: environment.instanceId "host-0" is also a.json\'s: the same instance\'s result twice',
    ]);
    const sameShard = edit(a, (r) => ((r['environment'] as Record<string, unknown>)['instanceId'] = 'host-9'));
    expect(await refusal([{ file: 'a.json', result: a }, { file: 'a2.json', result: sameShard }])).toEqual([
      "a2.json: shard 0/2 is also a.json's: it would be counted twice",
    ]);
  });

  test('a result without mergeable metrics, or with a corrupt histogram, naming the variant field', async () => {
    const old = edit(b, (r) => delete (r['variants'] as Record<string, unknown>[])[0]?.['mergeable']);
    expect(await refusal([{ file: 'a.json', result: a }, { file: 'old.json', result: old }])).toEqual([
      'old.json: variants[0].mergeable is missing (a result written before results carried mergeable metrics)',
    ]);
    const noMetrics = edit(b, (r) => delete (r['variants'] as Record<string, unknown>[])[0]?.['metrics']);
    expect(await refusal([{ file: 'a.json', result: a }, { file: 'cut.json', result: noMetrics }])).toEqual(['cut.json: variants[0].metrics.durationSec is missing']);
    const corrupt = edit(b, (r) => {
      const wire = ((r['variants'] as Record<string, unknown>[])[0]?.['mergeable'] as { wire: { operations: { latencyUs: string }[] } }).wire;
      (wire.operations[0] as { latencyUs: string }).latencyUs = 'bm90IGEgaGlzdG9ncmFt';
    });
    expect(await refusal([{ file: 'a.json', result: a }, { file: 'bad.json', result: corrupt }])).toEqual([expect.stringMatching(/^bad\.json: variants\[0\]\.mergeable\.wire: /)]);
  });

  test('a file cut short, a file that is not a result, a missing file: every one named', async () => {
    const dir = await tempDir();
    const cut = join(dir, 'cut.json');
    const text = resultToJson(a);
    await writeFile(cut, text.slice(0, text.length / 2));
    const foreign = join(dir, 'foreign.json');
    await writeFile(foreign, '{"hello": 1}');
    const error: unknown = await readMergeInputs([cut, foreign, join(dir, 'missing.json')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MergeRefusedError);
    expect((error as MergeRefusedError).problems).toEqual([
      expect.stringMatching(/cut\.json: not valid JSON: /),
      expect.stringMatching(/foreign\.json: not a kms-bench result \(expected "schema": "kms-bench\/result"\)/),
      expect.stringMatching(/missing\.json: no such file or directory/),
    ]);
  });

  test('an already merged result', async () => {
    const merged = await mergeResults([{ file: 'a.json', result: a }, { file: 'b.json', result: b }]);
    const problems = await refusal([{ file: 'merged.json', result: merged }, { file: 'b.json', result: edit(b, (r) => ((r['environment'] as Record<string, unknown>)['instanceId'] = 'x')) }]);
    expect(problems).toContain("merged.json: instances: already a merged result; merge the instances' own results");
  });
});

describe('kms-bench merge of an incomplete run', () => {
  test('stays incomplete, naming the file and its reason', async () => {
    const stopped = edit(b, (r) => {
      r['state'] = 'incomplete';
      r['reason'] = 'interrupted';
    });
    const merged = await mergeResults([{ file: 'a.json', result: a }, { file: 'b.json', result: stopped }]);
    expect(merged.state).toBe('incomplete');
    expect(merged.reason).toBe('b.json: interrupted');
    expect(merged.instances?.map((i) => i.state)).toEqual(['completed', 'incomplete']);
  });

  test('a result read back from its file merges like the one in memory', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.json'), resultToJson(a));
    await writeFile(join(dir, 'b.json'), resultToJson(b));
    const inputs = await readMergeInputs([join(dir, 'a.json'), join(dir, 'b.json')]);
    const fromFiles = await mergeResults(inputs);
    const inMemory = await mergeResults([{ file: 'a', result: a }, { file: 'b', result: b }]);
    expect(fromFiles.variants).toEqual(inMemory.variants);
    expect(JSON.parse(await readFile(join(dir, 'a.json'), 'utf8'))).toMatchObject({ runId: 'r1', shard: { index: 0, count: 2 } });
  });
});
