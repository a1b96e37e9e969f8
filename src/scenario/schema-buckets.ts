/**
 * The scenario's `buckets:` (S3, src/services/s3-*.ts): each bucket's name, region, default encryption and optional
 * bucket policy. The bucket rules are S3's own (s3-buckets.ts `bucketEntryIssues`), reported at the scenario's paths;
 * a bucket policy is checked with S3's vocabulary by the same policy checker as key policies. The output is what the
 * model of S3 takes (`S3BucketSpec`: `bucketKeyLifetime` as `bucketKeyLifetimeMs`, the policy as JSON text).
 */
import * as z from 'zod';
import { bucketEntryIssues, S3_ENCRYPTION_TYPES, type S3BucketSpec } from '../services/s3-buckets.js';
import { policyDocument } from './principals.js';
import { regionField } from './region-field.js';
import { duration, layerRule, strict } from './schema-helpers.js';

const encryptionSchema = strict({
  type: z.enum(S3_ENCRYPTION_TYPES),
  /** A scenario key's name (or a key ARN): SSE-KMS and DSSE-KMS only. */
  key: z.string().min(1).optional(),
  bucketKey: z.boolean().optional(),
  /** How long a Bucket Key is reused; AWS does not publish it (s3-facts.ts gives the default and its reasoning). */
  bucketKeyLifetime: duration({ allowZero: false }).optional(),
});

/** One `buckets:` entry. */
export const bucketEntrySchema = strict({
  name: z.string(),
  region: regionField(),
  encryption: encryptionSchema,
  policy: policyDocument('bucket').optional(),
})
  .transform(
    (bucket): S3BucketSpec => ({
      name: bucket.name,
      region: bucket.region,
      encryption: {
        type: bucket.encryption.type,
        ...(bucket.encryption.key === undefined ? {} : { key: bucket.encryption.key }),
        ...(bucket.encryption.bucketKey === undefined ? {} : { bucketKey: bucket.encryption.bucketKey }),
        ...(bucket.encryption.bucketKeyLifetime === undefined ? {} : { bucketKeyLifetimeMs: bucket.encryption.bucketKeyLifetime }),
      },
      ...(bucket.policy === undefined ? {} : { policy: bucket.policy }),
    }),
  )
  .check(layerRule<S3BucketSpec>(['name', 'region', 'encryption'], (bucket) => bucketEntryIssues(bucket, 'bucket')));

/** `buckets:`: S3 buckets (unique names and each bucket's key are service-rules.ts's, as for every resource). */
export const bucketsSchema = z.array(bucketEntrySchema);
