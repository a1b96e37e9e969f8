/**
 * The commands as yargs sees them: name, description and options, which `--help` and the argument checks need. Each
 * handler loads its command's module when the command runs, so `--help`, `validate` and `compare` never load the
 * engine, the SDK clients or Piscina, which only `run` needs (`kms-bench --help` took 1.1 s when they loaded first).
 * Only light modules are imported here: the option checks and two tables of constants.
 */
import type { CommandModule } from 'yargs';
import { CI_FORMATS } from '../report/ci-formats.js';
import { DEFAULT_TOLERANCE_DETERMINISTIC, WALL_TOLERANCES } from '../report/baseline-diff.js';
import { durationOption, parseMaxRequests, parseShard, percentText as pct, singleStringOption, wholeNumberOption } from './cli-values.js';
import type { MergeArgs } from './merge.js';
import type { CompareArgs } from './compare.js';
import type { PlanArgs } from './plan.js';
import type { RunArgs } from './run.js';
import type { ServeArgs } from './serve.js';
import { CliValueError, parseWholeNumber } from './cli-values.js';
import type { ValidateArgs } from './validate.js';

const SCENARIO = { type: 'string', demandOption: true, describe: 'Scenario file (YAML or JSON)' } as const;
const SET = { type: 'string', array: true, default: [], describe: 'Override a scenario field: path=value (repeatable)' } as const;

/** `--quota-store`: sets `quotas.store`, so a bad URL is refused at that path like any scenario value. */
const QUOTA_STORE = singleStringOption('quota-store', 'Share quotas across processes and hosts: redis://host:port[/db][?lease=N&fault=local|fail-open|fail-closed&share=N&timeoutMs=N] (default: memory, this process)');
/** `--run-id`: names the budgets in a shared quota store. */
const RUN_ID = singleStringOption('run-id', 'With --quota-store: processes giving the same id share one quota (default scenario-<scenario hash>)');

/** `kms-bench run <scenario>`. */
export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run [scenario]',
  describe: 'Run a scenario and write its report (or, without a file, a quick run described by --op, --rate, …)',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', describe: 'Scenario file (YAML or JSON); leave it out for a quick run' })
      .option('out', singleStringOption('out', 'Report directory (default reports/<scenario>-<timestamp>)'))
      .option('set', SET)
      .option('workers', wholeNumberOption('workers', 'Worker threads (default: the scenario, else one per core)', 1))
      .option('duration', durationOption('duration', "Override the run's duration, e.g. 30s"))
      .option('seed', wholeNumberOption('seed', 'Override the seed'))
      .option('clock', { choices: ['wall', 'virtual'] as const, describe: "Override the scenario's clock" })
      .option('repeat', wholeNumberOption('repeat', 'Virtual clock: run N seeds (seed, seed+1, …) and report mean and spread', 1))
      .option('json', { type: 'boolean', default: false, describe: 'Print result.json to stdout instead of the table' })
      .option('force', { type: 'boolean', default: false, describe: 'Overwrite the report in an --out directory that already holds one' })
      .option('max-requests', { type: 'string', coerce: parseMaxRequests, describe: 'Refuse a run estimated past this many requests (default 2e9)' })
      .option('allow-large', { type: 'boolean', default: false, describe: 'Lift the request, wall-time (24 h) and memory budgets' })
      .option('stream', { type: 'string', describe: 'Write one line per second per fleet as the run goes: FILE.ndjson or FILE.csv' })
      .option('oversubscribe', { type: 'boolean', default: false, describe: 'Allow more worker threads than cores (up to 8 per core)' })
      .option('quota-store', QUOTA_STORE)
      .option('run-id', RUN_ID)
      .option('format', {
        choices: CI_FORMATS,
        array: true,
        default: [],
        describe: 'Also write CI benchmark files: gab (github-action-benchmark), bmf (Bencher); repeatable',
      })
      .option('run-id', singleStringOption('run-id', 'The id every instance of a run on several hosts shares (kms-bench merge checks it)'))
      .option('instance-id', singleStringOption('instance-id', "This instance's id in result.json (default <hostname>-<pid>)"))
      .option('shard', { type: 'string', coerce: parseShard, describe: 'Run shard k of n of every fleet (k from 0), e.g. 0/2; merge the shards with kms-bench merge' })
      .group(['op', 'rate', 'connections', 'region', 'quota', 'retry', 'client', 'enforcement', 'print-scenario'], 'Quick run (no scenario file):')
      .option('op', { type: 'string', describe: 'Operation to call, repeatable or comma-separated for an equal mix (default Encrypt)' })
      .option('rate', singleStringOption('rate', 'Open workload: requests per second'))
      .option('connections', { ...singleStringOption('connections', 'Closed workload: this many clients, no think time'), alias: 'c' })
      .option('region', singleStringOption('region', 'Region of the fleet and its keys (default us-east-1)'))
      .option('quota', singleStringOption('quota', "Requests per second of each quota bucket the operations use (default: the region's KMS quota)"))
      .option('retry', singleStringOption('retry', 'Retry policy, e.g. full-jitter, exponential, none (default: exponential; sdk-standard with --client sdk)'))
      .option('client', singleStringOption('client', 'direct (default) or sdk (the real KMSClient)'))
      .option('enforcement', singleStringOption('enforcement', 'Quota enforcement: fixed-window (default) or token-bucket'))
      .option('print-scenario', { type: 'boolean', describe: 'Print the scenario the flags build, as YAML, and exit without running' }) as never,
  handler: async (args) => {
    const { runCli } = await import('./run.js');
    await runCli(args);
  },
};

