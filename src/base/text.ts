/**
 * How messages name values and suggest fixes, one style for every layer that talks to a user (scenario problems,
 * threshold errors, CLI flags): `"x"` for strings, `a, b or c` for choices, ` (did you mean "b"?)` for a near miss.
 */

/** Longer strings are cut in messages: a hostile or mistaken input must not flood the terminal. */
const SHOWN_STRING_CHARS = 80;

/** A value as a message shows it: strings quoted (cut past {@link SHOWN_STRING_CHARS}), containers by kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > SHOWN_STRING_CHARS ? `${value.slice(0, SHOWN_STRING_CHARS)}…` : value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || value === undefined) {
    return String(value);
  }
  return Array.isArray(value) ? 'a list' : `an ${typeof value}`;
}

/** `a, b or c` (or `a, b and c`). */
export function listOf(values: readonly unknown[], conjunction: 'or' | 'and' = 'or'): string {
  const shown = values.map((value) => (typeof value === 'string' ? value : describeValue(value)));
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} ${conjunction} ${shown.at(-1) ?? ''}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** ` (did you mean "x"?)` for a near miss (case, or a typo or two), else the empty string. */
export function didYouMean(input: unknown, candidates: readonly string[]): string {
  if (typeof input !== 'string' || input === '') return '';
  const lower = input.toLowerCase();
  const exact = candidates.find((candidate) => candidate.toLowerCase() === lower);
  if (exact !== undefined) return ` (did you mean "${exact}"?)`;
  // A shortened or partial name (`burst` for burstSeconds, `spec` for keySpec).
  const partial = lower.length >= 4 ? candidates.filter((candidate) => candidate.toLowerCase().includes(lower)) : [];
  if (partial.length === 1) return ` (did you mean "${partial[0] ?? ''}"?)`;
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(input.length / 4)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

/** A number for people: integers with thousands separators, small numbers with enough significant digits. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
  if (abs >= 1) return value.toLocaleString('en-US', { maximumFractionDigits: 3 });
  return String(Number(value.toPrecision(3)));
}
