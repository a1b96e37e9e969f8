/** `kms-bench validate <scenario>`: every problem at once, each with its path; exit 2 when there is any. */
import { loadScenario } from '../api/load-scenario.js';
import { expandMatrix } from '../scenario/matrix.js';
import { EXIT, reportScenarioError } from './exit-codes.js';

/** `validate`'s arguments, as yargs parses them (options in commands.ts). */
export interface ValidateArgs {
  readonly scenario: string;
  readonly set: string[];
}

/** Loads and checks the scenario, says what it holds or what is wrong with it, and returns the exit code. */
export async function validateCli(args: ValidateArgs): Promise<number> {
  try {
    const scenario = await loadScenario(args.scenario, { overrides: args.set });
    const variants = expandMatrix(scenario);
    const fleets = scenario.fleets.map((f) => f.name).join(', ');
    process.stdout.write(
      `${args.scenario}: valid — scenario "${scenario.name}", ${scenario.fleets.length} fleet(s) (${fleets}), ` +
        `${variants.length} variant(s), ${scenario.durationMs / 1000}s each\n`,
    );
    return EXIT.ok;
  } catch (error) {
    return reportScenarioError(error);
  }
}
