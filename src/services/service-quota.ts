/**
 * The services' own request quotas: each service limits requests per account and region (Secrets Manager's
 * GetSecretValue, Parameter Store's throughput) or per resource (S3's request rate per prefix), before and apart from
 * the KMS quota its KMS calls draw from. Rates are data (each service's quota table, with sources); a scenario's
 * `serviceQuotas` overrides them per region. Enforcement reuses the KMS quota's limiters (src/quota's RateBoard), so
 * both clocks and every worker thread see one budget.
 */
import { createHash } from 'node:crypto';
import type { RateBoard, RateLimiter } from '../quota/index.js';
import type { ServiceErrorShape } from './service-error.js';
import type { ServiceCaller, ServiceName } from './types.js';

/** One request quota of one service, as its data table gives it. */
export interface ServiceQuotaRow {
  readonly service: ServiceName;
  /**
   * The quota's name within the service, `GetSecretValue` or `writes`; `<service>:<name>` names it in overrides,
   * results and messages.
   */
  readonly name: string;
  /** The service operations (`secretsmanager:PutSecretValue`, …) that draw from it. */
  readonly operations: readonly string[];
  /** Requests per second. */
  readonly ratePerSec: number;
  /**
   * `account-region`: one budget per calling account and region (the caller is throttled, also for another account's
   * resource). `resource`: one per account, region and resource key (S3: the bucket prefix).
   */
  readonly scope: 'account-region' | 'resource';
  /** What the service answers a request past the quota. */
  readonly error: ServiceErrorShape;
  /** Where the rate and the error come from. */
  readonly source: string;
}

/** Per region (or `*` for every region), per quota (`<service>:<name>`): requests per second. */
export type ServiceQuotaOverrides = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** The full name of a quota row, `<service>:<name>`. */
export function serviceQuotaName(row: Pick<ServiceQuotaRow, 'service' | 'name'>): string {
  return `${row.service}:${row.name}`;
}

/** The rate in force for `row` in `region`: a region's override, else `*`'s, else the table's. */
export function serviceQuotaRate(row: ServiceQuotaRow, region: string, overrides: ServiceQuotaOverrides | undefined): number {
  const name = serviceQuotaName(row);
  return overrides?.[region]?.[name] ?? overrides?.['*']?.[name] ?? row.ratePerSec;
}

/** Slot names are at most 126 UTF-8 bytes (the slot table's); longer resource keys keep a prefix and a hash. */
const MAX_KEY_BYTES = 120;

function slotKey(parts: readonly string[]): string {
  const key = parts.join('\0');
  if (Buffer.byteLength(key) <= MAX_KEY_BYTES) return key;
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 32);
  return `${key.slice(0, 60)}#${digest}`;
}

/** One quota as a row of a run's result: the same figures the KMS quota board reports. */
export interface ServiceQuotaSnapshot {
  readonly accountId: string;
  readonly region: string;
  /** `<service>:<name>`. */
  readonly quota: string;
  /** The resource key of a per-resource quota; absent for account-wide ones. */
  readonly resourceKey?: string;
  readonly ratePerSec: number;
  readonly admitted: number;
  readonly throttled: number;
}

/** The services' request quotas of one thread, over a (shared) rate board. */
export class ServiceQuotas {
  readonly #board: RateBoard;
  readonly #overrides: ServiceQuotaOverrides | undefined;
  readonly #rows = new Map<string, ServiceQuotaRow>();
  /** Per caller, per row: its limiter (account-region rows) or its limiters by resource key (per-resource rows). */
  readonly #byCaller = new WeakMap<ServiceCaller, Map<ServiceQuotaRow, RateLimiter | Map<string, RateLimiter>>>();

  constructor(board: RateBoard, rows: readonly ServiceQuotaRow[], overrides?: ServiceQuotaOverrides) {
    this.#board = board;
    this.#overrides = overrides;
    for (const row of rows) this.#rows.set(serviceQuotaName(row), row);
  }

  /**
   * The limiter of `row` for `caller` (and `resourceKey` for a per-resource quota), cached per caller object: after the
   * first request, two map look-ups and no allocation.
   */
  limiter(caller: ServiceCaller, row: ServiceQuotaRow, resourceKey?: string): RateLimiter {
    let byRow = this.#byCaller.get(caller);
    if (byRow === undefined) {
      byRow = new Map();
      this.#byCaller.set(caller, byRow);
    }
    const cached = byRow.get(row);
    if (row.scope !== 'resource') {
      if (cached !== undefined) return cached as RateLimiter;
      const limiter = this.#claim(caller, row, undefined);
      byRow.set(row, limiter);
      return limiter;
    }
    let byKey = cached as Map<string, RateLimiter> | undefined;
    if (byKey === undefined) {
      byKey = new Map();
      byRow.set(row, byKey);
    }
    const key = resourceKey ?? '';
    let limiter = byKey.get(key);
    if (limiter === undefined) {
      limiter = this.#claim(caller, row, key);
      byKey.set(key, limiter);
    }
    return limiter;
  }

  #claim(caller: ServiceCaller, row: ServiceQuotaRow, resourceKey: string | undefined): RateLimiter {
    const parts = [caller.accountId, caller.region, serviceQuotaName(row)];
    if (resourceKey !== undefined) parts.push(resourceKey);
    return this.#board.limiter(slotKey(parts), serviceQuotaRate(row, caller.region, this.#overrides));
  }

  /** Every quota slot used so far, by account, region, quota and resource. */
  snapshot(): ServiceQuotaSnapshot[] {
    return this.#board.snapshot().map(({ name, ratePerSec, admitted, throttled }) => {
      const [accountId = '', region = '', quota = '', resourceKey] = name.split('\0');
      return { accountId, region, quota, ...(resourceKey === undefined ? {} : { resourceKey }), ratePerSec, admitted, throttled };
    });
  }

  /** The table row named `<service>:<name>`, if any. */
  row(name: string): ServiceQuotaRow | undefined {
    return this.#rows.get(name);
  }
}
