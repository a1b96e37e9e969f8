import {
  AlreadyExistsException,
  CreateAliasCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  InvalidAliasNameException,
  InvalidMarkerException,
  KMSInvalidStateException,
  LimitExceededException,
  ListAliasesCommand,
  NotFoundException,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
  type AliasListEntry,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { describe, expect, test } from 'vitest';
import { rejectionOf } from './support/errors.js';
import { modelOnManualClock, newKey, sdkClient } from './support/kms-sdk.js';

const REGION = 'eu-west-1';
const ACCOUNT = '111122223333';
const START_MS = Date.UTC(2026, 2, 1);

async function listAll(client: KMSClient, input: { KeyId?: string; Limit?: number } = {}): Promise<AliasListEntry[]> {
  const out: AliasListEntry[] = [];
  let marker: string | undefined;
  do {
    const page = await client.send(new ListAliasesCommand({ ...input, Marker: marker }));
    out.push(...(page.Aliases ?? []));
    marker = page.Truncated === true ? page.NextMarker : undefined;
  } while (marker !== undefined);
  return out;
}

const setup = (): ReturnType<typeof modelOnManualClock> => modelOnManualClock(5, REGION, START_MS);

describe('CreateAlias and key resolution', () => {
  test('every KeyId form resolves to the same key: key id, key ARN, alias name, alias ARN', async () => {
    const { client } = setup();
    const key = await newKey(client);
    await client.send(new CreateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: key.id }));
    const forms = [key.id, key.arn, 'alias/orders', `arn:aws:kms:${REGION}:${ACCOUNT}:alias/orders`];
    for (const keyId of forms) {
      expect((await client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.Arn).toBe(key.arn);
      const encrypted = await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(keyId) }));
      expect(encrypted.KeyId).toBe(key.arn);
      const decrypted = await client.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, KeyId: keyId }));
      expect(Buffer.from(decrypted.Plaintext as Uint8Array).toString()).toBe(keyId);
    }
  });

  test('the target may be given as a key ARN; the alias is listed with its ARN, target and dates', async () => {
    const { client, clock } = setup();
    const key = await newKey(client);
    clock.advanceMs(60_000);
    await client.send(new CreateAliasCommand({ AliasName: 'alias/app/v1_x-y', TargetKeyId: key.arn }));
    expect(await listAll(client)).toEqual([
      {
        AliasName: 'alias/app/v1_x-y',
        AliasArn: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/app/v1_x-y`,
        TargetKeyId: key.id,
        CreationDate: new Date(START_MS + 60_000),
        LastUpdatedDate: new Date(START_MS + 60_000),
      },
    ]);
  });

  test('an alias can point to a disabled key', async () => {
    const { client } = setup();
    const key = await newKey(client);
    await client.send(new DisableKeyCommand({ KeyId: key.id }));
    await client.send(new CreateAliasCommand({ AliasName: 'alias/off', TargetKeyId: key.id }));
    expect((await client.send(new DescribeKeyCommand({ KeyId: 'alias/off' }))).KeyMetadata?.KeyState).toBe('Disabled');
  });

  test('a duplicate alias name is an AlreadyExistsException and keeps the first target', async () => {
    const { client } = setup();
    const first = await newKey(client);
    const second = await newKey(client);
    await client.send(new CreateAliasCommand({ AliasName: 'alias/dup', TargetKeyId: first.id }));
    const error = await rejectionOf(client.send(new CreateAliasCommand({ AliasName: 'alias/dup', TargetKeyId: second.id })));
    expect(error).toBeInstanceOf(AlreadyExistsException);
    expect(error.message).toContain(`arn:aws:kms:${REGION}:${ACCOUNT}:alias/dup`);
    expect((await client.send(new DescribeKeyCommand({ KeyId: 'alias/dup' }))).KeyMetadata?.KeyId).toBe(first.id);
  });

  test('the same alias name may exist in two regions, naming a different key in each', async () => {
    const { kms, client } = setup();
    const other = sdkClient(kms, 'us-west-2');
    const here = await newKey(client);
    const there = await newKey(other);
    await client.send(new CreateAliasCommand({ AliasName: 'alias/shared', TargetKeyId: here.id }));
    await other.send(new CreateAliasCommand({ AliasName: 'alias/shared', TargetKeyId: there.id }));
    expect((await client.send(new DescribeKeyCommand({ KeyId: 'alias/shared' }))).KeyMetadata?.KeyId).toBe(here.id);
    expect((await other.send(new DescribeKeyCommand({ KeyId: 'alias/shared' }))).KeyMetadata?.KeyId).toBe(there.id);
  });

  test('an alias of a key that does not exist is a NotFoundException', async () => {
    const { client } = setup();
    const error = await rejectionOf(
      client.send(new CreateAliasCommand({ AliasName: 'alias/ghost', TargetKeyId: '1234abcd-12ab-44cd-8ef0-1234567890ab' })),
    );
    expect(error).toBeInstanceOf(NotFoundException);
    expect(await listAll(client)).toEqual([]);
  });

  test('an unknown alias as a KeyId is a NotFoundException', async () => {
    const { client } = setup();
    expect(await rejectionOf(client.send(new DescribeKeyCommand({ KeyId: 'alias/nobody' })))).toBeInstanceOf(NotFoundException);
    const error = await rejectionOf(client.send(new EncryptCommand({ KeyId: 'alias/nobody', Plaintext: Buffer.from('x') })));
    expect(error).toBeInstanceOf(NotFoundException);
  });

  test.each(['alias/other', `arn:aws:kms:${REGION}:${ACCOUNT}:alias/other`])(
    'an alias as the target (%s) is a ValidationException',
    async (target) => {
      const { client } = setup();
      const key = await newKey(client);
      await client.send(new CreateAliasCommand({ AliasName: 'alias/other', TargetKeyId: key.id }));
      const error = await rejectionOf(client.send(new CreateAliasCommand({ AliasName: 'alias/chained', TargetKeyId: target })));
      expect(error.name).toBe('ValidationException');
    },
  );

  test.each([
    ['alias/aws/s3'],
    ['alias/aws/my-key'],
  ])('the reserved name %s is refused with NotAuthorizedException', async (name) => {
    const { client } = setup();
    const key = await newKey(client);
    const error = await rejectionOf(client.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key.id })));
    expect(error.name).toBe('NotAuthorizedException');
    expect(await rejectionOf(client.send(new DeleteAliasCommand({ AliasName: name })))).toHaveProperty('name', 'NotAuthorizedException');
    expect(await listAll(client)).toEqual([]);
  });

  test.each([
    ['a name without the alias/ prefix', 'orders'],
    ['a space', 'alias/my key'],
    ['a dot', 'alias/my.key'],
    ['a non-ASCII letter', 'alias/clé'],
    ['a colon', 'alias/a:b'],
    ['257 characters', `alias/${'a'.repeat(251)}`],
    ['an empty name', ''],
  ])('%s is a ValidationException', async (_label, name) => {
    const { client } = setup();
    const key = await newKey(client);
    const error = await rejectionOf(client.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key.id })));
    expect(error.name).toBe('ValidationException');
  });

  test('256 characters is the longest alias name', async () => {
    const { client } = setup();
    const key = await newKey(client);
    const name = `alias/${'a'.repeat(250)}`;
    await client.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key.id }));
    expect((await client.send(new DescribeKeyCommand({ KeyId: name }))).KeyMetadata?.KeyId).toBe(key.id);
  });

  test('"alias/" with no name is an InvalidAliasNameException', async () => {
    const { client } = setup();
    const key = await newKey(client);
    const error = await rejectionOf(client.send(new CreateAliasCommand({ AliasName: 'alias/', TargetKeyId: key.id })));
    expect(error).toBeInstanceOf(InvalidAliasNameException);
  });

  test('a key holds at most 50 aliases: the 51st is a LimitExceededException', async () => {
    const { client } = setup();
    const key = await newKey(client);
    for (let i = 0; i < 50; i++) await client.send(new CreateAliasCommand({ AliasName: `alias/n${i}`, TargetKeyId: key.id }));
    const error = await rejectionOf(client.send(new CreateAliasCommand({ AliasName: 'alias/n50', TargetKeyId: key.id })));
    expect(error).toBeInstanceOf(LimitExceededException);
    const another = await newKey(client);
    await client.send(new CreateAliasCommand({ AliasName: 'alias/n50', TargetKeyId: another.id }));
  });

  test('an alias cannot be created for a key pending deletion', async () => {
    const { client } = setup();
    const key = await newKey(client);
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: key.id }));
    const error = await rejectionOf(client.send(new CreateAliasCommand({ AliasName: 'alias/late', TargetKeyId: key.id })));
    expect(error).toBeInstanceOf(KMSInvalidStateException);
  });
});

describe('UpdateAlias and DeleteAlias', () => {
  test('UpdateAlias moves the alias to another key of the same type and usage', async () => {
    const { client, clock } = setup();
    const first = await newKey(client);
    const second = await newKey(client);
    await client.send(new CreateAliasCommand({ AliasName: 'alias/current', TargetKeyId: first.id }));
    const oldBlob = (await client.send(new EncryptCommand({ KeyId: 'alias/current', Plaintext: Buffer.from('old') }))).CiphertextBlob;
    clock.advanceMs(5_000);
    await client.send(new UpdateAliasCommand({ AliasName: 'alias/current', TargetKeyId: second.arn }));
    const encrypted = await client.send(new EncryptCommand({ KeyId: 'alias/current', Plaintext: Buffer.from('new') }));
    expect(encrypted.KeyId).toBe(second.arn);
    const [entry] = await listAll(client);
    expect(entry).toMatchObject({ TargetKeyId: second.id, CreationDate: new Date(START_MS), LastUpdatedDate: new Date(START_MS + 5_000) });
    // The old ciphertext names its own key and still decrypts.
    const decrypted = await client.send(new DecryptCommand({ CiphertextBlob: oldBlob }));
    expect(decrypted.KeyId).toBe(first.arn);
  });

  test.each([
    ['an HMAC key', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }],
    ['an RSA encryption key', { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }],
  ] as const)('UpdateAlias from a symmetric key to %s is a ValidationException', async (_label, spec) => {
    const { client } = setup();
    const symmetric = await newKey(client);
    const other = await newKey(client, spec);
    await client.send(new CreateAliasCommand({ AliasName: 'alias/typed', TargetKeyId: symmetric.id }));
    const error = await rejectionOf(client.send(new UpdateAliasCommand({ AliasName: 'alias/typed', TargetKeyId: other.id })));
    expect(error.name).toBe('ValidationException');
    expect((await client.send(new DescribeKeyCommand({ KeyId: 'alias/typed' }))).KeyMetadata?.KeyId).toBe(symmetric.id);
  });

  test('UpdateAlias between two HMAC keys of different sizes is allowed', async () => {
    const { client } = setup();
    const small = await newKey(client, { KeySpec: 'HMAC_224', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const large = await newKey(client, { KeySpec: 'HMAC_512', KeyUsage: 'GENERATE_VERIFY_MAC' });
    await client.send(new CreateAliasCommand({ AliasName: 'alias/mac', TargetKeyId: small.id }));
    await client.send(new UpdateAliasCommand({ AliasName: 'alias/mac', TargetKeyId: large.id }));
    expect((await client.send(new DescribeKeyCommand({ KeyId: 'alias/mac' }))).KeyMetadata?.KeySpec).toBe('HMAC_512');
  });

  test('UpdateAlias of an alias that does not exist, or to a missing key, is a NotFoundException', async () => {
    const { client } = setup();
    const key = await newKey(client);
    expect(await rejectionOf(client.send(new UpdateAliasCommand({ AliasName: 'alias/none', TargetKeyId: key.id })))).toBeInstanceOf(
      NotFoundException,
    );
    await client.send(new CreateAliasCommand({ AliasName: 'alias/some', TargetKeyId: key.id }));
    const error = await rejectionOf(
      client.send(new UpdateAliasCommand({ AliasName: 'alias/some', TargetKeyId: '1234abcd-12ab-44cd-8ef0-1234567890ab' })),
    );
    expect(error).toBeInstanceOf(NotFoundException);
  });

  test('DeleteAlias removes the alias but not the key; deleting it again is a NotFoundException', async () => {
    const { client } = setup();
    const key = await newKey(client);
    await client.send(new CreateAliasCommand({ AliasName: 'alias/temp', TargetKeyId: key.id }));
    await client.send(new DeleteAliasCommand({ AliasName: 'alias/temp' }));
    expect(await rejectionOf(client.send(new DescribeKeyCommand({ KeyId: 'alias/temp' })))).toBeInstanceOf(NotFoundException);
    expect((await client.send(new DescribeKeyCommand({ KeyId: key.id }))).KeyMetadata?.KeyState).toBe('Enabled');
    const again = await rejectionOf(client.send(new DeleteAliasCommand({ AliasName: 'alias/temp' })));
    expect(again).toBeInstanceOf(NotFoundException);
    expect(again.message).toContain(`arn:aws:kms:${REGION}:${ACCOUNT}:alias/temp`);
  });

  test('DeleteAlias works while its key is pending deletion', async () => {
    const { client } = setup();
    const key = await newKey(client);
    await client.send(new CreateAliasCommand({ AliasName: 'alias/going', TargetKeyId: key.id }));
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: key.id }));
    await client.send(new DeleteAliasCommand({ AliasName: 'alias/going' }));
    expect(await listAll(client)).toEqual([]);
  });
});

describe('ListAliases', () => {
  test('pages through aliases in name order with Limit and Marker, and filters by KeyId', async () => {
    const { client } = setup();
    const a = await newKey(client);
    const b = await newKey(client);
    const names = ['alias/e', 'alias/a', 'alias/d', 'alias/b', 'alias/c'];
    for (const [i, name] of names.entries()) {
      await client.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: i % 2 === 0 ? a.id : b.id }));
    }
    const first = await client.send(new ListAliasesCommand({ Limit: 2 }));
    expect(first.Aliases?.map((alias) => alias.AliasName)).toEqual(['alias/a', 'alias/b']);
    expect(first.Truncated).toBe(true);
    const second = await client.send(new ListAliasesCommand({ Limit: 2, Marker: first.NextMarker }));
    expect(second.Aliases?.map((alias) => alias.AliasName)).toEqual(['alias/c', 'alias/d']);
    const third = await client.send(new ListAliasesCommand({ Limit: 2, Marker: second.NextMarker }));
    expect(third.Aliases?.map((alias) => alias.AliasName)).toEqual(['alias/e']);
    expect(third.Truncated).toBe(false);
    expect(third.NextMarker).toBeUndefined();
    expect((await listAll(client, { KeyId: a.id })).map((alias) => alias.AliasName)).toEqual(['alias/c', 'alias/d', 'alias/e']);
    expect((await listAll(client, { KeyId: b.arn, Limit: 1 })).map((alias) => alias.AliasName)).toEqual(['alias/a', 'alias/b']);
  });

  test('returns at most 100 aliases per page (default 50)', async () => {
    const { client } = setup();
    const keys = [await newKey(client), await newKey(client), await newKey(client)];
    for (let i = 0; i < 120; i++) {
      await client.send(new CreateAliasCommand({ AliasName: `alias/k${String(i).padStart(3, '0')}`, TargetKeyId: keys[i % 3]?.id }));
    }
    expect((await client.send(new ListAliasesCommand({}))).Aliases).toHaveLength(50);
    expect((await client.send(new ListAliasesCommand({ Limit: 1000 }))).Aliases).toHaveLength(100);
    expect(await listAll(client, { Limit: 1000 })).toHaveLength(120);
  });

  test('a KeyId that does not exist is a NotFoundException; a bad Limit a ValidationException; a foreign marker InvalidMarkerException', async () => {
    const { client } = setup();
    const missing = await rejectionOf(client.send(new ListAliasesCommand({ KeyId: '1234abcd-12ab-44cd-8ef0-1234567890ab' })));
    expect(missing).toBeInstanceOf(NotFoundException);
    expect((await rejectionOf(client.send(new ListAliasesCommand({ Limit: 0 })))).name).toBe('ValidationException');
    expect(await rejectionOf(client.send(new ListAliasesCommand({ Marker: 'bm90IG1pbmU' })))).toBeInstanceOf(InvalidMarkerException);
  });
});
