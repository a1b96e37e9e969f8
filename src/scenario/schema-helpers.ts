/**
 * The building blocks the scenario's zod schemas share: strict objects with one message per unknown key, checks that
 * span several fields of one object, durations, and the bridge to the layers' option validators (a layer's rule is
 * run as is and its issues reported at the scenario's fields, so the scenario never keeps a copy of a layer's rule).
 */
import * as z from 'zod';
import type { OptionsIssue } from '../base/options-error.js';
import { isRecord } from '../base/records.js';
import { parseDuration } from './duration.js';
import { unknownKeysMessage } from './issues.js';

/** A whole number ≥ 1 (counts of clients, attempts, iterations, messages). */
export const positiveInt = z.int().min(1);

/** A strict object whose unknown keys are reported one by one, with a suggestion or the list of known keys. */
export function strict<T extends z.core.$ZodLooseShape>(shape: T, hint?: string) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeysMessage(issue.keys, known, hint) : undefined),
  });
}

/**
 * When a check across fields of one object runs: when those fields parsed cleanly, even if another field of the
 * object did not (zod skips checks after any issue by default), so it is reported with the object's other problems.
 */
export function whenParsed(fields: readonly string[]): (payload: z.core.ParsePayload) => boolean {
  return (payload) =>
    !payload.issues.some((issue) =>
      issue.path === undefined || issue.path.length === 0
        ? issue.code !== 'unrecognized_keys' // not an object at all
        : fields.includes(String(issue.path[0])),
    );
}

/** Options of a `refine` across `fields`, reported at `path` (see {@link whenParsed}). */
export function across(fields: readonly string[], path: string, error: string | ((issue: z.core.$ZodRawIssue) => string)) {
  return { path: [path], error, when: whenParsed(fields) };
}

/**
 * A duration string (`'250ms'`, `'1.5s'`) parsed to milliseconds. Its range is the field's: `allowZero: false` refuses
 * 0 (a duration is never negative); fields whose range a layer decides take `allowZero: true` and leave it to the layer.
 */
export function duration(options: { allowZero: boolean }) {
  return z.unknown().transform((value, ctx) => {
    if (value === undefined) {
      ctx.issues.push({ code: 'custom', message: 'required', input: value });
      return z.NEVER;
    }
    const parsed = parseDuration(value);
    if (!parsed.ok) {
      ctx.issues.push({ code: 'custom', message: parsed.message, input: value });
      return z.NEVER;
    }
    if (!options.allowZero && parsed.ms === 0) {
      ctx.issues.push({ code: 'custom', message: 'must be > 0', input: value });
      return z.NEVER;
    }
    return parsed.ms;
  });
}

/**
 * A check that runs a layer's option validator on the object's parsed `fields` and reports each issue at its field,
 * with the layer's own words: the scenario accepts exactly what the layer accepts. `validate` gets the object as zod
 * parsed it (durations in ms, defaults filled) and returns the layer's issues; each issue's `field` is its place below
 * the object (an issue without one is reported at the object itself).
 */
export function layerRule<T>(fields: readonly string[], validate: (value: T) => readonly OptionsIssue[]): z.core.$ZodCheck<T> {
  return z.superRefine<T>(
    (value, ctx) => {
      for (const issue of validate(value)) {
        const path = [...(issue.field ?? [])];
        ctx.addIssue({ code: 'custom', message: issue.problem ?? issue.message, path, input: valueAt(value, path) });
      }
    },
    { when: whenParsed(fields) },
  );
}

/** The value at `path` below `value`, or undefined when the path leads nowhere. */
function valueAt(value: unknown, path: readonly string[]): unknown {
  let at = value;
  for (const key of path) at = isRecord(at) ? at[key] : undefined;
  return at;
}
