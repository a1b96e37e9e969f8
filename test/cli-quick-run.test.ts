/**
 * `kms-bench run` without a scenario file: `--op/--rate/--connections/--quota/…` build a scenario that runs exactly
 * like the equivalent YAML file, `--print-scenario` prints that file (valid, and running it gives the same figures),
 * and a bad flag value exits 2 with the scenario's own message named by the flag.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { runCli } from './support/cli.js';
import { tempDirs } from './support/temp-dirs.js';

const tempDir = tempDirs('kms-bench-quick-');

/** The quick run under test: an Encrypt/Decrypt mix at 4× a 100/s quota, retried with full jitter, simulated. */
const QUICK = ['--op', 'Encrypt,Decrypt', '--rate', '400', '--duration', '5s', '--quota', '100', '--retry', 'full-jitter', '--clock', 'virtual', '--seed', '7'];

/** The same run written by hand, as a user would. */
const EQUIVALENT_YAML = `
name: hand-written
seed: 7
duration: 5s
clock: virtual
quotas:
  overrides: { us-east-1: { symmetric: 100 } }
keys:
  - { name: quick, region: us-east-1 }
fleets:
  - name: quick
    region: us-east-1
    workload: { model: open, arrivalRate: 400 }
    mix:
      - { op: Encrypt, key: quick }
      - { op: Decrypt, key: quick }
    retry: full-jitter
`;

/** What a run measured, without what names or times it: the figures that must match. */
async function figures(args: readonly string[]): Promise<unknown> {
  const out = join(await tempDir(), 'report');
  const result = await runCli(['run', ...args, '--workers', '1', '--out', out]);
  expect(result.stderr).not.toContain('failure');
  expect(result.code).toBe(0);
  const json = JSON.parse(await readFile(join(out, 'result.json'), 'utf8')) as { variants: { metrics: unknown; cost: unknown }[] };
  expect(json.variants).toHaveLength(1);
  return json.variants.map(({ metrics, cost }) => ({ metrics, cost }));
}

describe('kms-bench run: a quick run from flags', () => {
  test('the flags, the equivalent YAML file and the printed scenario give identical figures', async () => {
    const dir = await tempDir();
    const handWritten = join(dir, 'hand.yaml');
    await writeFile(handWritten, EQUIVALENT_YAML);
    const printed = await runCli(['run', ...QUICK, '--print-scenario']);
    expect(printed.code).toBe(0);
    const kept = join(dir, 'kept.yaml');
    await writeFile(kept, printed.stdout);

    const fromFlags = await figures(QUICK);
    expect(await figures([handWritten])).toEqual(fromFlags);
    expect(await figures([kept])).toEqual(fromFlags);
    const { metrics } = (fromFlags as { metrics: { total: { throttled: number; retries: number } } }[])[0] ?? { metrics: undefined };
    // 4× the quota: the run did throttle and retry, so equal figures are not two empty runs.
    expect(metrics?.total.throttled).toBeGreaterThan(0);
    expect(metrics?.total.retries).toBeGreaterThan(0);
  });

  test('--print-scenario prints a valid scenario and runs nothing', async () => {
    const dir = await tempDir();
    const printed = await runCli(['run', '--op', 'Encrypt', '--op', 'Sign,GenerateMac', '-c', '50', '--region', 'eu-west-1', '--quota', '20', '--print-scenario']);
    expect(printed.code).toBe(0);
    expect(printed.stderr).toBe('');
    const document = parse(printed.stdout) as Record<string, unknown>;
    expect(document).toMatchObject({
      name: 'quick',
      quotas: { overrides: { 'eu-west-1': { symmetric: 20, ecc: 20 } } },
      fleets: [
        {
          name: 'quick',
          region: 'eu-west-1',
          workload: { model: 'closed', clients: 50 },
          mix: [
            { op: 'Encrypt', key: 'quick' },
            { op: 'Sign', key: 'quick-sign' },
            { op: 'GenerateMac', key: 'quick-mac' },
          ],
        },
      ],
    });
    expect(document).not.toHaveProperty('clock'); // the same default as a file's
    const file = join(dir, 'kept.yaml');
    await writeFile(file, printed.stdout);
    const validated = await runCli(['validate', file]);
    expect(validated.stdout).toContain('valid — scenario "quick", 1 fleet(s) (quick), 1 variant(s), 10s each');
    expect(validated.code).toBe(0);
  });

  test('--set applies to the built scenario and shows in the printed file', async () => {
    const printed = await runCli(['run', '-c', '5', '--clock', 'virtual', '--set', 'fleets.quick.workload.thinkTime=5ms', '--print-scenario']);
    expect(printed.code).toBe(0);
    expect(parse(printed.stdout)).toMatchObject({ clock: 'virtual', fleets: [{ workload: { model: 'closed', clients: 5, thinkTime: '5ms' } }] });
  });

  test.each([
    [['--rate', 'abc'], '--rate: must be a number, got "abc"'],
    [['--rate', '-5'], '--rate: must be ≥ 0'],
    [['-c', '0'], '--connections: must be ≥ 1'],
    [['--rate', '5', '--op', 'Encrypt,Encrpyt'], '--op: unknown value "Encrpyt"'],
    [['--rate', '5', '--region', 'us-east-9'], '--region: "us-east-9" is not a region KMS has (did you mean "us-east-1"?)'],
    [['--rate', '5', '--quota', 'lots'], '--quota: must be a positive number, got "lots"'],
    [['--rate', '5', '--retry', 'bogus'], '--retry: unknown policy "bogus"'],
    [['--rate', '5', '--client', 'bogus'], '--client: unknown value "bogus"; expected direct, sdk or esdk'],
    [['--rate', '5', '--enforcement', 'leaky'], '--enforcement: unknown enforcement "leaky"; expected fixed-window or token-bucket'],
    [['-c', '5', '--clock', 'virtual'], '--connections: must be > 0 with clock: virtual unless iterations is set'],
  ])('%j exits 2 naming the flag', async (flags, message) => {
    const result = await runCli(['run', ...flags, '--print-scenario']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`invalid scenario from flags: 1 problem\n  ${message}`);
  });

  test.each([
    [['--rate', '5', '-c', '5'], 'kms-bench: --rate and --connections describe two workloads'],
    [['--op', 'Encrypt'], 'kms-bench: a quick run needs --rate N (requests per second) or --connections N'],
    [['--rate', '5', '--op', ','], 'kms-bench: --op needs an operation'],
    [[], 'kms-bench: name a scenario file (kms-bench run scenarios/default.yaml), or describe a quick run'],
    [['scenarios/default.yaml', '--rate', '5'], 'kms-bench: --rate describes a quick run without a scenario file; scenarios/default.yaml is a file.'],
    [['scenarios/default.yaml', '--print-scenario'], 'kms-bench: --print-scenario describes a quick run without a scenario file'],
  ])('%j: flags that do not go together exit 2 with one line', async (flags, message) => {
    const result = await runCli(['run', ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr.startsWith(message)).toBe(true);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
