/**
 * The scenario's `buckets:`: a good list becomes what the model of S3 takes, and every bad field is named at its path
 * with S3's own rule (the same words the model of S3 gives).
 */
import { describe, expect, test } from 'vitest';
import { bucketsSchema } from '../src/scenario/schema-buckets.js';
import { validateScenario } from '../src/scenario/validate.js';

const issuesOf = (input: unknown): string[] => {
  const parsed = bucketsSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('buckets', () => {
  test('a good list: durations in ms, the policy as JSON text', () => {
    const parsed = bucketsSchema.parse([
      {
        name: 'uploads',
        region: 'us-east-1',
        encryption: { type: 'SSE-KMS', key: 'app', bucketKey: true, bucketKeyLifetime: '5m' },
        policy: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::uploads/*', Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } }] },
      },
      { name: 'plain', region: 'eu-west-1', encryption: { type: 'SSE-S3' } },
    ]);
    expect(parsed[0]).toMatchObject({ name: 'uploads', encryption: { type: 'SSE-KMS', key: 'app', bucketKey: true, bucketKeyLifetimeMs: 300_000 } });
    expect(typeof parsed[0]?.policy).toBe('string');
    expect(parsed[1]).toEqual({ name: 'plain', region: 'eu-west-1', encryption: { type: 'SSE-S3' } });
  });

  test.each([
    [{ name: 'Bad_Name', region: 'us-east-1', encryption: { type: 'SSE-S3' } }, '0.name: must be an S3 bucket name'],
    [{ name: 'xn--data', region: 'us-east-1', encryption: { type: 'SSE-S3' } }, '0.name: must not begin with xn--'],
    [{ name: 'sthree-data', region: 'us-east-1', encryption: { type: 'SSE-S3' } }, '0.name: must not begin with sthree-'],
    [{ name: 'data-s3alias', region: 'us-east-1', encryption: { type: 'SSE-S3' } }, '0.name: must not end with -s3alias'],
    [{ name: 'data--ol-s3', region: 'us-east-1', encryption: { type: 'SSE-S3' } }, '0.name: must not end with --ol-s3'],
    [{ name: 'ok-name', region: 'us-east-9', encryption: { type: 'SSE-S3' } }, '0.region: "us-east-9" is not a region KMS has'],
    [{ name: 'ok-name', region: 'us-east-1', encryption: { type: 'SSE-XYZ' } }, '0.encryption.type: '],
    [{ name: 'ok-name', region: 'us-east-1', encryption: { type: 'SSE-KMS' } }, '0.encryption.key: is required for SSE-KMS'],
    [{ name: 'ok-name', region: 'us-east-1', encryption: { type: 'SSE-S3', key: 'app' } }, '0.encryption.key: is only for SSE-KMS and DSSE-KMS'],
    [{ name: 'ok-name', region: 'us-east-1', encryption: { type: 'DSSE-KMS', key: 'app', bucketKey: true } }, '0.encryption.bucketKey: is only for SSE-KMS'],
    [{ name: 'ok-name', region: 'us-east-1', encryption: { type: 'SSE-KMS', key: 'app', bucketKeyLifetime: '0s' } }, '0.encryption.bucketKeyLifetime: must be > 0'],
    [{ name: 'ok-name', region: 'us-east-1', encryption: { type: 'SSE-S3' }, extra: 1 }, '0: '],
    [{ name: 'ok-name', region: 'us-east-1', encryption: { type: 'SSE-S3' }, policy: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 'x' } } }] } }, '0.policy: Statement[0].Condition.StringEquals."kms:ViaService": unknown condition key'],
  ])('%j is refused at its path', (entry, expected) => {
    expect(issuesOf([entry]).join('\n')).toContain(expected);
  });

  test('in a scenario: repeated names, unknown keys and keys of another region are refused at their paths', () => {
    const document = {
      name: 'b',
      duration: '1s',
      keys: [{ name: 'app', region: 'us-east-1' }],
      buckets: [
        { name: 'same', region: 'us-east-1', encryption: { type: 'SSE-S3' } },
        { name: 'same', region: 'us-east-1', encryption: { type: 'SSE-KMS', key: 'nope' } },
        { name: 'west', region: 'us-west-2', encryption: { type: 'SSE-KMS', key: 'app' } },
      ],
      fleets: [{ name: 'f', region: 'us-east-1', workload: { model: 'open', arrivalRate: 1 }, mix: [{ op: 's3:PutObject', bucket: 'same' }] }],
    };
    let message = '';
    try {
      validateScenario(document);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('buckets[1].name');
    expect(message).toContain('duplicate bucket name "same"');
    expect(message).toContain('buckets[1].encryption.key');
    expect(message).toContain('unknown key "nope"');
    expect(message).toContain('buckets[2].encryption.key');
    expect(message).toContain('key "app" is in us-east-1; bucket "west" is in us-west-2');
  });
});