/** `kms-bench validate <scenario>`. */
export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate <scenario>',
  describe: 'Check a scenario file without running it',
  builder: (y) => y.positional('scenario', SCENARIO).option('set', SET) as never,
  handler: async (args) => {
    const { validateCli } = await import('./validate.js');
    process.exitCode = await validateCli(args);
  },
};

/** `kms-bench compare <baseline> <candidate>`. */
export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <baseline> <candidate>',
  describe: 'Compare two results metric by metric; exit 1 on a regression',
  builder: (y) =>
    y
      .positional('baseline', { type: 'string', demandOption: true, describe: 'result.json, or a report directory holding one' })
      .positional('candidate', { type: 'string', demandOption: true, describe: 'result.json, or a report directory holding one' })
      .option('tolerance', {
        type: 'string',
        describe:
          'One allowed relative change, in the worse direction, for every wall-clock metric, e.g. 5%. Default by kind: ' +
          `counts and rates ${pct(WALL_TOLERANCES.counts)}, latency p50/p90/mean ${pct(WALL_TOLERANCES.latency)}, ` +
          `p99/p999/max ${pct(WALL_TOLERANCES.latencyTail)}`,
      })
      .option('tolerance-deterministic', {
        type: 'string',
        default: pct(DEFAULT_TOLERANCE_DETERMINISTIC),
        describe: 'Allowed relative change of virtual-clock metrics (deterministic: a rerun gives the same numbers)',
      })
      .option('gate-harness', {
        type: 'boolean',
        default: false,
        describe: 'Also gate late, dropped and lateOrDroppedRate, which measure the load generator rather than KMS',
      })
      .option('format', { choices: ['text', 'markdown', 'json'] as const, default: 'text' as const, describe: 'Output format' })
      .option('changed-only', { type: 'boolean', default: false, describe: 'List only metrics that changed' })
      .epilogue(
        'Virtual-clock results are deterministic and must match exactly (--tolerance-deterministic). Wall-clock results ' +
          'are noisy: latency, and its tail most, varies between identical runs, so it gets a wider default tolerance ' +
          'than counts. Harness metrics are listed but gate only with --gate-harness. Exit 1 on a regression, 2 when the ' +
          'inputs cannot be compared.',
      ) as never,
  handler: async (args) => {
    const { compareFiles } = await import('./compare.js');
    const outcome = await compareFiles(args);
    process.stdout.write(outcome.stdout);
    process.stderr.write(outcome.stderr);
    process.exitCode = outcome.exitCode;
  },
};

