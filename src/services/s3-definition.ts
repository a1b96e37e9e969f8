/**
 * S3 in the services' registry: the fleet mix operations (`s3:PutObject`, `s3:GetObject` with ranged reads as extra
 * GETs, `s3:HeadObject`, `s3:CopyObject`, `s3:multipartUpload` with a part count), S3's request-rate rows, and the
 * handlers that send one attempt to the thread's {@link S3Service} and answer in the services' outcome shape.
 *
 * A mix entry names a bucket (`bucket:`) and may give a `prefix` and how many distinct `objects` it cycles through
 * (object keys `<prefix><n>`, n = 0 … objects − 1, in turn), so a read meets the objects the fleet writes; objects
 * read before any write existed before the run (s3-objects.ts).
 */
import type { ServiceDefinition, ServiceOperationDef, ServiceOperationParam, ServiceSetup } from './definition.js';
import { failed, sharedFailure, type ServiceOutcome } from './outcome.js';
import type { S3BucketSpec } from './s3-buckets.js';
import { S3_ERRORS, S3_QUOTAS, type S3ErrorKind } from './s3-facts.js';
import { SSE_HEADER, SSE_KMS_KEY_HEADER } from './s3-policy.js';
import { S3Service, type S3Headers, type S3Outcome } from './s3-service.js';
import { ServiceError } from './service-error.js';
import type { ServiceCaller, ServiceInput } from './types.js';

const SERVICE = 's3';

const OBJECT_PARAMS: readonly ServiceOperationParam[] = [
  { field: 'prefix', inputField: 'Prefix', kind: 'string', default: '', description: 'object keys start with it (S3 rates are per prefix)' },
  { field: 'objects', inputField: 'Objects', kind: 'positiveInt', default: 1000, description: 'distinct object keys the entry cycles through' },
];
const WRITE_PARAMS: readonly ServiceOperationParam[] = [
  ...OBJECT_PARAMS,
  { field: 'sse', inputField: 'ServerSideEncryption', kind: 'string', description: 'the x-amz-server-side-encryption header: aws:kms, aws:kms:dsse or AES256' },
  { field: 'sseKmsKey', inputField: 'SSEKMSKeyId', kind: 'string', description: 'the x-amz-server-side-encryption-aws-kms-key-id header: a scenario key name or key ARN' },
];

function operation(name: string, kmsCalls: string, params: readonly ServiceOperationParam[]): ServiceOperationDef {
  return { name: `s3:${name}`, service: SERVICE, resourceKind: 'buckets', resourceField: 'bucket', inputField: 'Bucket', cacheable: false, kmsCalls, params };
}

/** S3's mix operations. */
export const S3_OPERATIONS: readonly ServiceOperationDef[] = [
  operation('PutObject', '1 GenerateDataKey (SSE-KMS, DSSE-KMS; none while a Bucket Key lives; none for SSE-S3, SSE-C)', WRITE_PARAMS),
  operation('GetObject', '1 Decrypt per GET (SSE-KMS, DSSE-KMS; none while a Bucket Key lives)', [
    ...OBJECT_PARAMS,
    { field: 'ranges', inputField: 'Ranges', kind: 'positiveInt', default: 1, description: 'ranged GETs per read, each an S3 request with its own Decrypt' },
  ]),
  operation('HeadObject', 'none', OBJECT_PARAMS),
  operation('CopyObject', '1 Decrypt (source) + 1 GenerateDataKey (destination), within the bucket', WRITE_PARAMS),
  operation('multipartUpload', '1 GenerateDataKey at create + 1 Decrypt per part', [
    ...WRITE_PARAMS,
    { field: 'parts', inputField: 'Parts', kind: 'positiveInt', default: 3, description: 'UploadPart requests between create and complete' },
  ]),
];

const SUCCESS: ServiceOutcome = Object.freeze({ ok: true, output: Object.freeze({}) }) as ServiceOutcome;
const SHARED = new Map<S3ErrorKind, ServiceOutcome>(
  (Object.keys(S3_ERRORS) as S3ErrorKind[]).map((kind) => [kind, sharedFailure(SERVICE, S3_ERRORS[kind].cause, S3_ERRORS[kind])]),
);

