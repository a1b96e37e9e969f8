/**
 * Who calls, and what a key's policy says: the `principals` a scenario names (an IAM ARN and its identity policies),
 * a fleet's `principal`, and `keys[].policy` (`default`, the key-user / key-admin template, or a policy document).
 * The grammar of a policy document (statements, actions, condition operators and keys) is the model's to judge
 * (kms/ policy checks): the scenario reports its findings at the policy's path and keeps no copy of the rule.
 * Names given in a template (`users: [app]`) are resolved against `principals` in principal-rules.ts.
 */
import * as z from 'zod';
import { checkPolicyDocument } from '../kms/policy-document.js';
import { checkBucketPolicy } from '../services/s3-policy.js';
import { describeValue } from '../base/text.js';
import { ENTRY_NAME_PATTERN } from './catalog.js';
import { scenarioErrorMap } from './issues.js';
import { strict } from './schema-helpers.js';

/**
 * An IAM principal's ARN: the account root, a user, a role, or an assumed-role session (IAM User Guide, "IAM
 * identifiers" › ARNs). The account in it is the calling account: the one charged and throttled.
 */
export const PRINCIPAL_ARN_PATTERN =
  /^arn:(aws|aws-cn|aws-us-gov):(?:iam::(\d{12}):(?:root|(?:user|role)\/[\w+=,.@/-]+)|sts::(\d{12}):assumed-role\/[\w+=,.@/-]+)$/;

/** The account id of a principal ARN, or undefined when it is not one. */
export function principalAccount(arn: string): string | undefined {
  const match = PRINCIPAL_ARN_PATTERN.exec(arn);
  return match === null ? undefined : (match[2] ?? match[3]);
}

/** The problem with a principal ARN, or undefined when it is one. */
export function principalArnProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && PRINCIPAL_ARN_PATTERN.test(value)) return undefined;
  return (
    `${describeValue(value)} is not an IAM principal ARN; expected arn:aws:iam::<12-digit account>:root, ` +
    `…:role/<name>, …:user/<name> or arn:aws:sts::<account>:assumed-role/<role>/<session>`
  );
}

const principalArn = z.unknown().superRefine((value, ctx) => {
  const problem = principalArnProblem(value);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, input: value });
}).transform((value) => value as string);

/**
 * Which policy a document is: a key policy (has `Principal`), an identity (IAM) policy (has none), or an S3 bucket
 * policy (has `Principal`; S3's actions and condition keys, src/services/s3-policy.ts).
 */
export type PolicyKind = 'key' | 'identity' | 'bucket';

const EXPECTED_DOCUMENT: Readonly<Record<PolicyKind, string>> = {
  key: 'default, { template: key-user-admin, … } or a key policy document',
  identity: 'an IAM policy document',
  bucket: 'a bucket policy document',
};

/**
 * A policy document as written: a JSON string or a YAML/JSON object. Output: its JSON text, exactly as KMS would store
 * it (a string is kept as given, so `GetKeyPolicy` returns what the user wrote; an object is serialized).
 */
export function policyDocument(kind: PolicyKind) {
  return z.unknown().transform((value, ctx): string => {
    let parsed: unknown = value;
    if (typeof value === 'string' && !value.trimStart().startsWith('{')) {
      ctx.issues.push({ code: 'custom', message: `must be ${EXPECTED_DOCUMENT[kind]} (an object, or its JSON text), got ${describeValue(value)}`, input: value });
      return z.NEVER;
    }
    if (typeof value === 'string') {
      try {
        parsed = JSON.parse(value);
      } catch (error) {
        ctx.issues.push({ code: 'custom', message: `is not a JSON policy document: ${(error as Error).message}`, input: value });
        return z.NEVER;
      }
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      const message = `must be a policy document (an object with Version and Statement, or its JSON text), got ${describeValue(parsed)}`;
      ctx.issues.push({ code: 'custom', message, input: value });
      return z.NEVER;
    }
    const problems = kind === 'bucket' ? checkBucketPolicy(parsed) : checkPolicyDocument(parsed, kind);
    for (const problem of problems) ctx.issues.push({ code: 'custom', message: problem, input: value });
    if (problems.length > 0) return z.NEVER;
    return typeof value === 'string' ? value : JSON.stringify(parsed);
  });
}

/** `principals.<name>`: an ARN and the IAM policies attached to it. */
export const principalSchema = strict({
  arn: principalArn,
  policies: z.array(policyDocument('identity')).default([]),
});

/** `principals`: name → principal. Names follow the fleet and key names' rule (they appear in `--set` paths). */
export const principalsSchema = z.record(
  z.string().regex(ENTRY_NAME_PATTERN, {
    error: (issue) => `${describeValue(issue.input)} is not a valid principal name: use letters, digits, '-' and '_' (no dots)`,
  }),
  principalSchema,
);

/** The template names `keys[].policy.template` accepts. */
export const KEY_POLICY_TEMPLATES = ['key-user-admin'] as const;

/** `{ template: key-user-admin, users, admins }`: the seed's key-user / key-admin pair, naming principals. */
const templateSchema = strict({
  template: z.enum(KEY_POLICY_TEMPLATES),
  users: z.array(z.string().min(1)).default([]),
  admins: z.array(z.string().min(1)).default([]),
}).refine((template) => template.users.length + template.admins.length > 0, {
  error: 'name at least one principal in users or admins',
  path: ['users'],
});

/** A key's policy as the schema outputs it; template names are resolved in normalize.ts. */
export type ParsedKeyPolicy =
  | { readonly kind: 'default' }
  | { readonly kind: 'template'; readonly template: (typeof KEY_POLICY_TEMPLATES)[number]; readonly users: readonly string[]; readonly admins: readonly string[] }
  | { readonly kind: 'document'; readonly text: string };

const keyDocument = policyDocument('key');

/**
 * `keys[].policy`: `default` (the account root gets kms:*, delegating to IAM), a template object (it has a `template`
 * field), or a key policy document (an object with `Statement`, or its JSON text).
 */
export const keyPolicySchema = z.unknown().transform((value, ctx): ParsedKeyPolicy => {
  if (value === 'default') return { kind: 'default' };
  const isTemplate = typeof value === 'object' && value !== null && !Array.isArray(value) && 'template' in value;
  const options = { error: scenarioErrorMap };
  const result = isTemplate ? templateSchema.safeParse(value, options) : keyDocument.safeParse(value, options);
  if (!result.success) {
    for (const issue of result.error.issues) ctx.issues.push({ ...issue, input: value } as z.core.$ZodRawIssue);
    return z.NEVER;
  }
  if (typeof result.data === 'string') return { kind: 'document', text: result.data };
  return { kind: 'template', ...result.data };
});
