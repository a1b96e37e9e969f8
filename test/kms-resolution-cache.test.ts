/**
 * The model remembers which key a KeyId (id, ARN, alias, alias ARN) and a ciphertext header named. These tests resolve
 * a KeyId once, change keys or aliases, and check that the next request sees the change.
 */
import { describe, expect, test } from 'vitest';
import { ManualClock } from '../src/base/time.js';
import { KmsModel } from '../src/kms/model.js';
import type { CryptoMode } from '../src/kms/symmetric-crypto.js';
import { kmsErrorOf } from './support/errors.js';

const REGION = 'us-east-1';
const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';
const ctx = { region: REGION };
const DAY_MS = 86_400_000;

function setup(crypto: CryptoMode): { kms: KmsModel; clock: ManualClock; first: string; second: string } {
  const clock = new ManualClock(0, Date.UTC(2026, 0, 1));
  const kms = new KmsModel({
    seed: 3,
    clock,
    crypto,
    keys: [
      { region: REGION, aliases: ['alias/app'] },
      { region: REGION, aliases: ['alias/spare'] },
    ],
  });
  const [first, second] = kms.exportKeys().map((seed) => seed.keyId as string);
  return { kms, clock, first: first as string, second: second as string };
}

const arnOf = (keyId: string, account = ACCOUNT): string => `arn:aws:kms:${REGION}:${account}:key/${keyId}`;

function encryptedBy(kms: KmsModel, keyId: string): string {
  return kms.callSync('Encrypt', { KeyId: keyId, Plaintext: Buffer.from('x') }, ctx).KeyId as string;
}

describe.each(['real', 'off'] as const)('KeyId resolution after changes (crypto %s)', (crypto) => {
  test('an alias retargeted after it was resolved names its new key', () => {
    const { kms, first, second } = setup(crypto);
    expect(encryptedBy(kms, 'alias/app')).toBe(arnOf(first));
    kms.callSync('UpdateAlias', { AliasName: 'alias/app', TargetKeyId: second }, ctx);
    expect(encryptedBy(kms, 'alias/app')).toBe(arnOf(second));
    expect(encryptedBy(kms, `arn:aws:kms:${REGION}:${ACCOUNT}:alias/app`)).toBe(arnOf(second));
  });

  test('a deleted alias is NotFoundException; created again, it resolves to its new target', () => {
    const { kms, second } = setup(crypto);
    encryptedBy(kms, 'alias/app');
    kms.callSync('DeleteAlias', { AliasName: 'alias/app' }, ctx);
    const error = kmsErrorOf(() => encryptedBy(kms, 'alias/app'));
    expect([error.name, error.message]).toEqual(['NotFoundException', `Alias arn:aws:kms:${REGION}:${ACCOUNT}:alias/app is not found.`]);
    kms.callSync('CreateAlias', { AliasName: 'alias/app', TargetKeyId: second }, ctx);
    expect(encryptedBy(kms, 'alias/app')).toBe(arnOf(second));
  });

  test('an alias that did not resolve does once it is created (failures are not remembered)', () => {
    const { kms, first } = setup(crypto);
    expect(kmsErrorOf(() => encryptedBy(kms, 'alias/later')).name).toBe('NotFoundException');
    kms.callSync('CreateAlias', { AliasName: 'alias/later', TargetKeyId: first }, ctx);
    expect(encryptedBy(kms, 'alias/later')).toBe(arnOf(first));
  });

  test('a key scheduled for deletion after it was resolved is KMSInvalidStateException; cancelled, Disabled', () => {
    const { kms, first } = setup(crypto);
    for (const keyId of [first, arnOf(first), 'alias/app']) encryptedBy(kms, keyId);
    kms.callSync('ScheduleKeyDeletion', { KeyId: first, PendingWindowInDays: 7 }, ctx);
    for (const keyId of [first, arnOf(first), 'alias/app']) {
      const error = kmsErrorOf(() => encryptedBy(kms, keyId));
      expect([error.name, error.message]).toEqual(['KMSInvalidStateException', `${arnOf(first)} is pending deletion.`]);
    }
    kms.callSync('CancelKeyDeletion', { KeyId: first }, ctx);
    expect(kmsErrorOf(() => encryptedBy(kms, 'alias/app')).name).toBe('DisabledException');
    kms.callSync('EnableKey', { KeyId: first }, ctx);
    expect(encryptedBy(kms, 'alias/app')).toBe(arnOf(first));
  });

  test('once the deletion window ends, the KeyId is NotFoundException and its blobs name no key', () => {
    const { kms, clock, first } = setup(crypto);
    const blob = kms.callSync('Encrypt', { KeyId: first, Plaintext: Buffer.from('x') }, ctx).CiphertextBlob as Uint8Array;
    kms.callSync('Decrypt', { CiphertextBlob: blob }, ctx);
    kms.callSync('ScheduleKeyDeletion', { KeyId: first, PendingWindowInDays: 7 }, ctx);
    clock.advanceMs(8 * DAY_MS);
    const resolved = kmsErrorOf(() => encryptedBy(kms, first));
    expect([resolved.name, resolved.message]).toEqual(['NotFoundException', `Key '${arnOf(first)}' does not exist`]);
    const decrypted = kmsErrorOf(() => kms.callSync('Decrypt', { CiphertextBlob: blob }, ctx));
    expect([decrypted.name, decrypted.message]).toEqual([
      'InvalidCiphertextException',
      'The ciphertext refers to a KMS key that does not exist.',
    ]);
    expect(kmsErrorOf(() => encryptedBy(kms, 'alias/app')).name).toBe('NotFoundException');
  });

  test('a disabled key is DisabledException for every KeyId form resolved before', () => {
    const { kms, first } = setup(crypto);
    encryptedBy(kms, 'alias/app');
    kms.callSync('DisableKey', { KeyId: first }, ctx);
    const error = kmsErrorOf(() => encryptedBy(kms, 'alias/app'));
    expect([error.name, error.message]).toEqual(['DisabledException', `${arnOf(first)} is disabled.`]);
  });

  test('each caller account resolves in its own partition: an alias name is per account', () => {
    const { kms, first } = setup(crypto);
    const other = { region: REGION, accountId: OTHER_ACCOUNT };
    kms.callSync('CreateKey', {}, other);
    expect(encryptedBy(kms, 'alias/app')).toBe(arnOf(first));
    expect(kmsErrorOf(() => kms.callSync('Encrypt', { KeyId: 'alias/app', Plaintext: Buffer.from('x') }, other)).name).toBe(
      'NotFoundException',
    );
    // A key ARN names the owner's key from another account (whose root the key policy must allow, as in KMS).
    const sharedPolicy = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`, OTHER_ACCOUNT] }, Action: 'kms:*', Resource: '*' },
      ],
    });
    kms.callSync('PutKeyPolicy', { KeyId: first, Policy: sharedPolicy }, ctx);
    const byArn = kms.callSync('Encrypt', { KeyId: arnOf(first), Plaintext: Buffer.from('x') }, other);
    expect(byArn.KeyId).toBe(arnOf(first));
  });
});
