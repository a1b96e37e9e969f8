/**
 * `abortOnFail` thresholds (k6's): one that fails while the run goes ends it early — fewer simulated seconds than
 * scheduled — with exit 1 and a result naming the threshold; `delayAbortEval` holds the first check back; a threshold
 * on a metric only known at the end cannot abort, and says so at validation (exit 2).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../src/api/load-scenario.js';
import { runScenario } from '../src/api/run-scenario.js';
import { runCli } from './support/cli.js';
import { tempDirs } from './support/temp-dirs.js';

const SCENARIO = join(import.meta.dirname, 'fixtures', 'cli', 'abort-on-fail.yaml');
const tempDir = tempDirs('kms-bench-abort-');

describe('abortOnFail', () => {
  test('a failing threshold stops the run early, exit 1, and the result names it', async () => {
    const out = join(await tempDir(), 'report');
    const run = await runCli(['run', SCENARIO, '--out', out, '--workers', '1']);
    expect(run.code).toBe(1);
    const result = JSON.parse(await readFile(join(out, 'result.json'), 'utf8')) as {
      state: string;
      reason: string;
      abortedBy: { key: string; expression: string; atSeconds: number };
      variants: { simulatedSeconds: number }[];
    };
    expect(result.state).toBe('incomplete');
    expect(result.abortedBy.key).toBe('throttleRate');
    expect(result.abortedBy.expression).toBe('< 0.05');
    expect(result.reason).toContain('aborted by threshold throttleRate');
    // delayAbortEval: 3s — checked first at 3 s, and it fails there: the quota admits a quarter of the demand.
    expect(result.abortedBy.atSeconds).toBe(3);
    expect(result.variants[0]?.simulatedSeconds).toBeLessThan(10);
    expect(run.stdout).toContain('aborted by threshold');
  });

  test('a threshold that holds does not abort: the run completes its schedule', async () => {
    const scenario = await loadScenario(SCENARIO, { overrides: ['duration=6s', 'quotas.overrides.us-east-1.symmetric=5000'] });
    const result = await runScenario(scenario, { workers: 1 });
    expect(result.state).toBe('completed');
    expect(result.abortedBy).toBeUndefined();
  });

  test('a fleet-scoped threshold aborts on its own fleet only', async () => {
    const text = (await readFile(SCENARIO, 'utf8')).replace(
      "  throttleRate:\n    - { threshold: '< 0.05', abortOnFail: true, delayAbortEval: 3s }",
      "  fleets.batch.failureRate:\n    - { threshold: '< 0.5', abortOnFail: true }",
    );
    const scenario = await loadScenario({ text, name: 'abort.yaml' });
    const result = await runScenario(scenario, { workers: 1 });
    // batch has no retries and half its calls throttle within the first second.
    expect(result.abortedBy?.key).toBe('fleets.batch.failureRate');
    expect(result.abortedBy?.atSeconds).toBe(1);
  });

  test.each([
    ['latency.p99', "{ threshold: '< 50', abortOnFail: true }", 'known only at the end'],
    ['fleets.web.ops.Encrypt.throttleRate', "{ threshold: '< 0.1', abortOnFail: true }", 'not to one operation'],
    ['throttleRate', "{ threshold: '< 0.1', abortOnFail: true, delayAbortEval: soon }", 'delayAbortEval'],
    ['throttleRate', "{ threshold: '< 0.1', abortOnFial: true }", 'did you mean "abortOnFail"'],
    ['succeeded', "{ threshold: '> 100', abortOnFail: true }", 'thresholds.succeeded[0].abortOnFail: abortOnFail cannot use a lower bound (>) on succeeded: a count only grows'],
    ['fleets.web.offered', "{ threshold: '>= 10', abortOnFail: true }", 'can only be judged at the end'],
    ['attemptsPerOp', "{ threshold: '< 2', abortOnFail: true }", 'retries of operations still in flight'],
    ['fleets.web.kmsCallsPerOp', "{ threshold: '< 2', abortOnFail: true }", 'judged at the end only'],
  ])('%s: %s is refused at validation, exit 2', async (key, entry, message) => {
    const dir = await tempDir();
    const text = (await readFile(SCENARIO, 'utf8')).replace(
      "  throttleRate:\n    - { threshold: '< 0.05', abortOnFail: true, delayAbortEval: 3s }",
      `  ${key}:\n    - ${entry}`,
    );
    const file = join(dir, 'bad.yaml');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, text));
    const run = await runCli(['validate', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`thresholds`);
    expect(run.stderr).toContain(message);
  });
});
