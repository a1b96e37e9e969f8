/**
 * How full each quota was, second by second: for each (account, region, bucket) a variant drew from, the quota and the
 * calls it admitted in each whole second of the run, summed over the fleets placed there. The headline reads headroom
 * from it ("the busiest second used 62% of the quota") and whether a throttled quota was full all run or only in a
 * spike. Only whole seconds count: they are the quota's one-second windows, and the drain after the scheduled end is
 * not one of them.
 */
import type { BucketTimeline } from '../metrics/index.js';
import type { QuotaSlotSnapshot } from '../quota/index.js';
import type { VariantResult } from './result.js';

/** One quota slot of a variant (its admitted and throttled counts over the whole run, drain included) and its use. */
export interface SlotUsage extends QuotaSlotSnapshot {
  /** The fleets that called this bucket here, in the result's order. */
  readonly fleets: readonly string[];
  /** Per whole second of the run: admitted calls; undefined when the result cannot attribute them to this slot. */
  readonly admittedPerSecond: readonly number[] | undefined;
  /** Per whole second of the run: throttled calls (same condition). */
  readonly throttledPerSecond: readonly number[] | undefined;
}

function addInto(into: number[], from: readonly number[], seconds: number): void {
  for (let s = 0; s < seconds; s++) into[s] = (into[s] ?? 0) + (from[s] ?? 0);
}

/**
 * The quota slots of a variant with their per-second use. Fleets are matched to a slot by their recorded placement
 * (region and account); a result without placements (older files) attributes a bucket's variant-wide timeline to its
 * slot only when one slot has that bucket, since two regions' seconds must never be added together.
 */
export function slotUsage(variant: VariantResult): SlotUsage[] {
  const seconds = variant.metrics.rateWindow.wholeSeconds;
  const fleets = Object.entries(variant.metrics.fleets);
  return variant.quota.map((slot) => {
    const here = fleets.filter(([name, fleet]) => {
      const placed = variant.fleetPlacement?.[name];
      const matches = placed === undefined ? true : placed.region === slot.region && placed.accountId === slot.accountId;
      return matches && fleet.timelines[slot.bucket] !== undefined;
    });
    let lines: BucketTimeline[] | undefined;
    if (variant.fleetPlacement !== undefined) lines = here.flatMap(([, fleet]) => fleet.timelines[slot.bucket] ?? []);
    else if (variant.quota.filter((q) => q.bucket === slot.bucket).length === 1) lines = [variant.metrics.timelines[slot.bucket] ?? { admitted: [], throttled: [] }];
    let admittedPerSecond: number[] | undefined;
    let throttledPerSecond: number[] | undefined;
    if (lines !== undefined && seconds > 0) {
      admittedPerSecond = new Array<number>(seconds).fill(0);
      throttledPerSecond = new Array<number>(seconds).fill(0);
      for (const line of lines) {
        addInto(admittedPerSecond, line.admitted, seconds);
        addInto(throttledPerSecond, line.throttled, seconds);
      }
    }
    return {
      accountId: slot.accountId,
      region: slot.region,
      bucket: slot.bucket,
      quotaPerSec: slot.quotaPerSec,
      admitted: slot.admitted,
      throttled: slot.throttled,
      fleets: here.map(([name]) => name),
      admittedPerSecond,
      throttledPerSecond,
    };
  });
}

/** The busiest whole second's admitted calls, or undefined when not known. */
export function peakAdmitted(slot: SlotUsage): number | undefined {
  return slot.admittedPerSecond === undefined || slot.admittedPerSecond.length === 0 ? undefined : Math.max(...slot.admittedPerSecond);
}

/** The mean admitted calls per whole second, or undefined when not known. */
export function meanAdmitted(slot: SlotUsage): number | undefined {
  const line = slot.admittedPerSecond;
  return line === undefined || line.length === 0 ? undefined : line.reduce((sum, n) => sum + n, 0) / line.length;
}

/** Whole seconds in which the slot throttled at least one call, or undefined when not known. */
export function throttledSeconds(slot: SlotUsage): number | undefined {
  return slot.throttledPerSecond?.filter((n) => n > 0).length;
}

/**
 * A share of its whole seconds' quota the slot admitted on average at or above which it counts as full: one-second
 * windows filled to the brim throughout, give or take the odd second a retry wave missed.
 */
export const FULL_SHARE = 0.95;

/** True when the quota admitted its fill nearly every second: throughput was the quota, not the demand. */
export function quotaFull(slot: SlotUsage): boolean {
  const mean = meanAdmitted(slot);
  return mean !== undefined && Number.isFinite(slot.quotaPerSec) && mean >= FULL_SHARE * slot.quotaPerSec;
}

/** Where a slot is, for prose: `us-east-1 symmetric`. */
export function slotName(slot: SlotUsage): string {
  return `${slot.region} ${slot.bucket}`;
}
