/**
 * AWS Systems Manager Parameter Store as it calls KMS (aws-kms-facts.md §6; AWS KMS Developer Guide, "How AWS Systems
 * Manager Parameter Store uses AWS KMS", https://docs.aws.amazon.com/kms/latest/developerguide/services-parameter-store.html):
 *
 * - standard SecureString parameters are encrypted by KMS directly: PutParameter → Encrypt of the value, GetParameter
 *   with decryption → Decrypt of it (no data key);
 * - advanced SecureString parameters use envelope encryption: PutParameter → GenerateDataKey, GetParameter with
 *   decryption → Decrypt of the encrypted data key;
 * - GetParameter without decryption returns the ciphertext: no KMS call.
 *
 * Every call carries the encryption context `{ PARAMETER_ARN: <the parameter's ARN> }` (same page, "Encryption
 * context") and is made with the caller's identity via `ssm.<region>.amazonaws.com`. (Advanced parameters are sealed
 * with the AWS Encryption SDK, which may add its own context pairs; the model keeps the documented pair only.)
 */
import type { ServiceDefinition, ServiceEnv, ServiceInstance, ServiceKey, ServiceSetup } from './definition.js';
import { KmsRefusal, KmsRoute, THROTTLED } from './kms-on-behalf.js';
import { failed, sharedFailure, succeeded, type ServiceOutcome } from './outcome.js';
import { ServiceError } from './service-error.js';
import type { ServiceQuotaRow } from './service-quota.js';
import { KMS_TRANSIENT_ERRORS, PARAMETER_STORE_ERRORS, PARAMETER_STORE_QUOTAS, type ParameterStoreThroughput } from './parameter-store-data.js';
import type { ServiceCaller, ServiceInput } from './types.js';

/** A parameter tier: how its SecureString value is encrypted. */
export type ParameterTier = 'standard' | 'advanced';

/** A SecureString parameter as the scenario gives it (`parameters:`). */
export interface ParameterSpec {
  /** The parameter's name, `/app/db/password` or `db-password`. */
  readonly name: string;
  /** The scenario key (its name) that protects the value: a symmetric encryption key; the parameter lives in its region. */
  readonly key: string;
  /** Default `standard`. */
  readonly tier?: ParameterTier;
  /** Bytes of the value: up to 4,096 (standard) or 8,192 (advanced); default 64. */
  readonly valueBytes?: number;
}

/** What the scenario says of Parameter Store as a whole (`parameterStore:`). */
export interface ParameterStoreSettings {
  /** `standard` (default) or `higher`: the account's throughput setting in every region. */
  readonly throughput?: ParameterStoreThroughput;
}

interface Parameter {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly tier: ParameterTier;
  readonly key: ServiceKey;
  readonly context: Readonly<Record<string, string>>;
  /** Standard: the value's ciphertext (KMS Encrypt). Advanced: the encrypted data key. */
  blob: Uint8Array;
  readonly plaintext: Uint8Array;
  version: number;
  /** Made once per version, since nothing changes them: a read's Decrypt input and its answers, frozen. */
  reads: ParameterReads;
}

interface ParameterReads {
  readonly decryptInput: Readonly<Record<string, unknown>>;
  readonly decrypted: ServiceOutcome;
  readonly encrypted: ServiceOutcome;
}

function readsOf(parameter: Pick<Parameter, 'name' | 'arn' | 'context' | 'blob' | 'version'>): ParameterReads {
  const shown = { Name: parameter.name, Type: 'SecureString', Version: parameter.version, ARN: parameter.arn };
  return {
    decryptInput: Object.freeze({ CiphertextBlob: parameter.blob, EncryptionContext: parameter.context }),
    decrypted: Object.freeze(succeeded(Object.freeze({ Parameter: Object.freeze({ ...shown, Value: '(decrypted)' }) }))),
    encrypted: Object.freeze(succeeded(Object.freeze({ Parameter: Object.freeze({ ...shown, Value: '(ciphertext)' }) }))),
  };
}

const SERVICE = 'ssm';

