/**
 * `kms-bench merge`: the results of one run's instances (several hosts, or `--shard`s of a run) as one result, built
 * by the code that builds a run's: counters summed, HDR histograms added (the distribution merged, never percentiles
 * averaged), per-second timelines lined up by wall second (simulated second on the virtual clock), quota usage summed
 * per (account, region, bucket), and from those merged figures the summary, cache figures, cost and thresholds, as
 * for one run. The merged result lists its instances and is incomplete when any instance's run was.
 */
import { alignedLength, alignWire, type TimelinePlacement } from '../metrics/align.js';
import { mergeMetrics, mergedToWire, summarize } from '../metrics/index.js';
import type { WorkerMetrics } from '../metrics/wire.js';
import type { QuotaSlotSnapshot } from '../quota/index.js';
import { buildResult } from '../report/result.js';
import type { MergedInstance, RunResult, VariantResult } from '../report/result-types.js';
import type { EngineRun, VariantRun } from '../engine/variant-run.js';
import { expandMatrix } from '../scenario/matrix.js';
import { scenarioHash } from '../scenario/hash.js';
import type { Scenario, Variant } from '../scenario/types.js';
import { loadScenario } from './load-scenario.js';
import { mergeProblems, missingShards, type MergeInput } from './merge-inputs.js';
import { MergeRefusedError } from './merge-refused.js';
import { mergeServiceQuotas, mergeStoreReports } from './merge-store-reports.js';

export { missingShards, readMergeInputs, type MergeInput } from './merge-inputs.js';
export { MergeRefusedError } from './merge-refused.js';

/** The scenario the results ran, validated again from the document they record (for cost, placement, thresholds). */
async function scenarioOf(input: MergeInput): Promise<Scenario> {
  let scenario: Scenario;
  try {
    scenario = await loadScenario({ text: JSON.stringify(input.result.scenario.document), name: 'scenario.json' });
  } catch (error) {
    throw new MergeRefusedError([`${input.file}: scenario.document is not a valid scenario: ${error instanceof Error ? error.message : String(error)}`]);
  }
  if (scenarioHash(scenario) !== input.result.scenario.hash) {
    throw new MergeRefusedError([`${input.file}: scenario.hash does not match scenario.document: the file was changed`]);
  }
  return scenario;
}

/** Quota slots of every instance, summed per (account, region, bucket). */
function sumQuota(slots: readonly QuotaSlotSnapshot[]): QuotaSlotSnapshot[] {
  const summed = new Map<string, QuotaSlotSnapshot>();
  for (const slot of slots) {
    const key = `${slot.accountId}\u0000${slot.region}\u0000${slot.bucket}`;
    const into = summed.get(key);
    summed.set(key, into === undefined ? { ...slot } : { ...into, admitted: into.admitted + slot.admitted, throttled: into.throttled + slot.throttled });
  }
  return [...summed.values()];
}

/** `{ [key]: value }`, or nothing when the value is absent (the result leaves absent parts out). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Whole seconds each instance's second 0 fell after the earliest one's: by wall start, or 0 on the virtual clock. */
function placements(variants: readonly VariantResult[]): TimelinePlacement[] {
  const starts = variants.map((v) => v.mergeable?.wallStartMs);
  const known = starts.filter((s): s is number => s !== undefined);
  const earliest = known.length === 0 ? 0 : Math.min(...known);
  return variants.map((variant, i) => ({
    // To the nearest second: instances released within half a second of each other share their seconds.
    offsetSec: Math.round(((starts[i] ?? earliest) - earliest) / 1000),
    // A run that ran its schedule ends on its drain slot (metrics/wire.ts OperationTimeline).
    hasDrain: variant.state === 'completed',
  }));
}

