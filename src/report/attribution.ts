/**
 * Who used the KMS quota: every KMS call of a variant attributed to its source — the fleets' own calls (`direct`) or
 * an AWS service calling on a caller's behalf (`s3`, `secretsmanager`, `ssm`) — by region, account, principal and
 * resource, with each source's share of the account's admitted calls, its cost per month, and the services' own
 * request counts and quotas. Built from a variant's metrics: the services' counters (src/services/attribution.ts) and
 * the fleets' per-bucket timelines for their own calls. The admitted counts add up to the quota board's, bucket by
 * bucket (the invariant test/services-attribution.test.ts holds).
 */
import { isQuotaBucket } from '../quota/index.js';
import type { MetricsSummary } from '../metrics/index.js';
import {
  KMS_CALL_SOURCES,
  rootPrincipal,
  type KmsCallCounts,
  type KmsCallSource,
  type ServiceQuotaSnapshot,
  type ServiceRequestCounts,
} from '../services/index.js';
import { resolvePrices, type PriceOverrides, type PriceTable } from '../scenario/prices.js';
import type { ServicesSpec } from '../scenario/index.js';

/** Where a fleet calls from (the result's fleet placement, `result-types.ts`): its region, account and principal. */
export interface AttributionPlacement {
  readonly region: string;
  readonly accountId: string;
  readonly principal?: { readonly arn: string };
}

/** What attribution reads of a variant's scenario (a validated `Scenario` fits): prices, keys' places, resources. */
export interface AttributionScenario {
  readonly keys: readonly { readonly name: string; readonly region?: string; readonly account?: string }[];
  readonly prices?: PriceOverrides | undefined;
  readonly services?: ServicesSpec;
}

/** One source's part of one account's KMS calls in one region. */
export interface SourceShare {
  readonly region: string;
  readonly accountId: string;
  readonly source: KmsCallSource;
  /** KMS calls admitted and throttled, over the run. */
  readonly admitted: number;
  readonly throttled: number;
  /** `admitted` over every source's admitted calls of the account in the region (0 when none were admitted). */
  readonly share: number;
  /** Its admitted KMS calls at the run's rate for a month, at the symmetric request price (before the free tier). */
  readonly kmsUsdPerMonth: number;
  /** The service's own charges at the run's rate for a month (API calls, secrets and parameters stored); 0 for `direct`. */
  readonly serviceUsdPerMonth: number;
}

/** The services' part of a variant's result. */
export interface ServicesResult {
  /** Every KMS call by source, principal and resource (the fleets' own calls: resource is the fleet's name). */
  readonly kmsCalls: KmsCallCounts[];
  /** Every service request by how it ended. */
  readonly requests: ServiceRequestCounts[];
  /** The services' own request quotas that saw traffic. */
  readonly quotas: ServiceQuotaSnapshot[];
  /** Per region and account: each source's share and cost, sources in `KMS_CALL_SOURCES` order. */
  readonly sources: SourceShare[];
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** The fleets' own KMS calls, from their per-bucket timelines (service requests have their service's line). */
function directCalls(metrics: MetricsSummary, placement: Readonly<Record<string, AttributionPlacement>>): KmsCallCounts[] {
  const rows: KmsCallCounts[] = [];
  for (const [fleet, summary] of Object.entries(metrics.fleets)) {
    const where = placement[fleet];
    if (where === undefined) continue;
    for (const [bucket, line] of Object.entries(summary.timelines)) {
      if (!isQuotaBucket(bucket)) continue;
      rows.push({
        region: where.region,
        accountId: where.accountId,
        source: 'direct',
        principal: where.principal?.arn ?? rootPrincipal(where.accountId),
        resource: fleet,
        bucket,
        admitted: sum(line.admitted),
        throttled: sum(line.throttled),
        denied: 0,
        failed: 0,
      });
    }
  }
  return rows;
}

/** A month's worth of `count` events that took `durationSec`. */
function perMonth(count: number, durationSec: number, prices: PriceTable): number {
  return durationSec > 0 ? (count / durationSec) * prices.hoursPerMonth * 3600 : 0;
}

/** S3 operations billed at the PUT/COPY/POST/LIST price; the others at the GET-and-all-other price (prices.ts). */
const S3_WRITE_OPERATIONS: ReadonlySet<string> = new Set(['s3:PutObject', 's3:CopyObject', 's3:multipartUpload']);

