/**
 * Key management: CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion,
 * UpdateKeyDescription, Get/PutKeyPolicy, and automatic and on-demand rotation; the tag operations join from
 * ops-tags.ts. Checks run in AWS's order: validation → key resolution → key state → key type → authorization →
 * quota (one bucket per API, aws-kms-facts.md §1) → action. Key-state answers follow the Developer Guide's table
 * ("Key states of AWS KMS keys").
 */
import { KmsError } from './errors.js';
import {
  applyDueRotation,
  daysToMs,
  invalidState,
  isRotatable,
  keyMetadata,
  listPage,
  pageOutput,
  purgeDeletedKeys,
  readPaging,
  requireKeyId,
  requireManageable,
  requireOwnKey,
  resolveKey,
  sortedBy,
} from './key-metadata.js';
import { KEY_SPECS, type KeyUsage } from './key-specs.js';
import type { KeyRecord } from './keystore.js';
import { LIMITS } from './limits.js';
import type { OpHandler } from './op-env.js';
import { checkTagCount, parseTags, TAG_OPS } from './ops-tags.js';
import type { KmsInput } from './types.js';
import { optionalBoolean, optionalEnum, optionalInteger, optionalString, requireString } from './validate.js';

/** Every KeySpec the API knows (API reference, CreateKey › KeySpec); the model implements those in KEY_SPECS. */
const KEY_SPEC_VALUES = [
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519',
  'SYMMETRIC_DEFAULT',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'SM2',
  'ML_DSA_44',
  'ML_DSA_65',
  'ML_DSA_87',
  'ML_KEM_512',
  'ML_KEM_768',
  'ML_KEM_1024',
] as const;
/** The deprecated CustomerMasterKeySpec accepts the older subset (API reference, CreateKey). */
const CUSTOMER_MASTER_KEY_SPEC_VALUES = [
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'SYMMETRIC_DEFAULT',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'SM2',
] as const;
const KEY_USAGE_VALUES = ['SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT', 'ENCAPSULATE_DECAPSULATE'] as const;
const ORIGIN_VALUES = ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'] as const;
/** CustomKeyStoreId: 1..64 characters; XksKeyId: 1..128 (API reference, CreateKey). */
const CUSTOM_KEY_STORE_ID_MAX_CHARS = 64;
const XKS_KEY_ID_MAX_CHARS = 128;

function unsupported(message: string): KmsError {
  return new KmsError('UnsupportedOperationException', message);
}

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

