/**
 * The steps of {@link runScenario}, in the order that loses nothing: everything that can refuse the run (budgets,
 * threads, the report directory) is checked before any work, and the report is written even when the run was
 * interrupted or a worker crashed. Loaded by the first run (see run-scenario.ts).
 */
import { availableParallelism, hostname } from 'node:os';
import { planVariant } from '../engine/plan.js';
import { runVariants } from '../engine/run.js';
import type { EngineRun } from '../engine/variant-run.js';
import { runSimulations } from '../engine/simulate.js';
import { versionInfo } from '../engine/versions.js';
import type { VariantPlan } from '../engine/wire.js';
import { buildResult } from '../report/result.js';
import type { RunResult } from '../report/result-types.js';
import { expandMatrix } from '../scenario/matrix.js';
import { defaultRunId, scenarioHash } from '../scenario/hash.js';
import { runIdProblem } from '../quota/index.js';
import type { Scenario, Variant } from '../scenario/types.js';
import { ASSUMED_SERVICE_LATENCY, describeLatency } from '../workload/service-latency.js';
import { API_OPTION_NAMES, type OptionNames } from './option-names.js';
import { prepareOutputDir } from './output-dir.js';
import { checkRunSize } from './run-budget.js';
import { RunRefusedError } from './run-events.js';
import type { RunScenarioOptions } from './run-options.js';
import { writeReportOrRescue } from './write-reports.js';
import { StreamWriter, streamFormat } from './stream-writer.js';
import type { StreamRow } from './run-events.js';
import type { SecondRow } from '../engine/live-board.js';
import type { AbortRule } from '../engine/live-figures.js';
import { compileThresholds, selectionMatches, splitSelection } from '../scenario/threshold-grammar.js';

