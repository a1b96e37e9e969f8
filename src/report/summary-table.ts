/** The terminal summary: variants side by side, one metric per row, with the harness-limited warning up front. */
import type { RunResult, VariantResult } from './result.js';

interface Row {
  readonly label: string;
  readonly value: (variant: VariantResult) => string;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const pct = (n: number): string => `${(n * 100).toFixed(2)}%`;
const ms = (us: number): string => (us / 1000).toFixed(us < 10_000 ? 2 : 1);

const ROWS: readonly Row[] = [
  { label: 'offered', value: (v) => int(v.metrics.total.offered) },
  { label: 'succeeded', value: (v) => int(v.metrics.total.succeeded) },
  { label: 'goodput /s', value: (v) => v.metrics.total.goodputPerSec.toFixed(1) },
  { label: 'attempts', value: (v) => int(v.metrics.total.attempts) },
  { label: 'throttled (responses)', value: (v) => int(v.metrics.total.throttled) },
  { label: 'throttle rate', value: (v) => pct(v.metrics.total.throttleRate) },
  { label: 'retries', value: (v) => int(v.metrics.total.retries) },
  { label: 'attempts per op', value: (v) => v.metrics.total.attemptsPerOp.toFixed(3) },
  { label: 'failed (final)', value: (v) => int(v.metrics.total.failedTotal) },
  { label: 'late / dropped', value: (v) => `${int(v.metrics.total.late)} / ${int(v.metrics.total.dropped)}` },
  { label: 'latency p50 ms', value: (v) => ms(v.metrics.total.latencyUs.p50) },
  { label: 'latency p90 ms', value: (v) => ms(v.metrics.total.latencyUs.p90) },
  { label: 'latency p99 ms', value: (v) => ms(v.metrics.total.latencyUs.p99) },
  { label: 'latency p99.9 ms', value: (v) => ms(v.metrics.total.latencyUs.p999) },
  { label: 'latency max ms', value: (v) => ms(v.metrics.total.latencyUs.max) },
];

export function formatSummaryTable(result: RunResult): string {
  const variants = result.variants;
  const lines: string[] = [];
  const status = result.state === 'completed' ? 'completed' : `${result.state.toUpperCase()}: ${result.reason ?? ''}`;
  lines.push(`kms-bench · ${result.scenario.name} · seed ${result.scenario.seed} · ${result.environment.workers} workers · ${status}`);
  for (const v of variants) {
    if (v.harnessLimited) {
      lines.push(
        `! ${v.name}: ${pct(v.metrics.total.lateOrDroppedRate)} of requests started late or were dropped — the harness, not KMS, was the limit`,
      );
    }
  }
  const failures = new Set(variants.flatMap((v) => Object.keys(v.metrics.total.failed)));
  const rows: Row[] = [
    ...ROWS,
    ...[...failures].sort().map((name) => ({ label: `  failed: ${name}`, value: (v: VariantResult) => int(v.metrics.total.failed[name] ?? 0) })),
  ];
  const labelWidth = Math.max(...rows.map((r) => r.label.length), 'metric'.length);
  const cells = variants.map((v) => rows.map((r) => r.value(v)));
  const widths = variants.map((v, i) => Math.max(v.name.length, ...(cells[i] ?? []).map((c) => c.length)));
  lines.push('');
  lines.push(['metric'.padEnd(labelWidth), ...variants.map((v, i) => v.name.padStart(widths[i] ?? 0))].join('  '));
  lines.push(['-'.repeat(labelWidth), ...widths.map((w) => '-'.repeat(w))].join('  '));
  rows.forEach((row, r) => {
    lines.push([row.label.padEnd(labelWidth), ...variants.map((_, i) => (cells[i]?.[r] ?? '').padStart(widths[i] ?? 0))].join('  '));
  });
  const quotaLines = variants.flatMap((v) =>
    v.quota
      .filter((q) => q.throttled > 0)
      .map((q) => `  ${v.name}: ${q.region} ${q.bucket} quota ${q.quotaPerSec}/s — admitted ${int(q.admitted)}, throttled ${int(q.throttled)}`),
  );
  if (quotaLines.length > 0) lines.push('', 'throttled buckets:', ...quotaLines);
  return lines.join('\n');
}
