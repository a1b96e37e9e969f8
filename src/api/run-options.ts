/**
 * What a caller can ask of {@link runScenario}: budgets, the report directory, progress and live callbacks, the
 * stream file. Its own module so the run pipeline (loaded lazily by `runScenario`) can take the type without an
 * import cycle back through the entry point.
 */
import type { CiFormat } from '../report/ci-formats.js';
import type { OptionNames } from './option-names.js';
import type { RunProgress, RunStart, StreamRow } from './run-events.js';
import type { ReportOutcome } from './write-reports.js';
import type { ShardPlan } from '../engine/wire.js';

/**
 * The budgets a run is checked against before it starts (figures and reasons in src/engine/work-rates.ts): a run
 * estimated past one is refused with {@link RunRefusedError}.
 */
export interface RunBudget {
  /** The most requests the run may send or simulate, across every variant and seed. Default 2e9. */
  readonly maxRequests?: number;
  /** Lifts the wall-time (24 h) and memory (half the machine's, at most 4 GiB) budgets, and `maxRequests`' default. */
  readonly allowLarge?: boolean;
  /** Allows more worker threads than cores, up to 8 per core. */
  readonly oversubscribe?: boolean;
}

/** Where and how {@link runScenario} writes the report directory. */
export interface ReportOptions {
  /** The report directory, checked (creatable, writable, not under /proc, /sys or /dev) before the run starts. */
  readonly dir: string;
  /**
   * When `dir` exists, write to the first of `<dir>-2`, `<dir>-3`, … that does not, so two runs never share one (the
   * command line's default directory). Default false: `dir` itself.
   */
  readonly fresh?: boolean;
  /** Overwrite a report already in `dir`; without it, a `dir` holding a result.json is refused. Default false. */
  readonly overwrite?: boolean;
  /** CI benchmark files to write besides result.json, summary.md and report.html. */
  readonly formats?: readonly CiFormat[];
  /**
   * Called once the report is written. When `dir` could no longer be written at the end, the report went to a
   * `kms-bench-rescue-*` directory in the OS temp dir: `notice` says so, and `written` names the files.
   */
  readonly onWritten?: (outcome: ReportOutcome) => void;
}

/** Options of {@link runScenario}; every one is optional. */
export interface RunScenarioOptions {
  /**
   * Worker threads: on the wall clock each variant's fleets are split across them, on the virtual clock independent
   * simulations run on them in parallel. Default: the scenario's `workers`, else one per core.
   */
  readonly workers?: number;
  /** Virtual clock only: run seeds S, S+1, … S+N−1 of every variant and report the spread under `variants[].repeats`. */
  readonly repeat?: number;
  /**
   * Aborting stops the run: what was measured is returned (and written) with `state: 'incomplete'`. A variant not yet
   * started is left out.
   */
  readonly signal?: AbortSignal;
  /** Called once every check has passed, before any work starts. */
  readonly onStart?: (start: RunStart) => void;
  /** Called a few times a second while the run works. */
  readonly onProgress?: (progress: RunProgress) => void;
  /**
   * Called with each fleet's counts per second: on the wall clock as seconds end on every worker, on the virtual clock
   * per variant once its simulations finish (first seed only). Each fleet's last row is the drain after the
   * scheduled end, so the rows add up to the result's totals.
   */
  readonly onSeconds?: (rows: readonly StreamRow[]) => void;
  /**
   * Writes {@link RunScenarioOptions.onSeconds}' rows to this file as they come: NDJSON (`.ndjson`, `.jsonl`) or CSV
   * (`.csv`). Created (truncated) once every other check has passed, before any work; a path that cannot be is refused
   * with {@link RunRefusedError}. A write that fails during the run stops the stream, not the run ({@link onWarning}).
   */
  readonly stream?: string;
  /**
   * Called with a problem the run went on despite: a `stream` write that failed (streaming stops, the run goes on) or
   * an `onSeconds` that threw. Default: `process.emitWarning`.
   */
  readonly onWarning?: (message: string) => void;
  /** The pre-run budgets; see {@link RunBudget}. */
  readonly budget?: RunBudget;
  /** Write the report directory; without it nothing is written (see {@link writeReports} to write one later). */
  readonly report?: ReportOptions;
  /**
   * The id every instance of a run shares: it names the budgets in a shared quota store (`quotas.store`,
   * `--quota-store`), so processes that share a quota give the same id, and `kms-bench merge` refuses results of
   * different run ids. Recorded as result.json's `runId`. Default `scenario-<first 16 hex digits of the scenario
   * hash>`, so runs of one scenario share it. 1–128 characters of letters, digits and `._:-`.
   */
  readonly runId?: string;
  /**
   * This instance's id, recorded as `environment.instanceId` (`kms-bench merge` refuses two results of one instance);
   * default `<hostname>-<pid>`. 1–128 characters of letters, digits and `._:-`.
   */
  readonly instanceId?: string;
  /**
   * Run only shard `index` of `count` of every fleet: every `count`-th global arrival from the `index`-th of an open
   * fleet, every `count`-th client from the `index`-th of a closed one. Each request draws its choices by its own key,
   * so the shards' results merged (`kms-bench merge`) are the whole run's, exactly on the virtual clock while no quota
   * throttles. Recorded as result.json's `shard`.
   */
  readonly shard?: ShardPlan;
  /** How refusals name the settings that lift them; default these options' own names (`budget.maxRequests`, …). */
  readonly optionNames?: Partial<OptionNames>;
}
