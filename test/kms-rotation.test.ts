import {
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  DisabledException,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  KMSInvalidStateException,
  LimitExceededException,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  CancelKeyDeletionCommand,
  UnsupportedOperationException,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { describe, expect, test } from 'vitest';
import { parseBlob } from '../src/kms/ciphertext-blob.js';
import { ManualClock } from '../src/base/time.js';
import { KmsModel } from '../src/kms/model.js';
import { rejectionOf } from './support/errors.js';
import { modelOnManualClock, newKeyId, sdkClient } from './support/kms-sdk.js';

const REGION = 'us-west-2';
const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 4, 1, 8, 30, 0);

const setup = (): ReturnType<typeof modelOnManualClock> => modelOnManualClock(9, REGION, T0);

/** Encrypts `text` and returns the blob with the backing-key version it names. */
async function encrypt(client: KMSClient, keyId: string, text: string): Promise<{ blob: Uint8Array; version: number }> {
  const out = await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(text), EncryptionContext: { t: text } }));
  const blob = out.CiphertextBlob as Uint8Array;
  return { blob, version: parseBlob(blob).backingVersion };
}

async function decrypt(client: KMSClient, blob: Uint8Array, text: string): Promise<string> {
  const out = await client.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { t: text } }));
  return Buffer.from(out.Plaintext as Uint8Array).toString();
}

async function materialId(client: KMSClient, keyId: string): Promise<string | undefined> {
  return (await client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.CurrentKeyMaterialId;
}

async function nextRotation(client: KMSClient, keyId: string): Promise<number | undefined> {
  return (await client.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).NextRotationDate?.getTime();
}

describe('RotateKeyOnDemand', () => {
  test('new ciphertexts use the new backing version and ciphertexts made before still decrypt', async () => {
    const { client } = setup();
    const keyId = await newKeyId(client);
    const before = await encrypt(client, keyId, 'before');
    const materialBefore = await materialId(client, keyId);
    const rotated = await client.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
    expect(rotated.KeyId).toBe(`arn:aws:kms:${REGION}:111122223333:key/${keyId}`);
    const after = await encrypt(client, keyId, 'after');
    expect([before.version, after.version]).toEqual([0, 1]);
    expect(await decrypt(client, before.blob, 'before')).toBe('before');
    expect(await decrypt(client, after.blob, 'after')).toBe('after');
    const materialAfter = await materialId(client, keyId);
    expect(materialAfter).toMatch(/^[0-9a-f]{64}$/);
    expect(materialAfter).not.toBe(materialBefore);
  });

  test('does not turn on automatic rotation', async () => {
    const { client } = setup();
    const keyId = await newKeyId(client);
    await client.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
    const status = await client.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    expect(status.KeyRotationEnabled).toBe(false);
    expect(status.RotationPeriodInDays).toBeUndefined();
    expect(status.NextRotationDate).toBeUndefined();
    expect(status.OnDemandRotationStartDate).toBeUndefined();
  });

  test('a key allows 25 on-demand rotations; the 26th is a LimitExceededException', async () => {
    const { client } = setup();
    const keyId = await newKeyId(client);
    const first = await encrypt(client, keyId, 'first');
    for (let i = 0; i < 25; i++) await client.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
    const error = await rejectionOf(client.send(new RotateKeyOnDemandCommand({ KeyId: keyId })));
    expect(error).toBeInstanceOf(LimitExceededException);
    expect((await encrypt(client, keyId, 'last')).version).toBe(25);
    expect(await decrypt(client, first.blob, 'first')).toBe('first');
  });

  test('does not move the automatic rotation date', async () => {
    const { client, clock } = setup();
    const keyId = await newKeyId(client);
    await client.send(new EnableKeyRotationCommand({ KeyId: keyId }));
    clock.advanceMs(10 * DAY_MS);
    await client.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
    expect(await nextRotation(client, keyId)).toBe(T0 + 365 * DAY_MS);
  });
});

describe('which keys rotate', () => {
  test.each([
    ['RSA', { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }],
    ['ECC', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }],
    ['HMAC', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }],
  ] as const)('an %s key answers every rotation API with UnsupportedOperationException', async (_label, spec) => {
    const { client } = setup();
    const keyId = await newKeyId(client, spec);
    for (const command of [
      new EnableKeyRotationCommand({ KeyId: keyId }),
      new DisableKeyRotationCommand({ KeyId: keyId }),
      new GetKeyRotationStatusCommand({ KeyId: keyId }),
      new RotateKeyOnDemandCommand({ KeyId: keyId }),
    ]) {
      expect(await rejectionOf(client.send(command as never))).toBeInstanceOf(UnsupportedOperationException);
    }
  });

  test('a disabled key cannot change rotation (DisabledException) but reports its status', async () => {
    const { client } = setup();
    const keyId = await newKeyId(client);
    await client.send(new EnableKeyRotationCommand({ KeyId: keyId }));
    await client.send(new DisableKeyCommand({ KeyId: keyId }));
    for (const command of [
      new EnableKeyRotationCommand({ KeyId: keyId }),
      new DisableKeyRotationCommand({ KeyId: keyId }),
      new RotateKeyOnDemandCommand({ KeyId: keyId }),
    ]) {
      expect(await rejectionOf(client.send(command as never))).toBeInstanceOf(DisabledException);
    }
    expect((await client.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled).toBe(true);
  });

  test('a key pending deletion cannot change rotation (KMSInvalidStateException)', async () => {
    const { client } = setup();
    const keyId = await newKeyId(client);
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId }));
    for (const command of [new EnableKeyRotationCommand({ KeyId: keyId }), new RotateKeyOnDemandCommand({ KeyId: keyId })]) {
      expect(await rejectionOf(client.send(command as never))).toBeInstanceOf(KMSInvalidStateException);
    }
  });
});

