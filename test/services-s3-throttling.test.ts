/**
 * S3's two quotas in virtual time. With a 50/s symmetric KMS quota and 100 uploads/s, S3's GenerateDataKey calls are
 * throttled in the caller's account and S3 answers with its own documented error — 503 SlowDown, "Please reduce your
 * request rate for operations involving AWS KMS." — retryable; the caller's account shows the throttles. S3's own
 * per-prefix request rate answers 503 SlowDown too, before any KMS call.
 */
import { describe, expect, test } from 'vitest';
import { S3_ERRORS } from '../src/services/s3-facts.js';
import { ACCOUNT, APP, bucket, caller, KEY_ARN, REGION, s3Fixture } from './support/s3-fixture.js';

const app = caller(APP);
const QUOTA_50 = { quotas: { profile: 'kms-current' as const, overrides: { [REGION]: { symmetric: 50 } } } };

/** 100 uploads spread evenly over one second of virtual time; the outcomes. */
function uploadsForOneSecond(fixture: ReturnType<typeof s3Fixture>) {
  const outcomes = [];
  for (let i = 0; i < 100; i++) {
    outcomes.push(fixture.s3.putObject(app, 'docs', `up/${i}`));
    fixture.clock.advanceMs(10);
  }
  return outcomes;
}

describe('S3 when its KMS call is throttled', () => {
  test('50/s symmetric quota, 100 uploads/s: half are SlowDown (503, retryable), and the caller\'s account shows the throttles', () => {
    const fixture = s3Fixture([bucket('docs', { type: 'SSE-KMS', key: KEY_ARN })], { model: QUOTA_50 });
    fixture.clock.setNs(5e9); // start on a window boundary
    const outcomes = uploadsForOneSecond(fixture);
    const failed = outcomes.filter((o) => !o.ok);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(50);
    expect(failed).toHaveLength(50);
    expect(failed[0]).toMatchObject({
      kind: 'kmsThrottled',
      kmsCalls: 1,
      error: { code: 'SlowDown', httpStatus: 503, retry: 'throttle', message: 'Please reduce your request rate for operations involving AWS KMS.' },
      cause: 'ThrottlingException',
    });
    expect(fixture.model.quotaState()).toEqual([{ accountId: ACCOUNT, region: REGION, bucket: 'symmetric', quotaPerSec: 50, admitted: 50, throttled: 50 }]);
    expect(fixture.s3.counts()[0]).toMatchObject({ succeeded: 50, throttledByKms: 50, kmsCalls: { GenerateDataKey: 100 } });
  });

  test('the same load with a Bucket Key makes one KMS call and is not throttled', () => {
    const fixture = s3Fixture([bucket('docs', { type: 'SSE-KMS', key: KEY_ARN, bucketKey: true })], { model: QUOTA_50 });
    expect(uploadsForOneSecond(fixture).every((o) => o.ok)).toBe(true);
    expect(fixture.model.quotaState()).toEqual([{ accountId: ACCOUNT, region: REGION, bucket: 'symmetric', quotaPerSec: 50, admitted: 1, throttled: 0 }]);
  });

  test('SSE-S3 uploads draw nothing from the KMS quota', () => {
    const fixture = s3Fixture([bucket('docs', { type: 'SSE-S3' })], { model: QUOTA_50 });
    expect(uploadsForOneSecond(fixture).every((o) => o.ok)).toBe(true);
    expect(fixture.model.quotaState()).toEqual([]);
  });
});

describe('S3\'s own request rate per prefix', () => {
  const setup = () => s3Fixture([bucket('docs', { type: 'SSE-KMS', key: KEY_ARN })], { service: { requestQuota: { writePerSec: 10, readPerSec: 20 } } });

  test('writes past the prefix\'s rate are SlowDown before any KMS call', () => {
    const fixture = setup();
    const outcomes = Array.from({ length: 15 }, (_, i) => fixture.s3.putObject(app, 'docs', `p/${i}`));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(10);
    expect(outcomes[14]).toEqual({ ok: false, kind: 'requestRate', kmsCalls: 0, error: S3_ERRORS.requestRate });
    expect(fixture.model.calls).toHaveLength(10);
    expect(fixture.s3.counts()[0]).toMatchObject({ throttledByRequestRate: 5, succeeded: 10 });
  });

  test('each prefix has its own rate, and reads their own', () => {
    const fixture = setup();
    for (let i = 0; i < 10; i++) fixture.s3.putObject(app, 'docs', `p/${i}`);
    expect(fixture.s3.putObject(app, 'docs', 'p/x').ok).toBe(false);
    expect(fixture.s3.putObject(app, 'docs', 'q/x').ok).toBe(true);
    expect(fixture.s3.getObject(app, 'docs', 'p/1').ok).toBe(true);
    expect(fixture.quotas?.snapshot()).toEqual([
      { accountId: ACCOUNT, region: REGION, quota: 's3:reads', resourceKey: 'docs/p/', ratePerSec: 20, admitted: 1, throttled: 0 },
      { accountId: ACCOUNT, region: REGION, quota: 's3:writes', resourceKey: 'docs/p/', ratePerSec: 10, admitted: 10, throttled: 1 },
      { accountId: ACCOUNT, region: REGION, quota: 's3:writes', resourceKey: 'docs/q/', ratePerSec: 10, admitted: 1, throttled: 0 },
    ]);
  });

  test('the next one-second window admits again', () => {
    const fixture = setup();
    for (let i = 0; i < 11; i++) fixture.s3.putObject(app, 'docs', `p/${i}`);
    fixture.clock.advanceMs(1000);
    expect(fixture.s3.putObject(app, 'docs', 'p/again').ok).toBe(true);
  });

  test('the documented rates are the defaults', () => {
    const fixture = s3Fixture([bucket('docs', { type: 'SSE-S3' })]);
    fixture.s3.putObject(app, 'docs', 'a');
    fixture.s3.getObject(app, 'docs', 'a');
    expect(fixture.quotas?.snapshot().map((c) => [c.quota, c.ratePerSec])).toEqual([
      ['s3:reads', 5500],
      ['s3:writes', 3500],
    ]);
  });
});
