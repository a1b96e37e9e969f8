/**
 * `thresholds:` checked against the scenario: the grammar and metric names of threshold-grammar.ts, fleet
 * and operation names against the fleets, variant selectors against the matrix. Problems come with the rest of the
 * scenario's, each at its path (`thresholds["latencyUs.p99"][0]`).
 */
import { thresholdProblems } from './threshold-grammar.js';
import { ALL_MIX_OPERATIONS } from './schema-workload.js';
import { renderPath } from './errors.js';
import { axisLabels } from './matrix.js';
import type { Located, ResolvedAxis } from './matrix.js';
import { isRecord } from '../base/records.js';


/** Every problem of a document's `thresholds:` block, checked against its fleets and matrix. */
export function thresholdFindings(document: Record<string, unknown>, axes: readonly ResolvedAxis[]): Located[] {
  const thresholds = document['thresholds'];
  if (!isRecord(thresholds)) return [];
  const fleets = new Map<string, string[]>();
  for (const fleet of Array.isArray(document['fleets']) ? document['fleets'] : []) {
    if (!isRecord(fleet) || typeof fleet['name'] !== 'string') continue;
    const mix = Array.isArray(fleet['mix']) ? fleet['mix'] : [];
    fleets.set(
      fleet['name'],
      mix.flatMap((entry) => (isRecord(entry) && typeof entry['op'] === 'string' ? [entry['op']] : [])),
    );
  }
  const context = {
    fleets,
    // A fleet's service operations (`fleets.web.ops.secretsmanager:GetSecretValue.…`) are operations too.
    operations: ALL_MIX_OPERATIONS,
    // Selectors name values as variant names do.
    axes: axes.map((axis) => ({ path: axis.path, values: axisLabels(axis.values) })),
  };
  return thresholdProblems(thresholds, context).map((problem) => {
    const at = ['thresholds', ...problem.segments];
    return { path: renderPath(at), message: problem.message, at };
  });
}