/** The key usage a CreateKey request asks for, checked against the key spec (API reference, CreateKey › KeyUsage). */
function keyUsageFor(keySpec: string, requested: (typeof KEY_USAGE_VALUES)[number] | undefined): KeyUsage {
  const info = KEY_SPECS[keySpec];
  if (info === undefined) throw unsupported(`KeySpec ${keySpec} is not supported by the kms-bench model.`);
  if (requested === undefined) {
    // "This parameter is optional when you are creating a symmetric encryption KMS key; otherwise, it is required."
    if (keySpec !== 'SYMMETRIC_DEFAULT') {
      throw new KmsError('ValidationException', 'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
    }
    return 'ENCRYPT_DECRYPT';
  }
  if ((info.usages as readonly string[]).includes(requested)) return requested as KeyUsage;
  if (requested === 'KEY_AGREEMENT' && keySpec.startsWith('ECC_NIST_P')) {
    throw unsupported(`KeyUsage KEY_AGREEMENT (DeriveSharedSecret) is not supported by the kms-bench model.`);
  }
  throw new KmsError('ValidationException', `KeyUsage ${requested} is not compatible with KeySpec ${keySpec}`);
}

const createKey: OpHandler = (env, input, ctx, caller) => {
  const policy = optionalString(input, 'Policy', LIMITS.policyMaxChars);
  const description = optionalString(input, 'Description', LIMITS.descriptionMaxChars, 0);
  const requestedUsage = optionalEnum(input, 'KeyUsage', KEY_USAGE_VALUES);
  const customerMasterKeySpec = optionalEnum(input, 'CustomerMasterKeySpec', CUSTOMER_MASTER_KEY_SPEC_VALUES);
  const requestedSpec = optionalEnum(input, 'KeySpec', KEY_SPEC_VALUES);
  const origin = optionalEnum(input, 'Origin', ORIGIN_VALUES) ?? 'AWS_KMS';
  const customKeyStoreId = optionalString(input, 'CustomKeyStoreId', CUSTOM_KEY_STORE_ID_MAX_CHARS);
  optionalBoolean(input, 'BypassPolicyLockoutSafetyCheck');
  const tags = parseTags(input, 'Tags');
  const multiRegion = optionalBoolean(input, 'MultiRegion') ?? false;
  const xksKeyId = optionalString(input, 'XksKeyId', XKS_KEY_ID_MAX_CHARS);
  if (requestedSpec !== undefined && customerMasterKeySpec !== undefined) {
    throw new KmsError(
      'ValidationException',
      'You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.',
    );
  }
  const keySpec = requestedSpec ?? customerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  if (origin !== 'AWS_KMS' || customKeyStoreId !== undefined || xksKeyId !== undefined) {
    throw unsupported(`Origin ${origin} (imported key material, custom key stores) is not supported by the kms-bench model.`);
  }
  const keyUsage = keyUsageFor(keySpec, requestedUsage);
  if (policy !== undefined) checkKeyPolicy(policy);
  if (tags !== undefined) checkTagCount(tags.size);
  env.charge(ctx, caller, 'CreateKey');
  const key = env.createKey(caller, {
    keySpec,
    keyUsage,
    multiRegion,
    ...(description === undefined ? {} : { description }),
    ...(policy === undefined ? {} : { policy }),
    ...(tags === undefined ? {} : { tags: Object.fromEntries(tags) }),
  });
  return { KeyMetadata: keyMetadata(key) };
};

/** DescribeKey works in every key state and across accounts (with a key ARN or alias ARN). */
const describeKey: OpHandler = (env, input, ctx, caller) => {
  const keyId = requireKeyId(input);
  const key = resolveKey(env, caller, keyId);
  env.charge(ctx, caller, 'DescribeKey', key);
  return { KeyMetadata: keyMetadata(key) };
};

/** ListKeys: the caller's keys in this region (AWS-owned keys live in AWS's accounts), ordered by key id. */
const listKeys: OpHandler = (env, input, ctx, caller) => {
  const paging = readPaging(input, LIMITS.listLimitDefault, LIMITS.listLimitMax);
  purgeDeletedKeys(env, caller);
  const keys = sortedBy(
    [...caller.keys.values()].filter((key) => !key.awsOwned),
    (key) => key.keyId,
  );
  const page = listPage(keys, (key) => key.keyId, paging, 'keys');
  env.charge(ctx, caller, 'ListKeys');
  return pageOutput('Keys', page, (key) => ({ KeyId: key.keyId, KeyArn: key.arn }));
};

/**
 * EnableKey. A key whose rotation came due while it was disabled rotates as it is enabled, and every period after
 * (Developer Guide, "How automatic key rotation works": "If the key material is more than the rotation period old
 * when you re-enable the key, KMS rotates it immediately").
 */
const enableKey: OpHandler = (env, input, ctx, caller) => {
  const key = resolveKey(env, caller, requireKeyId(input));
  requireManageable(key);
  requireOwnKey(key, ctx, caller, 'EnableKey');
  env.charge(ctx, caller, 'EnableKey', key);
  key.state = 'Enabled';
  const due = key.rotation.nextRotationMs;
  const now = env.nowMs();
  if (key.rotation.enabled && isRotatable(key) && due !== undefined && due <= now) {
    env.rotate(key);
    key.rotation.nextRotationMs = now + daysToMs(key.rotation.periodDays);
  }
  return {};
};

const disableKey: OpHandler = (env, input, ctx, caller) => {
  const key = resolveKey(env, caller, requireKeyId(input));
  requireManageable(key);
  requireOwnKey(key, ctx, caller, 'DisableKey');
  env.charge(ctx, caller, 'DisableKey', key);
  key.state = 'Disabled';
  return {};
};

/** ScheduleKeyDeletion: PendingWindowInDays 7..30, default 30 (aws-kms-facts.md §3). */
const scheduleKeyDeletion: OpHandler = (env, input, ctx, caller) => {
  const keyId = requireKeyId(input);
  const days =
    optionalInteger(input, 'PendingWindowInDays', LIMITS.pendingWindowMinDays, LIMITS.pendingWindowMaxDays) ??
    LIMITS.pendingWindowDefaultDays;
  const key = resolveKey(env, caller, keyId);
  requireManageable(key);
  requireOwnKey(key, ctx, caller, 'ScheduleKeyDeletion');
  env.charge(ctx, caller, 'ScheduleKeyDeletion', key);
  const deletionDate = new Date(env.nowMs() + daysToMs(days));
  key.state = 'PendingDeletion';
  key.deletionDate = deletionDate;
  key.pendingWindowDays = days;
  return { KeyId: key.arn, DeletionDate: deletionDate, KeyState: key.state, PendingWindowInDays: days };
};

/** CancelKeyDeletion: only from PendingDeletion, and the key comes back Disabled (aws-kms-facts.md §3). */
const cancelKeyDeletion: OpHandler = (env, input, ctx, caller) => {
  const key = resolveKey(env, caller, requireKeyId(input));
  if (key.state !== 'PendingDeletion') {
    throw new KmsError('KMSInvalidStateException', `${key.arn} is not pending deletion.`);
  }
  requireOwnKey(key, ctx, caller, 'CancelKeyDeletion');
  env.charge(ctx, caller, 'CancelKeyDeletion', key);
  key.state = 'Disabled';
  key.deletionDate = undefined;
  key.pendingWindowDays = undefined;
  return { KeyId: key.arn };
};

const updateKeyDescription: OpHandler = (env, input, ctx, caller) => {
  const keyId = requireKeyId(input);
  const description = requireString(input, 'Description', LIMITS.descriptionMaxChars, 0);
  const key = resolveKey(env, caller, keyId);
  requireManageable(key);
  requireOwnKey(key, ctx, caller, 'UpdateKeyDescription');
  env.charge(ctx, caller, 'UpdateKeyDescription', key);
  key.description = description;
  return {};
};

/** GetKeyPolicy works in every key state. */
const getKeyPolicy: OpHandler = (env, input, ctx, caller) => {
  const keyId = requireKeyId(input);
  checkPolicyName(input);
  const key = resolveKey(env, caller, keyId);
  requireOwnKey(key, ctx, caller, 'GetKeyPolicy');
  env.charge(ctx, caller, 'GetKeyPolicy', key);
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
  env.charge(ctx, caller, 'PutKeyPolicy', key);
  key.policy = policy;
  return {};
};

/**
 * The key-state rule of EnableKeyRotation, DisableKeyRotation and RotateKeyOnDemand (key-state table: a Disabled key
 * answers DisabledException, PendingDeletion KMSInvalidStateException), then the key type: only symmetric encryption
 * keys rotate (API reference, EnableKeyRotation: not asymmetric, HMAC, imported or custom-key-store keys).
 */
function requireRotatable(key: KeyRecord, operation: string): void {
  if (key.state === 'Disabled') throw new KmsError('DisabledException', `${key.arn} is disabled.`);
  if (key.state !== 'Enabled') throw invalidState(key);
  requireRotatableType(key, operation);
}

function requireRotatableType(key: KeyRecord, operation: string): void {
  if (!isRotatable(key)) {
    throw unsupported(`${key.arn} is a ${key.keySpec} ${key.keyUsage} key; ${operation} supports only symmetric encryption KMS keys.`);
  }
}

/**
 * EnableKeyRotation. Enabling schedules the first rotation one period from now; changing the period of a key that
 * already rotates keeps its last rotation as the anchor (Developer Guide, "Rotating keys": the next rotation is the
 * rotation period after the last one). A next date already past rotates at once.
 */
const enableKeyRotation: OpHandler = (env, input, ctx, caller) => {
  const keyId = requireKeyId(input);
  const requested = optionalInteger(input, 'RotationPeriodInDays', LIMITS.rotationPeriodMinDays, LIMITS.rotationPeriodMaxDays);
  const key = resolveKey(env, caller, keyId);
  requireRotatable(key, 'EnableKeyRotation');
  requireOwnKey(key, ctx, caller, 'EnableKeyRotation');
  env.charge(ctx, caller, 'EnableKeyRotation', key);
  const rotation = key.rotation;
  const periodDays = requested ?? (rotation.enabled ? rotation.periodDays : LIMITS.rotationPeriodDefaultDays);
  if (rotation.enabled && rotation.nextRotationMs !== undefined) {
    rotation.nextRotationMs = rotation.nextRotationMs - daysToMs(rotation.periodDays) + daysToMs(periodDays);
  } else {
    rotation.nextRotationMs = env.nowMs() + daysToMs(periodDays);
  }
  rotation.enabled = true;
  rotation.periodDays = periodDays;
  // A shortened period can leave the next date in the past: that rotation happens now.
  applyDueRotation(env, key);
  return {};
};

const disableKeyRotation: OpHandler = (env, input, ctx, caller) => {
  const key = resolveKey(env, caller, requireKeyId(input));
  requireRotatable(key, 'DisableKeyRotation');
  requireOwnKey(key, ctx, caller, 'DisableKeyRotation');
  env.charge(ctx, caller, 'DisableKeyRotation', key);
  key.rotation.enabled = false;
  key.rotation.nextRotationMs = undefined;
  return {};
};

/**
 * GetKeyRotationStatus works in every key state and across accounts; period and next date are returned only while
 * automatic rotation is on. On-demand rotations complete within the call here, so none is ever in progress and
 * `OnDemandRotationStartDate` is never set.
 */
const getKeyRotationStatus: OpHandler = (env, input, ctx, caller) => {
  const key = resolveKey(env, caller, requireKeyId(input));
  requireRotatableType(key, 'GetKeyRotationStatus');
  env.charge(ctx, caller, 'GetKeyRotationStatus', key);
  const rotation = key.rotation;
  if (!rotation.enabled) return { KeyId: key.arn, KeyRotationEnabled: false };
  return {
    KeyId: key.arn,
    KeyRotationEnabled: true,
    RotationPeriodInDays: rotation.periodDays,
    ...(rotation.nextRotationMs === undefined ? {} : { NextRotationDate: new Date(rotation.nextRotationMs) }),
  };
};

/**
 * RotateKeyOnDemand: a new backing version now; ciphertexts under older versions still decrypt. It does not move the
 * automatic schedule (Developer Guide, "On-demand rotation"), and a key allows LIMITS.onDemandRotationsMax of them.
 */
const rotateKeyOnDemand: OpHandler = (env, input, ctx, caller) => {
  const key = resolveKey(env, caller, requireKeyId(input));
  requireRotatable(key, 'RotateKeyOnDemand');
  requireOwnKey(key, ctx, caller, 'RotateKeyOnDemand');
  env.charge(ctx, caller, 'RotateKeyOnDemand', key);
  if (key.rotation.onDemand.length >= LIMITS.onDemandRotationsMax) {
    throw new KmsError(
      'LimitExceededException',
      `${key.arn} has reached the maximum of ${LIMITS.onDemandRotationsMax} on-demand rotations.`,
    );
  }
  const schedule = key.rotation.nextRotationMs;
  env.rotate(key);
  key.rotation.nextRotationMs = schedule;
  key.rotation.onDemand.push(new Date(env.nowMs()));
  return { KeyId: key.arn };
};

export const KEY_OPS: Readonly<Record<string, OpHandler>> = {
  CreateKey: createKey,
  DescribeKey: describeKey,
  ListKeys: listKeys,
  EnableKey: enableKey,
  DisableKey: disableKey,
  ScheduleKeyDeletion: scheduleKeyDeletion,
  CancelKeyDeletion: cancelKeyDeletion,
  UpdateKeyDescription: updateKeyDescription,
  GetKeyPolicy: getKeyPolicy,
  PutKeyPolicy: putKeyPolicy,
  EnableKeyRotation: enableKeyRotation,
  DisableKeyRotation: disableKeyRotation,
  GetKeyRotationStatus: getKeyRotationStatus,
  RotateKeyOnDemand: rotateKeyOnDemand,
  ...TAG_OPS,
};
