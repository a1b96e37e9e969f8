/**
 * The terminal summary: the harness-limited warning up front, the thresholds (✓/✗ with observed values), then the
 * variants side by side, one metric per row (the rows of comparison.ts, shared with summary.md and report.html).
 */
import { clockText, comparisonRows, harnessWarnings, repeatLines, statusText, throttledBucketLines } from './comparison.js';
import type { RunResult } from './result.js';
import { formatThresholdLines } from './thresholds.js';

export function formatSummaryTable(result: RunResult): string {
  const variants = result.variants;
  const lines: string[] = [];
  lines.push(`kms-bench · ${result.scenario.name} · seed ${result.scenario.seed} · ${clockText(result)} · ${statusText(result)}`);
  for (const warning of harnessWarnings(result)) lines.push(`! ${warning}`);
  const thresholds = formatThresholdLines(result.thresholds ?? [], variants.length > 1);
  if (thresholds.length > 0) lines.push('', ...thresholds);

  const rows = comparisonRows(result).map((row) => ({ ...row, label: row.detail ? `  ${row.label}` : row.label }));
  const labelWidth = Math.max(...rows.map((r) => r.label.length), 'metric'.length);
  const widths = variants.map((v, i) => Math.max(v.name.length, ...rows.map((r) => (r.cells[i] ?? '').length)));
  lines.push('');
  lines.push(['metric'.padEnd(labelWidth), ...variants.map((v, i) => v.name.padStart(widths[i] ?? 0))].join('  '));
  lines.push(['-'.repeat(labelWidth), ...widths.map((w) => '-'.repeat(w))].join('  '));
  for (const row of rows) {
    lines.push([row.label.padEnd(labelWidth), ...variants.map((_, i) => (row.cells[i] ?? '').padStart(widths[i] ?? 0))].join('  '));
  }
  const throttled = throttledBucketLines(result);
  if (throttled.length > 0) lines.push('', 'throttled buckets:', ...throttled.map((line) => `  ${line}`));
  const spread = repeatLines(result);
  if (spread.length > 0) lines.push('', 'spread across seeds:', ...spread.map((line) => `  ${line}`));
  return lines.join('\n');
}
