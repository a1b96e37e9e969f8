/**
 * How a service calls KMS on its caller's behalf. AWS services use the caller's credentials (forward access sessions),
 * so KMS sees the caller's principal and account — charged and throttled in the caller's account, decided by the
 * caller's key and IAM policies — with `kms:ViaService` set to `<service>.<region>.amazonaws.com` (AWS KMS Developer
 * Guide, "kms:ViaService"; aws-kms-facts.md §1, §6). Every call is counted against its source and resource
 * (attribution.ts) with the same outcome the quota board records: admitted, throttled, denied or failed.
 */
import { bucketFor } from '../quota/index.js';
import { THROTTLED } from '../kms/op-env.js';
import type { CallContext, KmsInput, KmsOutput } from '../kms/types.js';
import type { KmsCallCounts, ServiceAttribution } from './attribution.js';
import type { ServiceCaller, ServiceKms, ServiceName } from './types.js';

/** The `kms:ViaService` value of a service in a region. */
export function viaServiceOf(service: ServiceName, region: string): string {
  return `${service}.${region}.amazonaws.com`;
}

/** The KMS call context of `service` calling for `caller`: the caller's account and principal, via the service. */
export function onBehalfContext(caller: ServiceCaller, service: ServiceName): CallContext {
  const base = caller.kmsContext;
  return {
    region: base.region,
    ...(base.accountId === undefined ? {} : { accountId: base.accountId }),
    ...(base.principal === undefined ? {} : { principal: base.principal }),
    viaService: viaServiceOf(service, caller.region),
  };
}

/** A KMS error on a service's call (anything but a throttle), kept for the service to answer in its own words. */
export class KmsRefusal {
  constructor(readonly error: unknown) {}

  /** The KMS error name (`AccessDeniedException`, `DisabledException`, …). */
  get name(): string {
    const name = typeof this.error === 'object' && this.error !== null ? (this.error as { name?: unknown }).name : undefined;
    return typeof name === 'string' ? name : 'Error';
  }

  get denied(): boolean {
    return this.name === 'AccessDeniedException';
  }
}

/** What a service's KMS call came to: the output, {@link THROTTLED}, or a {@link KmsRefusal}. */
export type KmsAnswer = KmsOutput | KmsRefusal;

export { THROTTLED };

/**
 * One caller's KMS calls from one service for one resource: the call context and the attribution counters resolved
 * once, so a call is one model attempt and one counter increment. Keys of service resources are symmetric encryption
 * keys (every modelled service requires one), so the calls draw from the `symmetric` bucket.
 */
export class KmsRoute {
  readonly context: CallContext;
  readonly counts: KmsCallCounts;
  readonly #kms: ServiceKms;

  constructor(kms: ServiceKms, attribution: ServiceAttribution, caller: ServiceCaller, service: ServiceName, resource: string, keySpec = 'SYMMETRIC_DEFAULT') {
    this.#kms = kms;
    this.context = onBehalfContext(caller, service);
    this.counts = attribution.kmsCounts(caller, service, resource, bucketFor('Decrypt', keySpec));
  }

  /**
   * Makes one KMS call on the caller's behalf: the output, {@link THROTTLED} when the caller's KMS quota refused it,
   * or a {@link KmsRefusal} for any other KMS error.
   */
  call(operation: string, input: KmsInput): KmsAnswer {
    let output: KmsOutput;
    try {
      output = this.#kms.attemptSync(operation, input, this.context);
    } catch (error: unknown) {
      const refusal = new KmsRefusal(error);
      if (refusal.name === 'ThrottlingException') {
        // A throttled management call is thrown rather than returned; services make none, but count it right.
        this.counts.throttled++;
        return THROTTLED;
      }
      if (refusal.denied) this.counts.denied++;
      else this.counts.failed++;
      return refusal;
    }
    if (output === THROTTLED) this.counts.throttled++;
    else this.counts.admitted++;
    return output;
  }
}
