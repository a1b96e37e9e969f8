/**
 * The terminal summary: what makes the numbers unsafe up front (a harness that fell behind, a growing backlog, a cost
 * warning), the thresholds (✓/✗ with observed values), then the variants side by side, one metric per row (the rows of
 * comparison.ts, shared with summary.md and report.html: the total, then one block per fleet), then why a cost is
 * n/a, each fleet's retry policy in words, and the buckets that throttled.
 */
import { clockText, comparisonRows, harnessWarnings, repeatLines, statusText, throttledBucketLines } from './comparison.js';
import type { RunResult } from './result.js';
import { costUnavailableLines, loudWarnings, retryPolicyLines } from './run-notes.js';
import { formatThresholdLines } from './thresholds.js';

/** Options of {@link formatSummaryTable}. */
export interface SummaryTableOptions {
  /** Bold the warnings with ANSI escapes (a terminal that shows them); default false, for pipes and files. */
  readonly ansi?: boolean;
}

/** Renders the terminal summary of a run. */
export function formatSummaryTable(result: RunResult, options: SummaryTableOptions = {}): string {
  const bold = (text: string): string => (options.ansi === true ? `\x1b[1m${text}\x1b[22m` : text);
  const variants = result.variants;
  const lines: string[] = [];
  lines.push(`kms-bench · ${result.scenario.name} · seed ${result.scenario.seed} · ${clockText(result)} · ${statusText(result)}`);
  for (const warning of harnessWarnings(result)) lines.push(bold(`! ${warning}`));
  for (const warning of loudWarnings(result)) lines.push(bold(`⚠ ${warning}`));
  const thresholds = formatThresholdLines(result.thresholds ?? [], variants.length > 1);
  if (thresholds.length > 0) lines.push('', ...thresholds);

  const rows = comparisonRows(result).map((row) => ({ ...row, label: row.detail ? `  ${row.label}` : row.label }));
  const labelWidth = Math.max(...rows.map((r) => r.label.length), 'metric'.length);
  const widths = variants.map((v, i) => Math.max(v.name.length, ...rows.map((r) => (r.cells[i] ?? '').length)));
  lines.push('');
  lines.push(['metric'.padEnd(labelWidth), ...variants.map((v, i) => v.name.padStart(widths[i] ?? 0))].join('  '));
  lines.push(['-'.repeat(labelWidth), ...widths.map((w) => '-'.repeat(w))].join('  '));
  for (const row of rows) {
    const line = [row.label.padEnd(labelWidth), ...variants.map((_, i) => (row.cells[i] ?? '').padStart(widths[i] ?? 0))].join('  ');
    lines.push(row.heading ? bold(line.trimEnd()) : line);
  }
  const unavailable = costUnavailableLines(result);
  if (unavailable.length > 0) lines.push('', 'cost n/a:', ...unavailable.map((line) => `  ${line}`));
  const policies = retryPolicyLines(result);
  if (policies.length > 0) lines.push('', 'retry policies:', ...policies.map((line) => `  ${line}`));
  const throttled = throttledBucketLines(result);
  if (throttled.length > 0) lines.push('', 'throttled buckets:', ...throttled.map((line) => `  ${line}`));
  const spread = repeatLines(result);
  if (spread.length > 0) lines.push('', 'spread across seeds:', ...spread.map((line) => `  ${line}`));
  return lines.join('\n');
}
