/**
 * Merging the results of one run's instances from a library: the front door of `kms-bench merge` (merge-results.ts
 * does the work, loaded when a merge runs, not by `import 'kms-bench'`).
 */
import type { RunResult } from '../report/result-types.js';

export { MergeRefusedError } from './merge-refused.js';

/**
 * Reads the result.json files of one run's instances (several hosts, or the `shard`s of a run) and adds them up into
 * one result: counters summed, HDR latency histograms merged, per-second timelines lined up by wall second (simulated
 * second on the virtual clock), and the summary, quota usage, cost and thresholds computed from the merged figures.
 * Write it with {@link writeReports}. Shards of k/n missing from `files` make the result `incomplete`, its reason naming
 * them: the figures are then only part of the run.
 *
 * @param files result.json files, or report directories holding one.
 * @throws MergeRefusedError when a file cannot be read as a complete result, or the results are of different
 *   scenarios or run ids, or one instance or shard comes twice: every reason at once.
 */
export async function mergeResultFiles(files: readonly string[]): Promise<RunResult> {
  const { mergeResults, readMergeInputs } = await import('./merge-results.js');
  return mergeResults(await readMergeInputs(files));
}
