/**
 * The cost model: what a workload would cost per month on AWS KMS, from the price table (src/scenario/prices.ts) and
 * the run's steady-state request rates. Keys: key-months plus retained rotations. Requests: the requests the quota
 * admitted, by price class, extrapolated from the steady-state per-second rate to a month, less the free tier.
 *
 * Assumptions, stated so a reader can check them:
 * - Requests the quota throttled are rejected before any work and are not billed; requests that failed after being
 *   admitted (a validation error, say) are not in the per-second timelines and are not counted.
 * - The steady state is the run's whole seconds (the quota's windows) without the first (warm-up: no retries are
 *   pending yet) when the run has at least three; the drain after the end of the run is never part of it. A rate from
 *   whole windows cannot exceed the quota; one that would (a harness fault) is capped at it and said so.
 * - Only a steady state the run reached is extrapolated: an incomplete run, a run without a whole second, and a cached
 *   fleet none of whose data keys reached the end of its life (maxAge, a message or byte limit, LRU eviction) get no
 *   request cost — `costUsdPerMonth` is null with the reason in `unavailable`, never a number the run cannot support.
 * - A backlog that grows through the run (offered above what finishes) is flagged in `warnings`: the rate billed is
 *   what the quota admitted, not the demand, and the demand is not being served.
 * - RSA requests are split between RSA_2048 and the other RSA specs by the weights of the fleet's mix entries.
 * - Every scenario key is billed unless it is pending deletion; `keyRotations` says how often each was rotated.
 * - KMS calls AWS services made on a fleet's behalf (Secrets Manager, Parameter Store, S3: src/services) are billed to
 *   the calling account like its own, at their average rate over the run (the services count them per run, not per
 *   second). A fleet's per-second lines of its service requests (its service's name, not a KMS bucket) are not KMS
 *   requests and are not billed here; the services' own charges are in the result's `services.sources`.
 */
import { SERVICE_NAMES } from '../services/index.js';
import type { MetricsSummary } from '../metrics/index.js';
import { isQuotaBucket, type QuotaSlotSnapshot } from '../quota/index.js';
import { backlogWarnings, unsupportedReason } from './cost-steady-state.js';
import { resolvePrices } from '../scenario/prices.js';
import type { PriceName, PriceOverrides, PriceTable } from '../scenario/prices.js';

/** How requests are priced. */
export const REQUEST_CLASSES = ['symmetric', 'rsa2048', 'asymmetric', 'dataKeyPairEcc', 'dataKeyPairRsa', 'management'] as const;
export type RequestClass = (typeof REQUEST_CLASSES)[number];

const CLASS_PRICE: Readonly<Record<RequestClass, PriceName>> = {
  symmetric: 'symmetricPer10kUsd',
  rsa2048: 'rsa2048Per10kUsd',
  asymmetric: 'asymmetricPer10kUsd',
  dataKeyPairEcc: 'dataKeyPairEccPer10kUsd',
  dataKeyPairRsa: 'dataKeyPairRsaPer10kUsd',
  management: 'managementPer10kUsd',
};

/** Classes the free tier covers, in the order it is applied (aws-kms-facts.md §7: asymmetric and GDKP excluded). */
const FREE_TIER_CLASSES: readonly RequestClass[] = ['symmetric', 'management'];

/** Operations that count in the `rsa` bucket when their key is RSA (aws-kms-facts.md §1). */
const RSA_BUCKET_OPS = new Set(['Encrypt', 'Decrypt', 'ReEncrypt', 'Sign', 'Verify']);

/** Key states that are not billed: AWS does not charge for keys scheduled for deletion. */
const UNBILLED_KEY_STATES = new Set(['PendingDeletion', 'PendingReplicaDeletion']);

const SECONDS_PER_HOUR = 3600;

/** A key as the cost model needs it. */
export interface CostKey {
  readonly name: string;
  readonly keySpec: string;
  readonly state?: string;
}

/** A mix entry as the cost model needs it. */
export interface CostMixEntry {
  readonly op: string;
  readonly weight: number;
  readonly key?: string | undefined;
}

/** A fleet as the cost model needs it. */
export interface CostFleet {
  readonly name: string;
  readonly mix: readonly CostMixEntry[];
}

/** The scenario side of a cost estimate (a validated `Scenario` fits). */
export interface CostScenario {
  readonly keys: readonly CostKey[];
  readonly fleets: readonly CostFleet[];
  readonly prices?: PriceOverrides | undefined;
  /** The scheduled length of the run; steady-state rates come from whole seconds inside it, never from the drain. */
  readonly durationMs?: number;
}

