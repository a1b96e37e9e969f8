/**
 * GetKeyPolicy and PutKeyPolicy, and the key-policy checks CreateKey shares. A key has one key policy, named
 * `default`; both operations work in every key state but not across accounts (API reference, GetKeyPolicy,
 * PutKeyPolicy). Quota: one bucket per API (aws-kms-facts.md §1).
 */
import { bucketFor } from '../quota/index.js';
import { KmsError } from './errors.js';
import { requireKeyId, resolveKey } from './key-metadata.js';
import { LIMITS } from './limits.js';
import type { OpEnv, OpHandler } from './op-env.js';
import type { KeyRecord, Partition } from './keystore.js';
import { compilePolicy, type CompiledPolicy } from './policy-compile.js';
import { setKeyPolicy } from './authorize.js';
import type { CallContext, KmsInput } from './types.js';
import { optionalBoolean, optionalString, requireString } from './validate.js';

/**
 * The check KMS makes on a key policy before storing it: the grammar (policy-document.ts), and unless the request sets
 * BypassPolicyLockoutSafetyCheck, the lockout safety check — the caller must still be allowed PutKeyPolicy under the
 * new policy (API reference, PutKeyPolicy › BypassPolicyLockoutSafetyCheck; KMS answers "The new key policy will not
 * allow you to update the key policy in the future."). Returns the policy compiled.
 */
export function checkKeyPolicy(env: OpEnv, ctx: CallContext, caller: Partition, input: KmsInput, policy: string, key: KeyRecord): CompiledPolicy {
  const compiled = compilePolicy(policy, 'key');
  if (input.BypassPolicyLockoutSafetyCheck !== true && !env.wouldAllow(ctx, caller, 'kms:PutKeyPolicy', key, compiled, input)) {
    throw new KmsError('MalformedPolicyDocumentException', 'The new key policy will not allow you to update the key policy in the future.');
  }
  return compiled;
}

/** PolicyName: optional, 1..128 characters, and `default` is the only key policy a key has (API reference). */
function checkPolicyName(input: KmsInput): void {
  const name = optionalString(input, 'PolicyName', LIMITS.policyNameMaxChars);
  if (name !== undefined && name !== 'default') {
    throw new KmsError('ValidationException', `PolicyName must be default, not ${name}.`);
  }
}

/** GetKeyPolicy works in every key state. */
const getKeyPolicy: OpHandler = (env, input, ctx, caller) => {
  const keyId = requireKeyId(input);
  checkPolicyName(input);
  const key = resolveKey(env, caller, keyId);
  const bucket = bucketFor('GetKeyPolicy');
  env.authorize(ctx, caller, 'kms:GetKeyPolicy', key, input, bucket);
  env.charge(ctx, caller, bucket, key);
  return { Policy: key.policy, PolicyName: 'default' };
};

/**
 * PutKeyPolicy works in every key state; the document is stored exactly as given (GetKeyPolicy returns it byte for
 * byte) once it passes the checks above, and governs every request from the next one on.
 */
const putKeyPolicy: OpHandler = (env, input, ctx, caller) => {
  const keyId = requireKeyId(input);
  const policy = requireString(input, 'Policy', LIMITS.policyMaxChars);
  checkPolicyName(input);
  optionalBoolean(input, 'BypassPolicyLockoutSafetyCheck');
  const key = resolveKey(env, caller, keyId);
  const bucket = bucketFor('PutKeyPolicy');
  env.authorize(ctx, caller, 'kms:PutKeyPolicy', key, input, bucket);
  const compiled = checkKeyPolicy(env, ctx, caller, input, policy, key);
  env.charge(ctx, caller, bucket, key);
  setKeyPolicy(key, policy, compiled);
  return {};
};

/** Key-policy operations by KMS API name; `KEY_OPS` includes them. */
export const POLICY_OPS: Readonly<Record<string, OpHandler>> = {
  GetKeyPolicy: getKeyPolicy,
  PutKeyPolicy: putKeyPolicy,
};
