/**
 * What a service model is: its operations (each with the resource kind it names and whether a client cache may answer
 * it), its request quotas (data rows with sources), and a factory that builds the service's state in one thread from
 * the scenario's resources. A service is added by writing one module that exports a {@link ServiceDefinition} and
 * listing it in catalog.ts (docs/SERVICES.md).
 */
import type { TimeSource } from '../base/time.js';
import type { CallContext, KmsInput, KmsOutput } from '../kms/types.js';
import type { ServiceAttribution } from './attribution.js';
import type { ServiceOutcome } from './outcome.js';
import type { ServiceQuotaRow, ServiceQuotas } from './service-quota.js';
import type { ServiceCaller, ServiceInput, ServiceKms, ServiceName, ServiceOperationName } from './types.js';

/**
 * A parameter of a service operation a mix entry may give besides the resource: `withDecryption: true` on
 * `ssm:GetParameter`, a part count on an S3 multipart upload. The scenario validates it by `kind` and copies it into
 * the request's input as `inputField` (the default applies when the entry gives none).
 */
export interface ServiceOperationParam {
  /** The mix entry's field: `withDecryption`. */
  readonly field: string;
  /** The request input's field: `WithDecryption`. */
  readonly inputField: string;
  readonly kind: 'boolean' | 'positiveInt' | 'string';
  readonly default?: boolean | number | string;
  /** For messages and docs. */
  readonly description: string;
}

/** One operation a fleet's mix can send to a service. */
export interface ServiceOperationDef {
  /** `secretsmanager:GetSecretValue`: the mix's `op`. */
  readonly name: ServiceOperationName;
  readonly service: ServiceName;
  /** The scenario's list of resources the operation names: `secrets`, `parameters`, `buckets`. */
  readonly resourceKind: string;
  /** The mix entry's field naming the resource: `secret`, `parameter`, `bucket`. */
  readonly resourceField: string;
  /** The service request's input field carrying the resource name (`SecretId`, `Name`, `Bucket`). */
  readonly inputField: string;
  /** True when a client-side cache may answer it instead of the service (a read of a cacheable value). */
  readonly cacheable: boolean;
  /** The KMS calls one request makes, in words (docs, `validate`): `1 Decrypt`. */
  readonly kmsCalls: string;
  /** What else a mix entry may give (none when absent). */
  readonly params?: readonly ServiceOperationParam[];
}

/** A scenario key as services see it: the key's ARN and spec. */
export interface ServiceKey {
  readonly arn: string;
  readonly keySpec: string;
}

/** A quota-free KMS model holding the same keys, for work before the run (sealing stored values). */
export type PrepareKms = (operation: string, input: KmsInput, context: CallContext) => KmsOutput;

/** What a service needs in a thread: the measured model, time, its quotas and the attribution counters. */
export interface ServiceEnv {
  readonly kms: ServiceKms;
  readonly time: TimeSource;
  readonly quotas: ServiceQuotas;
  readonly attribution: ServiceAttribution;
  /** The model's account: resources name no account, so they belong to it (their ARNs say so). */
  readonly accountId: string;
}

/** The scenario's service resources by kind (`secrets`, `parameters`, `buckets`), each service reading its own. */
export type ServiceResources = Readonly<Record<string, readonly unknown[] | undefined>>;

/** What a service's factory is given. */
export interface ServiceSetup {
  readonly env: ServiceEnv;
  readonly resources: ServiceResources;
  /** Scenario key name → ARN and spec. */
  readonly keys: ReadonlyMap<string, ServiceKey>;
  /** Seals stored values before the run without spending the measured quota. */
  readonly prepare: PrepareKms;
}

/**
 * One request to a service from `caller`. Checks the service's own quota first, then makes the service's KMS calls
 * through a `KmsRoute` (kms-on-behalf.ts), and answers in the service's own words.
 */
export type ServiceHandler = (input: ServiceInput, caller: ServiceCaller) => ServiceOutcome;

/** A service's state in one thread: a handler per operation it answers. */
export interface ServiceInstance {
  readonly handlers: Readonly<Record<string, ServiceHandler>>;
}

/** A service model. */
export interface ServiceDefinition {
  readonly service: ServiceName;
  readonly operations: readonly ServiceOperationDef[];
  readonly quotas: readonly ServiceQuotaRow[];
  /** Builds the service's state in one thread (each worker and each simulation builds its own). */
  create(setup: ServiceSetup): ServiceInstance;
}
