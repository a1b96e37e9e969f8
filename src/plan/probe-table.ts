/**
 * A plan's probes as table rows, for plan.md and plan.html alike. With several seeds each figure is the worst seed's
 * (lowest goodput, highest throttle rate, p99 and KMS calls), since the answer must hold for every seed.
 */
import { formatNumber } from '../base/text.js';
import { cacheText, failureText } from './answer-text.js';
import type { PlanResult, Probe } from './plan-types.js';

/**
 * Worst of a probe's seeds for one figure; NaN when any seed lacks it, since the worst of an unknown is unknown.
 * The one rule for every caller: tables print n/a, the cache search ranks it last.
 */
export function worstOf(probe: Probe, pick: (s: Probe['seeds'][number]) => number | null | undefined, lowest = false): number {
  const values = probe.seeds.map((s) => pick(s) ?? NaN);
  if (values.length === 0 || !values.every(Number.isFinite)) return NaN;
  return lowest ? Math.min(...values) : Math.max(...values);
}

const num = (value: number, digits = 3): string => (Number.isFinite(value) ? formatNumber(Number(value.toPrecision(digits))) : 'n/a');
const pct = (value: number): string => (Number.isFinite(value) ? `${formatNumber(Number((value * 100).toPrecision(3)))}%` : 'n/a');

/** The header and rows of the probe table. */
export function probeTable(plan: PlanResult): { header: string[]; rows: string[][] } {
  const cache = plan.goal === 'cache';
  const header = [
    cache ? 'cache setting' : `${plan.field.split('.').pop() ?? 'value'} (${plan.unit})`,
    'meets objectives',
    'step',
    'offered/s',
    'goodput/s',
    'throttle rate',
    'p99 ms',
    'KMS calls/s',
    ...(cache ? ['messages/key', 'key age s'] : []),
    'why it failed',
  ];
  const pareto = new Set(plan.paretoValues ?? []);
  const rows = plan.probes.map((probe) => {
    const marks = [probe.value === plan.answer?.value ? ' ← answer' : '', pareto.has(probe.value) ? ' (Pareto)' : ''].join('');
    return [
      `${probe.cache === undefined ? formatNumber(probe.value) : cacheText(probe.cache)}${marks}`,
      `${probe.ok ? '✓' : '✗'}${probe.untrusted === undefined ? '' : ' (untrusted)'}`,
      String(probe.step),
      num(worstOf(probe, (s) => s.offeredPerSec, true), 4),
      num(worstOf(probe, (s) => s.goodputPerSec, true), 4),
      pct(worstOf(probe, (s) => s.throttleRate)),
      num(worstOf(probe, (s) => s.latencyP99Us) / 1000),
      num(worstOf(probe, (s) => s.kmsCallsPerSec), 4),
      ...(cache ? [num(worstOf(probe, (s) => s.messagesPerKeyMax)), num(worstOf(probe, (s) => s.maxKeyAgeMs) / 1000)] : []),
      [probe.ok ? '' : failureText(probe), probe.untrusted === undefined ? '' : `untrusted: ${probe.untrusted}`].filter((t) => t !== '').join('; '),
    ];
  });
  return { header, rows };
}

/** The status line under the answer: what was searched, how, and how sure. */
export function searchLine(plan: PlanResult): string {
  const seeds = plan.seeds.length === 1 ? `seed ${plan.seeds[0] ?? ''}` : `${plan.seeds.length} seeds (${plan.seeds.join(', ')}), every one required to pass`;
  return (
    `${plan.probes.length} probes of ${formatNumber(plan.simulatedSecondsPerProbe)} simulated s each, ${seeds}; ` +
    `tolerance ${formatNumber(plan.tolerance * 100)}%; objectives: ${plan.objectives.join(', ')}`
  );
}

/** The first line: the answer, why there is none, or why the search stopped. */
export function headlineOf(plan: PlanResult): string {
  if (plan.answer !== undefined && plan.outcome === 'found') return plan.answer.noise === undefined ? plan.answer.sentence : `${plan.answer.sentence}\n${plan.answer.noise}`;
  if (plan.outcome === 'stopped') return `The search stopped before an answer: ${plan.reason ?? 'incomplete'}.`;
  const best = plan.best;
  const what = plan.goal === 'cache' ? 'cache setting inside the plan.cache limits' : `value of ${plan.field} in ${formatNumber(plan.bounds.min)}–${formatNumber(plan.bounds.max)} ${plan.unit}`;
  if (best === undefined) return `No ${what} meets the objectives.`;
  const label = best.cache === undefined ? `${formatNumber(best.value)} ${plan.unit}` : cacheText(best.cache);
  return `No ${what} meets the objectives; the closest probe, ${label}, fails ${failureText(best)}.`;
}
