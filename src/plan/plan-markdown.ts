/** `plan.md`: the answer first, in a sentence, then how it was searched, the notes, and every probe. */
import { formatNumber } from '../base/text.js';
import { headlineOf, probeTable, searchLine } from './probe-table.js';
import type { PlanResult } from './plan-types.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The Markdown page. */
export function planMarkdown(plan: PlanResult): string {
  const { header, rows } = probeTable(plan);
  const lines = [
    `# kms-bench plan: ${plan.scenario.name} — ${plan.goal} of ${plan.target}`,
    '',
    // The answer in bold; the line under it (what the search step does not cover) as plain text.
    ...headlineOf(plan).split('\n').map((line, i) => (i === 0 ? `**${line}**` : line)),
    '',
    ...(plan.state === 'incomplete' ? [`> **Incomplete**: ${plan.reason ?? 'stopped'}. The probes below are what was measured before it stopped.`, ''] : []),
    searchLine(plan) + (plan.growth === 1 ? '' : `; load scaled ${formatNumber(plan.growth)}×`) + '.',
    '',
    ...plan.notes.map((note) => `- ${note}`),
    ...(plan.notes.length > 0 ? [''] : []),
    `| ${header.map(cell).join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 || i === header.length - 1 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
    '',
    `Scenario hash ${plan.scenario.hash.slice(0, 12)}, kms-bench ${plan.environment.tool}, ${plan.environment.workers} worker thread(s), ` +
      `${formatNumber(Number(plan.environment.wallSeconds.toFixed(1)))} s wall time.`,
    '',
  ];
  return lines.join('\n');
}
