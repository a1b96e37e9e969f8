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
import { expandMatrix, scenarioHash } from '../scenario/index.js';
import { EXIT, UsageError } from './exit-codes.js';
import { durationOption, singleStringOption, wholeNumberOption } from './cli-values.js';
import { loadScenarioWithOverrides, reportScenarioError } from './load-scenario.js';
import { prepareOutputDir } from './output-dir.js';
import { checkRunSize, parseMaxRequests } from './run-budget.js';
import { installInterruptHandler, settleInterrupts } from './signals.js';
import { writeReportOrRescue } from './report-rescue.js';
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
  readonly force: boolean;
  readonly format: CiFormat[];
  readonly maxRequests?: number;
  readonly allowLarge: boolean;
  readonly oversubscribe: boolean;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <scenario>',
  describe: 'Run a scenario and write its report',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario file (YAML or JSON)' })
      .option('out', singleStringOption('out', 'Report directory (default reports/<scenario>-<timestamp>)'))
      .option('set', { type: 'string', array: true, default: [], describe: 'Override a scenario field: path=value (repeatable)' })
      .option('workers', wholeNumberOption('workers', 'Worker threads (default: the scenario, else one per core)', 1))
      .option('duration', durationOption('duration', "Override the run's duration, e.g. 30s"))
      .option('seed', wholeNumberOption('seed', 'Override the seed'))
      .option('clock', { choices: ['wall', 'virtual'] as const, describe: "Override the scenario's clock" })
      .option('repeat', wholeNumberOption('repeat', 'Virtual clock: run N seeds (seed, seed+1, …) and report mean and spread', 1))
      .option('json', { type: 'boolean', default: false, describe: 'Print result.json to stdout instead of the table' })
      .option('force', { type: 'boolean', default: false, describe: 'Overwrite the report in an --out directory that already holds one' })
      .option('max-requests', { type: 'string', coerce: parseMaxRequests, describe: 'Refuse a run estimated past this many requests (default 2e9)' })
      .option('allow-large', { type: 'boolean', default: false, describe: 'Lift the request, wall-time (24 h) and memory budgets' })
      .option('oversubscribe', { type: 'boolean', default: false, describe: 'Allow more worker threads than cores (up to 8 per core)' })
      .option('format', {
        choices: CI_FORMATS,
        array: true,
        default: [],
        describe: 'Also write CI benchmark files: gab (github-action-benchmark), bmf (Bencher); repeatable',
      }) as never,
  handler: async (args) => {
    process.exitCode = await run(args);
    settleInterrupts(process.exitCode);
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
  const plans = variants.map((v) => planVariant(v.name, v.scenario));
  const size = checkRunSize(plans, {
    clock: scenario.clock,
    workers,
    workersOption: args.workers === undefined ? "the scenario's workers:" : '--workers',
    repeat: args.repeat ?? 1,
    crypto: (name) => variants.find((v) => v.name === name)?.scenario.model.crypto ?? 'real',
    ...(args.maxRequests === undefined ? {} : { maxRequests: args.maxRequests }),
    allowLarge: args.allowLarge,
    oversubscribe: args.oversubscribe,
  });
  for (const line of [...size.refusals, ...size.notes]) process.stderr.write(`kms-bench: ${line}\n`);
  if (size.refusals.length > 0) return EXIT.invalidInput;
  const startedAt = new Date();
  // Checked (and created) before any work: a run that cannot write its report would lose its measurements.
  const out = await prepareOutputDir(args.out ?? join('reports', `${scenario.name}-${timestamp(startedAt)}`), {
    explicit: args.out !== undefined,
    force: args.force,
  });
  if (!out.ok) {
    process.stderr.write(`kms-bench: ${out.message}\n`);
    return EXIT.invalidInput;
  }
  const outDir = out.dir;

  const abort = new AbortController();
  // Installed for the rest of the process: copies of one Ctrl-C are one interrupt (see signals.ts).
  installInterruptHandler({ onStop: () => abort.abort() });
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
  const report = await writeReportOrRescue(outDir, result, { formats: args.format });
  const written = report.written;
  if (args.json) process.stdout.write(resultToJson(result));
  else {
    const files = written === undefined ? '  none written' : [written.result, written.summary, written.html, ...written.ci].map((file) => `  ${file}`).join('\n');
    // Warnings in bold only where a terminal shows it (and NO_COLOR does not ask otherwise): never escapes in a pipe.
    const ansi = process.stdout.isTTY === true && (process.env['NO_COLOR'] ?? '') === '';
    process.stdout.write(`${formatSummaryTable(result, { ansi })}\n\nreport:\n${files}\n`);
  }
  if (report.notice !== undefined) process.stderr.write(report.notice);
  if (written !== undefined) await appendJobSummary(written.summary);
  if (report.notice !== undefined || result.state !== 'completed') return EXIT.incomplete;
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
