/**
 * Policy evaluation, as KMS does it (IAM User Guide, "Policy evaluation logic" and "Cross-account policy evaluation
 * logic"; KMS Developer Guide, "Determining access to AWS KMS keys"):
 *
 * 1. an explicit Deny in the key policy or in any of the caller's identity policies wins;
 * 2. otherwise, same account: the key policy allows the caller by name, or allows its account (the root principal,
 *    which delegates to IAM) and an identity policy of the caller allows the action;
 * 3. another account: the key policy allows the caller or its account, and the caller's identity policies allow the
 *    action (the account root of the calling account needs no identity policy);
 * 4. actions on no key (CreateKey, ListKeys, ListAliases, GenerateRandom) are decided by identity policies alone;
 * 5. management actions never work across accounts, whatever the policies say.
 *
 * Denial is an AccessDeniedException in KMS's wording, e.g. `User: arn:aws:iam::111122223333:role/app is not
 * authorized to perform: kms:Decrypt on resource: arn:aws:kms:…:key/… because no resource-based policy allows the
 * kms:Decrypt action` (quoted in ministryofjustice/modernisation-platform-environments#10745, 4dn-dcic/tibanna#402,
 * jbrt/ec2cryptomatic#26), with "because no identity-based policy allows …" and "with an explicit deny in a
 * resource-based policy" / "… in an identity-based policy" for the other cases (IAM User Guide, "Troubleshoot access
 * denied error messages"). The message is built only on denial.
 */
import { KmsError } from './errors.js';
import type { KeyRecord } from './keystore.js';
import { worksAcrossAccounts, type KmsAction } from './policy-actions.js';
import { compileKeyPolicy, matchPrincipal, PrincipalMatch, type CompiledPolicy, type CompiledStatement } from './policy-compile.js';
import type { AuthzRequest, Principal } from './policy-request.js';

/** Why a request is refused; `Allowed` when it is not. */
export const Verdict = {
  Allowed: 0,
  NoResourceAllow: 1,
  NoIdentityAllow: 2,
  ResourceDeny: 3,
  IdentityDeny: 4,
  CrossAccount: 5,
} as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

/** The key's compiled policy, compiled on first use and again after PutKeyPolicy clears it. */
export function keyPolicyOf(key: KeyRecord): CompiledPolicy {
  let compiled = key.compiledPolicy as CompiledPolicy | undefined;
  if (compiled === undefined) {
    compiled = compileKeyPolicy(key.policy);
    key.compiledPolicy = compiled;
  }
  return compiled;
}

function applies(statement: CompiledStatement, resource: string, request: AuthzRequest): boolean {
  if (statement.resource !== undefined && !statement.resource(resource)) return false;
  return statement.condition === undefined || statement.condition(request);
}

function identityDenies(request: AuthzRequest, resource: string): boolean {
  for (const policy of request.principal.identity) {
    const denies = policy.denies.get(request.action);
    if (denies !== undefined && denies.some((s) => applies(s, resource, request))) return true;
  }
  return false;
}

function identityAllows(request: AuthzRequest, resource: string): boolean {
  for (const policy of request.principal.identity) {
    const allows = policy.allows.get(request.action);
    if (allows !== undefined && allows.some((s) => applies(s, resource, request))) return true;
  }
  return false;
}

/** The full decision for one request (no fast path). */
export function evaluate(request: AuthzRequest, keyPolicy: CompiledPolicy | undefined): Verdict {
  const { principal, key } = request;
  const resource = key === undefined ? '*' : key.arn;
  if (key !== undefined && key.accountId !== principal.accountId && !worksAcrossAccounts(request.action)) return Verdict.CrossAccount;
  if (keyPolicy !== undefined) {
    const denies = keyPolicy.denies.get(request.action);
    if (denies !== undefined) {
      for (const s of denies) {
        if (matchPrincipal(s.principal as NonNullable<typeof s.principal>, principal) !== PrincipalMatch.None && applies(s, resource, request)) {
          return Verdict.ResourceDeny;
        }
      }
    }
  }
  if (identityDenies(request, resource)) return Verdict.IdentityDeny;
  const iamAllows = (): boolean => principal.isRoot || identityAllows(request, resource);
  if (keyPolicy === undefined) return iamAllows() ? Verdict.Allowed : Verdict.NoIdentityAllow;
  let best: PrincipalMatch = PrincipalMatch.None;
  for (const s of keyPolicy.allows.get(request.action) ?? []) {
    const match = matchPrincipal(s.principal as NonNullable<typeof s.principal>, principal);
    if (match > best && applies(s, resource, request)) best = match;
    if (best === PrincipalMatch.Direct) break;
  }
  if (best === PrincipalMatch.None) return Verdict.NoResourceAllow;
  const sameAccount = key === undefined || key.accountId === principal.accountId;
  if (sameAccount && best === PrincipalMatch.Direct) return Verdict.Allowed;
  return iamAllows() ? Verdict.Allowed : Verdict.NoIdentityAllow;
}

/**
 * True when the common case needs no evaluation: the key has its account's default policy (root may do everything)
 * and the caller is that account's root or a principal of it whose identity policies allow `kms:*` unconditionally.
 */
export function fastAllowed(principal: Principal, key: KeyRecord | undefined): boolean {
  if (key === undefined) return principal.isRoot || principal.allowsAll;
  return (
    keyPolicyOf(key).rootOnlyAccount === key.accountId && key.accountId === principal.accountId && (principal.isRoot || principal.allowsAll)
  );
}

/** AccessDeniedException in KMS's words for a refused request. */
export function accessDenied(principal: Principal, action: KmsAction, key: KeyRecord | undefined, verdict: Verdict): KmsError {
  const head = `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${key === undefined ? '*' : key.arn}`;
  switch (verdict) {
    case Verdict.ResourceDeny:
      return new KmsError('AccessDeniedException', `${head} with an explicit deny in a resource-based policy`);
    case Verdict.IdentityDeny:
      return new KmsError('AccessDeniedException', `${head} with an explicit deny in an identity-based policy`);
    case Verdict.NoIdentityAllow:
      return new KmsError('AccessDeniedException', `${head} because no identity-based policy allows the ${action} action`);
    case Verdict.CrossAccount:
      return new KmsError('AccessDeniedException', `${head} because ${action.slice(4)} cannot be used across accounts`);
    default:
      return new KmsError('AccessDeniedException', `${head} because no resource-based policy allows the ${action} action`);
  }
}
