/**
 * Each S3 request makes exactly the KMS calls S3 makes (aws-kms-facts.md §6): operation, key, encryption context
 * (`aws:s3:arn` = the object ARN), via-service `s3.<region>.amazonaws.com` and the caller's principal — per operation
 * and encryption type, against the real model.
 */
import { describe, expect, test } from 'vitest';
import { S3BucketError } from '../src/services/s3-buckets.js';
import { APP, bucket, caller, KEY_ARN, OTHER_KEY_ARN, REGION, s3Fixture, type RecordedCall } from './support/s3-fixture.js';

const VIA = `s3.${REGION}.amazonaws.com`;
const objectContext = (b: string, key: string) => ({ 'aws:s3:arn': `arn:aws:s3:::${b}/${key}` });
const call = (operation: string, context: object, keyId = KEY_ARN): RecordedCall => ({
  operation,
  keyId,
  context,
  viaService: VIA,
  principal: APP,
  accountId: undefined,
});
const app = caller(APP);

describe('SSE-KMS without a Bucket Key', () => {
  const setup = () => s3Fixture([bucket('docs', { type: 'SSE-KMS', key: 'alias/app' }), bucket('copies', { type: 'SSE-KMS', key: OTHER_KEY_ARN })]);

  test('PutObject makes one GenerateDataKey with the object ARN as context, via S3, for the caller', () => {
    const { model, s3 } = setup();
    expect(s3.putObject(app, 'docs', 'a/1.txt')).toEqual({ ok: true, kmsCalls: 1 });
    expect(model.calls).toEqual([call('GenerateDataKey', objectContext('docs', 'a/1.txt'))]);
  });

  test('GetObject makes one Decrypt per GET (each ranged GET is one), of the key the object was written with', () => {
    const { model, s3 } = setup();
    s3.putObject(app, 'docs', 'a/1.txt');
    model.calls.length = 0;
    for (let range = 0; range < 3; range++) expect(s3.getObject(app, 'docs', 'a/1.txt')).toEqual({ ok: true, kmsCalls: 1 });
    expect(model.calls).toEqual(Array.from({ length: 3 }, () => call('Decrypt', objectContext('docs', 'a/1.txt'))));
  });

  test('GetObject of an object written before the run decrypts a key made for it, charging only the read', () => {
    const { model, s3 } = setup();
    expect(s3.getObject(app, 'docs', 'old.txt')).toEqual({ ok: true, kmsCalls: 1 });
    expect(model.calls).toEqual([call('Decrypt', objectContext('docs', 'old.txt'))]);
  });

  test('CopyObject decrypts the source and generates a data key for the destination', () => {
    const { model, s3 } = setup();
    s3.putObject(app, 'docs', 'src.txt');
    model.calls.length = 0;
    expect(s3.copyObject(app, { bucket: 'docs', key: 'src.txt' }, 'copies', 'dst.txt')).toEqual({ ok: true, kmsCalls: 2 });
    expect(model.calls).toEqual([call('Decrypt', objectContext('docs', 'src.txt')), call('GenerateDataKey', objectContext('copies', 'dst.txt'), OTHER_KEY_ARN)]);
  });

  test('a multipart upload makes one GenerateDataKey at create and one Decrypt per part', () => {
    const { model, s3 } = setup();
    expect(s3.multipartUpload(app, 'docs', 'big.bin', 4)).toEqual({ ok: true, kmsCalls: 5 });
    expect(model.calls).toEqual([
      call('GenerateDataKey', objectContext('docs', 'big.bin')),
      ...Array.from({ length: 4 }, () => call('Decrypt', objectContext('docs', 'big.bin'))),
    ]);
    model.calls.length = 0;
    expect(s3.getObject(app, 'docs', 'big.bin')).toEqual({ ok: true, kmsCalls: 1 });
  });

  test('HeadObject makes no KMS call', () => {
    const { model, s3 } = setup();
    s3.putObject(app, 'docs', 'a.txt');
    model.calls.length = 0;
    expect(s3.headObject(app, 'docs', 'a.txt')).toEqual({ ok: true, kmsCalls: 0 });
    expect(model.calls).toEqual([]);
  });

  test('a request header naming another key encrypts with that key', () => {
    const { model, s3 } = setup();
    const headers = { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': OTHER_KEY_ARN };
    expect(s3.putObject(app, 'docs', 'b.txt', headers).ok).toBe(true);
    expect(model.calls).toEqual([call('GenerateDataKey', objectContext('docs', 'b.txt'), OTHER_KEY_ARN)]);
    expect(s3.getObject(app, 'docs', 'b.txt').ok).toBe(true);
    expect(model.calls[1]).toEqual(call('Decrypt', objectContext('docs', 'b.txt'), OTHER_KEY_ARN));
  });
});

describe('other encryption types', () => {
  test('DSSE-KMS makes the SSE-KMS calls', () => {
    const { model, s3 } = s3Fixture([bucket('dsse', { type: 'DSSE-KMS', key: KEY_ARN })]);
    s3.putObject(app, 'dsse', 'x');
    s3.getObject(app, 'dsse', 'x');
    expect(model.calls).toEqual([call('GenerateDataKey', objectContext('dsse', 'x')), call('Decrypt', objectContext('dsse', 'x'))]);
  });

  test.each(['SSE-S3', 'SSE-C'] as const)('%s makes no KMS call for any operation', (type) => {
    const { model, s3 } = s3Fixture([bucket('plain', { type })]);
    expect(s3.putObject(app, 'plain', 'x')).toEqual({ ok: true, kmsCalls: 0 });
    expect(s3.getObject(app, 'plain', 'x')).toEqual({ ok: true, kmsCalls: 0 });
    expect(s3.copyObject(app, { bucket: 'plain', key: 'x' }, 'plain', 'y')).toEqual({ ok: true, kmsCalls: 0 });
    expect(s3.multipartUpload(app, 'plain', 'z', 3)).toEqual({ ok: true, kmsCalls: 0 });
    expect(model.calls).toEqual([]);
  });

  test('a caller without a principal is its account root: its account is named, no principal', () => {
    const { model, s3 } = s3Fixture([bucket('docs', { type: 'SSE-KMS', key: KEY_ARN })]);
    s3.putObject(caller(), 'docs', 'r');
    expect(model.calls).toEqual([{ ...call('GenerateDataKey', objectContext('docs', 'r')), principal: undefined, accountId: '111122223333' }]);
  });
});

describe('counts', () => {
  test('per bucket: requests by operation, KMS calls by operation and by principal', () => {
    const { s3 } = s3Fixture([bucket('docs', { type: 'SSE-KMS', key: KEY_ARN })]);
    s3.putObject(app, 'docs', 'a');
    s3.getObject(app, 'docs', 'a');
    s3.getObject(caller(), 'docs', 'a');
    s3.headObject(app, 'docs', 'a');
    const [docs] = s3.counts();
    expect(docs).toMatchObject({
      bucket: 'docs',
      requests: { PutObject: 1, GetObject: 2, HeadObject: 1 },
      succeeded: 4,
      kmsCalls: { GenerateDataKey: 1, Decrypt: 2 },
      kmsCallsByPrincipal: { [APP]: 2, 'arn:aws:iam::111122223333:root': 1 },
      kmsCallsSavedByBucketKey: 0,
    });
  });
});

describe('bad buckets', () => {
  test.each([
    ['a bad name', { name: 'No_Such', region: REGION, encryption: { type: 'SSE-S3' } }, 'buckets[0].name must be an S3 bucket name'],
    ['a bad region', { name: 'ok-name', region: 'mars', encryption: { type: 'SSE-S3' } }, 'buckets[0].region must be a region name'],
    ['an unknown type', { name: 'ok-name', region: REGION, encryption: { type: 'ROT13' } }, 'buckets[0].encryption.type must be'],
    ['SSE-KMS without a key', { name: 'ok-name', region: REGION, encryption: { type: 'SSE-KMS' } }, 'buckets[0].encryption.key is required for SSE-KMS'],
    ['a Bucket Key with DSSE-KMS', { name: 'ok-name', region: REGION, encryption: { type: 'DSSE-KMS', key: KEY_ARN, bucketKey: true } }, 'buckets[0].encryption.bucketKey is only for SSE-KMS'],
    ['a key the model does not hold', { name: 'ok-name', region: REGION, encryption: { type: 'SSE-KMS', key: 'alias/none' } }, 'buckets[0].encryption.key: no KMS key alias/none in us-east-1'],
    ['a malformed policy', { name: 'ok-name', region: REGION, encryption: { type: 'SSE-S3' }, policy: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: '*', Condition: { StringEquals: { 's3:nope': 'x' } } }] } }, 'unknown condition key s3:nope'],
  ])('%s is refused with its path', (_, spec, message) => {
    expect(() => s3Fixture([spec as never])).toThrow(S3BucketError);
    expect(() => s3Fixture([spec as never])).toThrow(message);
  });
});
