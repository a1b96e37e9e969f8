/**
 * `kms-bench run` without a scenario file: `--op Encrypt --rate 500 --quota 100 --retry full-jitter` (or `-c 50` for a
 * closed fleet) builds a scenario document (src/scenario/quick-scenario.ts), applies `--set`, and loads it as YAML
 * text through the same loader as a file — so the run is exactly what `--print-scenario` prints, and a bad value gets
 * the schema's message, with the flag it came from in place of the document path (`--rate: …`).
 */
import { loadScenario } from '../api/load-scenario.js';
import { ScenarioError, renderPath } from '../scenario/errors.js';
import type { ScenarioProblem } from '../scenario/errors.js';
import { applyOverridesWithTargets } from '../scenario/overrides.js';
import { QUICK_NAME, buildQuickScenario, quickScenarioYaml, quickSettingAt } from '../scenario/quick-scenario.js';
import type { QuickRunSettings, QuickScenario, QuickSetting } from '../scenario/quick-scenario.js';
import type { Scenario } from '../scenario/types.js';
import { UsageError } from './exit-codes.js';

/**
 * The options that describe a quick run, as `run` receives them; none of them goes with a scenario file. Most are the
 * builder's settings under the same name, as typed; `--op` is a list to split, and `--print-scenario` prints rather
 * than builds.
 */
export interface QuickRunArgs extends Pick<QuickRunSettings, 'rate' | 'connections' | 'region' | 'quota' | 'retry' | 'client' | 'enforcement'> {
  /** `--op`, given once or more, each a comma-separated list of operations. */
  readonly op?: string | string[];
  readonly printScenario?: boolean;
}

/** The quick-run options and their flags, in the order messages list them. */
const QUICK_FLAGS: readonly (readonly [keyof QuickRunArgs, string])[] = [
  ['op', '--op'],
  ['rate', '--rate'],
  ['connections', '--connections'],
  ['region', '--region'],
  ['quota', '--quota'],
  ['retry', '--retry'],
  ['client', '--client'],
  ['enforcement', '--enforcement'],
  ['printScenario', '--print-scenario'],
];

/** The flag a problem is reported against, for each setting of the built document. */
const FLAG_OF: Readonly<Record<QuickSetting, string>> = {
  ops: '--op',
  rate: '--rate',
  connections: '--connections',
  region: '--region',
  quota: '--quota',
  retry: '--retry',
  client: '--client',
  enforcement: '--enforcement',
  duration: '--duration',
  seed: '--seed',
  clock: '--clock',
};

/** The quick-run flags given on the command line (`--print-scenario` included). */
export function quickFlagsGiven(args: QuickRunArgs): string[] {
  return QUICK_FLAGS.filter(([key]) => args[key] !== undefined && args[key] !== false).map(([, flag]) => flag);
}

/** A quick run, loaded: the scenario to run and the YAML it was loaded from. */
export interface QuickRun {
  readonly scenario: Scenario;
  readonly yaml: string;
}

/** The scenario-wide options a quick run shares with a file run. */
export interface SharedRunArgs {
  readonly set: readonly string[];
  readonly duration?: string;
  readonly seed?: number;
  readonly clock?: 'wall' | 'virtual';
}

/** `--op Encrypt,Decrypt --op Sign` → the three operations; `--op` with nothing in it is refused. */
function operations(op: QuickRunArgs['op']): string[] | undefined {
  if (op === undefined) return undefined;
  const ops = (Array.isArray(op) ? op : [op]).flatMap((text) => String(text).split(',')).map((name) => name.trim()).filter((name) => name !== '');
  if (ops.length === 0) throw new UsageError('--op needs an operation, e.g. --op Encrypt or --op Encrypt,Decrypt');
  return ops;
}

/** The settings of the run, after the checks only the command line can make (which flags go together). */
function settingsOf(args: QuickRunArgs & SharedRunArgs): QuickRunSettings {
  if (args.rate !== undefined && args.connections !== undefined) {
    throw new UsageError('--rate and --connections describe two workloads: give --rate N (requests per second) or --connections N (clients with no think time), not both');
  }
  if (args.rate === undefined && args.connections === undefined) {
    throw new UsageError('a quick run needs --rate N (requests per second) or --connections N (clients with no think time), e.g. kms-bench run --op Encrypt --rate 500');
  }
  const ops = operations(args.op);
  return {
    ...(ops === undefined ? {} : { ops }),
    ...(args.rate === undefined ? {} : { rate: args.rate }),
    ...(args.connections === undefined ? {} : { connections: args.connections }),
    ...(args.region === undefined ? {} : { region: args.region }),
    ...(args.quota === undefined ? {} : { quota: args.quota }),
    ...(args.retry === undefined ? {} : { retry: args.retry }),
    ...(args.client === undefined ? {} : { client: args.client }),
    ...(args.enforcement === undefined ? {} : { enforcement: args.enforcement }),
    ...(args.duration === undefined ? {} : { duration: args.duration }),
    ...(args.seed === undefined ? {} : { seed: args.seed }),
    ...(args.clock === undefined ? {} : { clock: args.clock }),
  };
}

