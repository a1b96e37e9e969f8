/**
 * EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus and RotateKeyOnDemand. Only symmetric encryption keys
 * rotate; automatic rotations are applied lazily as the clock passes their dates (key-metadata.ts, applyDueRotation).
 * Checks run in AWS's order: validation → key resolution → key state → key type → authorization → quota (one bucket
 * per API, aws-kms-facts.md §1) → action.
 */
import { bucketFor } from '../quota/index.js';
import { KmsError } from './errors.js';
import {
  applyDueRotation,
  daysToMs,
  isRotatable,
  requireKeyId,
  resolveKey,
  unsupportedOperation,
} from './key-metadata.js';
import { invalidState, type KeyRecord } from './keystore.js';
import { LIMITS } from './limits.js';
import type { OpHandler } from './op-env.js';
import { optionalInteger } from './validate.js';

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
    throw unsupportedOperation(`${key.arn} is a ${key.keySpec} ${key.keyUsage} key; ${operation} supports only symmetric encryption KMS keys.`);
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
  const bucket = bucketFor('EnableKeyRotation');
  env.authorize(ctx, caller, 'kms:EnableKeyRotation', key, input, bucket);
  env.charge(ctx, caller, bucket, key);
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
  const bucket = bucketFor('DisableKeyRotation');
  env.authorize(ctx, caller, 'kms:DisableKeyRotation', key, input, bucket);
  env.charge(ctx, caller, bucket, key);
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
  const bucket = bucketFor('GetKeyRotationStatus');
  env.authorize(ctx, caller, 'kms:GetKeyRotationStatus', key, input, bucket);
  env.charge(ctx, caller, bucket, key);
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
  const bucket = bucketFor('RotateKeyOnDemand');
  env.authorize(ctx, caller, 'kms:RotateKeyOnDemand', key, input, bucket);
  env.charge(ctx, caller, bucket, key);
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

/** Rotation operations by KMS API name; `KEY_OPS` includes them. */
export const ROTATION_OPS: Readonly<Record<string, OpHandler>> = {
  EnableKeyRotation: enableKeyRotation,
  DisableKeyRotation: disableKeyRotation,
  GetKeyRotationStatus: getKeyRotationStatus,
  RotateKeyOnDemand: rotateKeyOnDemand,
};
