/**
 * S3 bucket policies, compiled and evaluated by the same policy grammar, operators, principal matching and compiler as
 * KMS key policies (src/kms/policy-*.ts), with S3's actions and condition keys as the vocabulary.
 *
 * Evaluation follows IAM's logic for a resource-based policy (IAM User Guide, "Policy evaluation logic"): an explicit
 * Deny in the bucket policy that names the caller wins; otherwise a caller of the bucket's own account is allowed (the
 * model does not hold S3 identity policies, so callers' IAM policies are taken to allow their S3 requests), and a
 * caller of another account needs an Allow in the bucket policy. The seed's policy — deny `s3:PutObject` unless
 * `s3:x-amz-server-side-encryption` is `aws:kms` (S3 User Guide, "Requiring server-side encryption") — is the case
 * that matters: an upload without the header is refused with S3's 403 before any KMS call.
 */
import { compilePolicy, matchPrincipal, PrincipalMatch, type CompiledPolicy, type CompiledStatement } from '../kms/policy-compile.js';
import { KMS_POLICY_VOCABULARY } from '../kms/policy-condition-keys.js';
import { checkPolicyDocument } from '../kms/policy-document.js';
import type { AuthzRequest, Principal } from '../kms/policy-request.js';
import type { ConditionKeyDef, PolicyVocabulary } from '../kms/policy-condition-keys.js';

/**
 * S3's object actions the model answers, and the bucket actions policies commonly name beside them (Service
 * Authorization Reference, "Actions defined by Amazon S3"). Multipart uploads authorize as `s3:PutObject`; HeadObject
 * as `s3:GetObject` (S3 API Reference, HeadObject, "Permissions").
 */
export const S3_ACTIONS = [
  's3:AbortMultipartUpload',
  's3:DeleteObject',
  's3:GetBucketPolicy',
  's3:GetEncryptionConfiguration',
  's3:GetObject',
  's3:ListBucket',
  's3:ListMultipartUploadParts',
  's3:PutBucketPolicy',
  's3:PutEncryptionConfiguration',
  's3:PutObject',
] as const;
export type S3Action = (typeof S3_ACTIONS)[number];

/** Request fields the S3 condition keys read: the request's encryption headers, as sent. */
export const SSE_HEADER = 'x-amz-server-side-encryption';
export const SSE_KMS_KEY_HEADER = 'x-amz-server-side-encryption-aws-kms-key-id';

const header = (name: string) => (r: AuthzRequest) => {
  const value = r.input[name];
  return typeof value === 'string' ? value : undefined;
};

/** S3's condition keys (Service Authorization Reference, "Condition keys for Amazon S3"). */
const S3_KEYS: readonly ConditionKeyDef[] = [
  { name: 's3:x-amz-server-side-encryption', type: 'string', multivalued: false, get: header(SSE_HEADER) },
  { name: 's3:x-amz-server-side-encryption-aws-kms-key-id', type: 'arn', multivalued: false, get: header(SSE_KMS_KEY_HEADER) },
];
const S3_BY_LOWER_NAME: ReadonlyMap<string, ConditionKeyDef> = new Map(S3_KEYS.map((def) => [def.name.toLowerCase(), def]));

/** S3's vocabulary: its actions, its condition keys, and the global `aws:` keys KMS's table already defines. */
export const S3_POLICY_VOCABULARY: PolicyVocabulary = Object.freeze({
  service: 's3',
  actions: S3_ACTIONS,
  conditionKey: (name: string): ConditionKeyDef | undefined => {
    const lower = name.toLowerCase();
    const own = S3_BY_LOWER_NAME.get(lower);
    if (own !== undefined) return own;
    return lower.startsWith('aws:') ? KMS_POLICY_VOCABULARY.conditionKey(name) : undefined;
  },
});

/** Every problem with a bucket policy document, each with its place in the document; empty when it is fine. */
export function checkBucketPolicy(document: string | object): readonly string[] {
  return checkPolicyDocument(document, 'bucket', S3_POLICY_VOCABULARY);
}

/** Compiles a bucket policy; throws `MalformedPolicyDocumentException` naming every problem. */
export function compileBucketPolicy(document: string | object): CompiledPolicy {
  return compilePolicy(document, 'bucket', S3_POLICY_VOCABULARY);
}

function anyApplies(list: readonly CompiledStatement[] | undefined, request: AuthzRequest, resource: string, wanted: (m: PrincipalMatch) => boolean): boolean {
  if (list === undefined) return false;
  for (const s of list) {
    if (s.principal === undefined || !wanted(matchPrincipal(s.principal, request.principal))) continue;
    if (s.resource !== undefined && !s.resource(resource)) continue;
    if (s.condition === undefined || s.condition(request)) return true;
  }
  return false;
}

/** The outcome of a bucket-policy check. */
export type BucketPolicyVerdict = 'allowed' | 'explicit-deny' | 'no-allow';

/**
 * Whether `request` (an S3 action by `principal` on `resource`, an object or bucket ARN) is allowed under `policy`
 * (undefined: the bucket has none) for a bucket owned by `bucketAccountId`.
 */
export function evaluateBucketPolicy(
  policy: CompiledPolicy | undefined,
  request: AuthzRequest & { readonly principal: Principal },
  resource: string,
  bucketAccountId: string,
): BucketPolicyVerdict {
  if (policy !== undefined && anyApplies(policy.denies.get(request.action), request, resource, (m) => m !== PrincipalMatch.None)) {
    return 'explicit-deny';
  }
  if (request.principal.accountId === bucketAccountId) return 'allowed';
  return policy !== undefined && anyApplies(policy.allows.get(request.action), request, resource, (m) => m !== PrincipalMatch.None) ? 'allowed' : 'no-allow';
}
