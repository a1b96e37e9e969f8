/**
 * The results `kms-bench merge` is given, read and checked before anything is added up: each must be a whole
 * result.json with mergeable metrics, all of one scenario (its hash) and one run id, each from another instance (and
 * another shard). Every problem is reported at once, each naming its file and the field.
 */
import { readResultFile, ResultFileError } from '../report/result-file.js';
import type { RunResult } from '../report/result-types.js';
import { isRecord } from '../base/records.js';
import { mergeMetrics, MetricsMergeError } from '../metrics/merge.js';
import { METRICS_WIRE_VERSION, type WorkerMetrics } from '../metrics/wire.js';
import { MergeRefusedError } from './merge-refused.js';

/** One result to merge and where it came from. */
export interface MergeInput {
  /** The path as given. */
  readonly file: string;
  readonly result: RunResult;
}

/**
 * Reads every file.
 * @throws MergeRefusedError listing every file that is not a readable, complete result.json.
 */
export async function readMergeInputs(files: readonly string[]): Promise<MergeInput[]> {
  if (files.length === 0) throw new MergeRefusedError(['merge needs at least one result.json']);
  const problems: string[] = [];
  const inputs: MergeInput[] = [];
  for (const file of files) {
    try {
      inputs.push({ file, result: await readResultFile(file) });
    } catch (error) {
      if (!(error instanceof ResultFileError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw new MergeRefusedError(problems);
  return inputs;
}

/** A variant's wire metrics, checked: the version this build reads, and merging on its own (lengths, histograms). */
function wireProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'is missing (a result written before results carried mergeable metrics)';
  const wire = value['wire'];
  if (!isRecord(wire) || !Array.isArray(wire['operations']) || !Array.isArray(wire['timelines']) || typeof wire['timelineSeconds'] !== 'number') {
    return '.wire is not metrics in the wire format';
  }
  if (wire['version'] !== METRICS_WIRE_VERSION) return `.wire.version is ${String(wire['version'])}; this kms-bench reads ${METRICS_WIRE_VERSION}`;
  const start = value['wallStartMs'];
  if (start !== undefined && (typeof start !== 'number' || !Number.isFinite(start))) return '.wallStartMs is not a number';
  try {
    mergeMetrics([wire as unknown as WorkerMetrics]);
  } catch (error) {
    // A histogram that does not decode throws the codec's own error: any error here is a corrupt file.
    return `.wire: ${error instanceof MetricsMergeError || error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}

/** The fields of a variant a merge reads besides its metrics' wire format; the first one missing, if any. */
function variantShapeProblem(variant: unknown): string | undefined {
  if (!isRecord(variant) || typeof variant['name'] !== 'string') return 'name is missing';
  const metrics = variant['metrics'];
  if (!isRecord(metrics) || typeof metrics['durationSec'] !== 'number') return 'metrics.durationSec is missing';
  if (!Array.isArray(variant['quota'])) return 'quota is missing';
  return undefined;
}

const shardText = (shard: { index: number; count: number }): string => `${shard.index}/${shard.count}`;

/** Every reason `inputs` cannot be merged; empty when they can. */
export function mergeProblems(inputs: readonly MergeInput[]): string[] {
  const problems: string[] = [];
  const first = inputs[0];
  if (first === undefined) return ['merge needs at least one result.json'];
  const instances = new Map<string, string>();
  const shards = new Map<number, string>();
  const names = (result: RunResult): string => result.variants.map((v) => (isRecord(v) ? String(v['name']) : '?')).join(', ');
  for (const { file, result } of inputs) {
    if (result.scenario.hash !== first.result.scenario.hash) {
      problems.push(
        `${file}: scenario.hash ${result.scenario.hash} (scenario "${result.scenario.name}") differs from ${first.file}'s ` +
          `${first.result.scenario.hash} ("${first.result.scenario.name}"): results of different scenarios cannot be merged`,
      );
    }
    if (result.runId !== first.result.runId) {
      problems.push(`${file}: runId ${JSON.stringify(result.runId ?? null)} differs from ${first.file}'s ${JSON.stringify(first.result.runId ?? null)}: results of different runs cannot be merged`);
    }
    if (result.instances !== undefined) problems.push(`${file}: instances: already a merged result; merge the instances' own results`);
    const id = result.environment?.instanceId;
    if (typeof id !== 'string' || id === '') {
      problems.push(`${file}: environment.instanceId is missing (a result written before instances were recorded)`);
    } else {
      const other = instances.get(id);
      if (other !== undefined) problems.push(`${file}: environment.instanceId "${id}" is also ${other}'s: the same instance's result twice`);
      else instances.set(id, file);
    }
    if ((result.shard === undefined) !== (first.result.shard === undefined) || (result.shard !== undefined && result.shard.count !== first.result.shard?.count)) {
      problems.push(`${file}: shard ${result.shard === undefined ? 'none' : shardText(result.shard)} does not fit ${first.file}'s ${first.result.shard === undefined ? 'none' : shardText(first.result.shard)}`);
    } else if (result.shard !== undefined) {
      const other = shards.get(result.shard.index);
      if (other !== undefined) problems.push(`${file}: shard ${shardText(result.shard)} is also ${other}'s: it would be counted twice`);
      else shards.set(result.shard.index, file);
    }
    if (names(result) !== names(first.result)) {
      problems.push(`${file}: variants [${names(result)}] differ from ${first.file}'s [${names(first.result)}]`);
    }
    result.variants.forEach((variant: unknown, index) => {
      const shape = variantShapeProblem(variant);
      if (shape !== undefined) return problems.push(`${file}: variants[${index}].${shape}`);
      const problem = wireProblem((variant as { mergeable?: unknown }).mergeable);
      if (problem !== undefined) problems.push(`${file}: variants[${index}].mergeable${problem.startsWith('.') ? '' : ' '}${problem}`);
      return undefined;
    });
    const environment: unknown = result.environment;
    if (!isRecord(environment) || typeof environment['startedAt'] !== 'string' || typeof environment['workers'] !== 'number') {
      problems.push(`${file}: environment is not a result's environment (startedAt, workers)`);
    }
  }
  return problems;
}

/** The shards missing from a sharded run's results (none when the results are not sharded). */
export function missingShards(inputs: readonly MergeInput[]): string[] {
  const count = inputs[0]?.result.shard?.count;
  if (count === undefined) return [];
  const have = new Set(inputs.map((input) => input.result.shard?.index));
  return Array.from({ length: count }, (_, index) => index).filter((index) => !have.has(index)).map((index) => `${index}/${count}`);
}
