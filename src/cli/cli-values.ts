/**
 * Command-line values checked where yargs reads them, so a bad one is refused before any work with a message that
 * names the option and repeats what was typed (`--seed must be a whole number, got abc`) — yargs' own `number` type
 * turns `abc` into NaN and the message into "got NaN".
 */
// duration.js, not the scenario barrel: this module is loaded for every command line, even `--help`.
import { parseDuration } from '../scenario/duration.js';
import { UsageError } from './exit-codes.js';

/**
 * Options that take no value. After one of these a word such as `-5s` is not a value, so {@link attachDashValues}
 * leaves it to yargs to refuse. A test holds this list to the options `--help` shows as booleans.
 */
export const FLAG_OPTIONS: ReadonlySet<string> = new Set(['json', 'force', 'allow-large', 'oversubscribe', 'print-scenario', 'changed-only', 'gate-harness', 'help', 'version']);

/** A word that starts like a negative number: `-5s`, `-1.5`, `-.5`, `-5%`. */
const DASH_VALUE = /^-[\d.]/;

/**
 * yargs reads `--duration -5s` as `--duration` without a value followed by the short flags `-5` and `-s`, and fails
 * with "Unknown arguments: 5, s". This rewrites an option that takes a value followed by a word starting with `-` and
 * a digit or dot into `--duration=-5s`, which yargs reads as the value, so the option's own check can name it. kms-bench
 * has no short options made of digits, so no meaning is lost. Arguments after `--` are left alone.
 */
export function attachDashValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') return [...out, ...argv.slice(i)];
    const name = /^--([^=]+)$/.exec(arg)?.[1];
    const next = argv[i + 1];
    if (name !== undefined && !FLAG_OPTIONS.has(name) && next !== undefined && DASH_VALUE.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** Messages of every {@link CliValueError} made, to recognize them after yargs re-wraps them. */
const valueMessages = new Set<string>();

/** A command-line value that is not what its option takes; exit 2 with the message, no usage dump. */
export class CliValueError extends UsageError {
  constructor(message: string) {
    super(message);
    valueMessages.add(message);
  }
}

/**
 * Whether an error that reached yargs' `fail` handler is a value check's. yargs rethrows an error from a `coerce`
 * function as its own `YError` with only the message kept, so the class is lost and the message is what is left.
 */
export function isCliValueFailure(error: unknown): error is Error {
  return error instanceof CliValueError || (error instanceof Error && valueMessages.has(error.message));
}

/**
 * The one string an option was given. yargs hands over an array when an option is repeated and `''` when it has no
 * value (`--seed` at the end of the line).
 */
function single(flag: string, value: unknown, example: string): string {
  if (Array.isArray(value)) {
    throw new CliValueError(`--${flag} was given ${value.length} times (${value.join(', ')}); give it once`);
  }
  const text = String(value);
  if (value === true || text.trim() === '') throw new CliValueError(`--${flag} needs a value, e.g. --${flag} ${example}`);
  return text;
}

/**
 * Parses a whole-number option value.
 *
 * @param min the smallest value allowed, if any (`--workers` ≥ 1).
 * @throws CliValueError naming the option and the text given: `--seed must be a whole number, got abc`.
 */
export function parseWholeNumber(flag: string, value: unknown, min?: number): number {
  const text = single(flag, value, String(min ?? 42));
  const expected = min === undefined ? 'a whole number' : `a whole number ≥ ${min}`;
  const number = /^\s*[+-]?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(number) || (min !== undefined && number < min)) {
    throw new CliValueError(`--${flag} must be ${expected}, got ${text}`);
  }
  if (!Number.isSafeInteger(number)) {
    const range = `${min ?? -Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`;
    throw new CliValueError(`--${flag} must be a whole number from ${range}, got ${text}`);
  }
  return number;
}

/**
 * Checks a duration option value and returns it as typed (the scenario reads it as `duration=<value>`).
 *
 * @throws CliValueError unless the value is a positive duration with a unit: `--duration must be a positive duration
 *   like 30s, got -5s`.
 */
export function parsePositiveDuration(flag: string, value: unknown): string {
  const text = single(flag, value, '30s');
  const parsed = parseDuration(text);
  if (!parsed.ok || parsed.ms <= 0) {
    throw new CliValueError(`--${flag} must be a positive duration like 30s (a number with a unit ms, s, m or h), got ${text}`);
  }
  return text.trim();
}

/** A yargs option of a whole number, checked by {@link parseWholeNumber} as yargs parses. */
export function wholeNumberOption(flag: string, describe: string, min?: number) {
  return { type: 'string', describe, coerce: (value: unknown) => parseWholeNumber(flag, value, min) } as const;
}

/** A yargs option of a positive duration, checked by {@link parsePositiveDuration} as yargs parses. */
export function durationOption(flag: string, describe: string) {
  return { type: 'string', describe, coerce: (value: unknown) => parsePositiveDuration(flag, value) } as const;
}

/** A yargs option of one string: given twice, it is refused rather than becoming an array its user never expects. */
export function singleStringOption(flag: string, describe: string) {
  return { type: 'string', describe, coerce: (value: unknown) => (Array.isArray(value) ? single(flag, value, '') : String(value)) } as const;
}

/** `--max-requests N`: a positive number, `2e9` accepted. */
export function parseMaxRequests(value: unknown): number {
  const text = Array.isArray(value) ? value.join(', ') : String(value);
  const number = Array.isArray(value) || text.trim() === '' ? Number.NaN : Number(text);
  if (!(number >= 1) || !Number.isFinite(number)) throw new CliValueError(`--max-requests must be a number ≥ 1, e.g. 5e9, got ${text}`);
  return number;
}

/** A fraction as a percentage, rounded: in binary floating point 0.07 × 100 is 7.000000000000001. */
export function percentText(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(12))}%`;
}

/** `--shard k/n`: shard k (from 0) of n. */
export function parseShard(value: unknown): { index: number; count: number } {
  const text = Array.isArray(value) ? value.join(', ') : String(value);
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || !(count >= 1) || !(index < count) || !Number.isSafeInteger(count)) {
    throw new CliValueError(`--shard must be k/n with whole numbers 0 ≤ k < n, e.g. 0/2, got ${text}`);
  }
  return { index, count };
}
