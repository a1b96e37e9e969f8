/**
 * Attribution: every KMS call a service makes on a caller's behalf, counted by region, calling account, source,
 * principal, resource (a secret, a parameter, a bucket) and quota bucket; and every service request, counted by
 * service, operation and resource with how it ended — succeeded, throttled by KMS (surfaced through the service) or by
 * the service's own quota, denied, failed otherwise — and how many reads a client-side cache answered instead.
 *
 * Counters are plain number fields of row objects resolved once per (caller, resource): nothing is looked up or
 * allocated per request. Each thread has its own; the rows travel as plain data (`toWire`) and add up across threads
 * with {@link mergeServiceCounts}. KMS calls a fleet makes itself (`direct`) are counted by the engine's metrics, not
 * here: the result joins both (src/report).
 */
import type { KmsCallSource, ServiceCaller, ServiceName } from './types.js';

/** KMS calls of one (region, account, source, principal, resource, bucket). */
export interface KmsCallCounts {
  readonly region: string;
  readonly accountId: string;
  readonly source: KmsCallSource;
  readonly principal: string;
  /** What the calls were made for: a secret's name, a parameter's name, a bucket; a fleet name for `direct`. */
  readonly resource: string;
  /** The KMS quota bucket the calls drew from (`symmetric`). */
  readonly bucket: string;
  /** Admitted by the KMS quota (the quota board's admitted count). */
  admitted: number;
  /** Refused by the KMS quota. */
  throttled: number;
  /** Refused by authorization (AccessDeniedException). */
  denied: number;
  /** Any other KMS error. */
  failed: number;
}

/** Service requests of one (region, account, service, operation, resource, principal). */
export interface ServiceRequestCounts {
  readonly region: string;
  readonly accountId: string;
  readonly service: ServiceName;
  /** `secretsmanager:GetSecretValue`. */
  readonly operation: string;
  readonly resource: string;
  readonly principal: string;
  /** Requests that reached the service (every attempt, retries included). */
  requests: number;
  succeeded: number;
  /** Answered with the service's error for a throttled KMS call. */
  throttledByKms: number;
  /** Refused by the service's own request quota. */
  throttledByService: number;
  /** Refused by the service's or KMS's authorization. */
  denied: number;
  /** Any other error. */
  failed: number;
  /** Reads a client-side cache answered: no request reached the service. */
  cacheHits: number;
}

/** What a thread's attribution holds, as plain data. */
export interface ServiceCountsWire {
  readonly kmsCalls: KmsCallCounts[];
  readonly requests: ServiceRequestCounts[];
}

function kmsKey(row: Omit<KmsCallCounts, 'admitted' | 'throttled' | 'denied' | 'failed'>): string {
  return [row.region, row.accountId, row.source, row.principal, row.resource, row.bucket].join('\0');
}

function requestKey(row: Omit<ServiceRequestCounts, 'requests' | 'succeeded' | 'throttledByKms' | 'throttledByService' | 'denied' | 'failed' | 'cacheHits'>): string {
  return [row.region, row.accountId, row.service, row.operation, row.resource, row.principal].join('\0');
}

/** One thread's attribution counters. */
export class ServiceAttribution {
  readonly #kms = new Map<string, KmsCallCounts>();
  readonly #requests = new Map<string, ServiceRequestCounts>();

  /** The KMS call counters of `caller`'s calls from `source` for `resource` in `bucket`; resolve once, count per call. */
  kmsCounts(caller: ServiceCaller, source: KmsCallSource, resource: string, bucket: string): KmsCallCounts {
    const id = { region: caller.region, accountId: caller.accountId, source, principal: caller.principal, resource, bucket };
    const key = kmsKey(id);
    let row = this.#kms.get(key);
    if (row === undefined) {
      row = { ...id, admitted: 0, throttled: 0, denied: 0, failed: 0 };
      this.#kms.set(key, row);
    }
    return row;
  }

  /** The request counters of `caller`'s `operation` on `resource`; resolve once, count per request. */
  requestCounts(caller: ServiceCaller, service: ServiceName, operation: string, resource: string): ServiceRequestCounts {
    const id = { region: caller.region, accountId: caller.accountId, service, operation, resource, principal: caller.principal };
    const key = requestKey(id);
    let row = this.#requests.get(key);
    if (row === undefined) {
      row = { ...id, requests: 0, succeeded: 0, throttledByKms: 0, throttledByService: 0, denied: 0, failed: 0, cacheHits: 0 };
      this.#requests.set(key, row);
    }
    return row;
  }

  /** True when nothing has been counted (a run without services). */
  get empty(): boolean {
    return this.#kms.size === 0 && this.#requests.size === 0;
  }

  /** Copies of every row, sorted. */
  toWire(): ServiceCountsWire {
    return {
      kmsCalls: [...this.#kms.values()].map((row) => ({ ...row })).sort((a, b) => compare(kmsKey(a), kmsKey(b))),
      requests: [...this.#requests.values()].map((row) => ({ ...row })).sort((a, b) => compare(requestKey(a), requestKey(b))),
    };
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The sum of several threads' counts, rows matched by their identity fields, sorted. */
export function mergeServiceCounts(parts: readonly (ServiceCountsWire | undefined)[]): ServiceCountsWire {
  const kms = new Map<string, KmsCallCounts>();
  const requests = new Map<string, ServiceRequestCounts>();
  for (const part of parts) {
    for (const row of part?.kmsCalls ?? []) {
      const into = kms.get(kmsKey(row));
      if (into === undefined) kms.set(kmsKey(row), { ...row });
      else {
        into.admitted += row.admitted;
        into.throttled += row.throttled;
        into.denied += row.denied;
        into.failed += row.failed;
      }
    }
    for (const row of part?.requests ?? []) {
      const into = requests.get(requestKey(row));
      if (into === undefined) requests.set(requestKey(row), { ...row });
      else {
        into.requests += row.requests;
        into.succeeded += row.succeeded;
        into.throttledByKms += row.throttledByKms;
        into.throttledByService += row.throttledByService;
        into.denied += row.denied;
        into.failed += row.failed;
        into.cacheHits += row.cacheHits;
      }
    }
  }
  return {
    kmsCalls: [...kms.values()].sort((a, b) => compare(kmsKey(a), kmsKey(b))),
    requests: [...requests.values()].sort((a, b) => compare(requestKey(a), requestKey(b))),
  };
}
