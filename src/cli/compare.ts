/**
 * `kms-bench compare <baseline> <candidate>`: every metric the two results share, with its change. Exit 1 when a
 * gated metric regressed beyond its tolerance, 2 when the inputs cannot be compared (unreadable, another schema
 * version, no shared variant, a bad tolerance); a different scenario is only a warning.
 */
import {
  COMPARISON_HEADER,
  compareResults,
  comparisonTableRows,
  comparisonTally,
  DEFAULT_TOLERANCE_DETERMINISTIC,
  formatComparisonText,
  parseTolerance,
  toleranceText,
} from '../report/baseline-diff.js';
import type { Comparison } from '../report/baseline-diff.js';
import { markdownTable } from '../report/markdown.js';
import { readResultFile, ResultFileError } from '../report/result-file.js';
import { percentText as pct } from './cli-values.js';
import { EXIT } from './exit-codes.js';

/** `compare`'s arguments, as yargs parses them (options in commands.ts). */
export interface CompareArgs {
  readonly baseline: string;
  readonly candidate: string;
  /** Absent: the wall-clock defaults by kind of metric. */
  readonly tolerance?: string;
  readonly toleranceDeterministic?: string;
  readonly gateHarness?: boolean;
  readonly format: 'text' | 'markdown' | 'json';
  readonly changedOnly: boolean;
}

/** What the command writes and its exit code, without touching the process (tests call this). */
export interface CompareOutcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

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
