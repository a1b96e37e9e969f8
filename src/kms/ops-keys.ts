/**
 * Key management: CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion and
 * UpdateKeyDescription; `KEY_OPS` also carries the policy (ops-policy.ts), rotation (ops-rotation.ts) and tag
 * (ops-tags.ts) operations. Checks run in AWS's order: validation → key resolution → key state → key type →
 * authorization → quota (one bucket per API, aws-kms-facts.md §1) → action. Key-state answers follow the Developer
 * Guide's table ("Key states of AWS KMS keys").
 */
import { bucketFor } from '../quota/index.js';
import { KmsError } from './errors.js';
import {
  daysToMs,
  isRotatable,
  keyMetadata,
  purgeDeletedKeys,
  requireKeyId,
  resolveKey,
  resolveManageableKey,
  unsupportedOperation,
} from './key-metadata.js';
import { API_KEY_SPECS, CUSTOMER_MASTER_KEY_SPECS, KEY_SPECS, type KeyUsage } from './key-specs.js';
import { LIMITS } from './limits.js';
import type { OpHandler } from './op-env.js';
import type { KeyRecord, Partition } from './keystore.js';
import { checkKeyPolicy, POLICY_OPS } from './ops-policy.js';
import { ROTATION_OPS } from './ops-rotation.js';
import { checkTagCount, parseTags, TAG_OPS } from './ops-tags.js';
import { listPage, pageOutput, readPaging, sortedBy } from './paging.js';
import { optionalBoolean, optionalEnum, optionalInteger, optionalString, requireString } from './validate.js';

const KEY_USAGE_VALUES = ['SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT', 'ENCAPSULATE_DECAPSULATE'] as const;
const ORIGIN_VALUES = ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'] as const;
/** CustomKeyStoreId: 1..64 characters; XksKeyId: 1..128 (API reference, CreateKey). */
const CUSTOM_KEY_STORE_ID_MAX_CHARS = 64;
const XKS_KEY_ID_MAX_CHARS = 128;

/** The key usage a CreateKey request asks for, checked against the key spec (API reference, CreateKey › KeyUsage). */
function keyUsageFor(keySpec: string, requested: (typeof KEY_USAGE_VALUES)[number] | undefined): KeyUsage {
  const info = KEY_SPECS[keySpec];
  if (info === undefined) throw unsupportedOperation(`KeySpec ${keySpec} is not supported by the kms-bench model.`);
  if (requested === undefined) {
    // "This parameter is optional when you are creating a symmetric encryption KMS key; otherwise, it is required."
    if (keySpec !== 'SYMMETRIC_DEFAULT') {
      throw new KmsError('ValidationException', 'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
    }
    return 'ENCRYPT_DECRYPT';
  }
  if ((info.usages as readonly string[]).includes(requested)) return requested as KeyUsage;
  if (requested === 'KEY_AGREEMENT' && keySpec.startsWith('ECC_NIST_P')) {
    throw unsupportedOperation(`KeyUsage KEY_AGREEMENT (DeriveSharedSecret) is not supported by the kms-bench model.`);
  }
  throw new KmsError('ValidationException', `KeyUsage ${requested} is not compatible with KeySpec ${keySpec}`);
}

/** What policy evaluation reads of a key CreateKey is about to make. */
function prospectiveKey(caller: Partition, keySpec: string, keyUsage: KeyUsage, multiRegion: boolean): KeyRecord {
  return { arn: caller.keyArn('*'), accountId: caller.accountId, region: caller.region, keySpec, keyUsage, multiRegion } as KeyRecord;
}

const createKey: OpHandler = (env, input, ctx, caller) => {
  const policy = optionalString(input, 'Policy', LIMITS.policyMaxChars);
  const description = optionalString(input, 'Description', LIMITS.descriptionMaxChars, 0);
  const requestedUsage = optionalEnum(input, 'KeyUsage', KEY_USAGE_VALUES);
  const customerMasterKeySpec = optionalEnum(input, 'CustomerMasterKeySpec', CUSTOMER_MASTER_KEY_SPECS);
  const requestedSpec = optionalEnum(input, 'KeySpec', API_KEY_SPECS);
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
    throw unsupportedOperation(`Origin ${origin} (imported key material, custom key stores) is not supported by the kms-bench model.`);
  }
  const keyUsage = keyUsageFor(keySpec, requestedUsage);
  if (tags !== undefined) checkTagCount(tags.size);
  const bucket = bucketFor('CreateKey');
  env.authorize(ctx, caller, 'kms:CreateKey', undefined, input, bucket);
  // The lockout check asks about the key to be: its account, spec and usage (no id yet: policies name it by `*`).
  if (policy !== undefined) checkKeyPolicy(env, ctx, caller, input, policy, prospectiveKey(caller, keySpec, keyUsage, multiRegion));
  env.charge(ctx, caller, bucket);
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
  const bucket = bucketFor('DescribeKey');
  env.authorize(ctx, caller, 'kms:DescribeKey', key, input, bucket);
  env.charge(ctx, caller, bucket, key);
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
  const bucket = bucketFor('ListKeys');
  env.authorize(ctx, caller, 'kms:ListKeys', undefined, input, bucket);
  env.charge(ctx, caller, bucket);
  return pageOutput('Keys', page, (key) => ({ KeyId: key.keyId, KeyArn: key.arn }));
};

