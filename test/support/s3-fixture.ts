/**
 * The model of S3 over a real KMS model that records every call S3 makes to it (operation, key, encryption context,
 * via-service, principal), on a manual clock, with the app and ops roles of one account allowed all of KMS.
 */
import { ManualClock } from '../../src/base/time.js';
import { KmsModel, type KmsModelOptions } from '../../src/kms/model.js';
import type { CallContext, KmsInput, KmsOutput } from '../../src/kms/types.js';
import type { S3BucketSpec } from '../../src/services/s3-buckets.js';
import { standaloneS3, type StandaloneS3, type StandaloneS3Options } from '../../src/services/s3-standalone.js';
import { serviceCaller, type ServiceCaller } from '../../src/services/types.js';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
export const KEY_ID = '0b2e8a1c-6f4d-4c1e-9a7b-3d5f2e1c0a9b';
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`;
export const OTHER_KEY_ID = '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
export const OTHER_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${OTHER_KEY_ID}`;
export const APP = `arn:aws:iam::${ACCOUNT}:role/app`;
export const OPS = `arn:aws:iam::${ACCOUNT}:role/ops`;

const allowKms = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] });

/** One KMS call S3 made, as the model saw it. */
export interface RecordedCall {
  readonly operation: string;
  readonly keyId: unknown;
  readonly context: unknown;
  readonly viaService: string | undefined;
  readonly principal: string | undefined;
  readonly accountId: string | undefined;
}

/** The real model, recording what reaches it. */
export class RecordingModel extends KmsModel {
  readonly calls: RecordedCall[] = [];

  override attemptSync(operation: string, input: KmsInput, context: CallContext): KmsOutput {
    this.calls.push({
      operation,
      keyId: input['KeyId'],
      context: input['EncryptionContext'],
      viaService: context.viaService,
      principal: context.principal,
      accountId: context.accountId,
    });
    return super.attemptSync(operation, input, context);
  }
}

export interface S3Fixture extends StandaloneS3 {
  readonly clock: ManualClock;
  readonly model: RecordingModel;
}

/** A caller as a fleet is resolved: a principal, or (none given) the root of the fixture's account. */
export function caller(principal?: string): ServiceCaller {
  return serviceCaller(principal === undefined ? { region: REGION, accountId: ACCOUNT } : { region: REGION, principal }, ACCOUNT);
}

/** A fixture with `buckets`; `model` and `service` add options (quotas, request-rate limits). */
export function s3Fixture(
  buckets: readonly S3BucketSpec[],
  options: { model?: Partial<KmsModelOptions>; service?: Partial<StandaloneS3Options> } = {},
): S3Fixture {
  const clock = new ManualClock();
  const model = new RecordingModel({
    accountId: ACCOUNT,
    clock,
    keys: [
      { region: REGION, keyId: KEY_ID, aliases: ['alias/app'] },
      { region: REGION, keyId: OTHER_KEY_ID },
    ],
    principals: [
      { arn: APP, policies: [allowKms] },
      { arn: OPS, policies: [allowKms] },
    ],
    ...options.model,
  });
  return { clock, model, ...standaloneS3({ model, buckets, clock, ...options.service }) };
}

/** A bucket in the fixture's region encrypted with the fixture's key. */
export function bucket(name: string, encryption: S3BucketSpec['encryption'], policy?: object): S3BucketSpec {
  return policy === undefined ? { name, region: REGION, encryption } : { name, region: REGION, encryption, policy };
}
