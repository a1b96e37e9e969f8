/**
 * `summary.md`: a run as GitHub-flavoured Markdown, ready to append to a CI job summary (`$GITHUB_STEP_SUMMARY`):
 * the verdict, the warnings that make numbers unsafe to act on, and thresholds first, then the variants side by side
 * (the total and one block per fleet), each fleet's retry policy in words, cost, and the buckets that throttled.
 */
import { REQUEST_CLASSES } from './cost.js';
import type { RequestClass } from './cost.js';
import { clockText, instanceText, variantTableRows, harnessWarnings, repeatNote, statusText, throttledBucketLines } from './variant-table.js';
import { headline } from './headline.js';
import { DEFAULT_PRICES, PRICE_NAMES } from '../scenario/prices.js';
import type { RunResult } from './result.js';
import { loudWarnings, quotaStoreLines, retryPolicyLines, startDelayLines } from './run-notes.js';
import { formatNumber, formatUsd } from './text.js';
import { describeObserved, describeThreshold, thresholdTally } from './thresholds.js';
import { variantColumns } from './variant-columns.js';
import { servicesTables } from './services-report.js';

/** A Markdown table cell: pipes escaped, newlines flattened. */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Text for a Markdown paragraph: the characters that would start emphasis, code, a link or HTML escaped. */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_[\]<>~|#]/g, (c) => `\\${c}`);
}