/**
 * EnableKey. A key whose rotation came due while it was disabled rotates as it is enabled, and every period after
 * (Developer Guide, "How automatic key rotation works": "If the key material is more than the rotation period old
 * when you re-enable the key, KMS rotates it immediately").
 */
const enableKey: OpHandler = (env, input, ctx, caller) => {
  const key = resolveManageableKey(env, caller, requireKeyId(input));
  const bucket = bucketFor('EnableKey');
  env.authorize(ctx, caller, 'kms:EnableKey', key, input, bucket);
  env.charge(ctx, caller, bucket, key);
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
  const key = resolveManageableKey(env, caller, requireKeyId(input));
  const bucket = bucketFor('DisableKey');
  env.authorize(ctx, caller, 'kms:DisableKey', key, input, bucket);
  env.charge(ctx, caller, bucket, key);
  key.state = 'Disabled';
  return {};
};

/** ScheduleKeyDeletion: PendingWindowInDays 7..30, default 30 (aws-kms-facts.md §3). */
const scheduleKeyDeletion: OpHandler = (env, input, ctx, caller) => {
  const keyId = requireKeyId(input);
  const days =
    optionalInteger(input, 'PendingWindowInDays', LIMITS.pendingWindowMinDays, LIMITS.pendingWindowMaxDays) ??
    LIMITS.pendingWindowDefaultDays;
  const key = resolveManageableKey(env, caller, keyId);
  const bucket = bucketFor('ScheduleKeyDeletion');
  env.authorize(ctx, caller, 'kms:ScheduleKeyDeletion', key, input, bucket);
  env.charge(ctx, caller, bucket, key);
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
  const bucket = bucketFor('CancelKeyDeletion');
  env.authorize(ctx, caller, 'kms:CancelKeyDeletion', key, input, bucket);
  env.charge(ctx, caller, bucket, key);
  key.state = 'Disabled';
  key.deletionDate = undefined;
  key.pendingWindowDays = undefined;
  return { KeyId: key.arn };
};

const updateKeyDescription: OpHandler = (env, input, ctx, caller) => {
  const keyId = requireKeyId(input);
  const description = requireString(input, 'Description', LIMITS.descriptionMaxChars, 0);
  const key = resolveManageableKey(env, caller, keyId);
  const bucket = bucketFor('UpdateKeyDescription');
  env.authorize(ctx, caller, 'kms:UpdateKeyDescription', key, input, bucket);
  env.charge(ctx, caller, bucket, key);
  key.description = description;
  return {};
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
  ...POLICY_OPS,
  ...ROTATION_OPS,
  ...TAG_OPS,
};