/** An S3 outcome in the services' shape: shared answers for throttles and denials, the KMS error named otherwise. */
function serviceOutcome(outcome: S3Outcome): ServiceOutcome {
  if (outcome.ok) return SUCCESS;
  if (outcome.kind !== 'kmsError' && outcome.kind !== 'kmsAccessDenied') return SHARED.get(outcome.kind) as ServiceOutcome;
  const kmsErrorName = outcome.cause?.split(':')[0];
  return failed(new ServiceError(SERVICE, outcome.error.cause, outcome.error, kmsErrorName, outcome.cause));
}

/** The handlers of one thread: object keys in turn per (caller, bucket, prefix), headers from the mix entry. */
class S3Handlers {
  readonly handlers;
  readonly #s3: S3Service;
  readonly #setup: ServiceSetup;
  readonly #next = new Map<string, number>();

  constructor(setup: ServiceSetup) {
    this.#setup = setup;
    const { env } = setup;
    this.#s3 = new S3Service({
      kms: env.kms,
      accountId: env.accountId,
      buckets: (setup.resources['buckets'] ?? []) as readonly S3BucketSpec[],
      time: env.time,
      keyArn: (key) => this.#keyArn(key),
      prepare: setup.prepare,
      quotas: env.quotas,
      attribution: env.attribution,
    });
    const s3 = this.#s3;
    this.handlers = {
      's3:PutObject': (input: ServiceInput, caller: ServiceCaller) => serviceOutcome(s3.putObject(caller, bucketOf(input), this.#key(input), this.#headers(input))),
      's3:GetObject': (input: ServiceInput, caller: ServiceCaller) => {
        const bucket = bucketOf(input);
        const key = this.#key(input);
        let outcome = s3.getObject(caller, bucket, key);
        for (let range = 1; range < numberOf(input, 'Ranges', 1) && outcome.ok; range++) outcome = s3.getObject(caller, bucket, key);
        return serviceOutcome(outcome);
      },
      's3:HeadObject': (input: ServiceInput, caller: ServiceCaller) => serviceOutcome(s3.headObject(caller, bucketOf(input), this.#key(input))),
      's3:CopyObject': (input: ServiceInput, caller: ServiceCaller) => {
        const bucket = bucketOf(input);
        const source = { bucket, key: this.#key(input) };
        return serviceOutcome(s3.copyObject(caller, source, bucket, `${source.key}.copy`, this.#headers(input)));
      },
      's3:multipartUpload': (input: ServiceInput, caller: ServiceCaller) =>
        serviceOutcome(s3.multipartUpload(caller, bucketOf(input), this.#key(input), numberOf(input, 'Parts', 3), this.#headers(input))),
    };
  }

  /** The S3 model itself (its per-bucket counts). */
  get s3(): S3Service {
    return this.#s3;
  }

  #keyArn(key: string): string | undefined {
    return this.#setup.keys.get(key)?.arn ?? (key.startsWith('arn:') ? key : undefined);
  }

  #key(input: ServiceInput): string {
    const prefix = typeof input['Prefix'] === 'string' ? input['Prefix'] : '';
    const id = `${String(input['Bucket'])}\0${prefix}`;
    const n = this.#next.get(id) ?? 0;
    this.#next.set(id, (n + 1) % numberOf(input, 'Objects', 1000));
    return `${prefix}${n}`;
  }

  #headers(input: ServiceInput): S3Headers {
    const sse = input['ServerSideEncryption'];
    if (typeof sse !== 'string') return {};
    const key = input['SSEKMSKeyId'];
    return typeof key === 'string' ? { [SSE_HEADER]: sse, [SSE_KMS_KEY_HEADER]: this.#keyArn(key) ?? key } : { [SSE_HEADER]: sse };
  }
}

function bucketOf(input: ServiceInput): string {
  return String(input['Bucket']);
}

function numberOf(input: ServiceInput, field: string, fallback: number): number {
  const value = input[field];
  return typeof value === 'number' && value > 0 ? value : fallback;
}

/** S3's model in the services' registry. */
export const S3: ServiceDefinition = {
  service: SERVICE,
  operations: S3_OPERATIONS,
  quotas: S3_QUOTAS,
  create: (setup) => new S3Handlers(setup),
};
