/**
 * The AWS services of one thread (a wall-clock worker or one simulation): every registered service built from the
 * scenario's resources over the measured model, with the services' request quotas and the attribution counters. The
 * engine sends a fleet's service operations here, one attempt at a time; the fleet's retry policy runs around it.
 */
import type { RateBoard } from '../quota/index.js';
import type { TimeSource } from '../base/time.js';
import { ServiceAttribution, type ServiceCountsWire, type ServiceRequestCounts } from './attribution.js';
import { SERVICE_DEFINITIONS, serviceOperation } from './catalog.js';
import type { PrepareKms, ServiceHandler, ServiceKey, ServiceOperationDef, ServiceResources } from './definition.js';
import { failed, type ServiceOutcome } from './outcome.js';
import { ServiceError } from './service-error.js';
import { ServiceQuotas, type ServiceQuotaOverrides, type ServiceQuotaSnapshot } from './service-quota.js';
import type { ServiceCaller, ServiceInput, ServiceKms, ServiceName } from './types.js';

/** What a {@link ServiceWorld} is built from. */
export interface ServiceWorldOptions {
  /** The measured model (quotas on). */
  readonly kms: ServiceKms;
  /** The model's account, which owns the scenario's service resources. */
  readonly accountId: string;
  readonly time: TimeSource;
  /** The services' request quotas (shared across wall workers, one per simulation). */
  readonly board: RateBoard;
  readonly overrides?: ServiceQuotaOverrides;
  readonly resources: ServiceResources;
  readonly keys: ReadonlyMap<string, ServiceKey>;
  readonly prepare: PrepareKms;
}

const NOT_MODELLED = { code: 'UnknownOperationException', httpStatus: 400, retry: 'fatal', message: 'kms-bench models no such service operation.' } as const;

/** The services of one thread. */
export class ServiceWorld {
  readonly attribution = new ServiceAttribution();
  readonly quotas: ServiceQuotas;
  /** Each operation's handler with its definition, found with one look-up per request. */
  readonly #operations = new Map<string, { readonly handler: ServiceHandler; readonly def: ServiceOperationDef }>();
  /** Per caller: request counters by operation, then resource name (no key string built per request). */
  readonly #counts = new WeakMap<ServiceCaller, Map<string, Map<string, ServiceRequestCounts>>>();

  constructor(options: ServiceWorldOptions) {
    this.quotas = new ServiceQuotas(options.board, SERVICE_DEFINITIONS.flatMap((d) => d.quotas), options.overrides);
    const env = { kms: options.kms, time: options.time, quotas: this.quotas, attribution: this.attribution, accountId: options.accountId };
    for (const definition of SERVICE_DEFINITIONS) {
      const instance = definition.create({ env, resources: options.resources, keys: options.keys, prepare: options.prepare });
      for (const [name, handler] of Object.entries(instance.handlers)) {
        const def = serviceOperation(name);
        if (def !== undefined) this.#operations.set(name, { handler, def });
      }
    }
  }

  /**
   * One request (one attempt) of `operation` from `caller`, counted in the service's request counters by how it
   * ended. Never throws for the service's answers: an error is an outcome.
   */
  attempt(operation: string, input: ServiceInput, caller: ServiceCaller): ServiceOutcome {
    const found = this.#operations.get(operation);
    if (found === undefined) return failed(new ServiceError(operation.split(':')[0] ?? operation, 'invalid-request', NOT_MODELLED));
    const { handler, def } = found;
    const outcome = handler(input, caller);
    const resource = input[def.inputField];
    const counts = this.requestCounts(caller, operation, typeof resource === 'string' ? resource : String(resource));
    counts.requests++;
    if (outcome.ok) counts.succeeded++;
    else {
      switch (outcome.error.cause) {
        case 'kms-throttled':
          counts.throttledByKms++;
          break;
        case 'service-quota':
          counts.throttledByService++;
          break;
        case 'access-denied':
        case 'kms-access-denied':
          counts.denied++;
          break;
        default:
          counts.failed++;
      }
    }
    return outcome;
  }

  /** Counts a read a client-side cache answered (no request reached the service). */
  cacheHit(operation: string, input: ServiceInput, caller: ServiceCaller): void {
    const def = serviceOperation(operation);
    if (def !== undefined) this.requestCounts(caller, operation, String(input[def.inputField])).cacheHits++;
  }

  /** The request counters of (caller, operation, resource), resolved on first use. */
  requestCounts(caller: ServiceCaller, operation: string, resource: string): ServiceRequestCounts {
    let byOperation = this.#counts.get(caller);
    if (byOperation === undefined) {
      byOperation = new Map();
      this.#counts.set(caller, byOperation);
    }
    let byResource = byOperation.get(operation);
    if (byResource === undefined) {
      byResource = new Map();
      byOperation.set(operation, byResource);
    }
    let counts = byResource.get(resource);
    if (counts === undefined) {
      counts = this.attribution.requestCounts(caller, operation.slice(0, operation.indexOf(':')) as ServiceName, operation, resource);
      byResource.set(resource, counts);
    }
    return counts;
  }

  /** This thread's attribution counters, as plain data. */
  counts(): ServiceCountsWire {
    return this.attribution.toWire();
  }

  /** The services' request quotas used so far (shared: every thread's requests). */
  quotaState(): ServiceQuotaSnapshot[] {
    return this.quotas.snapshot();
  }
}
