/** The CLI's exit codes (DESIGN.md, "Exit codes"). */
export const EXIT = {
  ok: 0,
  /** Thresholds failed, or a comparison found a regression. */
  failedCheck: 1,
  /** Invalid scenario, options or input files. */
  invalidInput: 2,
  /** Harness failure or incomplete run (interrupted, worker crashed). */
  incomplete: 3,
} as const;

/** Bad input: reported without a stack trace, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
