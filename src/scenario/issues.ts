/**
 * Turns zod issues into scenario problems: one message style everywhere (`must be ≥ 1`, `unrecognized key`,
 * `unknown value "x"; expected a, b (did you mean "b"?)`), each at the path of the field it is about.
 */
import type { core } from 'zod';
import type { PathSegment } from './errors.js';
import { describeValue, didYouMean, listOf } from '../base/text.js';

/** A problem before it is rendered: the path as segments, so a source position can be looked up. */
export interface Finding {
  readonly segments: readonly PathSegment[];
  readonly message: string;
}

/**
 * The message of each unrecognized key, one per line (zod raises one issue for all the unknown keys of an object;
 * {@link zodFindings} splits it back by line so every key gets its own problem and suggestion).
 */
export function unknownKeysMessage(keys: readonly string[], known: readonly string[], hint?: string): string {
  return keys
    .map((key) => {
      const suggestion = didYouMean(key, known);
      if (suggestion !== '') return `unrecognized key${suggestion}`;
      return hint === undefined ? `unrecognized key; expected ${listOf(known)}` : `unrecognized key; ${hint}`;
    })
    .join('\n');
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  array: 'a list',
};

/** The error map given to every parse: the messages of the issues zod raises itself. */
export function scenarioErrorMap(issue: core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'required';
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      if (issue.expected === 'int' && typeof issue.input === 'number') return `must be an integer, got ${issue.input}`;
      return `must be ${expected}, got ${describeValue(issue.input)}`;
    }
    case 'too_small': {
      const minimum = Number(issue.minimum);
      if (issue.origin === 'array') return `must have at least ${minimum} ${minimum === 1 ? 'entry' : 'entries'}`;
      if (issue.origin === 'string') return minimum <= 1 ? 'must not be empty' : `must be at least ${minimum} characters`;
      return `must be ${issue.inclusive === false ? '>' : '≥'} ${minimum}`;
    }
    case 'too_big': {
      const maximum = Number(issue.maximum);
      if (issue.origin === 'array') return `must have at most ${maximum} ${maximum === 1 ? 'entry' : 'entries'}`;
      if (issue.origin === 'string') return `must be at most ${maximum} characters`;
      return `must be ${issue.inclusive === false ? '<' : '≤'} ${maximum}`;
    }
    case 'invalid_value': {
      const values = issue.values.map(String);
      if (values.length === 1) return `must be ${values[0] ?? ''}`;
      return `unknown value ${describeValue(issue.input)}; expected ${listOf(values)}${didYouMean(issue.input, values)}`;
    }
    case 'invalid_format':
      return `${describeValue(issue.input)} is not in the expected format`;
    default:
      return undefined;
  }
}

/** Renders zod's issues (parsed with {@link scenarioErrorMap} and `reportInput`) as findings under `base`. */
export function zodFindings(issues: readonly core.$ZodIssue[], base: readonly PathSegment[] = []): Finding[] {
  const findings: Finding[] = [];
  for (const issue of issues) {
    const segments = [...base, ...issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)))];
    switch (issue.code) {
      case 'unrecognized_keys': {
        const messages = issue.message.split('\n');
        issue.keys.forEach((key, index) => {
          findings.push({ segments: [...segments, key], message: messages[index] ?? 'unrecognized key' });
        });
        break;
      }
      case 'invalid_union':
        findings.push(...unionFindings(issue, segments));
        break;
      case 'invalid_key':
        findings.push(...zodFindings(issue.issues, segments));
        break;
      default:
        findings.push({ segments, message: issue.message });
    }
  }
  return findings;
}

function unionFindings(issue: core.$ZodIssueInvalidUnion, segments: PathSegment[]): Finding[] {
  if (typeof issue.discriminator === 'string' && issue.errors.length === 0) {
    const input: unknown = issue.input;
    const options = ('options' in issue ? (issue.options ?? []) : []).map(String);
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return [{ segments: segments.slice(0, -1), message: `must be an object, got ${describeValue(input)}` }];
    }
    const value = (input as Record<string, unknown>)[issue.discriminator];
    const message =
      value === undefined
        ? `required; one of ${listOf(options)}`
        : `unknown ${issue.discriminator} ${describeValue(value)}; expected ${listOf(options)}${didYouMean(value, options)}`;
    return [{ segments, message }];
  }
  // A plain union (e.g. `payloadBytes: 256 | { min, max }`): report the branch whose type matched the input.
  const typeMismatch = (branch: readonly core.$ZodIssue[]): boolean =>
    branch.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0);
  const matched = issue.errors.find((branch) => !typeMismatch(branch));
  if (matched !== undefined) return zodFindings(matched, segments);
  const expected = issue.errors.flatMap((branch) =>
    branch.flatMap((inner) => (inner.code === 'invalid_type' ? [TYPE_NAMES[inner.expected] ?? inner.expected] : [])),
  );
  const input: unknown = issue.input;
  return [{ segments, message: input === undefined ? 'required' : `must be ${listOf([...new Set(expected)])}, got ${describeValue(input)}` }];
}
