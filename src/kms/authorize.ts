/**
 * Policy evaluation, as KMS does it (IAM User Guide, "Policy evaluation logic" and "Cross-account policy evaluation
 * logic"; KMS Developer Guide, "Determining access to AWS KMS keys"):
 *
 * 1. an explicit Deny in the key policy or in any of the caller's identity policies wins;
 * 2. otherwise, same account: the key policy allows the caller by name, or allows its account (the root principal,
 *    which delegates to IAM) and an identity policy of the caller allows the action;
 * 3. another account: the key policy allows the caller or its account, and the caller's identity policies allow the
 *    action (the account root of the calling account needs no identity policy);
 * 4. actions on no key (CreateKey, ListKeys, ListAliases, GenerateRandom) are decided by identity policies alone, and
 *    so is the alias half of CreateAlias/UpdateAlias/DeleteAlias, with the alias ARN as the resource;
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
import type { AuthzRequest, ConditionTest, Principal } from './policy-request.js';
import type { CallContext, KmsInput } from './types.js';

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

/**
 * What one (key, principal, action) comes down to, worked out on its first request: the statements that name the
 * principal and the key, with their conditions over the caller and the key already decided, leaving only the
 * conditions over the request's parameters (encryption context, via service, algorithm, …) to test per request. A
 * plan with none of those left has its verdict fixed, so a steady fleet pays two map look-ups per request.
 */
interface Plan {
  /** Set when no request condition is left: the verdict for every request. */
  readonly verdict: Verdict | undefined;
  readonly resourceDenies: readonly ConditionTest[];
  readonly identityDenies: readonly ConditionTest[];
  /** Key-policy allows naming the principal itself (or `*`). */
  readonly direct: readonly ConditionTest[];
  /** Key-policy allows naming the principal's account (root delegation: IAM must allow too). */
  readonly account: readonly ConditionTest[];
  readonly identityAllows: readonly ConditionTest[];
  readonly sameAccount: boolean;
  readonly isRoot: boolean;
}

const ALWAYS: ConditionTest = () => true;
const PLANS_PER_KEY_MAX = 1024;

/** A key's compiled policy and its plans; replaced whole when the policy changes. */
interface KeyAuthz {
  readonly policy: CompiledPolicy;
  readonly plans: Map<Principal, Map<KmsAction, Plan>>;
}

/** The compiled policy of a key, compiled on first use (PutKeyPolicy installs the new one with `setKeyPolicy`). */
function keyAuthzOf(key: KeyRecord): KeyAuthz {
  let authz = key.authz as KeyAuthz | undefined;
  if (authz === undefined) {
    authz = { policy: compileKeyPolicy(key.policy), plans: new Map() };
    key.authz = authz;
  }
  return authz;
}

/** The compiled policy of a key. */
export function keyPolicyOf(key: KeyRecord): CompiledPolicy {
  return keyAuthzOf(key).policy;
}

/** Stores a key policy (text as given) with its compiled form; every plan made under the old one is dropped. */
export function setKeyPolicy(key: KeyRecord, text: string, compiled: CompiledPolicy): void {
  key.policy = text;
  key.authz = { policy: compiled, plans: new Map() } satisfies KeyAuthz;
}

/**
 * The statements of `list` that `keep` accepts (by principal) and that apply to the resource and pass their fixed
 * conditions, each as the condition left to test per request (ALWAYS when none).
 */
function applicable(
  list: readonly CompiledStatement[] | undefined,
  request: AuthzRequest,
  resource: string,
  keep: (statement: CompiledStatement) => boolean,
): ConditionTest[] {
  const out: ConditionTest[] = [];
  for (const s of list ?? []) {
    if (!keep(s)) continue;
    if (s.resource !== undefined && !s.resource(resource)) continue;
    if (s.fixedCondition !== undefined && !s.fixedCondition(request)) continue;
    out.push(s.requestCondition ?? ALWAYS);
  }
  // One unconditional statement decides the list.
  return out.includes(ALWAYS) ? [ALWAYS] : out;
}

function buildPlan(request: AuthzRequest, keyPolicy: CompiledPolicy | undefined, onResource?: string): Plan {
  const { principal, key, action } = request;
  const resource = key === undefined ? (onResource ?? '*') : key.arn;
  const sameAccount = key === undefined || key.accountId === principal.accountId;
  const identity = (table: 'allows' | 'denies'): ConditionTest[] =>
    applicable(
      principal.identity.flatMap((policy) => policy[table].get(action) ?? []),
      request,
      resource,
      () => true,
    );
  const named = (s: CompiledStatement, wanted: PrincipalMatch): boolean =>
    s.principal !== undefined && matchPrincipal(s.principal, principal) === wanted;
  const plan = {
    resourceDenies: applicable(keyPolicy?.denies.get(action), request, resource, (s) => s.principal !== undefined && matchPrincipal(s.principal, principal) !== PrincipalMatch.None),
    identityDenies: identity('denies'),
    direct: applicable(keyPolicy?.allows.get(action), request, resource, (s) => named(s, PrincipalMatch.Direct)),
    account: applicable(keyPolicy?.allows.get(action), request, resource, (s) => named(s, PrincipalMatch.Account)),
    identityAllows: identity('allows'),
    sameAccount,
    isRoot: principal.isRoot,
  };
  if (key !== undefined && !sameAccount && !worksAcrossAccounts(action)) return { ...plan, verdict: Verdict.CrossAccount };
  const lists = [plan.resourceDenies, plan.identityDenies, plan.direct, plan.account, plan.identityAllows];
  const fixed = keyPolicy !== undefined && lists.every((list) => list.every((test) => test === ALWAYS));
  return { ...plan, verdict: fixed ? decide({ ...plan, verdict: undefined }, request) : undefined };
}

