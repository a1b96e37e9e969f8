#!/usr/bin/env node
/** The `kms-bench` command line. */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { compareCommand } from './compare.js';
import { runCommand } from './run.js';
import { validateCommand } from './validate.js';
import { EXIT } from './exit-codes.js';

// The SDK warns on every process about a Node.js support change; the harness records the Node version in results.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

await yargs(hideBin(process.argv))
  .scriptName('kms-bench')
  .usage('$0 <command> [options]\n\nWill we throttle, and what fixes it? Benchmarks AWS KMS workloads against an in-process model of KMS and its request quotas.')
  .command(runCommand)
  .command(validateCommand)
  .command(compareCommand)
  .demandCommand(1, 'Name a command: run, validate or compare.')
  .strict()
  .recommendCommands()
  .fail((message, error, y) => {
    if (error !== undefined && error !== null) throw error;
    process.stderr.write(`${y.help() ? '' : ''}kms-bench: ${message}\nRun \`kms-bench --help\` for usage.\n`);
    process.exit(EXIT.invalidInput);
  })
  .help()
  .version()
  .wrap(Math.min(120, process.stdout.columns ?? 100))
  .parseAsync();
