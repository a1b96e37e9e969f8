/**
 * Who pays for an authorized request, and for a refused one: a principal from another account is charged and throttled
 * in its own account, as KMS charges the calling account; a request refused with AccessDeniedException draws no quota
 * unless the model option `chargeDenied` says it does, and is never recorded as throttled. Through the real KMSClient, one access key per principal.
 */
import { describe, expect, test } from 'vitest';
import { ManualClock } from '../src/base/time.js';
import { ACCOUNT, AuthzFixture, OTHER, allowAll, keyPolicy } from './support/authz-fixture.js';

const QUOTAS = { profile: 'kms-current', overrides: { 'us-east-1': { symmetric: 2 } } } as const;

function symmetricByAccount(fx: AuthzFixture): Record<string, [admitted: number, throttled: number]> {
  const slots = fx.kms.quotaState().filter((slot) => slot.bucket === 'symmetric');
  return Object.fromEntries(slots.map((slot) => [slot.accountId, [slot.admitted, slot.throttled]]));
}

describe('quota charges under authorization', () => {
  test('a cross-account caller is charged and throttled in its own account, not the key owner\'s', async () => {
    // One attempt per call: the throttle is the answer under test, not the SDK's retries of it.
    const fx = new AuthzFixture({ quotas: QUOTAS, clock: new ManualClock(5e9), maxAttempts: 1 });
    const keyArn = await fx.key(keyPolicy(allowAll(ACCOUNT), { Effect: 'Allow', Principal: { AWS: OTHER }, Action: 'kms:Encrypt', Resource: '*' }));
    expect((await fx.attempt('partner', 'Encrypt', keyArn)).result).toBe('allowed');
    expect((await fx.attempt('partner', 'Encrypt', keyArn)).result).toBe('allowed');
    const third = await fx.attempt('partner', 'Encrypt', keyArn);
    expect(third).toMatchObject({ name: 'ThrottlingException' });
    // The owner's budget is untouched: its root still encrypts.
    expect((await fx.attempt('root', 'Encrypt', keyArn)).result).toBe('allowed');
    expect(symmetricByAccount(fx)).toEqual({ [OTHER]: [2, 1], [ACCOUNT]: [1, 0] });
  });

  test('a denied request draws no quota by default, and is not retried', async () => {
    const fx = new AuthzFixture({ quotas: QUOTAS, clock: new ManualClock(5e9) });
    const keyArn = await fx.key();
    for (let i = 0; i < 5; i++) expect(await fx.attempt('noiam', 'Encrypt', keyArn)).toMatchObject({ name: 'AccessDeniedException', requests: 1 });
    expect(symmetricByAccount(fx)).toEqual({});
    expect((await fx.attempt('admin', 'Encrypt', keyArn)).result).toBe('allowed');
    expect(symmetricByAccount(fx)).toEqual({ [ACCOUNT]: [1, 0] });
  });

  test('with chargeDenied, a denied request draws from the quota and crowds out allowed ones', async () => {
    const fx = new AuthzFixture({ quotas: QUOTAS, clock: new ManualClock(5e9), chargeDenied: true, maxAttempts: 1 });
    const keyArn = await fx.key();
    for (let i = 0; i < 2; i++) expect(await fx.attempt('noiam', 'Encrypt', keyArn)).toMatchObject({ name: 'AccessDeniedException' });
    expect(symmetricByAccount(fx)).toEqual({ [ACCOUNT]: [2, 0] });
    expect(await fx.attempt('admin', 'Encrypt', keyArn)).toMatchObject({ name: 'ThrottlingException' });
  });

  test('with chargeDenied, a denied request past the quota is answered AccessDenied and recorded as no throttle', async () => {
    const fx = new AuthzFixture({ quotas: QUOTAS, clock: new ManualClock(5e9), chargeDenied: true, maxAttempts: 1 });
    const keyArn = await fx.key();
    for (let i = 0; i < 4; i++) expect(await fx.attempt('noiam', 'Encrypt', keyArn)).toMatchObject({ name: 'AccessDeniedException' });
    // Two tokens taken; the other two denials found none, and no caller was answered a throttle.
    expect(symmetricByAccount(fx)).toEqual({ [ACCOUNT]: [2, 0] });
    expect(await fx.attempt('admin', 'Encrypt', keyArn)).toMatchObject({ name: 'ThrottlingException' });
    expect(symmetricByAccount(fx)).toEqual({ [ACCOUNT]: [2, 1] });
  });
});
