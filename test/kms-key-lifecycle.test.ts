import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisabledException,
  EnableKeyCommand,
  EncryptCommand,
  KMSInvalidStateException,
  ListAliasesCommand,
  ListKeysCommand,
  NotFoundException,
  ScheduleKeyDeletionCommand,
  UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import { describe, expect, test } from 'vitest';
import { ManualClock } from '../src/base/time.js';
import { KmsModel } from '../src/kms/model.js';
import { createKmsRequestHandler } from '../src/protocol/request-handler.js';
import { rejectionOf } from './support/errors.js';
import { modelOnManualClock, newKeyId, sdkClient } from './support/kms-sdk.js';
import { accountsKeyPolicy } from './support/policies.js';

const REGION = 'us-east-1';
const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('key lifecycle: disable, enable, schedule and cancel deletion', () => {
  const setup = (): ReturnType<typeof modelOnManualClock> => modelOnManualClock(3, REGION, START_MS);
  const plaintext = Buffer.from('lifecycle');

  test('a disabled key refuses Encrypt with DisabledException until it is enabled again', async () => {
    const { client } = setup();
    const keyId = await newKeyId(client);
    const before = await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }));
    await client.send(new DisableKeyCommand({ KeyId: keyId }));
    const described = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(described.KeyMetadata).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    const error = await rejectionOf(client.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext })));
    expect(error).toBeInstanceOf(DisabledException);
    expect(await rejectionOf(client.send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob })))).toBeInstanceOf(
      DisabledException,
    );
    await client.send(new DisableKeyCommand({ KeyId: keyId })); // disabling twice is fine
    await client.send(new EnableKeyCommand({ KeyId: keyId }));
    expect((await client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata).toMatchObject({
      KeyState: 'Enabled',
      Enabled: true,
    });
    const decrypted = await client.send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob }));
    expect(Buffer.from(decrypted.Plaintext as Uint8Array)).toEqual(plaintext);
  });

  test.each([
    [6, false],
    [7, true],
    [30, true],
    [31, false],
  ] as const)('PendingWindowInDays %i: accepted %s', async (days, accepted) => {
    const { client } = setup();
    const keyId = await newKeyId(client);
    const call = client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: days }));
    if (!accepted) {
      expect((await rejectionOf(call)).name).toBe('ValidationException');
      expect((await client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState).toBe('Enabled');
      return;
    }
    const out = await call;
    expect(out).toMatchObject({
      KeyId: `arn:aws:kms:${REGION}:111122223333:key/${keyId}`,
      KeyState: 'PendingDeletion',
      PendingWindowInDays: days,
    });
    expect(out.DeletionDate?.getTime()).toBe(START_MS + days * DAY_MS);
  });

  test('without PendingWindowInDays the window is 30 days', async () => {
    const { client } = setup();
    const keyId = await newKeyId(client);
    const out = await client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId }));
    expect(out.PendingWindowInDays).toBe(30);
    expect(out.DeletionDate?.getTime()).toBe(START_MS + 30 * DAY_MS);
  });

  test('a key pending deletion is described with its DeletionDate and refuses crypto and management', async () => {
    const { client } = setup();
    const keyId = await newKeyId(client);
    const blob = (await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }))).CiphertextBlob;
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    const meta = (await client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
    expect(meta).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false });
    expect(meta?.DeletionDate?.getTime()).toBe(START_MS + 7 * DAY_MS);
    const encrypt = await rejectionOf(client.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext })));
    expect(encrypt).toBeInstanceOf(KMSInvalidStateException);
    expect(encrypt.message).toContain('pending deletion');
    expect(await rejectionOf(client.send(new DecryptCommand({ CiphertextBlob: blob })))).toBeInstanceOf(KMSInvalidStateException);
    for (const command of [
      new EnableKeyCommand({ KeyId: keyId }),
      new DisableKeyCommand({ KeyId: keyId }),
      new ScheduleKeyDeletionCommand({ KeyId: keyId }),
      new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: 'x' }),
      new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: keyId }),
    ]) {
      expect(await rejectionOf(client.send(command as never))).toBeInstanceOf(KMSInvalidStateException);
    }
  });

  test('CancelKeyDeletion leaves the key Disabled; cancelling a key not pending deletion is KMSInvalidStateException', async () => {
    const { client } = setup();
    const keyId = await newKeyId(client);
    expect(await rejectionOf(client.send(new CancelKeyDeletionCommand({ KeyId: keyId })))).toBeInstanceOf(KMSInvalidStateException);
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    const cancelled = await client.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
    expect(cancelled.KeyId).toBe(`arn:aws:kms:${REGION}:111122223333:key/${keyId}`);
    const meta = (await client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
    expect(meta).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    expect(meta?.DeletionDate).toBeUndefined();
    expect(await rejectionOf(client.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext })))).toBeInstanceOf(
      DisabledException,
    );
    expect(await rejectionOf(client.send(new CancelKeyDeletionCommand({ KeyId: keyId })))).toBeInstanceOf(KMSInvalidStateException);
  });

  test('when the window ends the key and its aliases are gone', async () => {
    const { client, clock } = setup();
    const keyId = await newKeyId(client);
    const survivor = await newKeyId(client);
    await client.send(new CreateAliasCommand({ AliasName: 'alias/short-lived', TargetKeyId: keyId }));
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    clock.advanceMs(7 * DAY_MS - 1);
    expect((await client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState).toBe('PendingDeletion');
    clock.advanceMs(1);
    expect(await rejectionOf(client.send(new DescribeKeyCommand({ KeyId: keyId })))).toBeInstanceOf(NotFoundException);
    expect(await rejectionOf(client.send(new DescribeKeyCommand({ KeyId: 'alias/short-lived' })))).toBeInstanceOf(NotFoundException);
    const keys = await client.send(new ListKeysCommand({}));
    expect(keys.Keys?.map((key) => key.KeyId)).toEqual([survivor]);
    expect((await client.send(new ListAliasesCommand({}))).Aliases).toEqual([]);
    expect(await rejectionOf(client.send(new CancelKeyDeletionCommand({ KeyId: keyId })))).toBeInstanceOf(NotFoundException);
  });
});

