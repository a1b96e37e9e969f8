/**
 * Quotas as a real KMSClient sees them: a ThrottlingException with HTTP 400 that the SDK retries as throttling,
 * management APIs on their own buckets, the caller's account charged, and bad quota options named.
 */
import { DescribeKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { ManualClock } from '../src/base/time.js';
import { KmsModel } from '../src/kms/model.js';
import { THROTTLING_MESSAGE } from '../src/kms/errors.js';
import { QuotaOptionsError } from '../src/quota/index.js';
import { rejectionOf } from './support/errors.js';
import { sdkClient } from './support/kms-sdk.js';
import { accountsKeyPolicy } from './support/policies.js';

const REGION = 'eu-west-1';
const plaintext = new Uint8Array([1, 2, 3]);

/** A model whose quota clock stands still unless the test moves it: one window lasts as long as the test wants. */
function model(overrides: Record<string, number>, clock = new ManualClock(5e9)): KmsModel {
  return new KmsModel({
    seed: 9,
    clock,
    keys: [{ region: REGION, aliases: ['alias/app'] }],
    quotas: { profile: 'kms-current', overrides: { [REGION]: overrides } },
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('throttling through the real KMSClient', () => {
  test('past the quota: ThrottlingException, HTTP 400, KMS wording; the next window admits again', async () => {
    const clock = new ManualClock(5e9);
    const kms = model({ symmetric: 3 }, clock);
    const client = sdkClient(kms, REGION);
    for (let i = 0; i < 3; i++) await client.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: plaintext }));
    const error = await rejectionOf(client.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: plaintext })));
    expect(error.name).toBe('ThrottlingException');
    expect(error.message).toBe(THROTTLING_MESSAGE);
    expect(error.$metadata?.httpStatusCode).toBe(400);
    clock.advanceMs(1000);
    const ok = await client.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: plaintext }));
    expect(ok.KeyId).toContain(':key/');
    const slot = kms.quotaState().find((s) => s.bucket === 'symmetric');
    expect(slot).toMatchObject({ region: REGION, quotaPerSec: 3, admitted: 4, throttled: 1 });
  });

  test('the default standard retry mode retries a throttle: three attempts', async () => {
    const kms = model({ symmetric: 1 });
    const client = sdkClient(kms, REGION, { maxAttempts: undefined, retryMode: 'standard' });
    await client.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: plaintext }));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const sent = rejectionOf(client.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: plaintext })));
    await vi.runAllTimersAsync();
    const error = await sent;
    expect(error.name).toBe('ThrottlingException');
    expect(error.$metadata?.attempts).toBe(3);
    expect(kms.quotaState().find((s) => s.bucket === 'symmetric')?.throttled).toBe(3);
  });

  test('a management API throttles on its own bucket and leaves the symmetric one alone', async () => {
    const kms = model({ DescribeKey: 2, symmetric: 100 });
    const client = sdkClient(kms, REGION);
    await client.send(new DescribeKeyCommand({ KeyId: 'alias/app' }));
    await client.send(new DescribeKeyCommand({ KeyId: 'alias/app' }));
    expect((await rejectionOf(client.send(new DescribeKeyCommand({ KeyId: 'alias/app' })))).name).toBe('ThrottlingException');
    await client.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: plaintext }));
    const state = Object.fromEntries(kms.quotaState().map((s) => [s.bucket, s]));
    expect(state['DescribeKey']).toMatchObject({ admitted: 2, throttled: 1 });
    expect(state['symmetric']).toMatchObject({ admitted: 1, throttled: 0 });
  });

  test('cross-account use charges the calling account, not the key owner', async () => {
    const kms = model({ symmetric: 1 });
    const owner = await kms.call('Encrypt', { KeyId: 'alias/app', Plaintext: plaintext }, { region: REGION });
    const keyArn = owner['KeyId'] as string;
    // The key policy lets the other account in (the default one names only the owner's root).
    await kms.call('PutKeyPolicy', { KeyId: keyArn, Policy: accountsKeyPolicy('111122223333', '444455556666') }, { region: REGION });
    await kms.call('Encrypt', { KeyId: keyArn, Plaintext: plaintext }, { region: REGION, accountId: '444455556666' });
    const error = await rejectionOf(kms.call('Encrypt', { KeyId: keyArn, Plaintext: plaintext }, { region: REGION, accountId: '444455556666' }));
    expect(error.name).toBe('ThrottlingException');
    const byAccount = kms.quotaState().filter((s) => s.bucket === 'symmetric').map((s) => [s.accountId, s.admitted, s.throttled]);
    expect(byAccount).toEqual(expect.arrayContaining([['111122223333', 1, 0], ['444455556666', 1, 1]]));
  });

  test('AWS-owned keys are not charged to the caller', async () => {
    const kms = new KmsModel({
      seed: 9,
      keys: [{ region: REGION, aliases: ['alias/aws-owned'], awsOwned: true }],
      quotas: { overrides: { [REGION]: { symmetric: 1 } } },
    });
    for (let i = 0; i < 5; i++) await kms.call('Encrypt', { KeyId: 'alias/aws-owned', Plaintext: plaintext }, { region: REGION });
    expect(kms.quotaState()).toEqual([]);
  });

  test.each([
    [{ profile: 'kms-2030' }, 'quotas.profile'],
    [{ overrides: { [REGION]: { symmetric: -5 } } }, `quotas.overrides.${REGION}.symmetric`],
    [{ overrides: { [REGION]: { sideways: 5 } } }, `quotas.overrides.${REGION}.sideways`],
    [{ enforcement: 'leaky' }, 'quotas.enforcement'],
  ])('invalid quota options %j fail naming %s', (quotas, path) => {
    expect(() => new KmsModel({ quotas: quotas as never })).toThrow(QuotaOptionsError);
    expect(() => new KmsModel({ quotas: quotas as never })).toThrow(path);
  });
});
