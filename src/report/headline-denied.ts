/**
 * The headline's first finding when a policy refused calls: which fleet, as which principal, was denied which actions,
 * and what share of those calls failed. A denial is a configuration error (a key policy or IAM policy that does not
 * allow the call), not a capacity figure: a planner must fix it before any goodput or throttle rate means anything,
 * so it is said before them.
 */
import { deniedOf } from '../metrics/metric-catalog.js';
import { int } from './cells.js';
import { listText, percentText } from './headline-figures.js';
import type { LabelOf } from './headline-matrix.js';
import type { VariantResult } from './result.js';
import { isServiceOperationName } from '../services/index.js';

/**
 * The IAM action(s) a refused operation needs: its own name, except ReEncrypt, which is two actions —
 * `kms:ReEncryptFrom` on the source key and `kms:ReEncryptTo` on the destination (API reference, ReEncrypt, "Required
 * permissions"); there is no `kms:ReEncrypt` to grant.
 */
export function deniedActionName(operation: string): string {
  // A service operation is denied its KMS call on the caller's behalf (or the service's own action): name it as is.
  if (isServiceOperationName(operation)) return `${operation} (its KMS call, made as the caller)`;
  return operation === 'ReEncrypt' ? 'kms:ReEncryptFrom/kms:ReEncryptTo' : `kms:${operation}`;
}

/** `kms:Encrypt (100% of 29 calls)` for each denied operation of a fleet, in the fleet's operation order. */
function deniedActions(variant: VariantResult, fleet: string): string[] {
  const operations = variant.metrics.fleets[fleet]?.operations ?? {};
  return Object.entries(operations).flatMap(([operation, summary]) => {
    const denied = deniedOf(summary);
    if (denied === 0) return [];
    const share = summary.completed === 0 ? 0 : denied / summary.completed;
    return [`${deniedActionName(operation)} (${percentText(share)} of ${int(summary.completed)} calls)`];
  });
}

/** `fleet ops, as arn:aws:iam::111122223333:role/ops, is denied kms:Encrypt (100% of 29 calls)`, per denied fleet. */
function deniedFleets(variant: VariantResult): string[] {
  return Object.keys(variant.metrics.fleets).flatMap((fleet) => {
    const actions = deniedActions(variant, fleet);
    if (actions.length === 0) return [];
    const principal = variant.fleetPlacement?.[fleet]?.principal;
    const as = principal === undefined ? '' : `, as ${principal.arn},`;
    return [`fleet ${fleet}${as} is denied ${listText(actions)}`];
  });
}

/**
 * One sentence per group of variants denied alike (a matrix usually changes no policy, so usually one sentence);
 * empty when nothing was denied.
 */
export function deniedHeadline(variants: readonly VariantResult[], label: LabelOf, several: boolean): string[] {
  const groups = new Map<string, VariantResult[]>();
  for (const variant of variants) {
    if (deniedOf(variant.metrics.total) === 0) continue;
    const text = deniedFleets(variant).join('; ');
    groups.set(text, [...(groups.get(text) ?? []), variant]);
  }
  return [...groups].map(([text, group]) => {
    const where = several && group.length < variants.length ? ` in ${listText(group.map(label))}` : '';
    return (
      `Denied by policy${where}: ${text}. These calls fail with AccessDeniedException, a configuration error: never ` +
      `retried, never goodput, and no quota setting fixes them.`
    );
  });
}
