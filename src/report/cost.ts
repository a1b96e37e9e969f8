/**
 * The cost model: what a workload would cost per month on AWS KMS, from the price table (prices.ts) and the run's
 * steady-state request rates. Keys: key-months plus retained rotations. Requests: the requests the quota admitted,
 * by price class, extrapolated from the steady-state per-second rate to a month, less the free tier.
 *
 * Assumptions, stated so a reader can check them:
 * - Requests the quota throttled are rejected before any work and are not billed; requests that failed after being
 *   admitted (a validation error, say) are not in the per-second timelines and are not counted.
 * - The steady state is the run's complete seconds without the first (warm-up: no retries are pending yet) when the
 *   run has at least three; the drain after the end of the run is never part of it.
 * - RSA requests are split between RSA_2048 and the other RSA specs by the weights of the fleet's mix entries.
 * - Every scenario key is billed unless it is pending deletion; `keyRotations` says how often each was rotated.
 */
import type { MetricsSummary } from '../metrics/index.js';
import { resolvePrices } from './prices.js';
import type { PriceName, PriceOverrides, PriceTable } from './prices.js';

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
  /** Keys plus requests, USD per month. */
  readonly costUsdPerMonth: number;
  readonly keysUsdPerMonth: number;
  readonly requestsUsdPerMonth: number;
  readonly billedKeys: number;
  /** Classes that saw traffic, in {@link REQUEST_CLASSES} order. */
  readonly requests: readonly RequestCost[];
  readonly freeRequestsAppliedPerMonth: number;
  /** The seconds of the run the rates come from: `[fromSec, toSec)`. */
  readonly steadyState: { readonly fromSec: number; readonly toSec: number };
  /** The prices used, after the scenario's overrides. */
  readonly prices: PriceTable;
}

/**
 * The window of complete seconds the steady-state rates are taken over. The timeline's last slot holds everything
 * after the scheduled end (requests draining), so it is never part of the window.
 */
export function steadyStateWindow(durationSec: number, timelineSeconds: number): { fromSec: number; toSec: number } {
  const full = Math.min(Math.floor(durationSec), timelineSeconds - 1);
  if (full >= 3) return { fromSec: 1, toSec: full };
  return { fromSec: 0, toSec: Math.max(full, 0) };
}

function classOfBucket(bucket: string): RequestClass | 'rsa' | undefined {
  if (bucket === 'symmetric') return 'symmetric';
  if (bucket === 'rsa') return 'rsa';
  if (bucket === 'ecc') return 'asymmetric';
  if (bucket.startsWith('gdkp:RSA_')) return 'dataKeyPairRsa';
  if (bucket.startsWith('gdkp:')) return 'dataKeyPairEcc';
  // A CloudHSM key store's requests also count in the account's own bucket; counting them here would bill them twice.
  if (bucket === 'custom-key-store') return undefined;
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

/** Estimates a variant's monthly cost from its scenario and its measured metrics. */
export function estimateCost(scenario: CostScenario, metrics: MetricsSummary): CostEstimate {
  const prices = resolvePrices(scenario.prices ?? {});
  const specOf = new Map(scenario.keys.map((key) => [key.name, key.keySpec]));
  const fleetByName = new Map(scenario.fleets.map((fleet) => [fleet.name, fleet]));
  const scheduledSec = scenario.durationMs === undefined ? metrics.durationSec : scenario.durationMs / 1000;
  const window = steadyStateWindow(scheduledSec, metrics.timelineSeconds);
  const seconds = window.toSec - window.fromSec;
  const ratePerSec = new Map<RequestClass, number>();
  const add = (cls: RequestClass, rate: number): void => {
    if (rate > 0) ratePerSec.set(cls, (ratePerSec.get(cls) ?? 0) + rate);
  };
  for (const [fleetName, fleet] of Object.entries(metrics.fleets)) {
    for (const [bucket, line] of Object.entries(fleet.timelines)) {
      const cls = classOfBucket(bucket);
      if (cls === undefined) continue;
      // A run shorter than a second has no complete second: its whole measured time is the window.
      const rate =
        seconds > 0 ? sumWindow(line.admitted, window) / seconds : line.admitted.reduce((a, b) => a + b, 0) / metrics.durationSec;
      if (cls === 'rsa') {
        const share = rsa2048Share(fleetByName.get(fleetName), specOf);
        add('rsa2048', rate * share);
        add('asymmetric', rate * (1 - share));
      } else {
        add(cls, rate);
      }
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
  const billedKeys = scenario.keys.filter((key) => !UNBILLED_KEY_STATES.has(key.state ?? 'Enabled')).length;
  const rotations = Math.min(prices.keyRotations, prices.billedRotationsMax);
  const keysUsdPerMonth = billedKeys * (prices.keyMonthUsd + rotations * prices.rotationKeyMonthUsd);
  const requestsUsdPerMonth = requests.reduce((sum, request) => sum + request.usdPerMonth, 0);
  return {
    costUsdPerMonth: keysUsdPerMonth + requestsUsdPerMonth,
    keysUsdPerMonth,
    requestsUsdPerMonth,
    billedKeys,
    requests,
    freeRequestsAppliedPerMonth: freeApplied,
    steadyState: window,
    prices,
  };
}