/** `kms-bench merge a/result.json b/result.json … --out DIR`: several instances' results as one (merge.ts). */
export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <results..>',
  describe: "Add up the results of one run's instances (several hosts, --shard) into one result and report",
  builder: (y) =>
    y
      .positional('results', { type: 'string', array: true, demandOption: true, describe: 'result.json files, or report directories holding one' })
      .option('out', { ...singleStringOption('out', 'Report directory for the merged result'), demandOption: true })
      .option('force', { type: 'boolean', default: false, describe: 'Overwrite the report in an --out directory that already holds one' })
      .option('format', { choices: CI_FORMATS, array: true, default: [], describe: 'Also write CI benchmark files: gab, bmf; repeatable' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the merged result.json to stdout instead of the table' })
      .epilogue(
        'Counters are summed, HDR latency histograms added (never percentiles averaged), per-second timelines lined up by ' +
          'wall second (virtual-clock results by simulated second), quota usage, cache counters, cost and thresholds ' +
          'recomputed on the merged figures. Refused with exit 2: results of different scenarios or run ids, the same ' +
          'instance twice, or a file that is not a complete result.json. Exit 1 when a threshold fails, 3 when an input ' +
          'run was incomplete (the merged result says so too).',
      ) as never,
  handler: async (args) => {
    const { mergeCli } = await import('./merge.js');
    process.exitCode = await mergeCli(args);
  },
};

/** `kms-bench plan <scenario> --find …`. */
export const planCommand: CommandModule<object, PlanArgs> = {
  command: 'plan <scenario>',
  describe: 'Search virtual-clock runs for the max sustainable rate, the quota to request, or cache settings',
  builder: (y) =>
    y
      .positional('scenario', SCENARIO)
      .option('find', { choices: ['max-rate', 'quota', 'cache'] as const, demandOption: true, describe: 'What to find' })
      .option('fleet', singleStringOption('fleet', 'The fleet whose rate (max-rate) or cache (cache) is searched'))
      .option('bucket', singleStringOption('bucket', 'quota: the bucket to size, region/bucket, e.g. us-east-1/symmetric'))
      .option('growth', singleStringOption('growth', 'quota: scale every fleet\'s load first, e.g. 3x'))
      .option('objective', { type: 'string', array: true, default: [], describe: "What every probe must meet, e.g. 'throttleRate < 0.01' (repeatable; default: the scenario's thresholds)" })
      .option('tolerance', singleStringOption('tolerance', 'Stop when the bracket is this close to the answer (default 2%)'))
      .option('repeat', wholeNumberOption('repeat', 'Seeds per probe (seed, seed+1, …); the answer must hold for all (default 1)', 1))
      .option('workers', wholeNumberOption('workers', 'Worker threads (default one per core)', 1))
      .option('points-per-step', wholeNumberOption('points-per-step', 'Values probed per search step (default 4; the same on every machine, so a seed gives one plan)', 2))
      .option('oversubscribe', { type: 'boolean', default: false, describe: 'Allow more worker threads than cores (up to 8 per core)' })
      .option('set', SET)
      .option('duration', durationOption('duration', 'Simulated time per probe, e.g. 60s'))
      .option('seed', wholeNumberOption('seed', 'Override the seed'))
      .option('out', singleStringOption('out', 'Directory for plan.json, plan.md, plan.html (default reports/<scenario>-plan-<timestamp>)'))
      .option('json', { type: 'boolean', default: false, describe: 'Print plan.json to stdout instead of the answer' }) as never,
  handler: async (args) => {
    const { planCli } = await import('./plan.js');
    await planCli(args);
  },
};

/** `kms-bench serve [scenario]`: a KMS endpoint over HTTP (serve.ts). */
export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve [scenario]',
  describe: 'Serve the KMS model over HTTP to any SDK or CLI: real quotas, faults, Prometheus metrics, persistent state',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', describe: 'Scenario file: keys, quotas, serviceLatency, faults (fleets ignored; may be left out)' })
      .option('port', { type: 'string', default: '4599', describe: 'Port (0: any free port)', coerce: parsePort })
      .option('host', { ...singleStringOption('host', 'Interface to listen on'), default: '127.0.0.1' })
      .option('allow-remote', { type: 'boolean', default: false, describe: 'Allow a non-loopback --host (signatures are not checked)' })
      .option('state', singleStringOption('state', 'Keep keys, aliases, policies and key material in this directory across restarts'))
      .option('region', singleStringOption('region', 'Region of the default key (no scenario) and of requests that name none (default us-east-1)'))
      .option('quota-profile', { choices: ['kms-current', 'kms-2019', 'unlimited'] as const, describe: 'Quota table (default kms-current)' })
      .option('quota-store', QUOTA_STORE)
      .option('run-id', RUN_ID)
      .option('set', SET)
      .option('seed', wholeNumberOption('seed', 'Seed of key ids, key material and fault draws'))
      .option('max-body-bytes', wholeNumberOption('max-body-bytes', 'Largest request body (default 1 MiB)', 1))
      .option('quiet', { type: 'boolean', default: false, describe: 'No per-second log line on a terminal' }) as never,
  handler: async (args) => {
    const { serveCli } = await import('./serve.js');
    process.exitCode = await serveCli(args);
  },
};

/** `--port`: 0 (any free port) to 65535. */
function parsePort(value: unknown): number {
  const port = parseWholeNumber('port', value, 0);
  if (port > 65535) throw new CliValueError(`--port must be a whole number from 0 to 65535, got ${port}`);
  return port;
}
