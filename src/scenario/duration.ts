/**
 * Durations in scenario files: a number with a unit (`250ms`, `1.5s`, `5m`, `1h`, or a sum such as `1m30s`, as k6
 * writes them). A bare number is refused because it is ambiguous (`10` could be seconds or milliseconds).
 */

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** One or more `<number><unit>` terms, nothing else. */
const DURATION_PATTERN = /^(?:(?:\d+(?:\.\d+)?|\.\d+)(?:ms|s|m|h))+$/;
const TERM_PATTERN = /(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)/g;

/** The example every duration message shows. */
export const DURATION_EXAMPLE = "'10s'";

/**
 * Parses a duration string to milliseconds, or returns a message saying what is wrong with it (without the path).
 * Sub-millisecond precision is kept to the microsecond (`1.0005s` → 1000.5) and float noise is rounded away.
 */
export function parseDuration(value: unknown): { ok: true; ms: number } | { ok: false; message: string } {
  if (typeof value === 'number') {
    return { ok: false, message: `${String(value)} has no unit; use a unit, e.g. ${DURATION_EXAMPLE} (ms, s, m or h)` };
  }
  if (typeof value !== 'string') {
    return { ok: false, message: `must be a duration string with a unit, e.g. ${DURATION_EXAMPLE}` };
  }
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) {
    return { ok: false, message: `"${value}" has no unit; use a unit, e.g. ${DURATION_EXAMPLE} (ms, s, m or h)` };
  }
  if (!DURATION_PATTERN.test(text)) {
    return {
      ok: false,
      message: `"${value}" is not a duration; write a number with a unit ms, s, m or h, e.g. '250ms', '1.5s', '5m'`,
    };
  }
  let ms = 0;
  for (const match of text.matchAll(TERM_PATTERN)) {
    ms += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
  }
  return { ok: true, ms: Math.round(ms * 1000) / 1000 };
}

/** Renders milliseconds as the shortest duration string that parses back to the same value (`1500` → `1500ms`). */
export function formatDuration(ms: number): string {
  if (ms !== 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms !== 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms !== 0 && ms % 1_000 === 0) return `${ms / 1_000}s`;
  return `${ms}ms`;
}
