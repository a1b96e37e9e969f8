/** `kms-bench validate <scenario>`: every problem at once, each with its path; exit 2 when there is any. */
import type { CommandModule } from 'yargs';
import { expandMatrix } from '../scenario/index.js';
import { EXIT } from './exit-codes.js';
import { loadScenarioWithOverrides, reportScenarioError } from './load-scenario.js';

interface ValidateArgs {
  readonly scenario: string;
  readonly set: string[];
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate <scenario>',
  describe: 'Check a scenario file without running it',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario file (YAML or JSON)' })
      .option('set', { type: 'string', array: true, default: [], describe: 'Override a scenario field: path=value (repeatable)' }) as never,
  handler: async (args) => {
    try {
      const scenario = await loadScenarioWithOverrides(args.scenario, args.set);
      const variants = expandMatrix(scenario);
      const fleets = scenario.fleets.map((f) => f.name).join(', ');
      process.stdout.write(
        `${args.scenario}: valid — scenario "${scenario.name}", ${scenario.fleets.length} fleet(s) (${fleets}), ` +
          `${variants.length} variant(s), ${scenario.durationMs / 1000}s each\n`,
      );
      process.exitCode = EXIT.ok;
    } catch (error) {
      process.exitCode = reportScenarioError(error, args.scenario);
    }
  },
};