/** A Markdown table; `align` per column: `l` or `r`. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly ('l' | 'r' | 'c')[]): string[] {
  const rule = header.map((_, i) => ({ l: ':--', r: '--:', c: ':-:' })[align[i] ?? 'l']);
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${rule.join(' | ')} |`,
    ...rows.map((row) => `| ${header.map((_, i) => cell(row[i] ?? '')).join(' | ')} |`),
  ];
}

const CLASS_LABELS: Readonly<Record<RequestClass, string>> = {
  symmetric: 'symmetric requests',
  rsa2048: 'RSA_2048 requests',
  asymmetric: 'other asymmetric requests',
  dataKeyPairEcc: 'GenerateDataKeyPair (ECC)',
  dataKeyPairRsa: 'GenerateDataKeyPair (RSA)',
  management: 'management requests',
};

function costSection(result: RunResult, headerOf: (name: string) => string): string[] {
  const variants = result.variants.filter((v) => v.cost !== undefined);
  if (variants.length === 0) return [];
  const header = ['', ...variants.map((v) => headerOf(v.name))];
  const rows: string[][] = [];
  rows.push(['**total $/month**', ...variants.map((v) => `**${formatUsd(v.cost?.costUsdPerMonth ?? null)}**`)]);
  // A variant without a request cost has no per-class figures: 'n/a', not a '–' that reads as "no such requests".
  const na = (v: (typeof variants)[number]): boolean => v.cost?.unavailable !== undefined;
  rows.push([
    'keys',
    ...variants.map((v) => `${formatUsd(v.cost?.keysUsdPerMonth ?? 0)} (${v.cost?.billedKeys ?? 0} key${v.cost?.billedKeys === 1 ? '' : 's'})`),
  ]);
  for (const cls of REQUEST_CLASSES) {
    if (!variants.some((v) => v.cost?.requests.some((r) => r.class === cls))) continue;
    rows.push([
      CLASS_LABELS[cls],
      ...variants.map((v) => {
        const request = v.cost?.requests.find((r) => r.class === cls);
        if (na(v)) return 'n/a';
        return request === undefined ? '–' : `${formatUsd(request.usdPerMonth)} (${formatNumber(request.ratePerSec)}/s)`;
      }),
    ]);
  }
  rows.push([
    'free tier applied',
    ...variants.map((v) => (na(v) ? 'n/a' : `${formatNumber(v.cost?.freeRequestsAppliedPerMonth ?? 0)} requests`)),
  ]);
  const first = variants[0]?.cost;
  const overridden = first === undefined ? [] : PRICE_NAMES.filter((name) => first.prices[name] !== DEFAULT_PRICES[name]);
  const window = first?.steadyState;
  const notes = [
    `Extrapolated to a ${formatNumber(first?.prices.hoursPerMonth ?? 730)}-hour month from the steady-state request rates` +
      (window === undefined ? '' : ` (seconds ${window.fromSec}–${window.toSec} of the run)`) +
      '; throttled requests are not billed. Prices: AWS KMS, us-east-1' +
      (overridden.length === 0 ? '.' : `, with the scenario's overrides of ${overridden.map((n) => `\`${n}\``).join(', ')}.`),
  ];
  for (const v of variants) {
    if (v.cost?.unavailable !== undefined) notes.push(`- **${v.name}: cost n/a** — ${v.cost.unavailable}.`);
    for (const warning of v.cost?.warnings ?? []) notes.push(`- **⚠ ${v.name}: ${warning}.**`);
  }
  return ['', '### Cost', '', ...markdownTable(header, rows, ['l', ...variants.map(() => 'r' as const)]), '', ...notes];
}

/** Renders `summary.md`. */
export function renderMarkdownSummary(result: RunResult): string {
  const lines: string[] = [];
  const outcomes = result.thresholds ?? [];
  const { passed, failed } = thresholdTally(outcomes);
  const verdict =
    outcomes.length === 0 ? '' : failed === 0 ? ` — ✓ all ${passed} thresholds passed` : ` — ✗ ${failed} of ${outcomes.length} thresholds failed`;
  lines.push(`## kms-bench · ${result.scenario.name}${verdict}`);
  // The answer before anything else: a reader of a CI summary may read no further.
  lines.push('', `**${markdownText(headline(result).join(' '))}**`, '');
  lines.push(
    `Scenario \`${result.scenario.name}\` · hash \`${result.scenario.hash.slice(0, 12)}\` · seed ${result.scenario.seed} · ${clockText(result)} · ` +
      `${formatNumber(result.scenario.durationMs / 1000)} s scheduled per variant${markdownText(instanceText(result))} · **${statusText(result)}**`,
  );
  // Loud and before anything else: a reader skimming a CI summary must not act on numbers these make unsafe.
  const warnings = [...harnessWarnings(result), ...loudWarnings(result)];
  if (warnings.length > 0) lines.push('', ...warnings.flatMap((w, i) => [...(i === 0 ? [] : ['>']), `> **⚠ ${w}**`]));

  if (outcomes.length > 0) {
    lines.push('', `### Thresholds: ${passed} passed, ${failed} failed`, '');
    const multi = result.variants.length > 1;
    const rows = outcomes.map((o) => [o.ok ? '✓' : '✗', `\`${describeThreshold(o)}\``, ...(multi ? [o.variant] : []), describeObserved(o)]);
    lines.push(...markdownTable(['', 'threshold', ...(multi ? ['variant'] : []), 'observed'], rows, ['c', 'l', ...(multi ? ['l' as const] : []), 'r']));
  }

  lines.push('', '### Variants', '');
  const variants = result.variants;
  // Columns headed by what differs between variants, as the charts' legends name them; full names in a legend.
  const columns = variantColumns(result, 'short');
  const headers = new Map(variants.map((v, i) => [v.name, columns.headers[i] ?? v.name]));
  if (columns.legend.length > 0) lines.push(...columns.legend.map((e) => `- **${markdownText(e.header)}**: ${markdownText(e.name)}`), '');
  for (const note of repeatNote(result)) lines.push(markdownText(note), '');
  const rows = variantTableRows(result).map((row) => [
    row.heading ? `**${row.label}**` : row.detail ? `  ↳ ${row.label}` : row.label,
    ...row.cells,
  ]);
  lines.push(...markdownTable(['metric', ...columns.headers], rows, ['l', ...variants.map(() => 'r' as const)]));
  const policies = retryPolicyLines(result);
  if (policies.length > 0) lines.push('', '### Retry policies', '', ...policies.map((line) => `- ${line}`));

  lines.push(...costSection(result, (name) => headers.get(name) ?? name));

  for (const variant of result.variants) {
    for (const table of servicesTables(variant, result.variants.length > 1)) {
      lines.push('', `### ${markdownText(table.title)}`, '');
      if (table.note !== undefined) lines.push(markdownText(table.note), '');
      lines.push(...markdownTable(table.header, table.rows, table.header.map((_, i) => (i < table.textColumns ? 'l' : 'r'))));
    }
  }

  const throttled = throttledBucketLines(result);
  if (throttled.length > 0) lines.push('', '### Throttled buckets', '', ...throttled.map((line) => `- ${line}`));
  const delays = startDelayLines(result);
  if (delays.length > 0) lines.push('', '### Start delay (harness)', '', ...delays.map((line) => `- ${line}`));
  const store = quotaStoreLines(result);
  if (store.length > 0) lines.push('', '### Shared quota store', '', ...store.map((line) => `- ${line}`));
  const env = result.environment;
  const sdk = env.dependencies['@aws-sdk/client-kms'];
  lines.push(
    '',
    `<sub>kms-bench ${env.tool} · Node ${env.node}${sdk === undefined ? '' : ` · @aws-sdk/client-kms ${sdk}`} · ${env.platform} · ` +
      `started ${env.startedAt} · ${formatNumber(env.wallSeconds)} s wall</sub>`,
  );
  return `${lines.join('\n')}\n`;
}