describe('management across accounts and quota buckets', () => {
  test('another account may describe a key by ARN but not manage it', async () => {
    const kms = new KmsModel();
    const owner = sdkClient(kms, REGION);
    // The key policy lets the other account in; management still never works across accounts.
    const Policy = accountsKeyPolicy('111122223333', '444455556666');
    const keyArn = (await owner.send(new CreateKeyCommand({ Policy }))).KeyMetadata?.Arn;
    const other = sdkClient(kms, REGION, {
      credentials: { accessKeyId: 'AKIDOTHERACCOUNT', secretAccessKey: 'other' },
      requestHandler: createKmsRequestHandler(kms, {
        accountForAccessKey: (id) => (id === 'AKIDOTHERACCOUNT' ? '444455556666' : undefined),
      }),
    });
    expect((await other.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata?.Arn).toBe(keyArn);
    for (const command of [
      new DisableKeyCommand({ KeyId: keyArn }),
      new ScheduleKeyDeletionCommand({ KeyId: keyArn }),
      new UpdateKeyDescriptionCommand({ KeyId: keyArn, Description: 'mine now' }),
    ]) {
      expect((await rejectionOf(other.send(command as never))).name).toBe('AccessDeniedException');
    }
    expect((await owner.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata).toMatchObject({
      KeyState: 'Enabled',
      Description: '',
    });
  });

  test('each management API is charged to the bucket named after it, and CreateKey throttles past its quota', async () => {
    const kms = new KmsModel({ clock: new ManualClock(0, START_MS), quotas: { profile: 'kms-current' } });
    const client = sdkClient(kms, REGION);
    const keyId = await newKeyId(client);
    await client.send(new DescribeKeyCommand({ KeyId: keyId }));
    await client.send(new ListKeysCommand({}));
    await client.send(new DisableKeyCommand({ KeyId: keyId }));
    await client.send(new EnableKeyCommand({ KeyId: keyId }));
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId }));
    await client.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
    const admitted = Object.fromEntries(kms.quotaState().map((row) => [row.bucket, row.admitted]));
    expect(admitted).toEqual({
      CreateKey: 1,
      DescribeKey: 1,
      ListKeys: 1,
      DisableKey: 1,
      EnableKey: 1,
      ScheduleKeyDeletion: 1,
      CancelKeyDeletion: 1,
    });
    // kms-current allows 5 CreateKey per second; the clock stands still, so the 6th in this second throttles.
    for (let i = 0; i < 4; i++) await newKeyId(client);
    const throttled = await rejectionOf(newKeyId(client));
    expect(throttled.name).toBe('ThrottlingException');
  });
});