describe('automatic rotation on the injected clock', () => {
  test.each([
    [89, false],
    [90, true],
    [2560, true],
    [2561, false],
  ] as const)('RotationPeriodInDays %i: accepted %s', async (days, accepted) => {
    const { client } = setup();
    const keyId = await newKeyId(client);
    const call = client.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: days }));
    if (!accepted) {
      expect((await rejectionOf(call)).name).toBe('ValidationException');
      expect((await client.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled).toBe(false);
      return;
    }
    await call;
    const status = await client.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    expect(status).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: days });
    expect(status.NextRotationDate?.getTime()).toBe(T0 + days * DAY_MS);
  });

  test('without RotationPeriodInDays the period is 365 days', async () => {
    const { client } = setup();
    const keyId = await newKeyId(client);
    await client.send(new EnableKeyRotationCommand({ KeyId: keyId }));
    const status = await client.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    expect(status).toMatchObject({
      KeyId: `arn:aws:kms:${REGION}:111122223333:key/${keyId}`,
      KeyRotationEnabled: true,
      RotationPeriodInDays: 365,
    });
    expect(status.NextRotationDate?.getTime()).toBe(T0 + 365 * DAY_MS);
  });

  test('a new backing version appears once the clock passes the rotation date, and one per period after', async () => {
    const { client, clock } = setup();
    const keyId = await newKeyId(client);
    await client.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
    const original = await encrypt(client, keyId, 'original');
    clock.advanceMs(90 * DAY_MS - 1);
    expect(await nextRotation(client, keyId)).toBe(T0 + 90 * DAY_MS);
    expect((await encrypt(client, keyId, 'not yet')).version).toBe(0);
    clock.advanceMs(1);
    expect(await nextRotation(client, keyId)).toBe(T0 + 180 * DAY_MS);
    expect((await encrypt(client, keyId, 'rotated')).version).toBe(1);
    clock.advanceMs(290 * DAY_MS); // T0 + 380 days: rotations at 180, 270 and 360 days
    expect(await nextRotation(client, keyId)).toBe(T0 + 450 * DAY_MS);
    expect((await encrypt(client, keyId, 'later')).version).toBe(4);
    expect(await decrypt(client, original.blob, 'original')).toBe('original');
  });

  test('Encrypt alone picks up a rotation that came due (no management call in between)', async () => {
    const { client, clock } = setup();
    const keyId = await newKeyId(client);
    await client.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
    clock.advanceMs(91 * DAY_MS);
    expect((await encrypt(client, keyId, 'direct')).version).toBe(1);
  });

  test('a key seeded with rotation enabled rotates on the same schedule', async () => {
    const clock = new ManualClock(0, T0);
    const kms = new KmsModel({ seed: 4, clock, keys: [{ region: REGION, keyId: '6f1c2b1e-0d7a-4c55-9f3e-2a1b3c4d5e6f', rotationEnabled: true }] });
    const client = sdkClient(kms, REGION);
    const keyId = '6f1c2b1e-0d7a-4c55-9f3e-2a1b3c4d5e6f';
    expect(await nextRotation(client, keyId)).toBe(T0 + 365 * DAY_MS);
    clock.advanceMs(365 * DAY_MS);
    expect(await nextRotation(client, keyId)).toBe(T0 + 730 * DAY_MS);
    expect((await encrypt(client, keyId, 'x')).version).toBe(1);
  });

  test('DisableKeyRotation stops the schedule', async () => {
    const { client, clock } = setup();
    const keyId = await newKeyId(client);
    await client.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
    await client.send(new DisableKeyRotationCommand({ KeyId: keyId }));
    clock.advanceMs(400 * DAY_MS);
    const status = await client.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    expect(status.KeyRotationEnabled).toBe(false);
    expect(status.NextRotationDate).toBeUndefined();
    expect((await encrypt(client, keyId, 'still v0')).version).toBe(0);
  });

  test('a disabled key does not rotate; when enabled past its date it rotates once, at once', async () => {
    const { client, clock } = setup();
    const keyId = await newKeyId(client);
    await client.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
    clock.advanceMs(30 * DAY_MS);
    await client.send(new DisableKeyCommand({ KeyId: keyId }));
    clock.advanceMs(200 * DAY_MS); // T0 + 230 days: two periods passed while disabled
    const disabledMaterial = await materialId(client, keyId);
    await client.send(new EnableKeyCommand({ KeyId: keyId }));
    expect(await materialId(client, keyId)).not.toBe(disabledMaterial);
    expect((await encrypt(client, keyId, 'after enable')).version).toBe(1);
    expect(await nextRotation(client, keyId)).toBe(T0 + 320 * DAY_MS);
  });

  test('rotations due before a key is scheduled for deletion happen; none happen while it waits', async () => {
    const { client, clock } = setup();
    const keyId = await newKeyId(client);
    await client.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
    clock.advanceMs(100 * DAY_MS);
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 30 }));
    clock.advanceMs(29 * DAY_MS);
    await client.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
    await client.send(new EnableKeyCommand({ KeyId: keyId })); // T0 + 129 days: next rotation is T0 + 180 days
    expect((await encrypt(client, keyId, 'kept')).version).toBe(1);
    expect(await nextRotation(client, keyId)).toBe(T0 + 180 * DAY_MS);
  });

  test('shortening the period counts from the last rotation: a date already past rotates at once', async () => {
    const { client, clock } = setup();
    const keyId = await newKeyId(client);
    await client.send(new EnableKeyRotationCommand({ KeyId: keyId }));
    clock.advanceMs(100 * DAY_MS);
    expect((await encrypt(client, keyId, 'v0')).version).toBe(0);
    await client.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
    expect((await encrypt(client, keyId, 'v1')).version).toBe(1);
    const status = await client.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    expect(status.RotationPeriodInDays).toBe(90);
    expect(status.NextRotationDate?.getTime()).toBe(T0 + 180 * DAY_MS);
  });
});