/** The services' own charges per region and account: API calls billed at the run's rate, resources stored. */
function serviceCharges(
  requests: readonly ServiceRequestCounts[],
  scenario: AttributionScenario | undefined,
  durationSec: number,
  prices: PriceTable,
): Map<string, number> {
  const charges = new Map<string, number>();
  const add = (region: string, accountId: string, source: string, usd: number): void => {
    const key = `${region}\0${accountId}\0${source}`;
    charges.set(key, (charges.get(key) ?? 0) + usd);
  };
  const throughput = scenario?.services?.parameterStore?.throughput ?? 'standard';
  const parameters = (scenario?.services?.resources['parameters'] ?? []) as readonly { name: string; tier?: string }[];
  const advanced = new Set(parameters.filter((p) => p.tier === 'advanced').map((p) => p.name));
  for (const row of requests) {
    // Billed: the calls the service served (refused calls — throttled, denied — are not billed, as in KMS).
    const billed = row.succeeded;
    if (row.service === 'secretsmanager') add(row.region, row.accountId, row.service, (perMonth(billed, durationSec, prices) / 10_000) * prices.secretsManagerPer10kUsd);
    if (row.service === 's3') {
      const per1k = S3_WRITE_OPERATIONS.has(row.operation) ? prices.s3WritePer1kUsd : prices.s3ReadPer1kUsd;
      add(row.region, row.accountId, row.service, (perMonth(billed, durationSec, prices) / 1_000) * per1k);
    }
    if (row.service === 'ssm' && (throughput === 'higher' || advanced.has(row.resource))) {
      add(row.region, row.accountId, row.service, (perMonth(billed, durationSec, prices) / 10_000) * prices.ssmPer10kUsd);
    }
  }
  // Storage: every secret and advanced parameter the scenario holds, in its key's region and the model's account.
  const keyRegion = new Map((scenario?.keys ?? []).map((k) => [k.name, { region: k.region ?? '', account: k.account ?? '' }]));
  for (const secret of (scenario?.services?.resources['secrets'] ?? []) as readonly { key: string }[]) {
    const where = keyRegion.get(secret.key);
    if (where !== undefined) add(where.region, where.account, 'secretsmanager', prices.secretsManagerSecretMonthUsd);
  }
  for (const parameter of (scenario?.services?.resources['parameters'] ?? []) as readonly { key: string; tier?: string }[]) {
    const where = keyRegion.get(parameter.key);
    if (where !== undefined && parameter.tier === 'advanced') add(where.region, where.account, 'ssm', prices.ssmAdvancedParameterMonthUsd);
  }
  return charges;
}

/**
 * The services' part of a variant's result, or undefined when the run had no services. `scenario` gives prices and
 * resources (absent: default prices, no storage charges).
 */
export function servicesResult(
  metrics: MetricsSummary,
  placement: Readonly<Record<string, AttributionPlacement>>,
  serviceQuota: readonly ServiceQuotaSnapshot[] | undefined,
  scenario: AttributionScenario | undefined,
): ServicesResult | undefined {
  const counts = metrics.services;
  if (counts === undefined) return undefined;
  const prices = resolvePrices(scenario?.prices ?? {});
  const kmsCalls = [...directCalls(metrics, placement), ...counts.kmsCalls];
  const charges = serviceCharges(counts.requests, scenario, metrics.durationSec, prices);
  const places = [...new Set(kmsCalls.map((row) => `${row.region}\0${row.accountId}`))].sort();
  const sources: SourceShare[] = [];
  for (const place of places) {
    const [region = '', accountId = ''] = place.split('\0');
    const here = kmsCalls.filter((row) => row.region === region && row.accountId === accountId);
    const total = sum(here.map((row) => row.admitted));
    for (const source of KMS_CALL_SOURCES) {
      const rows = here.filter((row) => row.source === source);
      const charge = charges.get(`${region}\0${accountId}\0${source}`);
      if (rows.length === 0 && charge === undefined) continue;
      const admitted = sum(rows.map((row) => row.admitted));
      const symmetric = sum(rows.filter((row) => row.bucket === 'symmetric').map((row) => row.admitted));
      sources.push({
        region,
        accountId,
        source,
        admitted,
        throttled: sum(rows.map((row) => row.throttled)),
        share: total > 0 ? admitted / total : 0,
        kmsUsdPerMonth: (perMonth(symmetric, metrics.durationSec, prices) / 10_000) * prices.symmetricPer10kUsd,
        serviceUsdPerMonth: charge ?? 0,
      });
    }
  }
  return { kmsCalls, requests: counts.requests, quotas: [...(serviceQuota ?? [])], sources };
}