/** A run id that cannot name Redis keys. */
/** See {@link runScenario}. */
export async function runPipeline(scenario: Scenario, options: RunScenarioOptions): Promise<RunResult> {
  const names: OptionNames = { ...API_OPTION_NAMES, ...options.optionNames };
  const repeat = options.repeat ?? 1;
  const wholeAtLeastOne = (value: number | undefined): boolean => value === undefined || (Number.isInteger(value) && value >= 1);
  const bad = [
    ...(wholeAtLeastOne(options.workers) ? [] : [`${names.workers} must be a whole number ≥ 1, got ${String(options.workers)}`]),
    ...(wholeAtLeastOne(options.repeat) ? [] : [`${names.repeat} must be a whole number ≥ 1, got ${String(options.repeat)}`]),
    ...instanceProblems(options, names),
    // The virtual clock simulates one process in its own time: there is no one to share a quota with.
    ...(scenario.clock === 'virtual' && scenario.quotas.store !== undefined
      ? [`quotas.store: a shared quota store (${scenario.quotas.store}) works on the wall clock only; the virtual clock simulates one process (drop quotas.store, or run with clock: wall)`]
      : []),
  ];
  if (bad.length > 0) throw new RunRefusedError(bad);
  // Any repeat, 1 included: a wall-clock run is one measurement, and a caller asking for seeds expects a simulation.
  if (options.repeat !== undefined && scenario.clock !== 'virtual') {
    throw new RunRefusedError([`${names.repeat} needs the virtual clock (clock: virtual in the scenario, or ${names.clock})`]);
  }
  const variants = expandMatrix(scenario);
  const workers = options.workers ?? scenario.workers ?? availableParallelism();
  const crypto = (name: string): 'real' | 'off' => variants.find((v) => v.name === name)?.scenario.model.crypto ?? 'real';
  const shard = options.shard;
  // One id for the quota store's budgets and for result.json: `merge` matches shards by the id the budgets were shared under.
  const runId = options.runId ?? defaultRunId(scenario);
  // The budgets are checked against the whole fleet: a shard never does more than that.
  const plans = variants.map((v) => ({ ...planVariant(v.name, v.scenario), ...(shard === undefined ? {} : { shard }) }));
  const size = checkRunSize(plans, {
    clock: scenario.clock,
    workers,
    workersOption: options.workers === undefined ? "the scenario's workers:" : names.workers,
    repeat,
    crypto,
    ...(options.budget?.maxRequests === undefined ? {} : { maxRequests: options.budget.maxRequests }),
    allowLarge: options.budget?.allowLarge === true,
    oversubscribe: options.budget?.oversubscribe === true,
    names,
  });
  if (size.refusals.length > 0) throw new RunRefusedError(size.refusals, size.notes);
  const streamFile = options.stream === undefined ? undefined : streamFileOf(options.stream, names.stream, size.notes);

  const startedAt = new Date();
  const report = options.report;
  let reportDir: string | undefined;
  if (report !== undefined) {
    // Checked (and created) before any work: a run that cannot write its report would lose its measurements.
    const out = await prepareOutputDir(report.dir, { explicit: report.fresh !== true, force: report.overwrite === true, names });
    if (!out.ok) throw new RunRefusedError([out.message], size.notes);
    reportDir = out.dir;
  }
  const warn = options.onWarning ?? ((message: string): void => process.emitWarning(message, 'KmsBenchWarning'));
  // Opened (and truncated) only once nothing else can refuse the run, and closed on every way out.
  const stream = streamFile === undefined ? undefined : openStream(streamFile, names.stream, size.notes, warn);
  let run: EngineRun;
  const started = process.hrtime.bigint();
  try {
    options.onStart?.({
      scenario: scenario.name,
      clock: scenario.clock,
      variants: variants.map((v) => v.name),
      workers,
      repeat,
      durationMs: scenario.durationMs,
      reportDir,
      notes: size.notes,
    });
    const aborts = abortRules(variants, plans);
    let callerFailed = false;
    // Nothing the rows go to may throw into the engine: the writer reports its own failures, and a caller's callback
    // that throws is reported once and not called again.
    const onRows = (rows: readonly StreamRow[]): void => {
      stream?.write(rows);
      if (callerFailed || options.onSeconds === undefined) return;
      try {
        options.onSeconds(rows);
      } catch (error) {
        callerFailed = true;
        warn(`onSeconds threw (${error instanceof Error ? error.message : String(error)}); it is not called again, the run goes on`);
      }
    };
    run = await runEngine(scenario, plans, { workers, repeat, crypto, options, runId, aborts, onRows });
  } finally {
    stream?.close();
  }
  const result = buildResult({
    scenario: {
      name: scenario.name,
      hash: scenarioHash(scenario),
      seed: scenario.seed,
      clock: scenario.clock,
      durationMs: scenario.durationMs,
      document: scenario.document,
      ...(scenario.serviceLatencyAssumed ? { serviceLatencyAssumed: describeLatency(ASSUMED_SERVICE_LATENCY) } : {}),
    },
    variantValues: new Map(variants.map((v: Variant) => [v.name, v.values])),
    variantScenarios: new Map(variants.map((v: Variant) => [v.name, v.scenario])),
    thresholds: scenario.thresholds,
    run,
    versions: versionInfo(),
    workers,
    runId,
    ...(shard === undefined ? {} : { shard }),
    instanceId: options.instanceId ?? defaultInstanceId(),
    startedAt,
    wallSeconds: Number(process.hrtime.bigint() - started) / 1e9,
  });
  if (report !== undefined && reportDir !== undefined) {
    report.onWritten?.(await writeReportOrRescue(reportDir, result, { formats: report.formats ?? [] }));
  }
  return result;
}

/** An instance's default id: its host and process, which tell apart instances on one host and on several. */
function defaultInstanceId(): string {
  return `${hostname()}-${process.pid}`;
}

/** What may name a run or an instance: it goes into file names and messages as it is. */

/** Problems with `runId`, `instanceId` and `shard`, each naming its option. */
function instanceProblems(options: RunScenarioOptions, names: OptionNames): string[] {
  const problems: string[] = [];
  for (const [value, name] of [[options.runId, names.runId], [options.instanceId, names.instanceId]] as const) {
    const problem = value === undefined ? undefined : runIdProblem(value);
    if (problem !== undefined) problems.push(`${name} ${problem}`);
  }
  const shard = options.shard;
  if (shard !== undefined) {
    const { index, count } = shard;
    if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) {
      problems.push(`${names.shard} must be k/n with whole numbers 0 ≤ k < n, got ${String(index)}/${String(count)}`);
    }
  }
  return problems;
}