/** One variant of every instance as one engine variant run, summarized from the merged metrics. */
function mergeVariant(name: string, variants: readonly VariantResult[], plan: { batch: boolean }): VariantRun {
  const places = placements(variants);
  const wires = variants.map((v) => (v.mergeable as { wire: WorkerMetrics }).wire);
  const length = alignedLength(wires.map((wire, i) => ({ wire, placement: places[i] as TimelinePlacement })));
  const merged = mergeMetrics(wires.map((wire, i) => alignWire(wire, places[i] as TimelinePlacement, length)));
  const durationSec = Math.max(...variants.map((v, i) => v.metrics.durationSec + (places[i]?.offsetSec ?? 0)));
  const incomplete = variants.filter((v) => v.state !== 'completed');
  const first = variants[0] as VariantResult;
  const common = {
    name,
    state: incomplete.length === 0 ? ('completed' as const) : ('incomplete' as const),
    ...(incomplete.length === 0 ? {} : { reason: incomplete.map((v) => v.reason ?? 'incomplete').join('; ') }),
    wallSeconds: 0,
    metrics: summarize(merged, { durationSec, batch: plan.batch }),
    wire: mergedToWire(merged),
    quota: sumQuota(variants.flatMap((v) => v.quota)),
    ...optional('quotaStore', mergeStoreReports(variants, places.map((p) => p.offsetSec))),
    ...optional('serviceQuota', mergeServiceQuotas(variants)),
  };
  if (first.simulatedSeconds === undefined) {
    const starts = variants.map((v) => v.mergeable?.wallStartMs).filter((s): s is number => s !== undefined);
    return { clock: 'wall', ...common, ...(starts.length === 0 ? {} : { wallStartMs: Math.min(...starts) }) };
  }
  return {
    clock: 'virtual',
    ...common,
    simulatedSeconds: Math.max(...variants.map((v) => v.simulatedSeconds ?? 0)),
    crypto: first.crypto ?? 'real',
  };
}

function instanceOf({ file, result }: MergeInput): MergedInstance {
  return {
    id: result.environment.instanceId ?? file,
    file,
    state: result.state,
    ...(result.reason === undefined ? {} : { reason: result.reason }),
    ...(result.shard === undefined ? {} : { shard: result.shard }),
    startedAt: result.environment.startedAt,
    workers: result.environment.workers,
  };
}

/**
 * Merges the results of one run's instances into one result.
 * @throws MergeRefusedError when they cannot be merged (different scenarios or run ids, one instance or shard twice,
 *   a file without mergeable metrics or with corrupt ones), every reason at once.
 */
export async function mergeResults(inputs: readonly MergeInput[]): Promise<RunResult> {
  const problems = mergeProblems(inputs);
  if (problems.length > 0) throw new MergeRefusedError(problems);
  const first = inputs[0] as MergeInput;
  const scenario = await scenarioOf(first);
  const variants: Variant[] = expandMatrix(scenario);
  const batch = (name: string): boolean => {
    const fleets = variants.find((v) => v.name === name)?.scenario.fleets ?? [];
    return fleets.every((fleet) => fleet.workload.model === 'closed' && fleet.workload.iterations !== undefined);
  };
  const runs = first.result.variants.map((variant, index) =>
    mergeVariant(variant.name, inputs.map((input) => input.result.variants[index] as VariantResult), { batch: batch(variant.name) }),
  );
  const incomplete = inputs.filter((input) => input.result.state !== 'completed');
  // Shards of k/n that are not among the results leave their part of every fleet out: the figures are not the run's.
  const missing = missingShards(inputs);
  const reasons = [
    ...incomplete.map((input) => `${input.file}: ${input.result.reason ?? 'incomplete'}`),
    ...(missing.length === 0 ? [] : [`shard(s) ${missing.join(', ')} not among the merged results: the figures are part of the run`]),
  ];
  const run: EngineRun = { state: reasons.length === 0 ? 'completed' : 'incomplete', ...(reasons.length === 0 ? {} : { reason: reasons.join('; ') }), variants: runs };
  const starts = inputs.map((input) => Date.parse(input.result.environment.startedAt));
  const ends = inputs.map((input, i) => (starts[i] ?? 0) + input.result.environment.wallSeconds * 1000);
  const startedAt = new Date(Math.min(...starts));
  const env = first.result.environment;
  const built = buildResult({
    scenario: first.result.scenario,
    variantValues: new Map(first.result.variants.map((v) => [v.name, v.values])),
    variantScenarios: new Map(variants.map((v) => [v.name, v.scenario])),
    thresholds: scenario.thresholds,
    run,
    versions: { tool: env.tool, node: env.node, dependencies: env.dependencies },
    workers: inputs.reduce((sum, input) => sum + input.result.environment.workers, 0),
    startedAt,
    wallSeconds: (Math.max(...ends) - startedAt.getTime()) / 1000,
    ...(first.result.runId === undefined ? {} : { runId: first.result.runId }),
  });
  const { variantWallSeconds: _perVariant, ...environment } = built.environment;
  return { ...built, instances: inputs.map(instanceOf), environment };
}
