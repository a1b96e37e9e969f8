/**
 * The variant selector of a threshold key: the `{axis=value,…}` after its metric (threshold-grammar.ts has the whole
 * grammar). A selector names matrix values exactly as variant names show them (`retry=full-jitter`,
 * `quotas.profile=kms-2019`), `*` matching any run of characters. The same splitting reads a variant's name, so the
 * evaluators match a selector against each variant with these two functions; threshold-grammar.ts re-exports them.
 */
import { didYouMean as suggest, listOf } from '../base/text.js';
import type { Parsed } from './threshold-condition.js';

/** One matrix value a threshold selects: `retry=none`. */
export interface AxisSelection {
  readonly axis: string;
  readonly value: string;
}

/** Splits `a=x,b=y` into pairs, cutting only before a known axis name (values such as JSON may contain commas). */
export function splitSelection(text: string, axes: readonly string[]): Parsed<AxisSelection[]> {
  const byLength = [...axes].sort((a, b) => b.length - a.length);
  const startsAt = (position: number): string | undefined => byLength.find((axis) => text.startsWith(`${axis}=`, position));
  const pairs: AxisSelection[] = [];
  let position = 0;
  while (position < text.length) {
    const axis = startsAt(position);
    if (axis === undefined) {
      const name = text.slice(position).split('=')[0] ?? '';
      if (axes.length === 0) return { ok: false, message: 'selects matrix values, but the scenario has no matrix' };
      if (!text.includes('=', position)) return { ok: false, message: `${JSON.stringify(text.slice(position))} is not axis=value` };
      return { ok: false, message: `unknown matrix axis ${JSON.stringify(name)}${suggest(name, axes)}; axes are ${listOf(axes)}` };
    }
    const valueStart = position + axis.length + 1;
    let end = text.length;
    for (let comma = text.indexOf(',', valueStart); comma >= 0; comma = text.indexOf(',', comma + 1)) {
      const next = comma + 1 + (/^\s*/.exec(text.slice(comma + 1))?.[0].length ?? 0);
      if (startsAt(next) !== undefined) {
        end = comma;
        break;
      }
    }
    pairs.push({ axis, value: text.slice(valueStart, end).trim() });
    position = end === text.length ? end : end + 1 + (/^\s*/.exec(text.slice(end + 1))?.[0].length ?? 0);
  }
  return { ok: true, value: pairs };
}

/**
 * Whether a selector value matches an axis value as variant names render it. `*` matches any run of characters, so
 * several values can be picked at once: `{retry=*jitter}`.
 */
export function selectionMatches(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, 's').test(value);
}
