/**
 * `kms-bench run <scenario>`: validate, plan, run every variant on the wall clock, print the comparison table and write
 * the report directory (result.json, summary.md, report.html, `--format` CI files) — also when interrupted (Ctrl-C)
 * or when a worker crashes, then marked incomplete with exit code 3. A failed threshold exits 1.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { planVariant } from '../engine/plan.js';
import { runVariants, type RunProgress } from '../engine/run.js';
import { runSimulations, type SimulationProgress } from '../engine/simulate.js';
import { versionInfo } from '../engine/versions.js';
import { CI_FORMATS, type CiFormat } from '../report/ci-formats.js';
import { buildResult, resultToJson, type RunResult } from '../report/result.js';
import { formatSummaryTable } from '../report/summary-table.js';
import { writeReport, type WrittenReport } from '../report/write-report.js';
import { expandMatrix, scenarioHash } from '../scenario/index.js';
import { EXIT, UsageError } from './exit-codes.js';
import { loadScenarioWithOverrides, reportScenarioError } from './load-scenario.js';
import { ASSUMED_SERVICE_LATENCY, describeLatency } from '../workload/service-latency.js';

interface RunArgs {
  readonly scenario: string;
  readonly out?: string;
  readonly set: string[];
  readonly workers?: number;
  readonly duration?: string;
  readonly seed?: number;
  readonly clock?: 'wall' | 'virtual';
  readonly repeat?: number;
  readonly json: boolean;
  readonly format: CiFormat[];
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <scenario>',
  describe: 'Run a scenario and write its report',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario file (YAML or JSON)' })
      .option('out', { type: 'string', describe: 'Report directory (default reports/<scenario>-<timestamp>)' })
      .option('set', { type: 'string', array: true, default: [], describe: 'Override a scenario field: path=value (repeatable)' })
      .option('workers', { type: 'number', describe: 'Worker threads (default: the scenario, else one per core)' })
      .option('duration', { type: 'string', describe: "Override the run's duration, e.g. 30s" })
      .option('seed', { type: 'number', describe: 'Override the seed' })
      .option('clock', { choices: ['wall', 'virtual'] as const, describe: "Override the scenario's clock" })
      .option('repeat', { type: 'number', describe: 'Virtual clock: run N seeds (seed, seed+1, …) and report mean and spread' })
      .option('json', { type: 'boolean', default: false, describe: 'Print result.json to stdout instead of the table' })
      .option('format', {
        choices: CI_FORMATS,
        array: true,
        default: [],
        describe: 'Also write CI benchmark files: gab (github-action-benchmark), bmf (Bencher); repeatable',
      }) as never,
  handler: async (args) => {
    process.exitCode = await run(args);
  },
};

function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

function progressLine(p: RunProgress): string {
  const variant = p.variants > 1 ? `[${p.variantIndex + 1}/${p.variants} ${p.variant}] ` : '';
  const elapsed = Math.min(p.elapsedMs, p.durationMs) / 1000;
  return `${variant}${elapsed.toFixed(1)}s / ${(p.durationMs / 1000).toFixed(1)}s · ${p.completedOps.toLocaleString('en-US')} ops done`;
}

function simulationProgressLine(p: SimulationProgress): string {
  const share = p.plannedSeconds > 0 ? Math.min(1, p.simulatedSeconds / p.plannedSeconds) : 0;
  const seconds = (n: number): string => Math.round(n).toLocaleString('en-US');
  return `simulated ${seconds(p.simulatedSeconds)}s of ${seconds(p.plannedSeconds)}s (${(share * 100).toFixed(0)}%) · ${p.done}/${p.total} simulations done`;
}

async function run(args: RunArgs): Promise<number> {
  const sets = [...args.set];
  if (args.duration !== undefined) sets.push(`duration=${args.duration}`);
  if (args.seed !== undefined) sets.push(`seed=${args.seed}`);
  if (args.clock !== undefined) sets.push(`clock=${args.clock}`);
  if (args.repeat !== undefined && (!Number.isInteger(args.repeat) || args.repeat < 1)) {
    process.stderr.write(`kms-bench: --repeat must be a whole number ≥ 1, got ${args.repeat}\n`);
    return EXIT.invalidInput;
  }
  if (args.workers !== undefined && (!Number.isInteger(args.workers) || args.workers < 1)) {
    process.stderr.write(`kms-bench: --workers must be a whole number ≥ 1, got ${args.workers}\n`);
    return EXIT.invalidInput;
  }
  let scenario;
  let variants;
  try {
    scenario = await loadScenarioWithOverrides(args.scenario, sets);
    variants = expandMatrix(scenario);
    if (args.repeat !== undefined && scenario.clock !== 'virtual') {
      throw new UsageError('--repeat needs the virtual clock (clock: virtual or --clock virtual)');
    }
  } catch (error) {
    return reportScenarioError(error, args.scenario);
  }
  const workers = args.workers ?? scenario.workers ?? availableParallelism();
  const startedAt = new Date();
  const outDir = args.out ?? join('reports', `${scenario.name}-${timestamp(startedAt)}`);
  const plans = variants.map((v) => planVariant(v.name, v.scenario));

  const abort = new AbortController();
  const onSigint = (): void => {
    if (abort.signal.aborted) process.exit(EXIT.incomplete);
    process.stderr.write('\nkms-bench: stopping — writing what was measured (Ctrl-C again to quit at once)\n');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const tty = process.stderr.isTTY === true && !args.json;
  process.stderr.write(
    scenario.clock === 'virtual'
      ? `kms-bench: simulating ${scenario.name}: ${variants.length} variant(s) × ${args.repeat ?? 1} seed(s) × ${scenario.durationMs / 1000}s of virtual time on ${workers} thread(s)\n`
      : `kms-bench: running ${scenario.name}: ${variants.length} variant(s) × ${scenario.durationMs / 1000}s on ${workers} worker(s)\n`,
  );
  const started = process.hrtime.bigint();
  let engineRun;
  try {
    const cryptoByVariant = new Map(variants.map((v) => [v.name, v.scenario.model.crypto]));
    engineRun =
      scenario.clock === 'virtual'
        ? await runSimulations(plans, {
            workers,
            repeat: args.repeat ?? 1,
            crypto: (name) => cryptoByVariant.get(name) ?? 'real',
            signal: abort.signal,
            ...(tty ? { onProgress: (p: SimulationProgress) => process.stderr.write(`\r\x1b[2K${simulationProgressLine(p)}`) } : {}),
          })
        : await runVariants(plans, {
            workers,
            signal: abort.signal,
            ...(tty ? { onProgress: (p: RunProgress) => process.stderr.write(`\r\x1b[2K${progressLine(p)}`) } : {}),
          });
  } catch (error) {
    engineRun = { state: 'incomplete' as const, reason: `harness failure: ${error instanceof Error ? error.message : String(error)}`, variants: [] };
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    if (tty) process.stderr.write('\r\x1b[2K');
  }
  const result: RunResult = buildResult({
    scenario: {
      name: scenario.name,
      hash: scenarioHash(scenario),
      seed: scenario.seed,
      clock: scenario.clock,
      durationMs: scenario.durationMs,
      document: scenario.document,
      ...(scenario.serviceLatencyAssumed ? { serviceLatencyAssumed: describeLatency(ASSUMED_SERVICE_LATENCY) } : {}),
    },
    variantValues: new Map(variants.map((v) => [v.name, v.values])),
    variantScenarios: new Map(variants.map((v) => [v.name, v.scenario])),
    thresholds: scenario.thresholds,
    run: engineRun,
    versions: versionInfo(),
    workers,
    startedAt,
    wallSeconds: Number(process.hrtime.bigint() - started) / 1e9,
  });
  let written: WrittenReport;
  try {
    written = await writeReport(outDir, result, { formats: args.format });
  } catch (error) {
    process.stderr.write(`kms-bench: harness failure writing the report to ${outDir}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.incomplete;
  }
  if (args.json) process.stdout.write(resultToJson(result));
  else {
    const files = [written.result, written.summary, written.html, ...written.ci].map((file) => `  ${file}`).join('\n');
    process.stdout.write(`${formatSummaryTable(result)}\n\nreport:\n${files}\n`);
  }
  await appendJobSummary(written.summary);
  if (result.state !== 'completed') return EXIT.incomplete;
  return (result.thresholds ?? []).some((outcome) => !outcome.ok) ? EXIT.failedCheck : EXIT.ok;
}

/** On GitHub Actions, adds summary.md to the job's summary page. */
async function appendJobSummary(summaryFile: string): Promise<void> {
  const target = process.env['GITHUB_STEP_SUMMARY'];
  if (target === undefined || target === '') return;
  try {
    await appendFile(target, `${await readFile(summaryFile, 'utf8')}\n`);
  } catch (error) {
    process.stderr.write(`kms-bench: could not append to GITHUB_STEP_SUMMARY: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