/** One price class's share of the bill. */
export interface RequestCost {
  readonly class: RequestClass;
  /** Steady-state requests per second. */
  readonly ratePerSec: number;
  readonly perMonth: number;
  /** After the free tier. */
  readonly billablePerMonth: number;
  readonly usdPerMonth: number;
}

/** A monthly cost estimate of one variant. */
export interface CostEstimate {
  /** Keys plus requests, USD per month; null when the run cannot support a request cost (see `unavailable`). */
  readonly costUsdPerMonth: number | null;
  readonly keysUsdPerMonth: number;
  /** Null when the run reached no steady state to extrapolate (see `unavailable`). */
  readonly requestsUsdPerMonth: number | null;
  /** Why there is no request cost: the run was incomplete, or too short to reach a steady state. */
  readonly unavailable?: string;
  /** What a reader must know before acting on the figure (a growing backlog, a rate capped at the quota). */
  readonly warnings: readonly string[];
  readonly billedKeys: number;
  /** Classes that saw traffic, in {@link REQUEST_CLASSES} order; empty when `unavailable`. */
  readonly requests: readonly RequestCost[];
  readonly freeRequestsAppliedPerMonth: number;
  /** The seconds of the run the rates come from: `[fromSec, toSec)`. */
  readonly steadyState: { readonly fromSec: number; readonly toSec: number };
  /** The prices used, after the scenario's overrides. */
  readonly prices: PriceTable;
}

/**
 * The window of whole seconds the steady-state rates are taken over: the run's whole seconds (the quota's windows)
 * without the first when there are at least three. The drain after the scheduled end is never part of it.
 */
export function steadyStateWindow(wholeSeconds: number): { fromSec: number; toSec: number } {
  if (wholeSeconds >= 3) return { fromSec: 1, toSec: wholeSeconds };
  return { fromSec: 0, toSec: Math.max(wholeSeconds, 0) };
}

function classOfBucket(bucket: string): RequestClass | 'rsa' | undefined {
  if (bucket === 'symmetric') return 'symmetric';
  if (bucket === 'rsa') return 'rsa';
  if (bucket === 'ecc') return 'asymmetric';
  if (bucket.startsWith('gdkp:RSA_')) return 'dataKeyPairRsa';
  if (bucket.startsWith('gdkp:')) return 'dataKeyPairEcc';
  // A CloudHSM key store's requests also count in the account's own bucket; counting them here would bill them twice.
  if (bucket === 'custom-key-store') return undefined;
  // A fleet's requests to an AWS service (timeline `s3`, `secretsmanager`, `ssm`) are not KMS requests: the KMS calls
  // the service makes are billed from the attribution, beside the service's own charges (services-report.ts).
  if ((SERVICE_NAMES as readonly string[]).includes(bucket)) return undefined;
  return 'management';
}

/** The share of a fleet's RSA-bucket requests made with RSA_2048 keys, by mix weight. */
function rsa2048Share(fleet: CostFleet | undefined, specOf: ReadonlyMap<string, string>): number {
  let rsa2048 = 0;
  let rsa = 0;
  for (const entry of fleet?.mix ?? []) {
    const spec = entry.key === undefined ? undefined : specOf.get(entry.key);
    if (spec === undefined || !spec.startsWith('RSA_') || !RSA_BUCKET_OPS.has(entry.op)) continue;
    rsa += entry.weight;
    if (spec === 'RSA_2048') rsa2048 += entry.weight;
  }
  return rsa === 0 ? 0 : rsa2048 / rsa;
}

function sumWindow(values: readonly number[], window: { fromSec: number; toSec: number }): number {
  let sum = 0;
  for (let i = window.fromSec; i < window.toSec; i++) sum += values[i] ?? 0;
  return sum;
}

/** What the cost model needs to know about the run beyond its metrics. */
export interface CostRunContext {
  /** False for an interrupted or crashed run: it reached no steady state to extrapolate. Default true. */
  readonly complete?: boolean;
  /** The quota slots of the run: a bucket's rate is never billed above what its quotas admit. */
  readonly quota?: readonly QuotaSlotSnapshot[];
}

