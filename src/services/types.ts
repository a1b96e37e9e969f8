/**
 * The shapes every AWS service model shares (docs/SERVICES.md states the contract): who calls (the caller context),
 * where a KMS call comes from (its source, for attribution), and what a service answers (a service outcome: success,
 * or a service error with the service's own code, HTTP status, retry class and cause).
 */
import type { CallContext, KmsInput, KmsOutput } from '../kms/types.js';
import type { KmsModel } from '../kms/model.js';
import type { TimeSource } from '../base/time.js';

/**
 * Where a KMS call comes from: the caller itself (`direct`), or an AWS service calling KMS on the caller's behalf.
 * Every KMS call of a run is attributed to exactly one source.
 */
export const KMS_CALL_SOURCES = ['direct', 's3', 'secretsmanager', 'ssm'] as const;

/** A KMS call source. */
export type KmsCallSource = (typeof KMS_CALL_SOURCES)[number];

/** An AWS service the services layer models: every source but `direct`; its endpoint prefix (`s3.<region>…`). */
export type ServiceName = Exclude<KmsCallSource, 'direct'>;

/** The services, in report order. */
export const SERVICE_NAMES: readonly ServiceName[] = ['s3', 'secretsmanager', 'ssm'];

/** A service operation's full name, `<service>:<Operation>` as IAM writes actions: `secretsmanager:GetSecretValue`. */
export type ServiceOperationName = `${ServiceName}:${string}`;

/** True for a name of the `<service>:<Operation>` form with a known service (a fleet mix's service operations). */
export function isServiceOperationName(name: string): name is ServiceOperationName {
  const colon = name.indexOf(':');
  return colon > 0 && (SERVICE_NAMES as readonly string[]).includes(name.slice(0, colon));
}

/** The service of a service operation name. */
export function serviceOf(name: ServiceOperationName): ServiceName {
  return name.slice(0, name.indexOf(':')) as ServiceName;
}

/**
 * Who calls a service, resolved once per fleet: the calling account (charged and throttled, by KMS and by the service
 * alike), the region of the endpoint, and the principal whose identity the service uses for its KMS calls. AWS
 * services call KMS with the caller's credentials (forward access sessions): KMS sees the caller's principal, its
 * account pays, and `kms:ViaService` names the service.
 */
export interface ServiceCaller {
  readonly region: string;
  /** The calling account (12 digits). */
  readonly accountId: string;
  /** The caller's principal ARN; the account root (`arn:aws:iam::<account>:root`) when the fleet names none. */
  readonly principal: string;
  /** The caller's own KMS call context (region, account, principal as the fleet gives them; no `viaService`). */
  readonly kmsContext: CallContext;
}

/** The account root's ARN, the principal of a caller that names none. */
export function rootPrincipal(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

/** A caller from a fleet's KMS call context: the account is the principal's, else the context's, else `defaultAccountId`. */
export function serviceCaller(context: CallContext, defaultAccountId: string): ServiceCaller {
  const fromPrincipal = context.principal === undefined ? undefined : /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(context.principal)?.[1];
  const accountId = fromPrincipal ?? context.accountId ?? defaultAccountId;
  return { region: context.region, accountId, principal: context.principal ?? rootPrincipal(accountId), kmsContext: context };
}

/** What a service may ask of the KMS model: one attempt, a throttle answered with the model's `THROTTLED`. */
export type ServiceKms = Pick<KmsModel, 'attemptSync'>;

/** A service request's input, SDK-shaped (field names as in the service's API: `SecretId`, `Name`, `Bucket`, `Key`). */
export type ServiceInput = Record<string, unknown>;
/** A service's answer on success, SDK-shaped. */
export type ServiceOutput = Record<string, unknown>;

/** A KMS call as a service makes it: recorded by tests and the attribution, never on the hot path unless asked. */
export interface ServiceKmsCall {
  readonly operation: string;
  readonly input: KmsInput;
  readonly context: CallContext;
  readonly source: ServiceName;
  readonly resource: string;
}

/** What a service's KMS call came to. */
export type KmsCallResult = { readonly ok: true; readonly output: KmsOutput } | { readonly ok: false; readonly error: unknown; readonly throttled: boolean };

/** Time as services read it: the run's clock (wall or virtual). */
export type ServiceTime = TimeSource;
