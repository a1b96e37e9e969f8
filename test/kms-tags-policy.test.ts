import {
  CreateKeyCommand,
  GetKeyPolicyCommand,
  InvalidMarkerException,
  KMSInvalidStateException,
  ListResourceTagsCommand,
  MalformedPolicyDocumentException,
  NotFoundException,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  TagException,
  TagResourceCommand,
  UntagResourceCommand,
  type KMSClient,
  type Tag,
} from '@aws-sdk/client-kms';
import { describe, expect, test } from 'vitest';
import { KmsModel } from '../src/kms/model.js';
import { rejectionOf } from './support/errors.js';
import { newKeyId, sdkClient } from './support/kms-sdk.js';

const REGION = 'ap-southeast-2';
const ACCOUNT = '111122223333';

function setup(): KMSClient {
  return sdkClient(new KmsModel({ seed: 21 }), REGION);
}

async function allTags(client: KMSClient, keyId: string, limit?: number): Promise<Tag[]> {
  const out: Tag[] = [];
  let marker: string | undefined;
  do {
    const page = await client.send(new ListResourceTagsCommand({ KeyId: keyId, Limit: limit, Marker: marker }));
    out.push(...(page.Tags ?? []));
    marker = page.Truncated === true ? page.NextMarker : undefined;
  } while (marker !== undefined);
  return out;
}

describe('tags', () => {
  test('CreateKey tags are listed by ListResourceTags', async () => {
    const client = setup();
    const keyId = await newKeyId(client, {
      Tags: [
        { TagKey: 'team', TagValue: 'payments' },
        { TagKey: 'env', TagValue: '' },
      ],
    });
    const out = await client.send(new ListResourceTagsCommand({ KeyId: keyId }));
    expect(out).toMatchObject({
      Tags: [
        { TagKey: 'env', TagValue: '' },
        { TagKey: 'team', TagValue: 'payments' },
      ],
      Truncated: false,
    });
    expect(out.NextMarker).toBeUndefined();
  });

  test('TagResource adds tags and replaces the value of an existing key; UntagResource removes them', async () => {
    const client = setup();
    const keyId = await newKeyId(client, { Tags: [{ TagKey: 'team', TagValue: 'payments' }] });
    await client.send(
      new TagResourceCommand({
        KeyId: keyId,
        Tags: [
          { TagKey: 'team', TagValue: 'ledger' },
          { TagKey: 'cost-center', TagValue: '42' },
        ],
      }),
    );
    expect(await allTags(client, keyId)).toEqual([
      { TagKey: 'cost-center', TagValue: '42' },
      { TagKey: 'team', TagValue: 'ledger' },
    ]);
    await client.send(new UntagResourceCommand({ KeyId: keyId, TagKeys: ['team', 'never-set'] }));
    expect(await allTags(client, keyId)).toEqual([{ TagKey: 'cost-center', TagValue: '42' }]);
  });

  test('ListResourceTags pages with Limit and Marker, at most 50 per page', async () => {
    const client = setup();
    const tags = Array.from({ length: 50 }, (_, i) => ({ TagKey: `k${String(i).padStart(2, '0')}`, TagValue: `v${i}` }));
    const keyId = await newKeyId(client, { Tags: tags });
    const first = await client.send(new ListResourceTagsCommand({ KeyId: keyId, Limit: 20 }));
    expect(first.Tags).toHaveLength(20);
    expect(first.Truncated).toBe(true);
    expect(await allTags(client, keyId, 20)).toEqual(tags);
    const capped = await client.send(new ListResourceTagsCommand({ KeyId: keyId, Limit: 1000 }));
    expect(capped.Tags).toHaveLength(50);
    expect(capped.Truncated).toBe(false);
    const otherKey = await newKeyId(client, { Tags: tags });
    const foreign = await rejectionOf(client.send(new ListResourceTagsCommand({ KeyId: otherKey, Marker: first.NextMarker })));
    expect(foreign).toBeInstanceOf(InvalidMarkerException);
  });

  test('a key holds at most 50 tags: the 51st is a TagException and nothing is added', async () => {
    const client = setup();
    const keyId = await newKeyId(client, {
      Tags: Array.from({ length: 49 }, (_, i) => ({ TagKey: `t${i}`, TagValue: 'x' })),
    });
    await client.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 't49', TagValue: 'x' }] }));
    const error = await rejectionOf(
      client.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 't0', TagValue: 'y' }, { TagKey: 't50', TagValue: 'x' }] })),
    );
    expect(error).toBeInstanceOf(TagException);
    const tags = await allTags(client, keyId);
    expect(tags).toHaveLength(50);
    expect(tags.find((tag) => tag.TagKey === 't0')?.TagValue).toBe('x');
    const create = await rejectionOf(
      client.send(new CreateKeyCommand({ Tags: Array.from({ length: 51 }, (_, i) => ({ TagKey: `t${i}`, TagValue: 'x' })) })),
    );
    expect(create).toBeInstanceOf(TagException);
  });

  test.each(['aws:created-by', 'AWS:team', 'Aws:x'])('the reserved tag key %s is a TagException', async (tagKey) => {
    const client = setup();
    const keyId = await newKeyId(client);
    const tag = await rejectionOf(client.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: tagKey, TagValue: 'v' }] })));
    expect(tag).toBeInstanceOf(TagException);
    const create = await rejectionOf(client.send(new CreateKeyCommand({ Tags: [{ TagKey: tagKey, TagValue: 'v' }] })));
    expect(create).toBeInstanceOf(TagException);
  });

  test.each([
    ['an empty tag key', { TagKey: '', TagValue: 'v' }],
    ['a 129-character tag key', { TagKey: 'k'.repeat(129), TagValue: 'v' }],
    ['a 257-character tag value', { TagKey: 'k', TagValue: 'v'.repeat(257) }],
    ['a tag without a value', { TagKey: 'k' }],
  ] as const)('%s is a ValidationException', async (_label, tag) => {
    const client = setup();
    const keyId = await newKeyId(client);
    const error = await rejectionOf(client.send(new TagResourceCommand({ KeyId: keyId, Tags: [tag as Tag] })));
    expect(error.name).toBe('ValidationException');
    expect(await allTags(client, keyId)).toEqual([]);
  });

  test('a 128-character key with a 256-character value is accepted', async () => {
    const client = setup();
    const keyId = await newKeyId(client);
    const tag = { TagKey: 'k'.repeat(128), TagValue: 'v'.repeat(256) };
    await client.send(new TagResourceCommand({ KeyId: keyId, Tags: [tag] }));
    expect(await allTags(client, keyId)).toEqual([tag]);
  });

  test('tags cannot change while the key is pending deletion, but can still be listed', async () => {
    const client = setup();
    const keyId = await newKeyId(client, { Tags: [{ TagKey: 'a', TagValue: '1' }] });
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId }));
    const tag = await rejectionOf(client.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'b', TagValue: '2' }] })));
    expect(tag).toBeInstanceOf(KMSInvalidStateException);
    expect(await rejectionOf(client.send(new UntagResourceCommand({ KeyId: keyId, TagKeys: ['a'] })))).toBeInstanceOf(
      KMSInvalidStateException,
    );
    expect(await allTags(client, keyId)).toEqual([{ TagKey: 'a', TagValue: '1' }]);
  });

  test('tagging a key that does not exist is a NotFoundException', async () => {
    const client = setup();
    const error = await rejectionOf(
      client.send(new TagResourceCommand({ KeyId: '0b0b0b0b-1111-4222-8333-444444444444', Tags: [{ TagKey: 'a', TagValue: 'b' }] })),
    );
    expect(error).toBeInstanceOf(NotFoundException);
  });
});

