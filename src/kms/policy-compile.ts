/**
 * A policy document compiled into a decision structure, once, when a key's policy or a principal's policies change:
 * per KMS action, the Allow and the Deny statements that name it (wildcards and NotAction expanded against
 * `KMS_ACTIONS`), each with its principal set, resource matcher and conditions as closures. A request looks its action
 * up and walks a short list; it parses no JSON and builds no strings.
 */
import { KmsError } from './errors.js';
import { actionsMatching, KMS_ACTIONS, wildcardMatcher } from './policy-actions.js';
import { KMS_POLICY_VOCABULARY } from './policy-condition-keys.js';
import { parsePolicy, type ParsedStatement, type PolicyKind, type PolicyVocabulary } from './policy-document.js';
import type { AuthzRequest, CompiledCondition, CompiledPolicy, CompiledStatement, ConditionTest, Principal, PrincipalMatcher } from './policy-request.js';

export type { CompiledPolicy, CompiledStatement, PrincipalMatcher } from './policy-request.js';

/** How a key-policy statement's principal element matches a caller: not at all, via the account, or by name. */
export const PrincipalMatch = { None: 0, Account: 1, Direct: 2 } as const;
export type PrincipalMatch = (typeof PrincipalMatch)[keyof typeof PrincipalMatch];

const ACCOUNT_ROOT = /^arn:aws[a-z-]*:iam::(\d{12}):root$/;
const ACCOUNT_ID = /^\d{12}$/;

function principalMatcher(values: readonly string[], not: boolean): PrincipalMatcher {
  const arns = new Set<string>();
  const accounts = new Set<string>();
  let any = false;
  for (const value of values) {
    if (value === '*') any = true;
    else if (ACCOUNT_ID.test(value)) accounts.add(value);
    else {
      const root = ACCOUNT_ROOT.exec(value);
      if (root !== null) accounts.add(root[1] as string);
      else arns.add(value);
    }
  }
  return { not, any, arns, accounts };
}

/**
 * How `matcher` names `principal`. A named account delegates to IAM ("the account root principal … delegates", KMS
 * Developer Guide, "Default key policy"), except for the root itself, whom it names directly.
 *
 * NotPrincipal applies to a caller unless every identity of the caller is listed: its own ARN *and* its account, and
 * for an assumed-role session the session ARN, its role's ARN *and* the account — which is why AWS tells users to list
 * the account ARN beside a user exempted from a Deny, why listing an account alone exempts only its root, and why a
 * role listed without its session exempts none of its sessions (IAM User Guide, "AWS JSON policy elements:
 * NotPrincipal": AWS checks the account, then the role, then the assumed-role session, and the guide's example for a
 * session lists all three ARNs).
 */
export function matchPrincipal(matcher: PrincipalMatcher, principal: Principal): PrincipalMatch {
  const named = matcher.arns.has(principal.arn) || matcher.arns.has(principal.principalArn);
  if (matcher.not) {
    // For a user or role `arn` and `principalArn` are the same ARN; for a session both must be listed.
    const everyArn = matcher.arns.has(principal.arn) && matcher.arns.has(principal.principalArn);
    const exempt = matcher.any || (matcher.accounts.has(principal.accountId) && (principal.isRoot || everyArn));
    return exempt ? PrincipalMatch.None : PrincipalMatch.Direct;
  }
  if (matcher.any || named) return PrincipalMatch.Direct;
  if (matcher.accounts.has(principal.accountId)) return principal.isRoot ? PrincipalMatch.Direct : PrincipalMatch.Account;
  return PrincipalMatch.None;
}

function resourceMatcher(statement: ParsedStatement): ((arn: string) => boolean) | undefined {
  const { not, values } = statement.resources;
  if (!not && values.includes('*')) return undefined;
  const tests = values.map((pattern) => wildcardMatcher(pattern));
  const any = (arn: string): boolean => tests.some((test) => test(arn));
  return not ? (arn) => !any(arn) : any;
}

