/**
 * `stream`: one line per second per fleet (the drain after the schedule last), whose sums equal the result's totals,
 * on both clocks; a file name without a known extension is refused before any work.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../src/api/load-scenario.js';
import { RunRefusedError } from '../src/api/run-events.js';
import { runScenario } from '../src/api/run-scenario.js';
import { tempDirs } from './support/temp-dirs.js';

const SCENARIO = join(import.meta.dirname, 'fixtures', 'cli', 'abort-on-fail.yaml');
const tempDir = tempDirs('kms-bench-stream-');

interface Line {
  variant: string;
  second: number;
  drain: boolean;
  fleet: string;
  offered: number;
  succeeded: number;
  attempts: number;
  throttled: number;
  retries: number;
}

const sum = (lines: readonly Line[], fleet: string, field: 'offered' | 'succeeded' | 'attempts' | 'throttled' | 'retries'): number =>
  lines.filter((line) => line.fleet === fleet).reduce((total, line) => total + line[field], 0);

describe('--stream', () => {
  test.each([['virtual', 6], ['wall', 2]] as const)('%s clock: a line per second per fleet, adding up to the totals', async (clock, seconds) => {
    const file = join(await tempDir(), 'out.ndjson');
    const scenario = await loadScenario(SCENARIO, { clock, duration: `${seconds}s`, overrides: ['thresholds={}', 'model.crypto=real'] });
    const result = await runScenario(scenario, { workers: 1, stream: file });
    const lines = (await readFile(file, 'utf8')).trim().split('\n').map((text) => JSON.parse(text) as Line);
    for (const fleet of ['web', 'batch']) {
      const mine = lines.filter((line) => line.fleet === fleet);
      expect(mine.map((line) => line.second)).toEqual(Array.from({ length: seconds + 1 }, (_, i) => i));
      expect(mine.map((line) => line.drain)).toEqual([...Array<boolean>(seconds).fill(false), true]);
      const totals = result.variants[0]?.metrics.fleets[fleet]?.total;
      expect(totals).toBeDefined();
      expect(sum(lines, fleet, 'offered')).toBe(totals?.offered);
      expect(sum(lines, fleet, 'succeeded')).toBe(totals?.succeeded);
      expect(sum(lines, fleet, 'attempts')).toBe(totals?.attempts);
      expect(sum(lines, fleet, 'throttled')).toBe(totals?.throttled);
      expect(sum(lines, fleet, 'retries')).toBe(totals?.retries);
    }
    expect(sum(lines, 'web', 'throttled')).toBeGreaterThan(0);
  });

  test('CSV by extension: a header, then the same lines', async () => {
    const file = join(await tempDir(), 'out.csv');
    const scenario = await loadScenario(SCENARIO, { duration: '3s', overrides: ['thresholds={}'] });
    await runScenario(scenario, { workers: 1, stream: file });
    const rows = (await readFile(file, 'utf8')).trim().split('\n');
    expect(rows[0]).toBe('variant,second,drain,fleet,offered,succeeded,goodputPerSec,attempts,admitted,throttled,throttleRate,errors,retries,denied');
    expect(rows).toHaveLength(1 + 2 * 4);
  });

  test.each([['out.txt', 'extension'], ['missing-dir/out.ndjson', 'cannot be written']])('%s is refused before the run', async (name, message) => {
    const scenario = await loadScenario(SCENARIO, { overrides: ['thresholds={}'] });
    const run = runScenario(scenario, { workers: 1, stream: join(await tempDir(), name) });
    await expect(run).rejects.toBeInstanceOf(RunRefusedError);
    await expect(run).rejects.toThrow(message);
  });
});
