#!/usr/bin/env node
/** The `kms-bench` command line. */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { didYouMean } from '../base/text.js';
// The commands' options only; each command's module loads when it runs (see commands.ts).
import { compareCommand, mergeCommand, planCommand, runCommand, serveCommand, validateCommand } from './commands.js';
import { EXIT, UsageError } from './exit-codes.js';
import { attachDashValues, isCliValueFailure } from './cli-values.js';

// The SDK warns on every process about a Node.js support change; the harness records the Node version in results.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

// `--duration -5s` would otherwise reach yargs as `--duration` plus the short flags -5 and -s.
const argv = attachDashValues(hideBin(process.argv));
const COMMANDS = ['run', 'validate', 'compare', 'merge', 'plan', 'serve'] as const;
const cli = yargs(argv);

/** An option name as the user types it: `--duration`, `-n`. */
const flag = (name: string): string => (name.length === 1 ? `-${name}` : `--${name}`);

/**
 * The options yargs knows at the moment it fails: inside a command, that command's options and the global ones.
 * `getOptions` is not in yargs' type declarations, so it is looked up defensively: without it a typo still exits 2,
 * only without a suggestion.
 */
function knownOptions(): string[] {
  const getOptions = (cli as unknown as { getOptions?: () => { key?: Record<string, unknown> } }).getOptions;
  return typeof getOptions === 'function' ? Object.keys(getOptions.call(cli).key ?? {}) : [];
}

/**
 * yargs' strict-mode complaint (`Unknown arguments: duraton, foo`) rewritten one line per argument: an option as it
 * was typed, with the nearest known option when there is one (`unknown option --duraton (did you mean --duration?)`),
 * a stray word as yargs named it (`Unknown argument: foo`). yargs also lists the camelCase twin of a dashed typo
 * (`changed-onl, changedOnl`); the twin is dropped. Returns undefined for any other message.
 */
function unknownArgumentLines(message: string): string[] | undefined {
  const match = /^Unknown arguments?: (.+)$/s.exec(message);
  if (match === null) return undefined;
  const names = (match[1] ?? '').split(', ');
  const camel = (name: string): string => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
  const twins = new Set(names.filter((name) => name.includes('-')).map(camel));
  const known = knownOptions();
  return names
    .filter((name) => !twins.has(name))
    .map((name) => {
      // Only a name typed as an option gets an option suggested; a stray word is left as yargs named it.
      const typedAsOption = argv.some((arg) => arg === flag(name) || arg.startsWith(`${flag(name)}=`));
      if (!typedAsOption) return `Unknown argument: ${name}`;
      const suggestion = /^ \(did you mean "(.+)"\?\)$/.exec(didYouMean(name, known))?.[1];
      return `unknown option ${flag(name)}${suggestion === undefined ? '' : ` (did you mean ${flag(suggestion)}?)`}`;
    });
}

await cli
  .scriptName('kms-bench')
  .usage('$0 <command> [options]\n\nWill we throttle, and what fixes it? Benchmarks AWS KMS workloads against an in-process model of KMS and its request quotas.')
  .command(runCommand)
  .command(validateCommand)
  .command(compareCommand)
  .command(mergeCommand)
  .command(planCommand)
  .command(serveCommand)
  .demandCommand(1, 'Name a command: run, validate, compare, merge, plan or serve.')
  .strict()
  .recommendCommands()
  .fail((message, error) => {
    // An option's own check (cli-values.ts) already names the option and the value: one line, no usage dump.
    if (error instanceof UsageError || isCliValueFailure(error)) {
      process.stderr.write(`kms-bench: ${error.message}\n`);
      process.exit(EXIT.invalidInput);
    }
    if (error !== undefined && error !== null) throw error;
    const lines = unknownArgumentLines(message) ?? [message];
    const command = COMMANDS.find((name) => argv[0] === name);
    const help = command === undefined ? 'kms-bench --help' : `kms-bench ${command} --help`;
    process.stderr.write(`${lines.map((line) => `kms-bench: ${line}\n`).join('')}Run \`${help}\` for usage.\n`);
    process.exit(EXIT.invalidInput);
  })
  .help()
  .version()
  .wrap(Math.min(120, process.stdout.columns ?? 100))
  .parseAsync();
