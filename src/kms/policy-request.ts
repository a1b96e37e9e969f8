/**
 * The shapes policy evaluation shares: what it sees of one request — who calls (a resolved principal), which action on
 * which key, and the request itself, from which condition keys read their values lazily (a request whose policies have
 * no conditions reads nothing) — and what a compiled policy is.
 */
import type { KeyRecord } from './partition.js';
import type { KmsAction } from './policy-actions.js';
import type { CallContext, KmsInput } from './types.js';

/**
 * Which kind of policy a document is: a key policy and a bucket policy (resource-based policies) name principals, an
 * identity policy must not.
 */
export type PolicyKind = 'key' | 'identity' | 'bucket';

/** A caller as evaluation needs it, resolved once per principal ARN (principals.ts). */
export interface Principal {
  /** As the caller names itself: an IAM user or role ARN, an STS assumed-role ARN, or `arn:aws:iam::<acct>:root`. */
  readonly arn: string;
  readonly accountId: string;
  /** The account root: IAM policies never limit it in its own account (IAM User Guide, "AWS account root user"). */
  readonly isRoot: boolean;
  /**
   * The role of an assumed-role session (`arn:aws:sts::<acct>:assumed-role/<role>/<session>` →
   * `arn:aws:iam::<acct>:role/<role>`): what policies name, and what `aws:PrincipalArn` holds.
   */
  readonly principalArn: string;
  /** The principal's IAM identity policies, compiled. */
  readonly identity: readonly CompiledPolicy[];
  /** Some identity policy allows `kms:*` on `*` unconditionally and none denies anything: the fast path's test. */
  readonly allowsAll: boolean;
}

/** One authorization question. */
export interface AuthzRequest {
  /** A KMS action for key and identity policies; the service's own action (`s3:PutObject`) for its resource policies. */
  readonly action: KmsAction | (string & {});
  readonly principal: Principal;
  readonly ctx: CallContext;
  /** The key acted on; undefined for actions on no key (CreateKey, ListKeys, GenerateRandom, …). */
  readonly key: KeyRecord | undefined;
  /** The request's parameters (KMS: SDK-shaped input; a service: the request fields its condition keys read). */
  readonly input: KmsInput;
}

/** A compiled condition: true when the request satisfies it. */
export type ConditionTest = (request: AuthzRequest) => boolean;

/** One compiled `Operator: { key: values }` entry, and whether its key is fixed for a caller and key. */
export interface CompiledCondition {
  readonly test: ConditionTest;
  readonly fixed: boolean;
}

/** Who a key-policy statement names. */
export interface PrincipalMatcher {
  readonly not: boolean;
  /** `"*"` or `{"AWS": "*"}`: everyone. */
  readonly any: boolean;
  /** IAM users, roles, assumed-role sessions by ARN. */
  readonly arns: ReadonlySet<string>;
  /** Accounts named by id or by `arn:aws:iam::<acct>:root`: the account, which delegates to its IAM policies. */
  readonly accounts: ReadonlySet<string>;
}

export interface CompiledStatement {
  /** The statement's place in the document (`Statement[i]`). */
  readonly index: number;
  /** Key policies only. */
  readonly principal: PrincipalMatcher | undefined;
  /** Undefined when the statement names every resource. */
  readonly resource: ((arn: string) => boolean) | undefined;
  /** Undefined when the statement has no conditions. */
  readonly condition: ConditionTest | undefined;
  /** The conditions over the caller and the key alone (decided once per key, principal and action). */
  readonly fixedCondition: ConditionTest | undefined;
  /** The conditions over the request's parameters (decided per request). */
  readonly requestCondition: ConditionTest | undefined;
}

export interface CompiledPolicy {
  readonly kind: PolicyKind;
  /** Keyed by action: a `KmsAction` for KMS policies, the vocabulary's action for another service's. */
  readonly allows: ReadonlyMap<string, readonly CompiledStatement[]>;
  readonly denies: ReadonlyMap<string, readonly CompiledStatement[]>;
  /**
   * The account when the policy is exactly KMS's default key policy for it — its root may do `kms:*` on `*`, nothing
   * else is said — so a caller of that account whose IAM policies allow everything needs no further look.
   */
  readonly rootOnlyAccount: string | undefined;
  /** An identity policy that allows `kms:*` on `*` with no condition and denies nothing. */
  readonly allowsAll: boolean;
}

