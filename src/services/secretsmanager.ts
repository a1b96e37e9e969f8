/**
 * AWS Secrets Manager as it calls KMS (aws-kms-facts.md §6; Secrets Manager User Guide, "Secret encryption and
 * decryption in AWS Secrets Manager", https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html):
 * envelope encryption, one data key per secret version. Writing a value (CreateSecret, PutSecretValue) asks KMS for a
 * new data key (GenerateDataKey, AES_256); every GetSecretValue decrypts the version's encrypted data key (Decrypt)
 * — Secrets Manager keeps no plaintext data key between requests, so every read is one KMS call, which is why client
 * caches matter. Every call carries the encryption context `{ SecretARN, SecretVersionId }` and is made with the
 * caller's identity via `secretsmanager.<region>.amazonaws.com`. DescribeSecret reads metadata only: no KMS call.
 *
 * The secret value's own AES-GCM is Secrets Manager's server-side work, not the caller's and not a KMS call: it is not
 * repeated per read (the model returns the stored value once its data key decrypts).
 */
import { createHash } from 'node:crypto';
import type { ServiceDefinition, ServiceEnv, ServiceInstance, ServiceKey, ServiceSetup } from './definition.js';
import { KmsRefusal, KmsRoute, THROTTLED } from './kms-on-behalf.js';
import { failed, sharedFailure, succeeded, type ServiceOutcome } from './outcome.js';
import { ServiceError, type ServiceErrorShape } from './service-error.js';
import type { ServiceQuotaRow } from './service-quota.js';
import { SECRETS_MANAGER_ERRORS, SECRETS_MANAGER_QUOTAS } from './secretsmanager-data.js';
import type { ServiceCaller, ServiceInput } from './types.js';

/** A secret as the scenario gives it (`secrets:`). */
export interface SecretSpec {
  readonly name: string;
  /** The scenario key (its name) that protects the secret: a symmetric encryption key; the secret lives in its region. */
  readonly key: string;
  /** Versions the secret holds at the start (each with its own data key); default 1. Reads get the newest. */
  readonly versions?: number;
  /** Bytes of the secret's value; default 64. */
  readonly valueBytes?: number;
}

/**
 * One version of a secret: its id, its data key as KMS encrypted it, and — made once, since nothing changes them — the
 * Decrypt input a read sends and the answer a read gets (frozen: callers may keep them, a cache does).
 */
interface SecretVersion {
  readonly versionId: string;
  readonly encryptedDataKey: Uint8Array;
  readonly context: Readonly<Record<string, string>>;
  readonly decryptInput: Readonly<Record<string, unknown>>;
  readonly readOutcome: ServiceOutcome;
}

/** A secret in one thread's Secrets Manager. */
interface Secret {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly key: ServiceKey;
  readonly value: string;
  readonly versions: SecretVersion[];
  /** Versions written during the run (ids made from it, deterministic per thread). */
  written: number;
  /** Secrets made from this one by CreateSecret during the run. */
  created: number;
}

const SERVICE = 'secretsmanager';

