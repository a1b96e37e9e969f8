/** Loading a scenario for a command, and turning what can go wrong into a message and an exit code. */
import { loadScenarioFile, ScenarioError, type Scenario } from '../scenario/index.js';
import { EXIT, UsageError } from './exit-codes.js';

export async function loadScenarioWithOverrides(path: string, sets: readonly string[]): Promise<Scenario> {
  return loadScenarioFile(path, { sets });
}

function isMissingFile(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES';
}

/** Prints why a scenario could not be used; returns 2 for bad input, 3 for anything else (a harness fault). */
export function reportScenarioError(error: unknown, path: string): number {
  if (error instanceof ScenarioError) {
    process.stderr.write(`${error.format()}\n`);
    return EXIT.invalidInput;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`kms-bench: ${path}: ${error.message}\n`);
    return EXIT.invalidInput;
  }
  if (isMissingFile(error)) {
    process.stderr.write(`kms-bench: cannot read scenario file ${path}: ${error.code}\n`);
    return EXIT.invalidInput;
  }
  process.stderr.write(`kms-bench: harness failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT.incomplete;
}
