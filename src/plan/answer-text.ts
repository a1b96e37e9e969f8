/**
 * The plan's words: the one-sentence answer the terminal prints first, and why a probe failed. Shared by the terminal,
 * plan.md and plan.html so the three never say different things.
 */
import { formatNumber } from '../base/text.js';
import { formatObserved } from '../scenario/threshold-condition.js';
import type { ThresholdOutcome } from '../report/result-types.js';
import type { CacheSetting, Probe } from './plan-types.js';

/** `1m30s`-style text for a key age in ms. */
export function ageText(ms: number): string {
  if (ms < 1000) return `${formatNumber(ms)} ms`;
  if (ms < 60_000) return `${formatNumber(ms / 1000)} s`;
  return ms % 60_000 === 0 ? `${formatNumber(ms / 60_000)} min` : `${formatNumber(ms / 1000)} s`;
}

/** A cache setting as people read it. */
export function cacheText(setting: CacheSetting): string {
  return `maxMessagesEncrypted ${formatNumber(setting.maxMessagesEncrypted)}, maxAge ${ageText(setting.maxAgeMs)}, capacity ${formatNumber(setting.capacity)}`;
}

/** `8,400 req/s`, `42 clients`. */
export function valueText(value: number, unit: string): string {
  return `${formatNumber(value)} ${unit}`;
}

/** The worst failing outcome of each objective across a probe's seeds. */
export function failedObjectives(probe: Probe): ThresholdOutcome[] {
  const worst = new Map<string, ThresholdOutcome>();
  for (const seed of probe.seeds) {
    for (const outcome of seed.objectives) {
      if (outcome.ok) continue;
      const key = `${outcome.key} ${outcome.expression}`;
      const have = worst.get(key);
      const farther = (o: ThresholdOutcome): number => Math.abs((o.observed ?? Infinity) - 0);
      if (have === undefined || farther(outcome) > farther(have)) worst.set(key, outcome);
    }
  }
  return [...worst.values()];
}

/** `throttleRate 1.3% (objective < 1%)` for each objective the probe failed. */
export function failureText(probe: Probe): string {
  const failed = failedObjectives(probe);
  if (failed.length === 0) return 'every objective held';
  return failed
    .map((o) => `${o.metric} ${o.observed === null ? (o.note ?? 'no data') : formatObserved(o.observed, o.expression)} (objective ${o.expression.trim()})`)
    .join(', ');
}

/** How a fleet retries, as a phrase: `with full-jitter retries`, `without retries`. */
export function retryPhrase(policy: string | undefined): string {
  if (policy === undefined) return '';
  return policy === 'none' ? ' without retries' : ` with ${policy} retries`;
}
