/**
 * `kms-bench plan` as a user runs it (the built CLI): the answer first, in a sentence, and the files; exit 2 for a bad
 * objective, fleet, option or plan block (before any probe); exit 1 when no point meets the objectives, naming the
 * closest; exit 3 when interrupted, with what was probed written and marked incomplete.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { PlanResult } from '../src/plan/plan-types.js';
import { runCli } from './support/cli.js';
import { poissonScenario } from './support/plan-scenarios.js';
import { tempDirs } from './support/temp-dirs.js';

const tempDir = tempDirs('kms-bench-plan-cli-');

async function scenarioFile(dir: string, duration = '20s', plan?: string): Promise<string> {
  const file = join(dir, 'poisson.yaml');
  await writeFile(file, poissonScenario({ rate: 50, quota: 100, duration, ...(plan === undefined ? {} : { plan }) }));
  return file;
}

const readPlan = async (dir: string): Promise<PlanResult> => JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as PlanResult;

describe('kms-bench plan exit codes', () => {
  test('an answer: exit 0, the sentence first, plan.json, plan.md and plan.html written', async () => {
    const dir = await tempDir();
    const file = await scenarioFile(dir, '20s', 'plan: { rate: { min: 40, max: 160 } }');
    const out = join(dir, 'out');
    const exit = await runCli(['plan', file, '--find', 'max-rate', '--fleet', 'web', '--objective', 'throttleRate < 1%', '--tolerance', '5%', '--workers', '2', '--out', out]);
    expect(exit.stderr).toMatch(/step 1 .*probing 40 req\/s/);
    expect(exit.code).toBe(0);
    expect(exit.stdout.split('\n')[0]).toMatch(/^web sustains [\d.,]+ req\/s \(fails at [\d.,]+; search step [\d.]+%\) in us-east-1 without retries; above it throttleRate [\d.]+% \(objective < 1%\)$/);
    const plan = await readPlan(out);
    expect(plan.schema).toBe('kms-bench/plan');
    expect(plan.tolerance).toBe(0.05);
    expect(plan.objectives).toEqual(['throttleRate < 1%']);
    expect(plan.probes.length).toBeGreaterThanOrEqual(4);
    expect(await readFile(join(out, 'plan.md'), 'utf8')).toContain(`**${plan.answer?.sentence ?? 'none'}**`);
    expect(await readFile(join(out, 'plan.html'), 'utf8')).toContain('id="answer"');
  }, 120_000);

  test('no point meets the objectives: exit 1 with the closest probe', async () => {
    const dir = await tempDir();
    const file = await scenarioFile(dir, '5s', 'plan: { rate: { min: 20, max: 80 } }');
    const out = join(dir, 'out');
    const exit = await runCli(['plan', file, '--find', 'max-rate', '--objective', 'latencyUs.p99 < 10', '--workers', '2', '--out', out]);
    expect(exit.code).toBe(1);
    expect(exit.stdout).toMatch(/^No value of fleets\.web\.workload\.arrivalRate in 20–80 req\/s meets the objectives; the closest probe, 20 req\/s, fails latencyUs\.p99 [\d,]+ \(objective < 10\)\./);
    const plan = await readPlan(out);
    expect(plan.outcome).toBe('none');
    expect(plan.best?.value).toBe(20);
  }, 120_000);

  test.each([
    ['a misspelt objective metric', ['--objective', 'throttleRat < 0.01'], /--objective "throttleRat < 0.01": unknown metric "throttleRat" \(did you mean "throttleRate"\?\)/],
    ['an objective without a condition', ['--objective', 'throttleRate'], /--objective "throttleRate": expected a metric and a condition/],
    ['a unit on a ratio', ['--objective', 'throttleRate < 5ms'], /ms is a time unit, and throttleRate is not a time/],
    ['an unknown fleet', ['--fleet', 'webb', '--objective', 'throttleRate < 0.01'], /--fleet: unknown fleet "webb" \(did you mean "web"\?\); fleets are web/],
    ['a tolerance out of range', ['--tolerance', '80%', '--objective', 'throttleRate < 0.01'], /--tolerance "80%": expected a fraction above 0 and at most 50%/],
    ['no objective and no thresholds', [], /no objectives: give at least one --objective/],
    ['--growth without --find quota', ['--growth', '3x', '--objective', 'throttleRate < 0.01'], /--growth applies to --find quota only/],
    ['one point per step', ['--points-per-step', '1', '--objective', 'throttleRate < 0.01'], /--points-per-step must be a whole number ≥ 2, got 1/],
  ])('%s: exit 2 before any probe', async (_, args, message) => {
    const dir = await tempDir();
    const file = await scenarioFile(dir);
    const exit = await runCli(['plan', file, '--find', 'max-rate', ...args, '--out', join(dir, 'out')]);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(message);
    expect(exit.stderr).not.toMatch(/step 1/);
  }, 60_000);

  test('a plan block whose range is empty: exit 2 with its path', async () => {
    const dir = await tempDir();
    const file = await scenarioFile(dir, '5s', 'plan: { rate: { min: 90, max: 10 } }');
    const exit = await runCli(['plan', file, '--find', 'max-rate', '--objective', 'throttleRate < 0.01', '--out', join(dir, 'out')]);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(/plan\.rate\.max: min must be below max/);
  }, 60_000);

  test('a harness-limited probe stops the search: exit 3, the reason named, what was probed written', async () => {
    const dir = await tempDir();
    const file = join(dir, 'limited.yaml');
    // One request in flight at most, at 50/s with ~2 ms answers: ~10% of arrivals find it busy and are dropped.
    await writeFile(file, poissonScenario({ rate: 50, quota: 100, duration: '5s' }).replace('maxInFlight: 100000', 'maxInFlight: 1'));
    const out = join(dir, 'out');
    const exit = await runCli(['plan', file, '--find', 'max-rate', '--objective', 'throttleRate < 0.01', '--workers', '2', '--out', out]);
    expect(exit.code).toBe(3);
    expect(exit.stdout).toMatch(/^The search stopped before an answer: the probe at [\d,.]+ req\/s \(seed 3\) is harness-limited/);
    const plan = await readPlan(out);
    expect(plan.state).toBe('incomplete');
    expect(plan.probes.length).toBeGreaterThan(0);
  }, 120_000);

  test('interrupted: exit 3, what was probed written and marked incomplete', async () => {
    const dir = await tempDir();
    const file = await scenarioFile(dir, '3000s');
    const out = join(dir, 'out');
    let sent = false;
    const exit = await runCli(['plan', file, '--find', 'max-rate', '--objective', 'throttleRate < 0.01', '--workers', '2', '--out', out], {
      onStderr: (stderr, child) => {
        if (!sent && stderr.includes('step 1')) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 1500);
        }
      },
    });
    expect(exit.code).toBe(3);
    const plan = await readPlan(out);
    expect(plan.state).toBe('incomplete');
    expect(plan.outcome).toBe('stopped');
    expect(exit.stdout).toMatch(/^The search stopped before an answer: interrupted\./);
  }, 120_000);
});
