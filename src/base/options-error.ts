/**
 * How every layer reports bad options (quotas, retry policies, …): all problems at once, each naming its option by a
 * dotted path, so a user fixes a whole file in one go. A layer's validator is the one rule for its options: the
 * scenario schema runs the same validator and reports its issues at the fields of the scenario (`field`, `problem`),
 * so a value the scenario accepts is a value the layer accepts, with the same message.
 */

/** One problem found in options. */
export interface OptionsIssue {
  /** Dotted path of the bad option, e.g. `quotas.overrides.us-east-1.symmetric`. */
  readonly path: string;
  /** A sentence naming the option, e.g. `quotas.overrides.us-east-1.symmetric must be a positive number`. */
  readonly message: string;
  /**
   * The option's place below the options validated, as segments (`['overrides', 'us-east-1', 'symmetric']`), for a
   * caller that holds those options inside a larger document; absent when the options as a whole are wrong.
   */
  readonly field?: readonly string[];
  /** The message without the path (`must be a positive number, got -5`). */
  readonly problem?: string;
}

/**
 * An issue at `field` below the options at `base`: `path` is `base.field…` and `message` is the path then the problem
 * (`quotas.burstSeconds must be …`, or with `separator: ': '`, `quotas.profile: unknown profile "x"; …`).
 */
export function optionsIssue(base: string, field: readonly string[], problem: string, separator: ' ' | ': ' = ' '): OptionsIssue {
  const path = [base, ...field].join('.');
  return { path, message: `${path}${separator}${problem}`, field, problem };
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
