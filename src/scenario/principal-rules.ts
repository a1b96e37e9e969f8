/**
 * Checks between principals and the fleets and keys that name them: a fleet's `principal` and a key policy template's
 * `users` / `admins` must name a principal (or, in a template, be an ARN), and a fleet's `account` may not contradict
 * its principal's: the principal's account is the calling account, the one KMS charges and throttles.
 */
import type { PathSegment } from './errors.js';
import type { Finding } from './issues.js';
import { list } from './mix-rules.js';
import { principalAccount, principalArnProblem } from './principals.js';
import { isRecord } from '../base/records.js';
import { didYouMean, listOf } from '../base/text.js';

/** Principal name → its ARN's account (undefined when the ARN is invalid: the schema reports it). */
type PrincipalTable = ReadonlyMap<string, string | undefined>;

/** Every problem of principal references in a document. */
export function principalFindings(document: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  const raw = isRecord(document['principals']) ? document['principals'] : {};
  const table: PrincipalTable = new Map(
    Object.entries(raw).map(([name, entry]) => {
      const arn = isRecord(entry) ? entry['arn'] : undefined;
      return [name, typeof arn === 'string' ? principalAccount(arn) : undefined];
    }),
  );
  list(document['keys']).forEach((key, index) => {
    const policy = isRecord(key) ? key['policy'] : undefined;
    if (!isRecord(policy) || !('template' in policy)) return;
    for (const role of ['users', 'admins'] as const) {
      list(policy[role]).forEach((name, nameIndex) => {
        if (typeof name !== 'string' || name === '') return; // the schema reports it
        const segments: PathSegment[] = ['keys', index, 'policy', role, nameIndex];
        if (name.startsWith('arn:')) {
          const problem = principalArnProblem(name);
          if (problem !== undefined) findings.push({ segments, message: problem });
        } else if (!table.has(name)) {
          findings.push({ segments, message: `${unknownPrincipal(name, table)}; name a principal or give an IAM ARN` });
        }
      });
    }
  });
  list(document['fleets']).forEach((fleet, index) => {
    if (isRecord(fleet)) checkFleetPrincipal(fleet, ['fleets', index], table, findings);
  });
  return findings;
}

function checkFleetPrincipal(fleet: Record<string, unknown>, base: PathSegment[], table: PrincipalTable, findings: Finding[]): void {
  const name = fleet['principal'];
  if (typeof name !== 'string') return; // absent (the account root) or mistyped (the schema reports it)
  if (!table.has(name)) {
    findings.push({ segments: [...base, 'principal'], message: unknownPrincipal(name, table) });
    return;
  }
  const principalAccountId = table.get(name);
  const account = fleet['account'];
  if (typeof account === 'string' && principalAccountId !== undefined && account !== principalAccountId) {
    findings.push({
      segments: [...base, 'account'],
      message:
        `${account} contradicts principal "${name}", of account ${principalAccountId}: a fleet calls from its principal's ` +
        `account (charged and throttled); leave account out or make them agree`,
    });
  }
}

function unknownPrincipal(name: string, table: PrincipalTable): string {
  const known = [...table.keys()];
  if (known.length === 0) return `unknown principal "${name}": the scenario has no principals`;
  return `unknown principal "${name}"${didYouMean(name, known)}; principals are ${listOf(known, 'and')}`;
}
