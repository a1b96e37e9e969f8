/**
 * S3 Bucket Keys in virtual time: one bucket-level key per (requester, bucket, KMS key), fetched with the bucket ARN as
 * encryption context and reused for writes and reads until its lifetime runs out — not a millisecond longer.
 */
import { describe, expect, test } from 'vitest';
import { DEFAULT_BUCKET_KEY_LIFETIME_MS } from '../src/services/s3-facts.js';
import { APP, bucket, caller, KEY_ARN, OPS, s3Fixture } from './support/s3-fixture.js';

const LIFETIME_MS = 60_000;
const BUCKET_CONTEXT = { 'aws:s3:arn': 'arn:aws:s3:::keyed' };
const app = caller(APP);
const ops = caller(OPS);
const setup = (lifetime: number | 'default' = LIFETIME_MS) =>
  s3Fixture([bucket('keyed', { type: 'SSE-KMS', key: KEY_ARN, bucketKey: true, ...(lifetime === 'default' ? {} : { bucketKeyLifetimeMs: lifetime }) })]);
const summary = (calls: readonly { operation: string; principal: string | undefined; context: unknown }[]) =>
  calls.map((c) => `${c.operation} ${c.principal?.split('/')[1]} ${JSON.stringify(c.context)}`);

describe('Bucket Key reuse', () => {
  test('many uploads by one requester make one GenerateDataKey, with the bucket ARN as context', () => {
    const { model, s3 } = setup();
    for (let i = 0; i < 150; i++) expect(s3.putObject(app, 'keyed', `o/${i}`).ok).toBe(true);
    expect(model.calls).toEqual([{ operation: 'GenerateDataKey', keyId: KEY_ARN, context: BUCKET_CONTEXT, viaService: 's3.us-east-1.amazonaws.com', principal: APP, accountId: undefined }]);
    expect(s3.counts()[0]).toMatchObject({ kmsCalls: { GenerateDataKey: 1, Decrypt: 0 }, kmsCallsSavedByBucketKey: 149 });
  });

  test('each requester fetches its own Bucket Key', () => {
    const { model, s3 } = setup();
    s3.putObject(app, 'keyed', 'a');
    s3.putObject(ops, 'keyed', 'b');
    s3.putObject(app, 'keyed', 'c');
    s3.putObject(ops, 'keyed', 'd');
    expect(summary(model.calls)).toEqual([`GenerateDataKey app ${JSON.stringify(BUCKET_CONTEXT)}`, `GenerateDataKey ops ${JSON.stringify(BUCKET_CONTEXT)}`]);
  });

  test('reads reuse the requester\'s key; another requester\'s first read decrypts the bucket-level key once', () => {
    const { model, s3 } = setup();
    s3.putObject(app, 'keyed', 'a');
    s3.getObject(app, 'keyed', 'a');
    s3.getObject(app, 'keyed', 'a');
    s3.getObject(ops, 'keyed', 'a');
    s3.getObject(ops, 'keyed', 'a');
    s3.putObject(ops, 'keyed', 'b');
    expect(summary(model.calls)).toEqual([`GenerateDataKey app ${JSON.stringify(BUCKET_CONTEXT)}`, `Decrypt ops ${JSON.stringify(BUCKET_CONTEXT)}`]);
  });

  test('a read hits only the Bucket Key the object was written under: not another role\'s, not an expired one', () => {
    const { clock, model, s3 } = setup();
    s3.putObject(app, 'keyed', 'a'); // app's key K1
    s3.putObject(ops, 'keyed', 'b'); // ops's own key
    expect(s3.getObject(ops, 'keyed', 'a')).toEqual({ ok: true, kmsCalls: 1 }); // K1 is app's: ops decrypts it
    clock.advanceMs(LIFETIME_MS);
    s3.putObject(app, 'keyed', 'c'); // K1 expired: app's new key K2
    expect(s3.getObject(app, 'keyed', 'a')).toEqual({ ok: true, kmsCalls: 1 }); // written under K1, not K2
    expect(s3.getObject(app, 'keyed', 'c')).toEqual({ ok: true, kmsCalls: 0 });
    expect(summary(model.calls).map((s) => s.split(' ').slice(0, 2).join(' '))).toEqual(['GenerateDataKey app', 'GenerateDataKey ops', 'Decrypt ops', 'GenerateDataKey app', 'Decrypt app']);
  });

  test('a multipart upload under a live Bucket Key makes no KMS call per part', () => {
    const { model, s3 } = setup();
    expect(s3.multipartUpload(app, 'keyed', 'big', 10)).toEqual({ ok: true, kmsCalls: 1 });
    expect(model.calls.map((c) => c.operation)).toEqual(['GenerateDataKey']);
  });

  test('a CopyObject within the bucket makes no call while the key lives', () => {
    const { model, s3 } = setup();
    s3.putObject(app, 'keyed', 'a');
    expect(s3.copyObject(app, { bucket: 'keyed', key: 'a' }, 'keyed', 'b')).toEqual({ ok: true, kmsCalls: 0 });
    expect(model.calls).toHaveLength(1);
  });
});

describe('Bucket Key expiry', () => {
  test('the key is used up to its lifetime and fetched again at the lifetime', () => {
    const { clock, model, s3 } = setup();
    s3.putObject(app, 'keyed', 'a');
    clock.advanceMs(LIFETIME_MS - 1);
    s3.putObject(app, 'keyed', 'b');
    s3.getObject(app, 'keyed', 'a');
    expect(model.calls).toHaveLength(1);
    clock.advanceMs(1);
    s3.putObject(app, 'keyed', 'c');
    expect(model.calls).toHaveLength(2);
    clock.advanceMs(LIFETIME_MS);
    s3.getObject(app, 'keyed', 'c');
    expect(summary(model.calls).slice(2)).toEqual([`Decrypt app ${JSON.stringify(BUCKET_CONTEXT)}`]);
  });

  test(`the default lifetime is ${DEFAULT_BUCKET_KEY_LIFETIME_MS.value / 60_000} minutes`, () => {
    const { clock, model, s3 } = setup('default');
    s3.putObject(app, 'keyed', 'a');
    clock.advanceMs(DEFAULT_BUCKET_KEY_LIFETIME_MS.value - 1);
    s3.putObject(app, 'keyed', 'b');
    expect(model.calls).toHaveLength(1);
    clock.advanceMs(1);
    s3.putObject(app, 'keyed', 'c');
    expect(model.calls).toHaveLength(2);
  });

  test('one requester\'s expiry does not touch another\'s key', () => {
    const { clock, model, s3 } = setup();
    s3.putObject(app, 'keyed', 'a');
    clock.advanceMs(LIFETIME_MS / 2);
    s3.putObject(ops, 'keyed', 'b');
    clock.advanceMs(LIFETIME_MS / 2);
    s3.putObject(app, 'keyed', 'c');
    s3.putObject(ops, 'keyed', 'd');
    expect(summary(model.calls).map((s) => s.split(' ').slice(0, 2).join(' '))).toEqual(['GenerateDataKey app', 'GenerateDataKey ops', 'GenerateDataKey app']);
  });
});
