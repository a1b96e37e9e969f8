/**
 * The figures of each principal a run's fleets called as: which fleets, how much they offered and how much of it the
 * policies denied, by operation. Each fleet calls as one principal, so a principal's figures add its fleets' totals.
 * Fleets that name no principal call as their account's root (listed as `root:<account>`). Recorded only when some
 * fleet names a principal, so results of scenarios without principals keep their shape.
 */
import type { FleetSummary, MetricsSummary } from '../metrics/index.js';
import { deniedOf } from '../metrics/metric-catalog.js';
import type { FleetPlacement, PrincipalSummary } from './result-types.js';

export type { PrincipalSummary } from './result-types.js';

/** The name a fleet's principal is listed under, and its ARN. */
export function principalOf(placement: FleetPlacement): { readonly name: string; readonly arn: string } {
  if (placement.principal !== undefined) return placement.principal;
  return { name: `root:${placement.accountId}`, arn: `arn:aws:iam::${placement.accountId}:root` };
}

/** Per principal name, its figures; undefined when no fleet names a principal. */
export function principalSummaries(
  metrics: MetricsSummary,
  placement: Readonly<Record<string, FleetPlacement>>,
): Record<string, PrincipalSummary> | undefined {
  if (!Object.values(placement).some((p) => p.principal !== undefined)) return undefined;
  const byName = new Map<string, { arn: string; fleets: FleetSummary[]; names: string[] }>();
  for (const [fleet, where] of Object.entries(placement)) {
    const { name, arn } = principalOf(where);
    const entry = byName.get(name) ?? { arn, fleets: [], names: [] };
    const summary = metrics.fleets[fleet];
    if (summary !== undefined) entry.fleets.push(summary);
    entry.names.push(fleet);
    byName.set(name, entry);
  }
  return Object.fromEntries([...byName].map(([name, entry]) => [name, summarizePrincipal(entry.arn, entry.names, entry.fleets)]));
}

function summarizePrincipal(arn: string, names: readonly string[], fleets: readonly FleetSummary[]): PrincipalSummary {
  const sum = (read: (f: FleetSummary) => number): number => fleets.reduce((total, f) => total + read(f), 0);
  const deniedOperations: Record<string, number> = {};
  for (const fleet of fleets) {
    for (const [operation, summary] of Object.entries(fleet.operations)) {
      const denied = deniedOf(summary);
      if (denied > 0) deniedOperations[operation] = (deniedOperations[operation] ?? 0) + denied;
    }
  }
  const completed = sum((f) => f.total.completed);
  const denied = sum((f) => deniedOf(f.total));
  return {
    arn,
    fleets: names,
    offered: sum((f) => f.total.offered),
    completed,
    succeeded: sum((f) => f.total.succeeded),
    throttled: sum((f) => f.total.throttled),
    denied,
    deniedRate: completed === 0 ? 0 : denied / completed,
    deniedOperations,
  };
}