/** Estimates a variant's monthly cost from its scenario and its measured metrics. */
export function estimateCost(scenario: CostScenario, metrics: MetricsSummary, context: CostRunContext = {}): CostEstimate {
  const prices = resolvePrices(scenario.prices ?? {});
  const specOf = new Map(scenario.keys.map((key) => [key.name, key.keySpec]));
  const fleetByName = new Map(scenario.fleets.map((fleet) => [fleet.name, fleet]));
  const window = steadyStateWindow(metrics.rateWindow.wholeSeconds);
  const keys = keyCost(scenario, prices);
  const unavailable = unsupportedReason(metrics, context.complete ?? true);
  const warnings = backlogWarnings(metrics);
  if (unavailable !== undefined) {
    return { costUsdPerMonth: null, ...keys, requestsUsdPerMonth: null, unavailable, warnings, requests: [], freeRequestsAppliedPerMonth: 0, steadyState: window, prices };
  }
  const seconds = window.toSec - window.fromSec;
  const bucketRates = new Map<string, number>();
  const ratePerSec = new Map<RequestClass, number>();
  const add = (cls: RequestClass, rate: number): void => {
    if (rate > 0) ratePerSec.set(cls, (ratePerSec.get(cls) ?? 0) + rate);
  };
  for (const fleet of Object.values(metrics.fleets)) {
    for (const [bucket, line] of Object.entries(fleet.timelines)) {
      if (!isQuotaBucket(bucket)) continue;
      bucketRates.set(bucket, (bucketRates.get(bucket) ?? 0) + sumWindow(line.admitted, window) / seconds);
    }
  }
  const caps = quotaCaps(context.quota);
  for (const [fleetName, fleet] of Object.entries(metrics.fleets)) {
    for (const [bucket, line] of Object.entries(fleet.timelines)) {
      const cls = isQuotaBucket(bucket) ? classOfBucket(bucket) : undefined;
      if (cls === undefined) continue;
      let rate = sumWindow(line.admitted, window) / seconds;
      const cap = caps.get(bucket);
      const total = bucketRates.get(bucket) ?? 0;
      // Whole quota windows cannot admit more than the quota: scale every fleet's share down if they somehow did.
      if (cap !== undefined && total > cap) rate *= cap / total;
      if (cls === 'rsa') {
        const share = rsa2048Share(fleetByName.get(fleetName), specOf);
        add('rsa2048', rate * share);
        add('asymmetric', rate * (1 - share));
      } else {
        add(cls, rate);
      }
    }
  }
  for (const row of metrics.services?.kmsCalls ?? []) {
    const cls = classOfBucket(row.bucket);
    if (cls !== undefined && cls !== 'rsa' && metrics.durationSec > 0) add(cls, row.admitted / metrics.durationSec);
  }
  for (const [bucket, total] of bucketRates) {
    const cap = caps.get(bucket);
    if (cap !== undefined && total > cap) {
      warnings.push(`the ${bucket} rate measured (${total.toFixed(1)}/s) exceeds its quota (${cap}/s): billed at the quota`);
    }
  }
  const secondsPerMonth = prices.hoursPerMonth * SECONDS_PER_HOUR;
  let freeLeft = prices.freeRequestsPerMonth;
  let freeApplied = 0;
  const requests: RequestCost[] = [];
  for (const cls of REQUEST_CLASSES) {
    const rate = ratePerSec.get(cls);
    if (rate === undefined) continue;
    const perMonth = rate * secondsPerMonth;
    const free = FREE_TIER_CLASSES.includes(cls) ? Math.min(freeLeft, perMonth) : 0;
    freeLeft -= free;
    freeApplied += free;
    const billablePerMonth = perMonth - free;
    requests.push({ class: cls, ratePerSec: rate, perMonth, billablePerMonth, usdPerMonth: (billablePerMonth * prices[CLASS_PRICE[cls]]) / 10_000 });
  }
  const requestsUsdPerMonth = requests.reduce((sum, request) => sum + request.usdPerMonth, 0);
  return {
    costUsdPerMonth: keys.keysUsdPerMonth + requestsUsdPerMonth,
    ...keys,
    requestsUsdPerMonth,
    warnings,
    requests,
    freeRequestsAppliedPerMonth: freeApplied,
    steadyState: window,
    prices,
  };
}

function keyCost(scenario: CostScenario, prices: PriceTable): { keysUsdPerMonth: number; billedKeys: number } {
  const billedKeys = scenario.keys.filter((key) => !UNBILLED_KEY_STATES.has(key.state ?? 'Enabled')).length;
  const rotations = Math.min(prices.keyRotations, prices.billedRotationsMax);
  return { billedKeys, keysUsdPerMonth: billedKeys * (prices.keyMonthUsd + rotations * prices.rotationKeyMonthUsd) };
}

/** Per bucket name, the sum of the quotas of every (account, region) slot that saw traffic; unlimited ones left out. */
function quotaCaps(quota: readonly QuotaSlotSnapshot[] | undefined): Map<string, number> {
  const caps = new Map<string, number>();
  for (const slot of quota ?? []) {
    if (Number.isFinite(slot.quotaPerSec)) caps.set(slot.bucket, (caps.get(slot.bucket) ?? 0) + slot.quotaPerSec);
  }
  return caps;
}
