/**
 * What a reader must know before acting on a run's numbers, worded once for the terminal, summary.md and report.html:
 * the loud warnings (a growing backlog, a cost warning, rates over less than one quota window), why a cost is n/a,
 * and each fleet's retry policy in words.
 */
import { describeRetryPolicy } from '../client/retry-description.js';
import { backlogWarnings } from './cost-steady-state.js';
import { fleetNames } from './fleet-rows.js';
import type { RunResult, VariantResult } from './result.js';
import { formatNumber } from './text.js';
import { int, ms, pct } from './cells.js';

/**
 * One line per thing that makes a variant's figures unsafe to act on, prefixed with the variant's name: every fleet
 * whose backlog grew (shown even when no cost was estimated), every cost warning, and a run without a whole second.
 * The cost model words its backlog warning with the same function, so the two are merged, not repeated.
 */
export function loudWarnings(result: RunResult): string[] {
  return result.variants.flatMap((variant) => {
    const window = variant.metrics.rateWindow;
    const shortRun = window.whole
      ? []
      : [
          `the run measured ${formatNumber(variant.metrics.durationSec)} s, less than one quota window (1 s): ` +
            'its per-second rates are over part of one window and are not a steady state',
        ];
    const lines = [...new Set([...backlogWarnings(variant.metrics), ...(variant.cost?.warnings ?? []), ...shortRun])];
    return lines.map((line) => `${variant.name}: ${line}`);
  });
}

/** "more than 10 ms late", or "late" for a result that does not record its threshold (written before it was). */
export function lateText(variant: VariantResult): string {
  return variant.lateThresholdMs === undefined ? 'late' : `more than ${formatNumber(variant.lateThresholdMs)} ms late`;
}

/**
 * How late the generator started requests, per variant of a wall-clock run: the start-delay distribution (µs past
 * each open-workload request's intended start) beside the late count, so a reader can tell scheduling jitter from a
 * generator that fell behind. None on the virtual clock, where every start is on time by construction, nor for
 * results that did not record it (older ones) or runs without an open workload (a closed client starts when it means to).
 */
export function startDelayLines(result: RunResult): string[] {
  if (result.scenario.clock === 'virtual') return [];
  return result.variants.flatMap((v) => {
    const delay = v.metrics.total.startDelayUs;
    if (delay === undefined || delay.count === 0) return [];
    const late = v.metrics.total.late;
    return [
      `${v.name}: start delay p50 ${ms(delay.p50)} ms, p99 ${ms(delay.p99)} ms, max ${ms(delay.max)} ms over ${int(delay.count)} ` +
        `starts; ${int(late)} (${pct(late / delay.count)}) ${lateText(v)}`,
    ];
  });
}

/**
 * With a shared quota store: per variant, the store and run id, how many decisions were taken under the fault policy
 * (and in which seconds of the run), and how many requests a spent lease throttled before the next came.
 */
export function quotaStoreLines(result: RunResult): string[] {
  return result.variants.flatMap((v) => {
    const store = v.quotaStore;
    if (store === undefined) return [];
    const windows = store.faultWindows.map((w) => `${int(w.fromSecond)}–${int(w.toSecond)} s`).join(', ');
    const faults =
      store.faultDecisions === 0
        ? 'no decision under the fault policy'
        : `${int(store.faultDecisions)} decision(s) under the fault policy ${store.fault ?? ''} (Redis unreachable or slow) in seconds ${windows}`;
    return [`${v.name}: ${store.store}, run id ${store.runId}, lease ${store.lease ?? 1}: ${faults}; ${int(store.leaseMisses)} lease miss(es)`];
  });
}

/** One line per variant whose cost is n/a: the variant's name and why the run cannot support a figure. */
export function costUnavailableLines(result: RunResult): string[] {
  return result.variants.flatMap((v) => (v.cost?.unavailable === undefined ? [] : [`${v.name}: ${v.cost.unavailable}`]));
}

/** One fleet's retry policy in words, with the variants that ran it when the matrix changed it. */
export interface FleetPolicy {
  readonly fleet: string;
  /** The fleet's region (several joined with " / " when the matrix moved it). */
  readonly region: string;
  /** One entry per distinct policy; `variants` is undefined when every variant ran this one. */
  readonly policies: readonly { readonly text: string; readonly variants: readonly string[] | undefined }[];
}

function policyText(variant: VariantResult, fleet: string): string | undefined {
  const retry = variant.fleetPlacement?.[fleet]?.retry;
  if (retry === undefined) return undefined;
  try {
    return describeRetryPolicy(retry);
  } catch {
    // A result file from another build may name a policy this one does not know: say so, do not guess.
    return `unrecognised retry policy ${JSON.stringify(retry)}`;
  }
}

/**
 * Each fleet's retry policy in words (describeRetryPolicy), per variant as recorded in `fleetPlacement`, grouped so a
 * policy every variant shares is said once. Fleets whose policy the result does not record (older results) are left
 * out rather than guessed from the scenario document, whose matrix may have changed it.
 */
export function fleetPolicies(result: RunResult): FleetPolicy[] {
  const policies: FleetPolicy[] = [];
  for (const fleet of fleetNames(result)) {
    const groups = new Map<string, string[]>();
    const regions = new Set<string>();
    for (const variant of result.variants) {
      const region = variant.fleetPlacement?.[fleet]?.region;
      if (region !== undefined) regions.add(region);
      const text = policyText(variant, fleet);
      if (text === undefined) continue;
      groups.set(text, [...(groups.get(text) ?? []), variant.name]);
    }
    if (groups.size === 0) continue;
    const everyVariant = groups.size === 1 && [...groups.values()][0]?.length === result.variants.length;
    policies.push({
      fleet,
      region: [...regions].join(' / '),
      policies: [...groups].map(([text, variants]) => ({ text, variants: everyVariant ? undefined : variants })),
    });
  }
  return policies;
}

/**
 * The retry policies as plain lines (terminal and summary.md): `web (us-east-1): full-jitter, …`, or, when the
 * matrix changed a fleet's policy, one line per policy naming its variants.
 */
export function retryPolicyLines(result: RunResult): string[] {
  return fleetPolicies(result).flatMap(({ fleet, region, policies }) => {
    const where = region === '' ? fleet : `${fleet} (${region})`;
    return policies.map(({ text, variants }) => (variants === undefined ? `${where}: ${text}` : `${where} in ${variants.join(', ')}: ${text}`));
  });
}
