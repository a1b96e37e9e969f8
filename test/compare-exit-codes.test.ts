/**
 * `kms-bench compare`: every shared metric with its change, direction-aware regressions (exit 1), incomparable inputs
 * (exit 2), a different scenario only a warning, deterministic metrics gated exactly by default, wall-clock metrics
 * with noise-aware default tolerances, harness metrics listed but gated only on request.
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compareFiles } from '../src/cli/compare.js';
import { compareResults, noiseKind, parseTolerance, WALL_TOLERANCES } from '../src/report/baseline-diff.js';
import type { Comparison } from '../src/report/baseline-diff.js';
import type { OperationSummary } from '../src/metrics/index.js';
import { HARNESS_LIMIT_RATE, resultToJson } from '../src/report/result.js';
import type { RunResult } from '../src/report/result.js';
import { simpleScenario, slot, syntheticResult } from './support/report-fixture.js';
import type { SyntheticRun } from './support/report-fixture.js';
import { tempDirs } from './support/temp-dirs.js';

/** A fresh directory for result files, removed after the test. */
const tempDir = tempDirs('kms-bench-compare-');

function run(
  options: { admitted?: number | readonly number[]; throttled?: number; latencyUs?: number } & Partial<SyntheticRun> = {},
): RunResult {
  return syntheticResult({
    variants: [
      {
        name: 'default',
        scenario: simpleScenario(),
        ops: [
          {
            fleet: 'web',
            op: 'Encrypt',
            bucket: 'symmetric',
            admittedPerSec: options.admitted ?? 100,
            throttledPerSec: options.throttled ?? 10,
            latencyUs: options.latencyUs ?? 1_000,
          },
        ],
        quota: [slot('symmetric', 100, 500, 50)],
      },
    ],
    ...options,
  });
}

async function files(...results: (RunResult | string)[]): Promise<string[]> {
  const dir = await tempDir();
  return Promise.all(
    results.map(async (result, index) => {
      const path = join(dir, `r${index}.json`);
      await writeFile(path, typeof result === 'string' ? result : resultToJson(result));
      return path;
    }),
  );
}

/**
 * The result with `late` operations started late in every summary (the fixture's one operation, its fleet, the
 * variant), and the rate and harness verdict that follow, as the engine would record a generator falling behind.
 */
function withLate(result: RunResult, late: number): RunResult {
  const adjust = (s: OperationSummary): OperationSummary => ({ ...s, late, lateOrDroppedRate: (late + s.dropped) / s.offered });
  const each = <T,>(record: Record<string, T>, f: (value: T) => T): Record<string, T> =>
    Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value)]));
  return {
    ...result,
    variants: result.variants.map((variant) => {
      const total = adjust(variant.metrics.total);
      const fleets = each(variant.metrics.fleets, (fleet) => ({ ...fleet, total: adjust(fleet.total), operations: each(fleet.operations, adjust) }));
      return { ...variant, harnessLimited: total.lateOrDroppedRate > HARNESS_LIMIT_RATE, metrics: { ...variant.metrics, total, fleets } };
    }),
  };
}

interface CompareFlags {
  readonly tolerance?: string;
  readonly toleranceDeterministic?: string;
  readonly gateHarness?: boolean;
  readonly format?: 'text' | 'markdown' | 'json';
}

/** Compares through the command's own entry point; flags left out take the command's defaults. */
async function compare(baseline: RunResult | string, candidate: RunResult | string, flags: CompareFlags = {}) {
  const [a = '', b = ''] = await files(baseline, candidate);
  return compareFiles({ baseline: a, candidate: b, ...flags });
}

const verdicts = (comparison: Comparison, ...paths: string[]): Record<string, string | undefined> =>
  Object.fromEntries(paths.map((path) => [path, comparison.entries.find((e) => e.path === path)?.verdict]));

