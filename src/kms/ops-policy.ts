/**
 * GetKeyPolicy and PutKeyPolicy, and the key-policy grammar check CreateKey shares. A key has one key policy, named
 * `default`; both operations work in every key state but not across accounts (API reference, GetKeyPolicy,
 * PutKeyPolicy). Quota: one bucket per API (aws-kms-facts.md §1).
 */
import { bucketFor } from '../quota/index.js';
import { KmsError } from './errors.js';
import { requireKeyId, requireOwnKey, resolveKey } from './key-metadata.js';
import { LIMITS } from './limits.js';
import type { OpHandler } from './op-env.js';
import type { KmsInput } from './types.js';
import { optionalBoolean, optionalString, requireString } from './validate.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The grammar check KMS makes on a key policy before storing it (Developer Guide, "Key policies": a JSON document
 * whose statements each have an Effect and a Principal); anything else is a MalformedPolicyDocumentException.
 * Enforcement is policy evaluation's job, not this one.
 */
export function checkKeyPolicy(policy: string): void {
  let document: unknown;
  try {
    document = JSON.parse(policy);
  } catch {
    throw new KmsError('MalformedPolicyDocumentException', 'The key policy is not valid JSON.');
  }
  if (!isObject(document)) throw new KmsError('MalformedPolicyDocumentException', 'The key policy must be a JSON object.');
  const raw = document.Statement;
  const statements: unknown[] = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (statements.length === 0) {
    throw new KmsError('MalformedPolicyDocumentException', 'The key policy must contain at least one Statement.');
  }
  for (const statement of statements) {
    if (!isObject(statement) || (statement.Effect !== 'Allow' && statement.Effect !== 'Deny')) {
      throw new KmsError('MalformedPolicyDocumentException', 'Each policy statement must have an Effect of Allow or Deny.');
    }
    if (statement.Principal === undefined && statement.NotPrincipal === undefined) {
      throw new KmsError('MalformedPolicyDocumentException', 'Policy contains a statement with no principal.');
    }
  }
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
  requireOwnKey(key, ctx, caller, 'GetKeyPolicy');
  env.charge(ctx, caller, bucketFor('GetKeyPolicy'), key);
  return { Policy: key.policy, PolicyName: 'default' };
};

/** PutKeyPolicy works in every key state; the document is stored as given once it passes the grammar check. */
const putKeyPolicy: OpHandler = (env, input, ctx, caller) => {
  const keyId = requireKeyId(input);
  const policy = requireString(input, 'Policy', LIMITS.policyMaxChars);
  checkPolicyName(input);
  optionalBoolean(input, 'BypassPolicyLockoutSafetyCheck');
  const key = resolveKey(env, caller, keyId);
  checkKeyPolicy(policy);
  requireOwnKey(key, ctx, caller, 'PutKeyPolicy');
  env.charge(ctx, caller, bucketFor('PutKeyPolicy'), key);
  key.policy = policy;
  return {};
};

/** Key-policy operations by KMS API name; `KEY_OPS` includes them. */
export const POLICY_OPS: Readonly<Record<string, OpHandler>> = {
  GetKeyPolicy: getKeyPolicy,
  PutKeyPolicy: putKeyPolicy,
};