const anyTrue = (tests: readonly ConditionTest[], request: AuthzRequest): boolean => {
  for (const test of tests) if (test(request)) return true;
  return false;
};

/** Actions on no key: identity policies alone (the account root needs none). */
function decideIdentityOnly(plan: Omit<Plan, 'verdict'>, request: AuthzRequest): Verdict {
  if (anyTrue(plan.identityDenies, request)) return Verdict.IdentityDeny;
  return plan.isRoot || anyTrue(plan.identityAllows, request) ? Verdict.Allowed : Verdict.NoIdentityAllow;
}

/** The decision over a plan's remaining request conditions, in the order the module header gives. */
function decide(plan: Plan, request: AuthzRequest): Verdict {
  if (anyTrue(plan.resourceDenies, request)) return Verdict.ResourceDeny;
  if (anyTrue(plan.identityDenies, request)) return Verdict.IdentityDeny;
  const direct = anyTrue(plan.direct, request);
  if (direct && plan.sameAccount) return Verdict.Allowed;
  if (!direct && !anyTrue(plan.account, request)) return Verdict.NoResourceAllow;
  return plan.isRoot || anyTrue(plan.identityAllows, request) ? Verdict.Allowed : Verdict.NoIdentityAllow;
}

/**
 * The full decision for one request under `keyPolicy` (undefined: an action on no key), without any cache. `resource`
 * is the ARN identity policies are matched against when there is no key ('*' by default): an alias ARN for the alias
 * half of CreateAlias, UpdateAlias and DeleteAlias, which IAM policies alone govern (aliases have no policy).
 */
export function evaluate(request: AuthzRequest, keyPolicy: CompiledPolicy | undefined, resource?: string): Verdict {
  const plan = buildPlan(request, keyPolicy, resource);
  if (plan.verdict !== undefined) return plan.verdict;
  return keyPolicy === undefined ? decideIdentityOnly(plan, request) : decide(plan, request);
}

/**
 * The request a planned decision reads, reused: evaluation is synchronous and nothing keeps the request, so a decision
 * with conditions left to test allocates nothing (one per thread: each worker has its own module instance).
 */
const scratch: { -readonly [K in keyof AuthzRequest]: AuthzRequest[K] } = {
  action: 'kms:Encrypt',
  principal: undefined as unknown as Principal,
  ctx: undefined as unknown as CallContext,
  key: undefined,
  input: undefined as unknown as KmsInput,
};

/**
 * The decision for a request on `key` under the key's own policy, planned once per principal and action: a plan with
 * a fixed verdict answers without building the request at all.
 */
export function evaluateOnKey(key: KeyRecord, principal: Principal, action: KmsAction, ctx: CallContext, input: KmsInput): Verdict {
  const authz = keyAuthzOf(key);
  let byAction = authz.plans.get(principal);
  if (byAction === undefined) {
    if (authz.plans.size >= PLANS_PER_KEY_MAX) authz.plans.clear();
    byAction = new Map();
    authz.plans.set(principal, byAction);
  }
  let plan = byAction.get(action);
  if (plan === undefined) {
    plan = buildPlan({ action, principal, ctx, key, input }, authz.policy);
    byAction.set(action, plan);
  }
  if (plan.verdict !== undefined) return plan.verdict;
  scratch.action = action;
  scratch.principal = principal;
  scratch.ctx = ctx;
  scratch.key = key;
  scratch.input = input;
  try {
    return decide(plan, scratch);
  } finally {
    // Drop the references: the scratch request must not keep a caller's input alive.
    scratch.ctx = undefined as unknown as CallContext;
    scratch.key = undefined;
    scratch.input = undefined as unknown as KmsInput;
  }
}

/**
 * True when the common case needs no evaluation: the key has its account's default policy (root may do everything)
 * and the caller is that account's root or a principal of it whose identity policies allow `kms:*` unconditionally.
 */
export function fastAllowed(principal: Principal, key: KeyRecord | undefined): boolean {
  if (key === undefined) return principal.isRoot || principal.allowsAll;
  return (
    keyAuthzOf(key).policy.rootOnlyAccount === key.accountId && key.accountId === principal.accountId && (principal.isRoot || principal.allowsAll)
  );
}

/** AccessDeniedException in KMS's words for a refused request. */
export function accessDenied(principal: Principal, action: KmsAction, key: KeyRecord | undefined, verdict: Verdict, resource = '*'): KmsError {
  const head = `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${key === undefined ? resource : key.arn}`;
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
