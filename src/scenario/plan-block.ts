/**
 * The scenario's `plan:` block: the bounds `kms-bench plan` searches within (src/plan/). A scenario runs the same with
 * or without it; only the planner reads it. Its own module so the rest of the schema stays the run's business.
 *
 * ```yaml
 * plan:
 *   rate: { min: 1000, max: 20000 }   # --find max-rate: the searched fleet's arrivalRate (or clients) stays inside
 *   quota: { min: 100, max: 50000 }   # --find quota: requests per second the searched bucket may be given
 *   cache:                            # --find cache: the security limits a data-key cache may not pass
 *     maxMessagesPerKey: 1000         #   maxMessagesEncrypted ≤ this
 *     maxKeyAge: 5m                   #   maxAge ≤ this
 *     capacity: [10, 100]             #   capacities to try (default: the fleet's own, else 100)
 * ```
 */
import * as z from 'zod';
import { duration, strict } from './schema-helpers.js';

const positive = z.number().positive().finite();

const rangeSchema = strict({ min: positive.optional(), max: positive.optional() }).refine(
  (range) => range.min === undefined || range.max === undefined || range.min < range.max,
  { error: 'min must be below max: the search needs a range to look in', path: ['max'] },
);

const cacheBoundsSchema = strict({
  maxMessagesPerKey: z.int().min(1).max(2 ** 32),
  maxKeyAge: duration({ allowZero: false }),
  capacity: z.array(z.int().min(1).max(1_000_000)).min(1).max(8).optional(),
});

/** The `plan:` block's schema (hooked into the scenario schema as an optional field). */
export const planBlockSchema = strict({
  rate: rangeSchema.optional(),
  quota: rangeSchema.optional(),
  cache: cacheBoundsSchema.optional(),
});

/** The `plan:` block as validated: durations in ms. */
export type PlanBlock = z.output<typeof planBlockSchema>;

/**
 * The `plan:` block of a validated scenario's document, parsed (the scenario's validation already reported any
 * problem with its path, so this does not fail on a scenario that loaded); `{}` when there is none.
 */
export function planBlockOf(document: Readonly<Record<string, unknown>>): PlanBlock {
  const parsed = planBlockSchema.safeParse(document['plan'] ?? {});
  return parsed.success ? parsed.data : {};
}