interface EngineSettings {
  readonly workers: number;
  readonly repeat: number;
  readonly crypto: (variant: string) => 'real' | 'off';
  readonly options: RunScenarioOptions;
  readonly runId: string;
  readonly aborts: (variant: string) => readonly AbortRule[];
  readonly onRows: (rows: readonly StreamRow[]) => void;
}

/** `--stream`'s file, checked for a format before anything is created. */
function streamFileOf(path: string, option: string, notes: readonly string[]): { path: string; format: 'ndjson' | 'csv' } {
  const format = streamFormat(path);
  if (!format.ok) throw new RunRefusedError([`${option} ${format.message}`], notes);
  return { path, format: format.format };
}

/** Opens `--stream`'s file after every other check and before any work: a path that cannot take it refuses the run. */
function openStream(file: { path: string; format: 'ndjson' | 'csv' }, option: string, notes: readonly string[], warn: (message: string) => void): StreamWriter {
  try {
    return new StreamWriter(file.path, file.format, (message) => warn(`${option} ${message}`));
  } catch (error) {
    throw new RunRefusedError([`${option} ${file.path}: cannot be written: ${error instanceof Error ? error.message : String(error)}`], notes);
  }
}

/** The `abortOnFail` thresholds each variant is held to: selectors applied, fleets as plan indices. */
function abortRules(variants: readonly Variant[], plans: readonly VariantPlan[]): (variant: string) => readonly AbortRule[] {
  const byVariant = new Map<string, AbortRule[]>();
  variants.forEach((variant, index) => {
    const plan = plans[index];
    const specs = variant.scenario.thresholdAborts ?? [];
    if (plan === undefined || specs.length === 0) return;
    const axes = Object.keys(variant.values);
    const named = splitSelection(variant.name, axes);
    const rules: AbortRule[] = [];
    for (const spec of specs) {
      for (const t of compileThresholds({ [spec.key]: [spec.expression] }, axes)) {
        const selected = t.selector.every(
          (want) => named.ok && named.value.some((have) => have.axis === want.axis && selectionMatches(want.value, have.value)),
        );
        if (!selected) continue;
        const fleet = t.ref.fleet === undefined ? undefined : plan.fleets.findIndex((f) => f.name === t.ref.fleet);
        if (fleet === -1) continue;
        const { key, expression, comparator, value } = t;
        rules.push({ key, expression, metric: t.ref.metric, comparator, value, delayMs: spec.delayAbortEvalMs, ...(fleet === undefined ? {} : { fleet }) });
      }
    }
    byVariant.set(variant.name, rules);
  });
  return (variant) => byVariant.get(variant) ?? [];
}

/** Engine rows as stream rows: fleet names, the drain marked. */
function streamRows(plans: readonly VariantPlan[], variant: string, rows: readonly SecondRow[], drainSecond: number): StreamRow[] {
  const plan = plans.find((p) => p.name === variant);
  return rows.map((row) => ({
    variant,
    second: row.second,
    drain: row.second >= drainSecond,
    fleet: plan?.fleets[row.fleet]?.name ?? String(row.fleet),
    ...row.counts,
  }));
}

/** Runs the plans on the scenario's clock; a harness failure becomes an incomplete run, never a lost one. */
async function runEngine(scenario: Scenario, plans: readonly VariantPlan[], settings: EngineSettings): Promise<EngineRun> {
  const { workers, repeat, crypto, options, aborts } = settings;
  const { onProgress, signal } = options;
  const onSeconds = (variant: string, rows: readonly SecondRow[], drainSecond: number): void =>
    settings.onRows(streamRows(plans, variant, rows, drainSecond));
  try {
    return scenario.clock === 'virtual'
      ? await runSimulations(plans, {
          workers,
          repeat,
          crypto,
          onSeconds,
          abortRules: aborts,
          ...(signal === undefined ? {} : { signal }),
          ...(onProgress === undefined ? {} : { onProgress: (p) => onProgress({ clock: 'virtual', ...p }) }),
        })
      : await runVariants(plans, {
          workers,
          runId: settings.runId,
          onSeconds,
          abortRules: aborts,
          ...(signal === undefined ? {} : { signal }),
          ...(onProgress === undefined ? {} : { onProgress: (p) => onProgress({ clock: 'wall', ...p }) }),
        });
  } catch (error) {
    return { state: 'incomplete', reason: `harness failure: ${error instanceof Error ? error.message : String(error)}`, variants: [] };
  }
}