function conditionOf(conditions: readonly CompiledCondition[]): ConditionTest | undefined {
  const tests = conditions.map((condition) => condition.test);
  if (tests.length === 0) return undefined;
  if (tests.length === 1) return tests[0];
  return (request: AuthzRequest) => tests.every((test) => test(request));
}

function actionsOf(statement: ParsedStatement, actions: readonly string[] = KMS_ACTIONS): readonly string[] {
  const named = new Set(statement.actions.values.flatMap((pattern) => actionsMatching(pattern, actions)));
  return statement.actions.not ? actions.filter((action) => !named.has(action)) : [...named];
}

function isRootOnly(statements: readonly ParsedStatement[]): string | undefined {
  if (statements.length !== 1) return undefined;
  const [only] = statements as [ParsedStatement];
  const principals = only.principals;
  if (only.effect !== 'Allow' || only.conditions.length > 0 || only.actions.not || only.resources.not) return undefined;
  if (principals === undefined || principals.not || principals.values.length !== 1) return undefined;
  if (actionsOf(only).length !== KMS_ACTIONS.length || !only.resources.values.includes('*')) return undefined;
  const value = principals.values[0] as string;
  return ACCOUNT_ID.test(value) ? value : ACCOUNT_ROOT.exec(value)?.[1];
}

/**
 * Compiles a well-formed policy against a service's vocabulary (KMS's unless given); throws
 * `MalformedPolicyDocumentException` naming every problem otherwise.
 */
export function compilePolicy(document: string | object, kind: PolicyKind, vocabulary: PolicyVocabulary = KMS_POLICY_VOCABULARY): CompiledPolicy {
  const { statements, problems } = parsePolicy(document, kind, vocabulary);
  if (problems.length > 0) throw malformedPolicy(problems);
  const allows = new Map<string, CompiledStatement[]>();
  const denies = new Map<string, CompiledStatement[]>();
  let allowsAll = false;
  for (const statement of statements) {
    const compiled: CompiledStatement = {
      index: statement.index,
      principal: statement.principals === undefined ? undefined : principalMatcher(statement.principals.values, statement.principals.not),
      resource: resourceMatcher(statement),
      condition: conditionOf(statement.conditions),
      fixedCondition: conditionOf(statement.conditions.filter((c) => c.fixed)),
      requestCondition: conditionOf(statement.conditions.filter((c) => !c.fixed)),
    };
    const actions = actionsOf(statement, vocabulary.actions);
    const table = statement.effect === 'Allow' ? allows : denies;
    for (const action of actions) {
      const list = table.get(action);
      if (list === undefined) table.set(action, [compiled]);
      else list.push(compiled);
    }
    if (statement.effect === 'Allow' && actions.length === vocabulary.actions.length && compiled.resource === undefined && compiled.condition === undefined) {
      allowsAll = true;
    }
  }
  return {
    kind,
    allows,
    denies,
    rootOnlyAccount: kind === 'key' ? isRootOnly(statements) : undefined,
    allowsAll: kind === 'identity' && allowsAll && denies.size === 0,
  };
}

/** KMS's answer to a policy it cannot store, naming each problem. */
export function malformedPolicy(problems: readonly string[]): KmsError {
  return new KmsError('MalformedPolicyDocumentException', `The policy is malformed: ${problems.join('; ')}.`);
}

/** Key policies compiled by text: most keys of a model share a handful of policies (the default one per account). */
const compiledKeyPolicies = new Map<string, CompiledPolicy>();
const KEY_POLICY_CACHE_MAX = 256;

/** `compilePolicy(text, 'key')`, remembered by text. */
export function compileKeyPolicy(text: string): CompiledPolicy {
  const known = compiledKeyPolicies.get(text);
  if (known !== undefined) return known;
  const compiled = compilePolicy(text, 'key');
  if (compiledKeyPolicies.size >= KEY_POLICY_CACHE_MAX) compiledKeyPolicies.clear();
  compiledKeyPolicies.set(text, compiled);
  return compiled;
}