describe('compare exit codes', () => {
  test('identical results: exit 0, every metric unchanged', async () => {
    const outcome = await compare(run(), run());
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toContain('0 regressions, 0 improvements');
    expect(outcome.stdout).toContain('latency.p99 (ms)');
    // One fleet calling one operation: its scopes would only repeat the variant's numbers.
    expect(outcome.stdout).not.toContain('fleets.web');
    expect(outcome.stdout).toContain('costUsdPerMonth');
  });

  test('higher latency beyond the tolerance is a regression: exit 1', async () => {
    const outcome = await compare(run(), run({ latencyUs: 1_200 }), { tolerance: '5%' });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toMatch(/✗ +default +latency\.p99 \(ms\) +1\.00 +1\.20 +\+20% +regression/);
  });

  test('latency is shown in ms in the text and Markdown tables, and kept in µs in JSON', async () => {
    const [text, markdown, json] = await Promise.all(
      (['text', 'markdown', 'json'] as const).map((format) => compare(run(), run({ latencyUs: 12_500 }), { tolerance: '5%', format })),
    );
    expect(text?.stdout).toMatch(/latency\.p50 \(ms\) +1\.00 +12\.5 /);
    expect(text?.stdout).not.toContain('latencyUs');
    expect(markdown?.stdout).toMatch(/\| latency\.p99 \(ms\) \| 1\.00 \| 12\.5 \|/);
    const entry = (JSON.parse(json?.stdout ?? '{}') as Comparison).entries.find((e) => e.path === 'latencyUs.p99');
    expect([entry?.baseline, entry?.unit]).toEqual([1_000, 'us']);
    expect(entry?.candidate).toBeGreaterThan(12_000); // µs, as recorded (within the histogram's precision)
  });

  test('more throttles are a regression, fewer an improvement (direction-aware)', async () => {
    const worse = compareResults(run(), run({ throttled: 20 }));
    expect(worse.entries.find((e) => e.path === 'throttleRate')?.verdict).toBe('regression');
    const better = compareResults(run({ throttled: 20 }), run());
    expect(better.entries.find((e) => e.path === 'throttleRate')?.verdict).toBe('improvement');
  });

  test('higher goodput is an improvement, lower a regression', async () => {
    const up = compareResults(run(), run({ admitted: 120 }));
    expect(up.entries.find((e) => e.path === 'goodputPerSec')?.verdict).toBe('improvement');
    expect(up.entries.find((e) => e.path === 'offered')?.verdict).toBe('changed');
    const down = await compare(run(), run({ admitted: 80 }), { tolerance: '5%' });
    expect(down.exitCode).toBe(1);
    expect(down.stdout).toMatch(/✗ +default +goodputPerSec +100 +80 +-20% +regression/);
  });

  test('a change within the noisy tolerance passes; a tighter tolerance fails it', async () => {
    expect((await compare(run(), run({ latencyUs: 1_030 }), { tolerance: '5%' })).exitCode).toBe(0);
    const tight = await compare(run(), run({ latencyUs: 1_030 }), { tolerance: '1%' });
    expect(tight.exitCode).toBe(1);
  });

  test('deterministic (virtual-clock) metrics must match exactly unless given a tolerance', async () => {
    const baseline = run({ clock: 'virtual' });
    const candidate = run({ clock: 'virtual', latencyUs: 1_030 });
    const exact = await compare(baseline, candidate);
    expect(exact.exitCode).toBe(1);
    expect(compareResults(baseline, candidate).entries.every((e) => e.determinism === 'deterministic')).toBe(true);
    expect((await compare(baseline, candidate, { toleranceDeterministic: '5%' })).exitCode).toBe(0);
    // A noisy result on either side makes every metric noisy.
    expect((await compare(run(), candidate)).exitCode).toBe(0);
  });

  test('a different scenario hash is a warning, not an error', async () => {
    const outcome = await compare(run(), run({ hash: 'a'.repeat(64) }));
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stderr).toContain('warning: the scenarios differ');
  });

  test('a different result schema version is an error: exit 2', async () => {
    const future = JSON.stringify({ ...run(), schemaVersion: 2 });
    const outcome = await compare(run(), future);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain('result schema version 2; this kms-bench reads version 1');
  });

  test('results without a shared variant cannot be compared: exit 2', async () => {
    const other = syntheticResult({ variants: [{ name: 'retry=none', ops: [] }] });
    const outcome = await compare(run(), other);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain('share no variant');
  });

  test('a missing file, a file that is not JSON and a file that is not a result: exit 2', async () => {
    const [good = ''] = await files(run());
    expect((await compareFiles({ baseline: good, candidate: join(tmpdir(), 'no-such-result.json') })).exitCode).toBe(2);
    const notJson = await compare(run(), '{ nope');
    expect(notJson.exitCode).toBe(2);
    expect(notJson.stderr).toContain('not valid JSON');
    const foreign = await compare(run(), JSON.stringify({ benchmarks: [] }));
    expect(foreign.exitCode).toBe(2);
    expect(foreign.stderr).toContain('not a kms-bench result');
  });

  test('a bad tolerance is bad input: exit 2', async () => {
    const lots = await compare(run(), run(), { tolerance: 'lots' });
    expect(lots.exitCode).toBe(2);
    expect(lots.stderr).toContain('--tolerance must be a percentage such as 5%, got "lots"');
    const negative = await compare(run(), run(), { toleranceDeterministic: '-1%' });
    expect(negative.exitCode).toBe(2);
    expect(negative.stderr).toContain('--tolerance-deterministic must be a percentage');
    expect(parseTolerance('5%')).toBe(0.05);
    expect(parseTolerance('0.5%')).toBe(0.005);
    expect(parseTolerance('0.1')).toBe(0.1);
    expect(parseTolerance('-1%')).toBeUndefined();
  });

  test('a report directory can stand for its result.json', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'result.json'), resultToJson(run()));
    const outcome = await compareFiles({ baseline: dir, candidate: dir, format: 'markdown' });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toContain('| :-: | :-- | :-- | --: | --: | --: | :-- |');
  });
});