describe('key policies', () => {
  const policy = (principal: string): string =>
    JSON.stringify({
      Version: '2012-10-17',
      Id: 'custom',
      Statement: [
        { Sid: 'root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'user', Effect: 'Allow', Principal: { AWS: principal }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' },
      ],
    });

  test('a new key has the default policy delegating to IAM through the account root', async () => {
    const client = setup();
    const keyId = await newKeyId(client);
    const out = await client.send(new GetKeyPolicyCommand({ KeyId: keyId }));
    expect(out.PolicyName).toBe('default');
    const document = JSON.parse(out.Policy as string) as { Statement: { Effect: string; Principal: unknown; Action: string }[] };
    expect(document.Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*' }),
    ]);
  });

  test('PutKeyPolicy stores the document as given and GetKeyPolicy returns it, with or without PolicyName', async () => {
    const client = setup();
    const keyId = await newKeyId(client);
    const text = policy(`arn:aws:iam::${ACCOUNT}:role/app`);
    await client.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: text, PolicyName: 'default' }));
    expect((await client.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy).toBe(text);
    const second = policy(`arn:aws:iam::${ACCOUNT}:role/other`);
    await client.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: second }));
    expect((await client.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy).toBe(second);
  });

  test('CreateKey stores a policy given at creation', async () => {
    const client = setup();
    const text = policy(`arn:aws:iam::${ACCOUNT}:user/alice`);
    const keyId = await newKeyId(client, { Policy: text });
    expect((await client.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy).toBe(text);
  });

  test('policies can be read and replaced while the key is pending deletion', async () => {
    const client = setup();
    const keyId = await newKeyId(client);
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId }));
    const text = policy(`arn:aws:iam::${ACCOUNT}:role/late`);
    await client.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: text }));
    expect((await client.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy).toBe(text);
  });

  test.each([
    ['not JSON', '{"Statement": ['],
    ['a JSON array', '[]'],
    ['no Statement', JSON.stringify({ Version: '2012-10-17' })],
    ['an empty Statement list', JSON.stringify({ Version: '2012-10-17', Statement: [] })],
    ['a statement without Effect', JSON.stringify({ Statement: [{ Principal: '*', Action: 'kms:*', Resource: '*' }] })],
    ['an Effect other than Allow or Deny', JSON.stringify({ Statement: [{ Effect: 'Maybe', Principal: '*', Action: 'kms:*' }] })],
    ['a statement without a principal', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] })],
  ])('%s is a MalformedPolicyDocumentException and leaves the policy unchanged', async (_label, text) => {
    const client = setup();
    const keyId = await newKeyId(client);
    const before = (await client.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy;
    const error = await rejectionOf(client.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: text })));
    expect(error).toBeInstanceOf(MalformedPolicyDocumentException);
    expect((await client.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy).toBe(before);
    expect(await rejectionOf(client.send(new CreateKeyCommand({ Policy: text })))).toBeInstanceOf(MalformedPolicyDocumentException);
  });

  test.each([
    ['a PolicyName other than default', { PolicyName: 'custom' }],
    ['an empty policy', { Policy: '' }],
    ['a policy over 32768 characters', { Policy: ' '.repeat(32769) }],
  ])('%s is a ValidationException', async (_label, input) => {
    const client = setup();
    const keyId = await newKeyId(client);
    const error = await rejectionOf(client.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: policy('*'), ...input })));
    expect(error.name).toBe('ValidationException');
    const read = await rejectionOf(client.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'custom' })));
    expect(read.name).toBe('ValidationException');
  });
});
