/**
 * Bucket policies through the key-policy compiler with S3's vocabulary: the seed's policy (deny s3:PutObject unless
 * `s3:x-amz-server-side-encryption` is `aws:kms`, or unless `…-aws-kms-key-id` is a given key ARN) refuses an upload
 * without the header with S3's 403 AccessDenied, counted as denied, and no KMS call is made.
 */
import { describe, expect, test } from 'vitest';
import { checkBucketPolicy } from '../src/services/s3-policy.js';
import { serviceCaller } from '../src/services/types.js';
import { ACCOUNT, APP, bucket, caller, KEY_ARN, OTHER_KEY_ARN, s3Fixture } from './support/s3-fixture.js';

const app = caller(APP);
const denyUnless = (conditionKey: string, value: string) => ({
  Version: '2012-10-17',
  Id: 'PutObjectPolicy',
  Statement: [
    {
      Sid: 'DenyUnEncryptedObjectUploads',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::locked/*',
      Condition: { StringNotEquals: { [conditionKey]: value } },
    },
  ],
});
const REQUIRE_SSE_KMS = denyUnless('s3:x-amz-server-side-encryption', 'aws:kms');
const REQUIRE_KEY = denyUnless('s3:x-amz-server-side-encryption-aws-kms-key-id', KEY_ARN);
const SSE_KMS = { 'x-amz-server-side-encryption': 'aws:kms' };

describe('the seed\'s policy: uploads must ask for SSE-KMS', () => {
  const setup = () => s3Fixture([bucket('locked', { type: 'SSE-KMS', key: KEY_ARN }, REQUIRE_SSE_KMS)]);

  test('an upload without the header is AccessDenied (403), counted as denied, with no KMS call', () => {
    const { model, s3 } = setup();
    const outcome = s3.putObject(app, 'locked', 'a.txt');
    expect(outcome).toMatchObject({ ok: false, kind: 'accessDenied', kmsCalls: 0, error: { code: 'AccessDenied', httpStatus: 403, retry: 'fatal' } });
    expect(model.calls).toEqual([]);
    expect(s3.counts()[0]).toMatchObject({ requests: { PutObject: 1 }, denied: 1, succeeded: 0, kmsCalls: { GenerateDataKey: 0 } });
  });

  test('an upload with x-amz-server-side-encryption: aws:kms is encrypted with one GenerateDataKey', () => {
    const { model, s3 } = setup();
    expect(s3.putObject(app, 'locked', 'a.txt', SSE_KMS)).toEqual({ ok: true, kmsCalls: 1 });
    expect(model.calls.map((c) => c.operation)).toEqual(['GenerateDataKey']);
  });

  test('an upload asking for SSE-S3 instead is refused', () => {
    const { s3 } = setup();
    expect(s3.putObject(app, 'locked', 'a.txt', { 'x-amz-server-side-encryption': 'AES256' })).toMatchObject({ ok: false, kind: 'accessDenied' });
  });

  test('reads are not governed by the PutObject statement', () => {
    const { s3 } = setup();
    s3.putObject(app, 'locked', 'a.txt', SSE_KMS);
    expect(s3.getObject(app, 'locked', 'a.txt').ok).toBe(true);
  });

  test('a multipart upload is refused at create without the header, and its parts carry the create\'s headers', () => {
    const { model, s3 } = setup();
    expect(s3.multipartUpload(app, 'locked', 'big', 3)).toMatchObject({ ok: false, kind: 'accessDenied', kmsCalls: 0 });
    expect(s3.multipartUpload(app, 'locked', 'big', 3, SSE_KMS)).toEqual({ ok: true, kmsCalls: 4 });
    expect(model.calls).toHaveLength(4);
  });
});

describe('a policy requiring one key ARN', () => {
  const setup = () => s3Fixture([bucket('locked', { type: 'SSE-KMS', key: KEY_ARN }, REQUIRE_KEY)]);

  test.each([
    ['no header', {}, false],
    ['another key', { ...SSE_KMS, 'x-amz-server-side-encryption-aws-kms-key-id': OTHER_KEY_ARN }, false],
    ['the required key', { ...SSE_KMS, 'x-amz-server-side-encryption-aws-kms-key-id': KEY_ARN }, true],
  ])('%s → allowed %s', (_, headers, allowed) => {
    const { model, s3 } = setup();
    expect(s3.putObject(app, 'locked', 'a', headers).ok).toBe(allowed);
    expect(model.calls).toHaveLength(allowed ? 1 : 0);
  });
});

describe('who may call', () => {
  test('a caller of another account needs an Allow in the bucket policy', () => {
    const stranger = serviceCaller({ region: 'us-east-1', principal: 'arn:aws:iam::444455556666:role/partner' }, ACCOUNT);
    const plain = s3Fixture([bucket('shared', { type: 'SSE-S3' })]);
    expect(plain.s3.putObject(stranger, 'shared', 'a')).toMatchObject({ ok: false, kind: 'accessDenied' });
    const allowing = s3Fixture([
      bucket('shared', { type: 'SSE-S3' }, { Statement: [{ Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 's3:*', Resource: 'arn:aws:s3:::shared/*' }] }),
    ]);
    expect(allowing.s3.putObject(stranger, 'shared', 'a').ok).toBe(true);
  });

  test('a KMS key policy refusing the caller surfaces as S3\'s AccessDenied after the KMS call', () => {
    const keyPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
        { Effect: 'Deny', Principal: { AWS: APP }, Action: 'kms:GenerateDataKey', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } },
      ],
    });
    const { s3 } = s3Fixture([bucket('docs', { type: 'SSE-KMS', key: 'alias/strict' })], {
      model: { keys: [{ region: 'us-east-1', aliases: ['alias/strict'], policy: keyPolicy }] },
    });
    const outcome = s3.putObject(app, 'docs', 'a');
    expect(outcome).toMatchObject({ ok: false, kind: 'kmsAccessDenied', kmsCalls: 1, error: { code: 'AccessDenied', httpStatus: 403 } });
    expect(outcome.ok ? '' : outcome.cause).toContain('explicit deny in a resource-based policy');
  });
});

describe('policy documents', () => {
  test('S3 actions and condition keys are known; KMS ones are not', () => {
    expect(checkBucketPolicy(REQUIRE_SSE_KMS)).toEqual([]);
    expect(checkBucketPolicy(denyUnless('kms:ViaService', 'x'))).toEqual(['Statement[0].Condition.StringNotEquals."kms:ViaService": unknown condition key kms:ViaService']);
    expect(checkBucketPolicy({ Statement: [{ Effect: 'Deny', Action: 's3:PutObject', Resource: '*' }] })).toEqual([
      'Statement[0] must have exactly one of Principal or NotPrincipal',
    ]);
  });
});