describe('compare defaults: noise-aware on the wall clock, exact on the virtual clock', () => {
  // Two wall-clock runs of the same code: the generator fell behind a little more in the second (20 of 550 offered
  // late, then 60 of 535), latency moved 20%, goodput 3%: what identical runs look like on a shared CI machine.
  const noisyBaseline = withLate(run({ latencyUs: 1_000 }), 20);
  const noisyCandidate = withLate(run({ latencyUs: 1_200, admitted: 97 }), 60);

  test('two identical-but-noisy wall-clock runs exit 0; the harness metrics are listed, not gated', async () => {
    const outcome = await compare(noisyBaseline, noisyCandidate);
    expect(outcome.exitCode).toBe(0);
    const comparison = compareResults(noisyBaseline, noisyCandidate);
    expect(verdicts(comparison, 'late', 'lateOrDroppedRate', 'latencyUs.p50', 'latencyUs.p99', 'goodputPerSec')).toEqual({
      late: 'changed',
      lateOrDroppedRate: 'changed',
      'latencyUs.p50': 'within',
      'latencyUs.p99': 'within',
      goodputPerSec: 'within',
    });
    // A metric without a direction (offered) is never gated either; it is listed as `changed` when it moves.
    expect(comparison.entries.find((e) => e.path === 'offered')).toMatchObject({ gated: false, harness: false });
    expect(comparison.entries.filter((e) => e.harness).map((e) => [e.path, e.gated])).toEqual([
      ['late', false],
      ['dropped', false],
      ['lateOrDroppedRate', false],
    ]);
    expect(outcome.stdout).toMatch(/~ +default +late +20 +60 +\+200% +changed, not gated \(harness\)/);
    expect(outcome.stdout).toContain(
      'tolerance: wall clock counts 10%, latency 30%, tail latency (p99, p999, max) 100%; virtual clock 0%; harness metrics (late, dropped, lateOrDroppedRate) not gated',
    );
  });

  test('a generator that fell behind is a warning: its numbers measure the harness as much as KMS', async () => {
    const outcome = await compare(noisyBaseline, noisyCandidate);
    expect(outcome.stderr).toContain("warning: the baseline run's generator fell behind in default (3.64% of requests late or dropped)");
    expect(outcome.stderr).toContain("warning: the candidate run's generator fell behind in default (11.21% of requests late or dropped)");
    expect((await compare(run(), run())).stderr).toBe('');
  });

  test('--gate-harness gates the harness metrics like the others', async () => {
    const outcome = await compare(noisyBaseline, noisyCandidate, { gateHarness: true });
    expect(outcome.exitCode).toBe(1);
    const comparison = compareResults(noisyBaseline, noisyCandidate, { gateHarness: true });
    expect(comparison.entries.filter((e) => e.verdict === 'regression').map((e) => e.path)).toEqual(['late', 'lateOrDroppedRate']);
    expect(outcome.stdout).toContain('; harness metrics gated');
    // Unchanged harness figures pass with the flag too.
    expect((await compare(withLate(run(), 20), withLate(run(), 20), { gateHarness: true })).exitCode).toBe(0);
  });

  test('a real regression of goodput or throttles beyond the count tolerance exits 1', async () => {
    const lessGoodput = await compare(noisyBaseline, withLate(run({ latencyUs: 1_000, admitted: 85 }), 20));
    expect(lessGoodput.exitCode).toBe(1);
    expect(lessGoodput.stdout).toMatch(/✗ +default +goodputPerSec +100 +85 +-15% +regression/);
    const moreThrottles = compareResults(noisyBaseline, withLate(run({ latencyUs: 1_000, throttled: 12 }), 20));
    expect(verdicts(moreThrottles, 'throttled', 'throttleRate')).toEqual({ throttled: 'regression', throttleRate: 'regression' });
    expect(moreThrottles.entries.find((e) => e.path === 'throttled')?.tolerance).toBe(WALL_TOLERANCES.counts);
  });

  test('latency gets a wider default than counts, and its tail the widest', () => {
    const slower = compareResults(run({ latencyUs: 1_000 }), run({ latencyUs: 1_400 }));
    // Every request took 40% longer: beyond the 30% of the body of the distribution, within the tail's 100%.
    expect(verdicts(slower, 'latencyUs.p50', 'latencyUs.mean', 'latencyUs.p99', 'latencyUs.max')).toEqual({
      'latencyUs.p50': 'regression',
      'latencyUs.mean': 'regression',
      'latencyUs.p99': 'within',
      'latencyUs.max': 'within',
    });
    const muchSlower = compareResults(run({ latencyUs: 1_000 }), run({ latencyUs: 2_100 }));
    expect(verdicts(muchSlower, 'latencyUs.p99')).toEqual({ 'latencyUs.p99': 'regression' });
    expect([noiseKind('latencyUs.p90'), noiseKind('latencyUs.p999'), noiseKind('latencyUs.count'), noiseKind('costUsdPerMonth')]).toEqual([
      'latency',
      'latencyTail',
      'counts',
      'counts',
    ]);
  });

  test('an explicit --tolerance replaces every wall-clock default', async () => {
    const outcome = await compare(run({ latencyUs: 1_000 }), run({ latencyUs: 1_200 }), { tolerance: '5%' });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toContain('tolerance: wall clock 5%; virtual clock 0%');
    expect((await compare(run({ latencyUs: 1_000 }), run({ latencyUs: 1_200 }))).exitCode).toBe(0);
    const loose = await compare(noisyBaseline, withLate(run({ latencyUs: 1_000, admitted: 85 }), 20), { tolerance: '20%' });
    expect(loose.exitCode).toBe(0);
  });

  test('virtual-clock results that differ by one count exit 1 by default; as wall-clock results they pass', async () => {
    const seconds = [100, 100, 100, 100, 100];
    const oneFewer = [100, 100, 100, 100, 99];
    const virtual = await compare(run({ clock: 'virtual', admitted: seconds }), run({ clock: 'virtual', admitted: oneFewer }));
    expect(virtual.exitCode).toBe(1);
    expect(virtual.stdout).toMatch(/✗ +default +succeeded +500 +499 +-0\.2% +regression/);
    expect((await compare(run({ clock: 'virtual', admitted: seconds }), run({ clock: 'virtual', admitted: seconds }))).exitCode).toBe(0);
    expect((await compare(run({ admitted: seconds }), run({ admitted: oneFewer }))).exitCode).toBe(0);
  });
});
