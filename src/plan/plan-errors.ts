/**
 * Why a plan could not start or go on. Bad input (an objective, a fleet, a bucket, bounds that cannot hold an answer)
 * is a {@link PlanInputError}, found before any probe runs where it can be (exit 2); a probe the planner cannot trust
 * stops the search with a {@link PlanStopped} carrying what was probed (exit 3).
 */

/** The plan's question or its inputs are wrong; every problem is listed. */
export class PlanInputError extends Error {
  override readonly name = 'PlanInputError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}