/** A parameter's ARN: a name starting with `/` is appended as is, any other after a `/`. */
export function parameterArn(region: string, accountId: string, name: string): string {
  return `arn:aws:ssm:${region}:${accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
}

/** Parameter Store's encryption context for a parameter. */
export function parameterEncryptionContext(arn: string): Readonly<Record<string, string>> {
  return Object.freeze({ PARAMETER_ARN: arn });
}

function regionOfArn(arn: string): string {
  return arn.split(':')[3] ?? '';
}

class ParameterStore implements ServiceInstance {
  readonly handlers;
  readonly #env: ServiceEnv;
  readonly #parameters = new Map<string, Parameter>();
  readonly #routes = new WeakMap<ServiceCaller, Map<Parameter, KmsRoute>>();
  readonly #readQuota: ServiceQuotaRow;
  readonly #writeQuota: ServiceQuotaRow;
  readonly #quotaThrottled = sharedFailure(SERVICE, 'service-quota', PARAMETER_STORE_ERRORS.throttled);
  readonly #kmsThrottled = sharedFailure(SERVICE, 'kms-throttled', PARAMETER_STORE_ERRORS.kmsThrottled, 'ThrottlingException');
  readonly #notFound = sharedFailure(SERVICE, 'not-found', PARAMETER_STORE_ERRORS.notFound);

  constructor(setup: ServiceSetup) {
    this.#env = setup.env;
    const settings = (setup.resources['parameterStore']?.[0] ?? {}) as ParameterStoreSettings;
    const throughput = settings.throughput ?? 'standard';
    const row = (name: string): ServiceQuotaRow => {
      const found = PARAMETER_STORE_QUOTAS.find((r) => r.name === name);
      if (found === undefined) throw new Error(`ssm: no quota row ${name}`);
      return found;
    };
    this.#readQuota = row(throughput === 'higher' ? 'GetParameter-higher' : 'GetParameter');
    this.#writeQuota = row(throughput === 'higher' ? 'PutParameter-higher' : 'PutParameter');
    for (const spec of (setup.resources['parameters'] ?? []) as readonly ParameterSpec[]) {
      const key = setup.keys.get(spec.key);
      if (key === undefined) throw new Error(`ssm: parameter ${spec.name} names unknown key ${spec.key}`);
      const region = regionOfArn(key.arn);
      const arn = parameterArn(region, setup.env.accountId, spec.name);
      const context = parameterEncryptionContext(arn);
      const tier = spec.tier ?? 'standard';
      const plaintext = new Uint8Array(spec.valueBytes ?? 64).fill(0x78);
      const where = { region, accountId: setup.env.accountId };
      // Sealed before the run on the quota-free model: setup spends no measured quota.
      const output =
        tier === 'standard'
          ? setup.prepare('Encrypt', { KeyId: key.arn, Plaintext: plaintext, EncryptionContext: context }, where)
          : setup.prepare('GenerateDataKey', { KeyId: key.arn, KeySpec: 'AES_256', EncryptionContext: context }, where);
      const blob = output['CiphertextBlob'] as Uint8Array;
      const parameter: Parameter = { name: spec.name, arn, region, tier, key, context, blob, plaintext, version: 1, reads: readsOf({ name: spec.name, arn, context, blob, version: 1 }) };
      this.#parameters.set(spec.name, parameter);
      this.#parameters.set(arn, parameter);
    }
    this.handlers = {
      'ssm:GetParameter': (input: ServiceInput, caller: ServiceCaller) => this.#getParameter(input, caller),
      'ssm:PutParameter': (input: ServiceInput, caller: ServiceCaller) => this.#putParameter(input, caller),
    };
  }

  #parameter(input: ServiceInput, caller: ServiceCaller): Parameter | undefined {
    const name = input['Name'];
    const parameter = typeof name === 'string' ? this.#parameters.get(name) : undefined;
    return parameter === undefined || parameter.region !== caller.region ? undefined : parameter;
  }

  #route(caller: ServiceCaller, parameter: Parameter): KmsRoute {
    let byParameter = this.#routes.get(caller);
    if (byParameter === undefined) {
      byParameter = new Map();
      this.#routes.set(caller, byParameter);
    }
    let route = byParameter.get(parameter);
    if (route === undefined) {
      route = new KmsRoute(this.#env.kms, this.#env.attribution, caller, SERVICE, parameter.name, parameter.key.keySpec);
      byParameter.set(parameter, route);
    }
    return route;
  }

  /** KMS's answer as Parameter Store's: only KMS's transient faults stay retryable (parameter-store-data.ts). */
  #kmsFailure(answer: typeof THROTTLED | KmsRefusal): ServiceOutcome {
    if (answer === THROTTLED) return this.#kmsThrottled;
    const refusal = answer as KmsRefusal;
    if (refusal.denied) return failed(new ServiceError(SERVICE, 'kms-access-denied', PARAMETER_STORE_ERRORS.kmsDenied, refusal.name));
    const shape = KMS_TRANSIENT_ERRORS.has(refusal.name) ? PARAMETER_STORE_ERRORS.kmsTransient : PARAMETER_STORE_ERRORS.invalidKeyId;
    return failed(new ServiceError(SERVICE, 'kms-error', shape, refusal.name));
  }

  #getParameter(input: ServiceInput, caller: ServiceCaller): ServiceOutcome {
    if (!this.#env.quotas.limiter(caller, this.#readQuota).admit()) return this.#quotaThrottled;
    const parameter = this.#parameter(input, caller);
    if (parameter === undefined) return this.#notFound;
    const reads = parameter.reads;
    if (input['WithDecryption'] !== true) return reads.encrypted;
    // Standard: the value's own ciphertext; advanced: the data key's. Either way one Decrypt with the parameter's context.
    const answer = this.#route(caller, parameter).call('Decrypt', reads.decryptInput);
    if (answer === THROTTLED || answer instanceof KmsRefusal) return this.#kmsFailure(answer);
    return reads.decrypted;
  }

  #putParameter(input: ServiceInput, caller: ServiceCaller): ServiceOutcome {
    if (!this.#env.quotas.limiter(caller, this.#writeQuota).admit()) return this.#quotaThrottled;
    const parameter = this.#parameter(input, caller);
    if (parameter === undefined) return this.#notFound;
    const route = this.#route(caller, parameter);
    const answer =
      parameter.tier === 'standard'
        ? route.call('Encrypt', { KeyId: parameter.key.arn, Plaintext: parameter.plaintext, EncryptionContext: parameter.context })
        : route.call('GenerateDataKey', { KeyId: parameter.key.arn, KeySpec: 'AES_256', EncryptionContext: parameter.context });
    if (answer === THROTTLED || answer instanceof KmsRefusal) return this.#kmsFailure(answer);
    parameter.blob = answer['CiphertextBlob'] as Uint8Array;
    parameter.version++;
    parameter.reads = readsOf(parameter);
    return succeeded({ Version: parameter.version, Tier: parameter.tier === 'standard' ? 'Standard' : 'Advanced' });
  }
}

/** Parameter Store's model. */
export const PARAMETER_STORE: ServiceDefinition = {
  service: SERVICE,
  operations: [
    {
      name: 'ssm:GetParameter', service: SERVICE, resourceKind: 'parameters', resourceField: 'parameter', inputField: 'Name', cacheable: false, kmsCalls: 'with decryption: 1 Decrypt (standard: the value; advanced: its data key); without: none',
      params: [{ field: 'withDecryption', inputField: 'WithDecryption', kind: 'boolean', default: false, description: 'decrypt a SecureString value (one KMS Decrypt); false (the API default) returns the ciphertext, no KMS call' }],
    },
    { name: 'ssm:PutParameter', service: SERVICE, resourceKind: 'parameters', resourceField: 'parameter', inputField: 'Name', cacheable: false, kmsCalls: 'standard: 1 Encrypt; advanced: 1 GenerateDataKey' },
  ],
  quotas: PARAMETER_STORE_QUOTAS,
  create: (setup) => new ParameterStore(setup),
};
