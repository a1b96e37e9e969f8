/**
 * The model of S3 over one KMS model, outside a run: for tests, benchmarks and library users who want S3's KMS calls
 * against their own `KmsModel` without a scenario. The run builds S3 from the services' world instead
 * (s3-definition.ts); both build the same {@link S3Service}.
 */
import { wallTime, type TimeSource } from '../base/time.js';
import { KmsModel } from '../kms/model.js';
import type { CryptoMode } from '../kms/symmetric-crypto.js';
import { RateBoard, type QuotaEnforcement } from '../quota/index.js';
import { ServiceAttribution } from './attribution.js';
import type { S3BucketSpec } from './s3-buckets.js';
import { S3_QUOTAS } from './s3-facts.js';
import { S3Service } from './s3-service.js';
import { ServiceQuotas } from './service-quota.js';

/** S3's request rate per prefix: the documented rates unless overridden. */
export interface S3RequestRateOptions {
  /** Writes (PUT/COPY/POST/DELETE) per second per prefix; default 3,500. */
  readonly writePerSec?: number;
  /** Reads (GET/HEAD) per second per prefix; default 5,500. */
  readonly readPerSec?: number;
  /** As for KMS's quotas; default `fixed-window`. */
  readonly enforcement?: QuotaEnforcement;
}

export interface StandaloneS3Options {
  readonly model: KmsModel;
  readonly buckets: readonly S3BucketSpec[];
  /** The clock of the model's quotas; default the wall clock. */
  readonly clock?: TimeSource;
  /** S3's per-prefix request rate; `false` leaves it unenforced. */
  readonly requestQuota?: S3RequestRateOptions | false;
  /** The model's `crypto` mode, for the keys of objects that existed before the run. */
  readonly crypto?: CryptoMode;
}

/** A standalone S3: the service, where its KMS calls are attributed, and its request-rate quotas. */
export interface StandaloneS3 {
  readonly s3: S3Service;
  readonly attribution: ServiceAttribution;
  readonly quotas: ServiceQuotas | undefined;
}

/** S3 over `options.model`; throws `S3BucketError` naming every bad bucket. */
export function standaloneS3(options: StandaloneS3Options): StandaloneS3 {
  const { model } = options;
  const time = options.clock ?? wallTime;
  const rates = options.requestQuota;
  const quotas =
    rates === false
      ? undefined
      : new ServiceQuotas(new RateBoard({ enforcement: rates?.enforcement ?? 'fixed-window' }, () => time.nowNs()), S3_QUOTAS, {
          '*': {
            ...(rates?.writePerSec === undefined ? {} : { 's3:writes': rates.writePerSec }),
            ...(rates?.readPerSec === undefined ? {} : { 's3:reads': rates.readPerSec }),
          },
        });
  let copy: KmsModel | undefined;
  const attribution = new ServiceAttribution();
  const s3 = new S3Service({
    kms: model,
    accountId: model.accountId,
    buckets: options.buckets,
    time,
    keyArn: (key, region, accountId) => model.peekKey({ KeyId: key }, { region, accountId })?.arn,
    // A quota-free copy holding the same keys, made on first need (keys created before then are in it).
    prepare: (operation, input, context) => {
      copy ??= new KmsModel({ accountId: model.accountId, keys: model.exportKeys(), crypto: options.crypto ?? 'real' });
      return copy.callSync(operation, input, context);
    },
    quotas,
    attribution,
  });
  return { s3, attribution, quotas };
}