const SOURCE_NAME = 'from flags';

/**
 * A problem of the built document named by the flag that set the field (`--rate: must be ≥ 0`); one under a `--set`
 * target, or of a field no flag wrote, keeps its path. The positions are in text the user never saw: dropped.
 */
function byFlag(problem: ScenarioProblem, quick: QuickScenario, overridden: readonly string[]): ScenarioProblem {
  const under = (target: string): boolean => problem.path === target || problem.path.startsWith(`${target}.`) || problem.path.startsWith(`${target}[`);
  const setting = overridden.some(under) ? undefined : quickSettingAt(quick, problem.path);
  if (setting === undefined) return { path: problem.path, message: problem.message };
  // The one rule about a field no flag sets: the fleet's think time, which a quick run leaves at zero.
  const thinkTime = /\.thinkTime$/.test(problem.path)
    ? `; a quick run's clients have none: add --set fleets.${QUICK_NAME}.workload.thinkTime=1ms, or a batch with --set fleets.${QUICK_NAME}.workload.iterations=N`
    : '';
  return { path: FLAG_OF[setting], message: `${problem.message}${thinkTime}` };
}

/**
 * Builds, overrides and loads a quick run's scenario.
 *
 * @param origin the command line, for the YAML's header comment.
 * @throws UsageError for flags that do not go together; ScenarioError with every problem, named by flag.
 */
export async function loadQuickRun(args: QuickRunArgs & SharedRunArgs, origin: string): Promise<QuickRun> {
  const quick = buildQuickScenario(settingsOf(args));
  let applied;
  try {
    applied = applyOverridesWithTargets(quick.document, args.set);
  } catch (error) {
    if (error instanceof ScenarioError) throw new ScenarioError(error.problems, SOURCE_NAME);
    throw error;
  }
  const yaml = quickScenarioYaml(applied.document, `Built by: ${origin}`);
  try {
    return { scenario: await loadScenario({ text: yaml, name: 'quick.yaml' }), yaml };
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    const overridden = applied.targets.map(renderPath);
    const seen = new Set<string>();
    const problems = error.problems
      .map((problem) => byFlag(problem, quick, overridden))
      .filter((problem) => !seen.has(`${problem.path}\u0000${problem.message}`) && seen.add(`${problem.path}\u0000${problem.message}`));
    throw new ScenarioError(problems, SOURCE_NAME);
  }
}

/** What `run` goes on with: a scenario to run, or (`--print-scenario`) the YAML of one to print instead. */
export type RunScenarioChoice = { readonly scenario: Scenario; readonly print?: undefined } | { readonly print: string };

/**
 * The scenario `run` was asked for: the file it names, or the quick run its flags describe — never both.
 *
 * @throws UsageError for a file given with quick-run flags, or neither; ScenarioError for an invalid scenario.
 */
export async function chooseRunScenario(args: QuickRunArgs & SharedRunArgs & { readonly scenario?: string }): Promise<RunScenarioChoice> {
  const quickFlags = quickFlagsGiven(args);
  if (args.scenario !== undefined && quickFlags.length > 0) {
    throw new UsageError(
      `${quickFlags.join(', ')} describe${quickFlags.length === 1 ? 's' : ''} a quick run without a scenario file; ${args.scenario} is a file. ` +
        `Change the file (or --set a field of it), or drop the file: kms-bench run --op Encrypt --rate 500 --print-scenario builds one`,
    );
  }
  if (args.scenario !== undefined) {
    const overrides = { overrides: args.set, duration: args.duration, seed: args.seed, clock: args.clock };
    return { scenario: await loadScenario(args.scenario, overrides) };
  }
  if (quickFlags.length === 0) {
    throw new UsageError('name a scenario file (kms-bench run scenarios/default.yaml), or describe a quick run: kms-bench run --op Encrypt --rate 500 --duration 30s');
  }
  const words = process.argv.slice(2).filter((arg) => arg !== '--print-scenario');
  const quick = await loadQuickRun(args, `kms-bench ${words.map(shellWord).join(' ')}`);
  return args.printScenario === true ? { print: quick.yaml } : { scenario: quick.scenario };
}

/** An argument as a shell reads it back: quoted when it holds anything but plain characters. */
export function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
