/**
 * A model's state as JSON and back (`exportState` / the `restore` option): the automatic-rotation schedule, deletion
 * dates, alias dates and key ids continue where they were, on a manual clock.
 */
import {
  CreateAliasCommand,
  DescribeKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  DecryptCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  NotFoundException,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { describe, expect, test } from 'vitest';
import { ManualClock } from '../src/base/time.js';
import { KmsModel } from '../src/kms/model.js';
import type { ModelSnapshot } from '../src/kms/state-snapshot.js';
import { rejectionOf } from './support/errors.js';
import { modelOnManualClock, newKeyId, sdkClient } from './support/kms-sdk.js';

const REGION = 'eu-central-1';
const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

describe('model state snapshots', () => {
  test('rotation schedule, deletion window, alias dates and the key-id sequence continue after a restore', async () => {
    const { kms, client, clock } = modelOnManualClock(5, REGION, T0);
    const rotating = await newKeyId(client);
    await client.send(new EnableKeyRotationCommand({ KeyId: rotating, RotationPeriodInDays: 90 }));
    const doomed = await newKeyId(client);
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: doomed, PendingWindowInDays: 7 }));
    await client.send(new CreateAliasCommand({ AliasName: 'alias/rotating', TargetKeyId: rotating }));
    const old = await client.send(new EncryptCommand({ KeyId: rotating, Plaintext: Buffer.from('old') }));
    const aliasesBefore = await client.send(new ListAliasesCommand({}));
    const rotationBefore = await client.send(new GetKeyRotationStatusCommand({ KeyId: rotating }));

    const snapshot = JSON.parse(JSON.stringify(kms.exportState())) as ModelSnapshot;
    const restoredClock = new ManualClock(0, clock.nowEpochMs());
    const restored = new KmsModel({ restore: snapshot, clock: restoredClock });
    const again = sdkClient(restored, REGION);
    expect(await again.send(new ListAliasesCommand({}))).toMatchObject({ Aliases: aliasesBefore.Aliases });
    expect(await again.send(new GetKeyRotationStatusCommand({ KeyId: rotating }))).toMatchObject({
      KeyRotationEnabled: true,
      RotationPeriodInDays: 90,
      NextRotationDate: rotationBefore.NextRotationDate,
    });
    expect((await again.send(new DescribeKeyCommand({ KeyId: doomed }))).KeyMetadata?.DeletionDate).toEqual(new Date(T0 + 7 * DAY_MS));

    // 91 days on: the restored key rotated on schedule, the old ciphertext still decrypts, the doomed key is gone.
    restoredClock.advanceMs(91 * DAY_MS);
    const described = await again.send(new DescribeKeyCommand({ KeyId: rotating }));
    const original = await client.send(new DescribeKeyCommand({ KeyId: rotating }));
    expect(described.KeyMetadata?.CurrentKeyMaterialId).not.toBe(original.KeyMetadata?.CurrentKeyMaterialId);
    expect(Buffer.from((await again.send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob }))).Plaintext as Uint8Array).toString()).toBe('old');
    expect(await rejectionOf(again.send(new DescribeKeyCommand({ KeyId: doomed })))).toBeInstanceOf(NotFoundException);
    const next = await newKeyId(again);
    expect([rotating, doomed]).not.toContain(next);
    expect(next).toBe(await newKeyId(client));
  });
});
