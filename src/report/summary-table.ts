/**
 * The terminal summary: the answer first (headline.ts), then what makes the numbers unsafe (a harness that fell
 * behind, a growing backlog, a cost warning), the thresholds (✓/✗ with observed values), then the variants side by
 * side, one metric per row (the rows of variant-table.ts, shared with summary.md and report.html: the total, then one
 * block per fleet; with `--repeat`, the spread across seeds in rows under each metric), then why a cost is n/a, each
 * fleet's retry policy in words, the buckets that throttled and, on the wall clock, how late the generator started
 * requests.
 *
 * Everything fits the terminal's width: prose wraps, and a table too wide is headed by short labels or letters (with a
 * legend) and, if still too wide, split into column groups (terminal-layout.ts).
 */
import { clockText, instanceText, variantTableRows, harnessWarnings, repeatNote, statusText, throttledBucketLines } from './variant-table.js';
import { headline } from './headline.js';
import type { RunResult } from './result.js';
import { costUnavailableLines, loudWarnings, quotaStoreLines, retryPolicyLines, startDelayLines } from './run-notes.js';
import { columnGroups, columnWidths, groupWidth, labelWidth, renderGroup, wrapLine, type TextRow } from './terminal-layout.js';
import { formatThresholdLines } from './thresholds.js';
import { legendLines, variantColumns, type VariantColumns } from './variant-columns.js';

/**
 * The width a summary is fitted to when stdout is not a terminal and `COLUMNS` is unset: CI logs are read in viewers
 * wider than a terminal's customary 80 columns, and a fixed figure keeps the logs of one scenario alike run to run.
 */
export const PIPED_WIDTH = 120;
/** Narrower widths are treated as this: below it the metric names alone would fill the line. */
export const MIN_WIDTH = 40;

/** Options of {@link formatSummaryTable}. */
export interface SummaryTableOptions {
  /** Bold the headline and warnings with ANSI escapes (a terminal that shows them); default false, for pipes and files. */
  readonly ansi?: boolean;
  /**
   * The widest line, in columns (at least {@link MIN_WIDTH}). Default: the terminal's width when stdout is one, else
   * `COLUMNS` from the environment, else {@link PIPED_WIDTH}. `Infinity` keeps every table in one piece.
   */
  readonly width?: number;
}

/** The width to fit: stdout's columns on a terminal, else `COLUMNS`, else {@link PIPED_WIDTH}. */
export function outputWidth(): number {
  const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
  if (columns !== undefined && columns > 0) return columns;
  const env = Number(process.env['COLUMNS']);
  return Number.isInteger(env) && env > 0 ? env : PIPED_WIDTH;
}

const TITLE = 'metric';

/**
 * How to head the columns: the variant names when they fit in one table, else short labels, else letters. When no
 * style fits in one, the layout that overflows least (a terminal too narrow for even one column), then the one with
 * the fewest column groups, short labels winning a tie: they need no looking up.
 */
function chooseColumns(result: RunResult, rows: readonly TextRow[], width: number): { columns: VariantColumns; groups: number[][] } {
  const label = labelWidth(rows, TITLE);
  const layouts = (['names', 'short', 'letters'] as const).map((style) => {
    const columns = variantColumns(result, style);
    const widths = columnWidths(columns.headers, rows);
    const groups = columnGroups(label, widths, width);
    const widest = Math.max(...groups.map((group) => groupWidth(label, widths, group)));
    return { columns, groups, overflow: Math.max(0, widest - width) };
  });
  const whole = layouts.find((layout) => layout.groups.length === 1 && layout.overflow === 0);
  if (whole !== undefined) return whole;
  const [best] = layouts.slice(1).sort((a, b) => a.overflow - b.overflow || a.groups.length - b.groups.length);
  if (best === undefined) throw new Error('unreachable: three column styles');
  return best;
}

/** Renders the terminal summary of a run. */
export function formatSummaryTable(result: RunResult, options: SummaryTableOptions = {}): string {
  const width = Math.max(MIN_WIDTH, options.width ?? outputWidth());
  const bold = (text: string): string => (options.ansi === true ? `\x1b[1m${text}\x1b[22m` : text);
  const wrap = (line: string): string[] => wrapLine(line, width);
  const lines: string[] = [];
  lines.push(...wrap(headline(result).join(' ')).map(bold), '');
  lines.push(...wrap(`kms-bench · ${result.scenario.name} · seed ${result.scenario.seed} · ${clockText(result)}${instanceText(result)} · ${statusText(result)}`));
  for (const warning of harnessWarnings(result)) lines.push(...wrap(`! ${warning}`).map(bold));
  for (const warning of loudWarnings(result)) lines.push(...wrap(`⚠ ${warning}`).map(bold));
  const thresholds = formatThresholdLines(result.thresholds ?? [], result.variants.length > 1);
  if (thresholds.length > 0) lines.push('', ...thresholds.flatMap(wrap));

  const rows: TextRow[] = variantTableRows(result).map((row) => ({ label: row.detail ? `  ${row.label}` : row.label, cells: row.cells, heading: row.heading }));
  const { columns, groups } = chooseColumns(result, rows, width);
  const legend = legendLines(columns);
  if (legend.length > 0) lines.push('', 'variants:', ...legend.flatMap((line) => wrap(`  ${line}`)));
  for (const note of repeatNote(result)) lines.push('', ...wrap(note));
  for (const group of groups) lines.push('', ...renderGroup(TITLE, columns.headers, rows, group, bold));

  const section = (title: string, items: readonly string[]): void => {
    if (items.length > 0) lines.push('', title, ...items.flatMap((item) => wrapLine(`  ${item}`, width, 2)));
  };
  section('cost n/a:', costUnavailableLines(result));
  section('retry policies:', retryPolicyLines(result));
  section('throttled buckets:', throttledBucketLines(result));
  section('start delay (harness):', startDelayLines(result));
  section('shared quota store:', quotaStoreLines(result));
  return lines.join('\n');
}
