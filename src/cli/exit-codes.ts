/** The CLI's exit codes (DESIGN.md, "Exit codes"), and a scenario a command could not use turned into one. */
import { ScenarioError } from '../scenario/errors.js';

/** The exit codes. */
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

/**
 * Prints why a scenario could not be used and returns the exit code: 2 for a {@link ScenarioError} (every problem of
 * the file, a file that cannot be read included), 3 for anything else, which is the harness's fault.
 */
export function reportScenarioError(error: unknown): number {
  if (error instanceof ScenarioError) {
    process.stderr.write(`${error.format()}\n`);
    return EXIT.invalidInput;
  }
  process.stderr.write(`kms-bench: harness failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT.incomplete;
}
