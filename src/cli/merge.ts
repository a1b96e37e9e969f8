/**
 * `kms-bench merge a/result.json b/result.json … --out DIR`: the results of one run's instances as one result and
 * report, written by the writers `run` uses. Exit 2 when they cannot be merged (each reason names the file and the
 * field), else the exit code a run with the merged result would have: 3 when an instance's run was incomplete or
 * shards of k/n are missing, 1 when a threshold fails on the merged figures, 0 otherwise.
 */
import { CLI_OPTION_NAMES } from '../api/option-names.js';
import { MergeRefusedError, mergeResults, readMergeInputs } from '../api/merge-results.js';
import { prepareOutputDir } from '../api/output-dir.js';
import { writeReports } from '../api/write-reports.js';
import type { CiFormat } from '../report/ci-formats.js';
import { resultToJson } from '../report/result.js';
import { formatSummaryTable } from '../report/summary-table.js';
import { EXIT } from './exit-codes.js';
import { runExitCode } from './run.js';

/** `merge`'s arguments, as yargs parses them (options in commands.ts). */
export interface MergeArgs {
  readonly results: string[];
  readonly out: string;
  readonly force: boolean;
  readonly format: CiFormat[];
  readonly json: boolean;
}

/** Merges, writes the report and prints the table (or the merged result.json); returns the exit code. */
export async function mergeCli(args: MergeArgs): Promise<number> {
  let result;
  try {
    const inputs = await readMergeInputs(args.results);
    // Missing shards mark the merged result incomplete (its reason names them): exit 3 like any incomplete run.
    result = await mergeResults(inputs);
  } catch (error) {
    if (!(error instanceof MergeRefusedError)) throw error;
    for (const problem of error.problems) process.stderr.write(`kms-bench: ${problem}\n`);
    return EXIT.invalidInput;
  }
  const out = await prepareOutputDir(args.out, { explicit: true, force: args.force, names: CLI_OPTION_NAMES });
  if (!out.ok) {
    process.stderr.write(`kms-bench: ${out.message}\n`);
    return EXIT.invalidInput;
  }
  let files: string[];
  try {
    const written = await writeReports(result, out.dir, { formats: args.format });
    files = [written.result, written.summary, written.html, ...written.ci];
  } catch (error) {
    process.stderr.write(`kms-bench: could not write the report to ${out.dir}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.incomplete;
  }
  if (args.json) process.stdout.write(resultToJson(result));
  else {
    const ansi = process.stdout.isTTY === true && (process.env['NO_COLOR'] ?? '') === '';
    const instances = (result.instances ?? []).map((i) => i.id).join(', ');
    process.stdout.write(`merged ${result.instances?.length ?? 0} result(s): ${instances}\n\n${formatSummaryTable(result, { ansi })}\n\nreport:\n${files.map((f) => `  ${f}`).join('\n')}\n`);
  }
  return runExitCode(result, false);
}
