/**
 * `kms-bench run <scenario>`: the command line over {@link runScenario}. The run itself — plan, budgets, report
 * directory, engine, result, report — is the library's; this file turns arguments into options, prints the banner,
 * the progress line and the table (or result.json with `--json`), turns Ctrl-C into an abort and the outcome into an
 * exit code: 0, 1 when a threshold failed, 2 when the run was refused, 3 when it is incomplete or its report is not
 * where it was asked to be.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CLI_OPTION_NAMES } from '../api/option-names.js';
import { RunRefusedError, type RunProgress, type RunStart } from '../api/run-events.js';
import { runScenario, type ReportOptions } from '../api/run-scenario.js';
import type { ReportOutcome } from '../api/write-reports.js';
import { abortReason } from '../engine/live-figures.js';
import type { CiFormat } from '../report/ci-formats.js';
import { resultToJson } from '../report/result.js';
import type { RunResult } from '../report/result-types.js';
import { formatSummaryTable } from '../report/summary-table.js';
import { EXIT, reportScenarioError, UsageError } from './exit-codes.js';
import { chooseRunScenario, type QuickRunArgs } from './quick-run.js';
import { installInterruptHandler, settleInterrupts } from './signals.js';
import { progressLine } from './progress-line.js';

/** `run`'s arguments, as yargs parses them (options in commands.ts): a scenario file, or a quick run's flags. */
export interface RunArgs extends QuickRunArgs {
  readonly scenario?: string;
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
  readonly stream?: string;
  readonly quotaStore?: string;
  readonly runId?: string;
  readonly instanceId?: string;
  readonly shard?: { index: number; count: number };
}

/** Runs the command, sets the exit code, and from then on lets a late signal exit at once with it. */
export async function runCli(args: RunArgs): Promise<void> {
  process.exitCode = await run(args);
  settleInterrupts(process.exitCode);
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

function banner(start: RunStart): string {
  const seconds = start.durationMs / 1000;
  return start.clock === 'virtual'
    ? `kms-bench: simulating ${start.scenario}: ${start.variants.length} variant(s) × ${start.repeat} seed(s) × ${seconds}s of virtual time on ${start.workers} thread(s)\n`
    : `kms-bench: running ${start.scenario}: ${start.variants.length} variant(s) × ${seconds}s on ${start.workers} worker(s)\n`;
}

async function run(args: RunArgs): Promise<number> {
  let scenario;
  try {
    // `--quota-store` is `quotas.store`: validated (and refused) at that path with the rest of the scenario.
    const chosen = await chooseRunScenario(args.quotaStore === undefined ? args : { ...args, set: [...args.set, `quotas.store=${args.quotaStore}`] });
    if (chosen.print !== undefined) {
      process.stdout.write(chosen.print);
      return EXIT.ok;
    }
    scenario = chosen.scenario;
  } catch (error) {
    if (!(error instanceof UsageError)) return reportScenarioError(error);
    process.stderr.write(`kms-bench: ${error.message}\n`);
    return EXIT.invalidInput;
  }
  const tty = process.stderr.isTTY === true && !args.json;
  const abort = new AbortController();
  let outcome: ReportOutcome | undefined;
  const report: ReportOptions =
    args.out === undefined
      ? { dir: join('reports', `${scenario.name}-${timestamp(new Date())}`), fresh: true }
      : { dir: args.out, overwrite: args.force };
  let result;
  try {
    result = await runScenario(scenario, {
      ...(args.workers === undefined ? {} : { workers: args.workers }),
      ...(args.repeat === undefined ? {} : { repeat: args.repeat }),
      ...(args.runId === undefined ? {} : { runId: args.runId }),
      budget: {
        ...(args.maxRequests === undefined ? {} : { maxRequests: args.maxRequests }),
        allowLarge: args.allowLarge,
        oversubscribe: args.oversubscribe,
      },
      report: { ...report, formats: args.format, onWritten: (written) => (outcome = written) },
      optionNames: CLI_OPTION_NAMES,
      signal: abort.signal,
      onStart: (start) => {
        for (const note of start.notes) process.stderr.write(`kms-bench: ${note}\n`);
        // Installed for the rest of the process: copies of one Ctrl-C are one interrupt (see signals.ts).
        installInterruptHandler({ onStop: () => abort.abort() });
        process.stderr.write(banner(start));
      },
      ...(args.stream === undefined ? {} : { stream: args.stream }),
      ...(args.runId === undefined ? {} : { runId: args.runId }),
      ...(args.instanceId === undefined ? {} : { instanceId: args.instanceId }),
      ...(args.shard === undefined ? {} : { shard: args.shard }),
      onWarning: (message) => process.stderr.write(`${tty ? '\r\x1b[2K' : ''}kms-bench: warning: ${message}\n`),
      ...(tty ? { onProgress: (p: RunProgress) => process.stderr.write(`\r\x1b[2K${progressLine(p)}`) } : {}),
    });
  } catch (error) {
    if (!(error instanceof RunRefusedError)) return reportScenarioError(error);
    for (const line of [...error.refusals, ...error.notes]) process.stderr.write(`kms-bench: ${line}\n`);
    return EXIT.invalidInput;
  } finally {
    if (tty) process.stderr.write('\r\x1b[2K');
  }
  const written = outcome?.written;
  if (args.json) process.stdout.write(resultToJson(result));
  else {
    const files = written === undefined ? '  none written' : [written.result, written.summary, written.html, ...written.ci].map((file) => `  ${file}`).join('\n');
    // Warnings in bold only where a terminal shows it (and NO_COLOR does not ask otherwise): never escapes in a pipe.
    const ansi = process.stdout.isTTY === true && (process.env['NO_COLOR'] ?? '') === '';
    process.stdout.write(`${formatSummaryTable(result, { ansi })}\n\nreport:\n${files}\n`);
  }
  if (outcome?.notice !== undefined) process.stderr.write(outcome.notice);
  if (written !== undefined) await appendJobSummary(written.summary);
  return runExitCode(result, outcome?.notice !== undefined);
}

/**
 * A finished run's exit code: 3 when it is incomplete or its report went elsewhere (`rescued`), 1 when a threshold
 * failed, else 0. A threshold that aborted the run is a failed check (1), as in k6, though the run is incomplete —
 * only when the abort is what ended it: an interrupt or a harness failure recorded beside an abort is still 3.
 */
export function runExitCode(result: Pick<RunResult, 'state' | 'reason' | 'abortedBy' | 'thresholds'>, rescued: boolean): number {
  if (rescued) return EXIT.incomplete;
  if (result.abortedBy !== undefined && result.reason === abortReason(result.abortedBy)) return EXIT.failedCheck;
  if (result.state !== 'completed') return EXIT.incomplete;
  return (result.thresholds ?? []).some((threshold) => !threshold.ok) ? EXIT.failedCheck : EXIT.ok;
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
