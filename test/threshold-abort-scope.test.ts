/**
 * What an `abortOnFail` threshold stops and how it is judged: an abort in one fleet stops every region of its variant
 * at the same simulated time, and every seed of it (naming the seed); checks end with the schedule (a completed run is
 * judged by its thresholds, never "aborted" in its drain); the reason shows the observed value in the bound's unit;
 * and an interrupt beside an abort is exit 3, not 1.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../src/api/load-scenario.js';
import { runScenario } from '../src/api/run-scenario.js';
import { runExitCode } from '../src/cli/run.js';
import { abortReason, type AbortInfo } from '../src/engine/live-figures.js';

const SCENARIO = join(import.meta.dirname, 'fixtures', 'cli', 'abort-on-fail.yaml');
const BATCH_ABORTS = "  fleets.batch.failureRate:\n    - { threshold: '< 0.5', abortOnFail: true }";

/** The fixture with its thresholds replaced by `thresholds` (YAML lines under `thresholds:`) and `extra` appended. */
async function scenarioText(thresholds: string, extra = ''): Promise<string> {
  const text = await readFile(SCENARIO, 'utf8');
  return text.replace("  throttleRate:\n    - { threshold: '< 0.05', abortOnFail: true, delayAbortEval: 3s }", thresholds) + extra;
}

describe('abortOnFail: what an abort stops', () => {
  test("a fleet's abort stops the other regions' fleets of its variant at the same simulated time", async () => {
    // A third fleet in another region, which never throttles: only an abort elsewhere can stop it early.
    const text = (await scenarioText(BATCH_ABORTS))
      .replace('keys:\n', 'keys:\n  - { name: west-app, region: us-west-2 }\n')
      .replace(
        '  - name: batch\n',
        '  - name: west\n    region: us-west-2\n    workload: { model: open, arrivalRate: 100 }\n    mix: [{ op: Encrypt, key: west-app, payloadBytes: 16 }]\n  - name: batch\n',
      );
    const scenario = await loadScenario({ text, name: 'regions.yaml' });
    const result = await runScenario(scenario, { workers: 2 });
    expect(result.abortedBy?.key).toBe('fleets.batch.failureRate');
    expect(result.abortedBy?.atSeconds).toBe(1);
    const variant = result.variants[0];
    // 30 s scheduled at 100/s would offer 3,000; stopped at 1 s, the west fleet offered about a second's worth.
    expect(variant?.metrics.fleets['west']?.total.offered).toBeLessThanOrEqual(101);
    expect(variant?.metrics.fleets['west']?.total.offered).toBeGreaterThan(0);
  });

  test('with --repeat, the abort names the seed that failed it (the metrics shown are the first seed\'s)', async () => {
    const scenario = await loadScenario({ text: await scenarioText(BATCH_ABORTS), name: 'repeat.yaml' });
    const result = await runScenario(scenario, { workers: 1, repeat: 2 });
    expect(result.abortedBy?.seed).toBe(7);
    expect(result.reason).toContain('in seed 7');
    const completion = result.variants[0]?.repeats?.metrics['completionSeconds'];
    expect(completion?.max).toBeLessThan(30);
  });
});

describe('abortOnFail: how it is judged', () => {
  test('a count that crosses its bound only in the drain after the schedule leaves a completed run, judged at the end', async () => {
    const plain = await loadScenario(SCENARIO, { duration: '4s', overrides: ['thresholds={}'] });
    const completed = (await runScenario(plain, { workers: 1 })).variants[0]?.metrics.fleets['web']?.total.completed ?? 0;
    expect(completed).toBeGreaterThan(0);
    const bound = `  fleets.web.completed:\n    - { threshold: '< ${completed}', abortOnFail: true }`;
    const scenario = await loadScenario({ text: await scenarioText(bound), name: 'drain.yaml' }, { duration: '4s' });
    const result = await runScenario(scenario, { workers: 1 });
    expect(result.abortedBy).toBeUndefined();
    expect(result.state).toBe('completed');
    expect(result.thresholds?.map((t) => t.ok)).toEqual([false]);
  });

  test('a bound written as a percentage shows the observed value as one in the reason', async () => {
    const bound = "  throttleRate:\n    - { threshold: '< 5%', abortOnFail: true, delayAbortEval: 3s }";
    const result = await runScenario(await loadScenario({ text: await scenarioText(bound), name: 'percent.yaml' }), { workers: 1 });
    expect(result.reason).toMatch(/observed [\d.]+% at 3\.0s/);
  });
});

describe('abortOnFail: exit codes', () => {
  const info: AbortInfo = { key: 'throttleRate', expression: '< 0.05', variant: 'default', atSeconds: 3, observed: 0.5 };

  test('an abort that ended the run is a failed check: exit 1', () => {
    expect(runExitCode({ state: 'incomplete', reason: abortReason(info), abortedBy: info }, false)).toBe(1);
  });

  test.each([['interrupted'], ['simulation of default (seed 7) failed: boom']])('a run ended by "%s" with an abort recorded: exit 3', (reason) => {
    expect(runExitCode({ state: 'incomplete', reason, abortedBy: info }, false)).toBe(3);
  });

  test('an interrupt during a run whose first seed aborted is the reason of the run', async () => {
    const scenario = await loadScenario({ text: await scenarioText(BATCH_ABORTS), name: 'interrupt.yaml' });
    const controller = new AbortController();
    // The first seed's lines come when its simulation finishes, after it aborted: interrupt then.
    const result = await runScenario(scenario, { workers: 1, repeat: 2, signal: controller.signal, onSeconds: () => controller.abort() });
    expect(result.abortedBy).toBeDefined();
    expect(result.reason).toBe('interrupted');
    expect(runExitCode(result, false)).toBe(3);
  });
});
