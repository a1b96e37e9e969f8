/**
 * How every layer reports bad options (quotas, retry policies, …): all problems at once, each naming its option by a
 * dotted path, so a user fixes a whole file in one go.
 */

/** One problem found in options. */
export interface OptionsIssue {
  /** Dotted path of the bad option, e.g. `quotas.overrides.us-east-1.symmetric`. */
  readonly path: string;
  /** A sentence naming the option, e.g. `quotas.overrides.us-east-1.symmetric must be a positive number`. */
  readonly message: string;
}

/** Invalid options; `issues` holds every problem found, in the order of the options. */
export class OptionsError extends Error {
  readonly issues: readonly OptionsIssue[];

  constructor(name: string, issues: readonly OptionsIssue[]) {
    super(issues.map((issue) => issue.message).join('; '));
    this.name = name;
    this.issues = issues;
  }
}