/** The ARN Secrets Manager gives a secret: its name and a six-character random suffix (here: from the name). */
export function secretArn(region: string, accountId: string, name: string): string {
  const suffix = createHash('sha256').update(name).digest('base64url').replace(/[-_]/g, 'x').slice(0, 6);
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${suffix}`;
}

/** A version id (a UUID in Secrets Manager), deterministic from the secret and the version's number. */
function versionIdOf(name: string, index: number): string {
  const hex = createHash('sha256').update(`secret version ${name} ${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Secrets Manager's encryption context for a version (User Guide, "Secrets Manager encryption context"). */
export function secretEncryptionContext(arn: string, versionId: string): Readonly<Record<string, string>> {
  return Object.freeze({ SecretARN: arn, SecretVersionId: versionId });
}

/** A version with its read's Decrypt input and answer made once. */
function versionOf(secret: Pick<Secret, 'arn' | 'name' | 'value'>, versionId: string, encryptedDataKey: Uint8Array, context: Readonly<Record<string, string>>): SecretVersion {
  const output = Object.freeze({ ARN: secret.arn, Name: secret.name, VersionId: versionId, SecretString: secret.value, VersionStages: Object.freeze(['AWSCURRENT']) });
  return {
    versionId,
    encryptedDataKey,
    context,
    decryptInput: Object.freeze({ CiphertextBlob: encryptedDataKey, EncryptionContext: context }),
    readOutcome: Object.freeze(succeeded(output)),
  };
}

function quota(name: string): ServiceQuotaRow {
  const row = SECRETS_MANAGER_QUOTAS.find((r) => r.name === name);
  if (row === undefined) throw new Error(`secretsmanager: no quota row ${name}`);
  return row;
}

function error(shape: ServiceErrorShape, cause: ConstructorParameters<typeof ServiceError>[1], kmsErrorName?: string, message?: string): ServiceOutcome {
  return failed(new ServiceError(SERVICE, cause, shape, kmsErrorName, message));
}

/** The per-caller state of one secret: its KMS route, resolved on the caller's first request. */
class SecretsManager implements ServiceInstance {
  readonly handlers;
  readonly #env: ServiceEnv;
  readonly #secrets = new Map<string, Secret>();
  readonly #routes = new WeakMap<ServiceCaller, Map<Secret, KmsRoute>>();
  readonly #readQuota = quota('GetSecretValue');
  readonly #writeQuota = quota('writes');
  readonly #createQuota = quota('CreateSecret');
  readonly #quotaThrottled = sharedFailure(SERVICE, 'service-quota', SECRETS_MANAGER_ERRORS.throttled);
  readonly #kmsThrottled = sharedFailure(SERVICE, 'kms-throttled', SECRETS_MANAGER_ERRORS.kmsThrottled, 'ThrottlingException');
  readonly #notFound = sharedFailure(SERVICE, 'not-found', SECRETS_MANAGER_ERRORS.notFound);

  constructor(setup: ServiceSetup) {
    this.#env = setup.env;
    for (const spec of (setup.resources['secrets'] ?? []) as readonly SecretSpec[]) {
      const key = setup.keys.get(spec.key);
      if (key === undefined) throw new Error(`secretsmanager: secret ${spec.name} names unknown key ${spec.key}`);
      const region = regionOfArn(key.arn);
      const arn = secretArn(region, setup.env.accountId, spec.name);
      const secret: Secret = { name: spec.name, arn, region, key, value: 'x'.repeat(spec.valueBytes ?? 64), versions: [], written: 0, created: 0 };
      // The stored versions' data keys, made before the run on the quota-free model: setup spends no measured quota.
      for (let i = 0; i < (spec.versions ?? 1); i++) {
        const versionId = versionIdOf(spec.name, i);
        const context = secretEncryptionContext(arn, versionId);
        const output = setup.prepare('GenerateDataKey', { KeyId: key.arn, KeySpec: 'AES_256', EncryptionContext: context }, { region, accountId: setup.env.accountId });
        secret.versions.push(versionOf(secret, versionId, output['CiphertextBlob'] as Uint8Array, context));
      }
      this.#secrets.set(spec.name, secret);
      this.#secrets.set(arn, secret);
    }
    this.handlers = {
      'secretsmanager:GetSecretValue': (input: ServiceInput, caller: ServiceCaller) => this.#getSecretValue(input, caller),
      'secretsmanager:DescribeSecret': (input: ServiceInput, caller: ServiceCaller) => this.#describeSecret(input, caller),
      'secretsmanager:PutSecretValue': (input: ServiceInput, caller: ServiceCaller) => this.#putSecretValue(input, caller),
      'secretsmanager:CreateSecret': (input: ServiceInput, caller: ServiceCaller) => this.#createSecret(input, caller),
    };
  }

  /** The secret `input[field]` names in the caller's region (a secret lives in one region), if any. */
  #secret(input: ServiceInput, field: string, caller: ServiceCaller): Secret | undefined {
    const id = input[field];
    const secret = typeof id === 'string' ? this.#secrets.get(id) : undefined;
    return secret === undefined || secret.region !== caller.region ? undefined : secret;
  }

  #route(caller: ServiceCaller, secret: Secret): KmsRoute {
    let bySecret = this.#routes.get(caller);
    if (bySecret === undefined) {
      bySecret = new Map();
      this.#routes.set(caller, bySecret);
    }
    let route = bySecret.get(secret);
    if (route === undefined) {
      route = new KmsRoute(this.#env.kms, this.#env.attribution, caller, SERVICE, secret.name, secret.key.keySpec);
      bySecret.set(secret, route);
    }
    return route;
  }

  /** A KMS answer that is not a success, in Secrets Manager's words (secretsmanager-data.ts). */
  #kmsFailure(answer: typeof THROTTLED | KmsRefusal, onError: ServiceErrorShape): ServiceOutcome {
    if (answer === THROTTLED) return this.#kmsThrottled;
    const refusal = answer as KmsRefusal;
    if (refusal.denied) return error(SECRETS_MANAGER_ERRORS.kmsDenied, 'kms-access-denied', refusal.name);
    return error(onError, 'kms-error', refusal.name);
  }

  #getSecretValue(input: ServiceInput, caller: ServiceCaller): ServiceOutcome {
    if (!this.#env.quotas.limiter(caller, this.#readQuota).admit()) return this.#quotaThrottled;
    const secret = this.#secret(input, 'SecretId', caller);
    if (secret === undefined) return this.#notFound;
    // AWSCURRENT (the newest version) unless the request names a version (the caching libraries do).
    const wanted = input['VersionId'];
    const version = typeof wanted === 'string' ? secret.versions.find((v) => v.versionId === wanted) : secret.versions[secret.versions.length - 1];
    if (version === undefined) return this.#notFound;
    const answer = this.#route(caller, secret).call('Decrypt', version.decryptInput);
    if (answer === THROTTLED || answer instanceof KmsRefusal) return this.#kmsFailure(answer, SECRETS_MANAGER_ERRORS.decryptionFailure);
    return version.readOutcome;
  }

  #describeSecret(input: ServiceInput, caller: ServiceCaller): ServiceOutcome {
    // DescribeSecret shares GetSecretValue's quota (the "combined rate" row) and makes no KMS call.
    if (!this.#env.quotas.limiter(caller, this.#readQuota).admit()) return this.#quotaThrottled;
    const secret = this.#secret(input, 'SecretId', caller);
    if (secret === undefined) return this.#notFound;
    const current = secret.versions[secret.versions.length - 1] as SecretVersion;
    return succeeded({ ARN: secret.arn, Name: secret.name, KmsKeyId: secret.key.arn, VersionIdsToStages: { [current.versionId]: ['AWSCURRENT'] } });
  }

  /** A new version's data key (GenerateDataKey); the version itself is kept only when `keep`. */
  #write(caller: ServiceCaller, secret: Secret, arn: string, versionId: string, keep: boolean): ServiceOutcome {
    const context = secretEncryptionContext(arn, versionId);
    const answer = this.#route(caller, secret).call('GenerateDataKey', { KeyId: secret.key.arn, KeySpec: 'AES_256', EncryptionContext: context });
    if (answer === THROTTLED || answer instanceof KmsRefusal) return this.#kmsFailure(answer, SECRETS_MANAGER_ERRORS.encryptionFailure);
    if (keep) {
      // Versions beyond the first hundred are not kept (Secrets Manager removes unlabeled ones past 100): memory stays bounded.
      secret.versions.push(versionOf(secret, versionId, answer['CiphertextBlob'] as Uint8Array, context));
      if (secret.versions.length > 100) secret.versions.splice(0, secret.versions.length - 100);
    }
    return succeeded({ ARN: arn, Name: secret.name, VersionId: versionId });
  }

  #putSecretValue(input: ServiceInput, caller: ServiceCaller): ServiceOutcome {
    if (!this.#env.quotas.limiter(caller, this.#writeQuota).admit()) return this.#quotaThrottled;
    const secret = this.#secret(input, 'SecretId', caller);
    if (secret === undefined) return this.#notFound;
    return this.#write(caller, secret, secret.arn, versionIdOf(secret.name, 1_000_000 + secret.written++), true);
  }

  /**
   * A new secret shaped like the named one (its key, its value): a fresh name each request, so repeated creates never
   * collide, and nothing kept (a create-heavy fleet does not grow memory).
   */
  #createSecret(input: ServiceInput, caller: ServiceCaller): ServiceOutcome {
    if (!this.#env.quotas.limiter(caller, this.#createQuota).admit()) return this.#quotaThrottled;
    const template = this.#secret(input, 'Name', caller);
    if (template === undefined) return this.#notFound;
    const name = `${template.name}-${++template.created}`;
    return this.#write(caller, template, secretArn(template.region, this.#env.accountId, name), versionIdOf(name, 0), false);
  }
}

function regionOfArn(arn: string): string {
  return arn.split(':')[3] ?? '';
}

/** Secrets Manager's model. */
export const SECRETS_MANAGER: ServiceDefinition = {
  service: SERVICE,
  operations: [
    { name: 'secretsmanager:GetSecretValue', service: SERVICE, resourceKind: 'secrets', resourceField: 'secret', inputField: 'SecretId', cacheable: true, kmsCalls: '1 Decrypt' },
    { name: 'secretsmanager:DescribeSecret', service: SERVICE, resourceKind: 'secrets', resourceField: 'secret', inputField: 'SecretId', cacheable: false, kmsCalls: 'none' },
    { name: 'secretsmanager:PutSecretValue', service: SERVICE, resourceKind: 'secrets', resourceField: 'secret', inputField: 'SecretId', cacheable: false, kmsCalls: '1 GenerateDataKey' },
    { name: 'secretsmanager:CreateSecret', service: SERVICE, resourceKind: 'secrets', resourceField: 'secret', inputField: 'Name', cacheable: false, kmsCalls: '1 GenerateDataKey' },
  ],
  quotas: SECRETS_MANAGER_QUOTAS,
  create: (setup) => new SecretsManager(setup),
};
