/**
 * How a refusal names the setting that lifts it. The same check refuses a run for the command line and for a library
 * caller, and each must be told what *it* can change: `--max-requests` on the command line, `budget.maxRequests` in
 * {@link runScenario}'s options. A message naming a flag to a library caller sends them looking for a flag they
 * cannot pass.
 */

/**
 * The names errors use for each setting: a refusal ({@link RunRefusedError}) names the one that lifts it, spelled for
 * whoever called — the command line's flags, or {@link runScenario}'s option paths (the default).
 */
export interface OptionNames {
  /** The request budget. */
  readonly maxRequests: string;
  /** Lifts the request, wall-time and memory budgets. */
  readonly allowLarge: string;
  /** Allows more threads than cores. */
  readonly oversubscribe: string;
  /** The worker-thread count, when the caller set it (otherwise the scenario's `workers:` is named). */
  readonly workers: string;
  /** The report directory, when the caller chose it. */
  readonly out: string;
  /** Overwrites an existing report in a directory the caller chose. */
  readonly force: string;
  /** Seeds per variant. */
  readonly repeat: string;
  /** The file live per-second lines go to. */
  readonly stream: string;
  /** How to ask for the virtual clock. */
  readonly clock: string;
  /** The shared quota store's run id. */
  readonly runId: string;
}

/** The command line's flags. The budget and report-directory checks default to these: most runs start there. */
export const CLI_OPTION_NAMES: OptionNames = {
  maxRequests: '--max-requests',
  allowLarge: '--allow-large',
  oversubscribe: '--oversubscribe',
  workers: '--workers',
  out: '--out',
  force: '--force',
  repeat: '--repeat',
  stream: '--stream',
  clock: '--clock virtual',
  runId: '--run-id',
};

/** The fields of {@link RunScenarioOptions}: what {@link runScenario} names unless its caller says otherwise. */
export const API_OPTION_NAMES: OptionNames = {
  maxRequests: 'budget.maxRequests',
  allowLarge: 'budget.allowLarge',
  oversubscribe: 'budget.oversubscribe',
  workers: 'workers',
  out: 'report.dir',
  force: 'report.overwrite',
  repeat: 'repeat',
  stream: 'stream',
  clock: "loadScenario's clock: 'virtual'",
  runId: 'runId',
};
