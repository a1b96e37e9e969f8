/**
 * `kms-bench compare <baseline> <candidate>`: every metric the two results share, with its change. Exit 1 when a
 * gated metric regressed beyond its tolerance, 2 when the inputs cannot be compared (unreadable, another schema
 * version, no shared variant, a bad tolerance); a different scenario is only a warning.
 */
import type { CommandModule } from 'yargs';
import {
  COMPARISON_HEADER,
  compareResults,
  comparisonTableRows,
  comparisonTally,
  DEFAULT_TOLERANCE_DETERMINISTIC,
  formatComparisonText,
  parseTolerance,
  toleranceText,
  WALL_TOLERANCES,
} from '../report/compare.js';
import type { Comparison } from '../report/compare.js';
import { markdownTable } from '../report/markdown.js';
import { readResultFile, ResultFileError } from '../report/result-file.js';
import { EXIT } from './exit-codes.js';

interface CompareArgs {
  readonly baseline: string;
  readonly candidate: string;
  /** Absent: the wall-clock defaults by kind of metric. */
  readonly tolerance?: string;
  readonly toleranceDeterministic?: string;
  readonly gateHarness?: boolean;
  readonly format: 'text' | 'markdown' | 'json';
  readonly changedOnly: boolean;
}

// Rounded: in binary floating point 0.07 × 100 is 7.000000000000001.
const pct = (fraction: number): string => `${Number((fraction * 100).toPrecision(12))}%`;

/** What the command writes and its exit code, without touching the process (tests call this). */
export interface CompareOutcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <baseline> <candidate>',
  describe: 'Compare two results metric by metric; exit 1 on a regression',
  builder: (y) =>
    y
      .positional('baseline', { type: 'string', demandOption: true, describe: 'result.json, or a report directory holding one' })
      .positional('candidate', { type: 'string', demandOption: true, describe: 'result.json, or a report directory holding one' })
      .option('tolerance', {
        type: 'string',
        describe:
          'One allowed relative change, in the worse direction, for every wall-clock metric, e.g. 5%. Default by kind: ' +
          `counts and rates ${pct(WALL_TOLERANCES.counts)}, latency p50/p90/mean ${pct(WALL_TOLERANCES.latency)}, ` +
          `p99/p999/max ${pct(WALL_TOLERANCES.latencyTail)}`,
      })
      .option('tolerance-deterministic', {
        type: 'string',
        default: pct(DEFAULT_TOLERANCE_DETERMINISTIC),
        describe: 'Allowed relative change of virtual-clock metrics (deterministic: a rerun gives the same numbers)',
      })
      .option('gate-harness', {
        type: 'boolean',
        default: false,
        describe: 'Also gate late, dropped and lateOrDroppedRate, which measure the load generator rather than KMS',
      })
      .option('format', { choices: ['text', 'markdown', 'json'] as const, default: 'text' as const, describe: 'Output format' })
      .option('changed-only', { type: 'boolean', default: false, describe: 'List only metrics that changed' })
      .epilogue(
        'Virtual-clock results are deterministic and must match exactly (--tolerance-deterministic). Wall-clock results ' +
          'are noisy: latency, and its tail most, varies between identical runs, so it gets a wider default tolerance ' +
          'than counts. Harness metrics are listed but gate only with --gate-harness. Exit 1 on a regression, 2 when the ' +
          'inputs cannot be compared.',
      ) as never,
  handler: async (args) => {
    const outcome = await compareFiles(args);
    process.stdout.write(outcome.stdout);
    process.stderr.write(outcome.stderr);
    process.exitCode = outcome.exitCode;
  },
};

function render(comparison: Comparison, format: CompareArgs['format'], changedOnly: boolean): string {
  const shown: Comparison = changedOnly ? { ...comparison, entries: comparison.entries.filter((e) => e.verdict !== 'same') } : comparison;
  const tolerances = toleranceText(comparison);
  if (format === 'json') return `${JSON.stringify(comparison, null, 2)}\n`;
  if (format === 'markdown') {
    const rows = comparisonTableRows(shown);
    return [
      `### kms-bench compare — ${comparisonTally(comparison)}`,
      '',
      ...comparison.warnings.map((w) => `> ⚠ ${w}`),
      ...(comparison.warnings.length > 0 ? [''] : []),
      ...markdownTable([...COMPARISON_HEADER], rows, ['c', 'l', 'l', 'r', 'r', 'r', 'l']),
      '',
      tolerances,
      '',
    ].join('\n');
  }
  return `${formatComparisonText(shown)}\n\n${comparisonTally(comparison)} (${tolerances})\n`;
}

/** Runs the comparison of two result files. */
export async function compareFiles(args: Omit<CompareArgs, 'format' | 'changedOnly'> & Partial<Pick<CompareArgs, 'format' | 'changedOnly'>>): Promise<CompareOutcome> {
  const tolerance = args.tolerance === undefined ? undefined : parseTolerance(args.tolerance);
  const toleranceDeterministic = parseTolerance(args.toleranceDeterministic ?? pct(DEFAULT_TOLERANCE_DETERMINISTIC));
  if (args.tolerance !== undefined && tolerance === undefined) {
    return { exitCode: EXIT.invalidInput, stdout: '', stderr: `kms-bench: --tolerance must be a percentage such as 5%, got ${JSON.stringify(args.tolerance)}\n` };
  }
  if (toleranceDeterministic === undefined) {
    return {
      exitCode: EXIT.invalidInput,
      stdout: '',
      stderr: `kms-bench: --tolerance-deterministic must be a percentage such as 0%, got ${JSON.stringify(args.toleranceDeterministic)}\n`,
    };
  }
  let baseline;
  let candidate;
  try {
    [baseline, candidate] = await Promise.all([readResultFile(args.baseline), readResultFile(args.candidate)]);
  } catch (error) {
    if (error instanceof ResultFileError) return { exitCode: EXIT.invalidInput, stdout: '', stderr: `kms-bench compare: ${error.message}\n` };
    throw error;
  }
  const comparison = compareResults(baseline, candidate, {
    ...(tolerance === undefined ? {} : { tolerance }),
    toleranceDeterministic,
    gateHarness: args.gateHarness ?? false,
  });
  const warnings = comparison.warnings.map((w) => `kms-bench compare: warning: ${w}\n`).join('');
  if (comparison.errors.length > 0) {
    return { exitCode: EXIT.invalidInput, stdout: '', stderr: warnings + comparison.errors.map((e) => `kms-bench compare: ${e}\n`).join('') };
  }
  return {
    exitCode: comparison.regressions > 0 ? EXIT.failedCheck : EXIT.ok,
    stdout: render(comparison, args.format ?? 'text', args.changedOnly ?? false),
    stderr: warnings,
  };
}
