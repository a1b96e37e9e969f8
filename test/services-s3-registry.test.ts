/**
 * S3 plugged into the services' registry: its mix operations are registered, a thread's ServiceWorld answers them in
 * the services' outcome shape (S3's 503 SlowDown as a throttle the fleet's retry policy retries), and S3's KMS calls
 * are attributed to source `s3`, the bucket and the caller's principal, adding up to the quota board's admitted count.
 */
import { describe, expect, test } from 'vitest';
import { RateBoard } from '../src/quota/index.js';
import { serviceOperation, SERVICE_OPERATION_NAMES } from '../src/services/catalog.js';
import { ServiceWorld } from '../src/services/world.js';
import { ACCOUNT, APP, bucket, caller, KEY_ARN, RecordingModel, REGION } from './support/s3-fixture.js';
import { ManualClock } from '../src/base/time.js';
import { KmsModel } from '../src/kms/model.js';

function world(buckets: readonly object[], symmetricQuota = 50) {
  const clock = new ManualClock(5e9);
  const model = new RecordingModel({
    accountId: ACCOUNT,
    clock,
    keys: [{ region: REGION, keyId: KEY_ARN.split('/')[1] as string }],
    principals: [{ arn: APP, policies: [JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] })] }],
    quotas: { profile: 'kms-current', overrides: { [REGION]: { symmetric: symmetricQuota } } },
  });
  const copy = new KmsModel({ accountId: ACCOUNT, keys: model.exportKeys() });
  const services = new ServiceWorld({
    kms: model,
    accountId: ACCOUNT,
    time: clock,
    board: new RateBoard({}, () => clock.nowNs()),
    resources: { buckets },
    keys: new Map([['app', { arn: KEY_ARN, keySpec: 'SYMMETRIC_DEFAULT' }]]),
    prepare: (operation, input, context) => copy.callSync(operation, input, context),
  });
  return { clock, model, services };
}

describe('the registry', () => {
  test('S3\'s operations are mix operations naming a bucket', () => {
    expect(SERVICE_OPERATION_NAMES).toEqual(expect.arrayContaining(['s3:PutObject', 's3:GetObject', 's3:HeadObject', 's3:CopyObject', 's3:multipartUpload']));
    expect(serviceOperation('s3:multipartUpload')).toMatchObject({ resourceKind: 'buckets', resourceField: 'bucket', inputField: 'Bucket' });
    expect(serviceOperation('s3:multipartUpload')?.params?.map((p) => p.field)).toEqual(['prefix', 'objects', 'sse', 'sseKmsKey', 'parts']);
  });
});

describe('S3 in a thread\'s services', () => {
  test('100 uploads/s against a 50/s quota: SlowDown as a throttle, attributed to s3, summing to the board\'s counts', () => {
    const { clock, model, services } = world([bucket('docs', { type: 'SSE-KMS', key: 'app' })]);
    const app = caller(APP);
    const outcomes = [];
    for (let i = 0; i < 100; i++) {
      outcomes.push(services.attempt('s3:PutObject', { Bucket: 'docs', Prefix: 'up/', Objects: 10 }, app));
      clock.advanceMs(10);
    }
    const refused = outcomes.filter((o) => !o.ok);
    expect(refused).toHaveLength(50);
    expect(refused[0]).toMatchObject({ ok: false, error: { name: 'SlowDown', httpStatus: 503, retry: 'throttle', cause: 'kms-throttled', service: 's3' } });
    const { kmsCalls, requests } = services.counts();
    expect(kmsCalls).toEqual([{ region: REGION, accountId: ACCOUNT, source: 's3', principal: APP, resource: 'docs', bucket: 'symmetric', admitted: 50, throttled: 50, denied: 0, failed: 0 }]);
    expect(requests).toMatchObject([{ service: 's3', operation: 's3:PutObject', resource: 'docs', requests: 100, succeeded: 50, throttledByKms: 50 }]);
    const board = model.quotaState()[0];
    expect(board).toMatchObject({ admitted: kmsCalls[0]?.admitted, throttled: kmsCalls[0]?.throttled });
  });

  test('reads cycle through the objects the entry writes; ranged reads are extra GETs with a Decrypt each', () => {
    const { model, services } = world([bucket('docs', { type: 'SSE-KMS', key: 'app' })], 10_000);
    const app = caller(APP);
    for (let i = 0; i < 3; i++) expect(services.attempt('s3:PutObject', { Bucket: 'docs', Prefix: 'o/', Objects: 3 }, app).ok).toBe(true);
    model.calls.length = 0;
    expect(services.attempt('s3:GetObject', { Bucket: 'docs', Prefix: 'o/', Objects: 3, Ranges: 4 }, app).ok).toBe(true);
    expect(model.calls.map((c) => [c.operation, c.context])).toEqual(Array.from({ length: 4 }, () => ['Decrypt', { 'aws:s3:arn': 'arn:aws:s3:::docs/o/0' }]));
  });

  test('the mix entry\'s sse header satisfies the seed\'s bucket policy; without it the upload is denied', () => {
    const policy = {
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::locked/*', Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } }],
    };
    const { services } = world([bucket('locked', { type: 'SSE-KMS', key: 'app' }, policy)], 10_000);
    const app = caller(APP);
    expect(services.attempt('s3:PutObject', { Bucket: 'locked' }, app)).toMatchObject({ ok: false, error: { name: 'AccessDenied', httpStatus: 403, cause: 'access-denied' } });
    expect(services.attempt('s3:PutObject', { Bucket: 'locked', ServerSideEncryption: 'aws:kms' }, app).ok).toBe(true);
    expect(services.counts().requests).toMatchObject([{ requests: 2, denied: 1, succeeded: 1 }]);
  });

  test('a multipart upload and a copy make their calls through the same route', () => {
    const { model, services } = world([bucket('docs', { type: 'SSE-KMS', key: 'app' })], 10_000);
    const app = caller(APP);
    expect(services.attempt('s3:multipartUpload', { Bucket: 'docs', Parts: 5 }, app).ok).toBe(true);
    expect(services.attempt('s3:CopyObject', { Bucket: 'docs' }, app).ok).toBe(true);
    expect(model.calls.map((c) => c.operation)).toEqual(['GenerateDataKey', ...Array<string>(5).fill('Decrypt'), 'Decrypt', 'GenerateDataKey']);
    expect(services.counts().kmsCalls[0]).toMatchObject({ source: 's3', resource: 'docs', admitted: 8 });
  });
});
