/**
 * The headline of one variant: which fleets the quota throttled and how hard, or, when none was, how much headroom the
 * busiest second left. Several fleets (a region-tier study) get one clause each, since the variant's total would
 * average a throttled fleet with untouched ones.
 */
import { int } from './cells.js';
import type { FleetSummary } from '../metrics/index.js';
import { failureRate, listText, percentText, rateText, ratesQuotable } from './headline-figures.js';
import { peakAdmitted, quotaFull, slotName, slotUsage, throttledSeconds } from './quota-usage.js';
import type { SlotUsage } from './quota-usage.js';
import type { VariantResult } from './result.js';

/** More throttled fleets than this are summed up by the worst one rather than each named. */
const NAMED_FLEETS = 3;

interface Fleet {
  readonly name: string;
  readonly summary: FleetSummary;
  /** The slot it was throttled in most (or called most, when never throttled). */
  readonly slot: SlotUsage | undefined;
}

function sumOf(values: readonly number[]): number {
  return values.reduce((sum, n) => sum + n, 0);
}

function fleetsOf(variant: VariantResult, usage: readonly SlotUsage[]): Fleet[] {
  const placed = Object.keys(variant.fleetPlacement ?? {});
  const names = [...placed.filter((name) => variant.metrics.fleets[name] !== undefined), ...Object.keys(variant.metrics.fleets).filter((n) => !placed.includes(n))];
  return names.flatMap((name) => {
    const summary = variant.metrics.fleets[name];
    if (summary === undefined || summary.total.offered === 0) return [];
    // The bucket that throttled this fleet most; among never-throttled buckets, the one it called most.
    const count = (slot: SlotUsage, side: 'throttled' | 'admitted'): number => sumOf(summary.timelines[slot.bucket]?.[side] ?? []);
    const busier = (a: SlotUsage, b: SlotUsage): boolean =>
      count(a, 'throttled') > count(b, 'throttled') || (count(a, 'throttled') === count(b, 'throttled') && count(a, 'admitted') > count(b, 'admitted'));
    const slot = usage.filter((s) => s.fleets.includes(name)).reduce<SlotUsage | undefined>((best, s) => (best === undefined || busier(s, best) ? s : best), undefined);
    return [{ name, summary, slot }];
  });
}

/** The peak second's share of a finite quota, or undefined. */
function peakShare(slot: SlotUsage | undefined): number | undefined {
  const peak = slot === undefined ? undefined : peakAdmitted(slot);
  return slot === undefined || peak === undefined || !Number.isFinite(slot.quotaPerSec) || slot.quotaPerSec <= 0 ? undefined : peak / slot.quotaPerSec;
}

/** "86% of calls throttle and 46% of operations fail after retries." */
function outcomeText(total: FleetSummary['total']): string {
  const retried = total.retries > 0 ? ' after retries' : '';
  const failed = total.failedTotal > 0 ? `${percentText(failureRate(total))} of operations fail${retried}` : `every operation succeeds${retried}`;
  return `${percentText(total.throttleRate)} of calls throttle and ${failed}`;
}

/** The one fleet of a variant, throttled. */
function oneFleet(variant: VariantResult, fleet: Fleet): string {
  const total = fleet.summary.total;
  const slot = fleet.slot;
  const where = slot === undefined ? 'its quota' : `the ${slotName(slot)} quota (${rateText(slot.quotaPerSec)}/s)`;
  const demand = `${rateText(total.goodputPerSec)}/s against ${rateText(total.offeredPerSec)}/s offered`;
  if (!ratesQuotable(variant) || slot === undefined) return `${fleet.name} is throttled by ${where}: ${outcomeText(total)}.`;
  if (quotaFull(slot)) return `${fleet.name} is throttled: ${where} holds goodput to ${demand}; ${outcomeText(total)}.`;
  const seconds = throttledSeconds(slot);
  const when = seconds === undefined ? '' : ` in ${seconds} of ${variant.metrics.rateWindow.wholeSeconds} seconds`;
  return `${fleet.name} is throttled${when} by ${where}: goodput ${demand}; ${outcomeText(total)}.`;
}

/** One throttled fleet among several: `sao-paulo (sa-east-1) is throttled: 8.3% of calls, goodput held at …`. */
function throttledClause(variant: VariantResult, fleet: Fleet): string {
  const total = fleet.summary.total;
  const slot = fleet.slot;
  const region = variant.fleetPlacement?.[fleet.name]?.region ?? slot?.region;
  let text = `${fleet.name}${region === undefined ? '' : ` (${region})`} is throttled: ${percentText(total.throttleRate)} of calls`;
  if (slot !== undefined && Number.isFinite(slot.quotaPerSec)) {
    const quota = `${rateText(slot.quotaPerSec)}/s ${slot.bucket} quota`;
    const others = slot.fleets.filter((name) => name !== fleet.name);
    if (others.length > 0) text += `, sharing the ${quota} with ${listText(others)}`;
    else if (ratesQuotable(variant)) text += quotaFull(slot) ? `, goodput held at the ${quota}` : `, goodput ${rateText(total.goodputPerSec)}/s under the ${quota}`;
  }
  if (total.retries > 0 && total.failedTotal > 0) text += `, and ${percentText(failureRate(total))} of operations fail after retries`;
  return text;
}

/** The fleets the quota left alone, with their busiest second's share of their quota when every one is known. */
function untouchedClause(variant: VariantResult, fleets: readonly Fleet[]): string {
  const names = fleets.map((f) => f.name);
  const shares = fleets.map((f) => peakShare(f.slot));
  const known = ratesQuotable(variant) && shares.every((s) => s !== undefined);
  const plural = fleets.length > 1;
  const headroom = known
    ? ` (${plural ? 'their busiest seconds used' : 'its busiest second used'} ${listText(shares.map((s) => percentText(s ?? 0)))} of ${plural ? 'their quotas' : 'its quota'})`
    : '';
  return `${listText(names)} ${plural ? 'are' : 'is'} not${headroom}`;
}

/** No fleet throttled: the fullest quota's busiest second, or that quotas were unlimited. */
function headroom(variant: VariantResult, usage: readonly SlotUsage[]): string {
  const finite = usage.filter((slot) => Number.isFinite(slot.quotaPerSec) && peakAdmitted(slot) !== undefined);
  if (!ratesQuotable(variant) || usage.length === 0) return `No throttling: none of ${int(variant.metrics.total.attempts)} calls was throttled.`;
  if (finite.length === 0) {
    const busiest = usage.reduce((a, b) => ((peakAdmitted(b) ?? 0) > (peakAdmitted(a) ?? 0) ? b : a));
    return `No throttling: the quotas are unlimited; the busiest second made ${int(peakAdmitted(busiest) ?? 0)} ${slotName(busiest)} calls.`;
  }
  const fullest = finite.reduce((a, b) => ((peakShare(b) ?? 0) > (peakShare(a) ?? 0) ? b : a));
  const of = finite.length > 1 ? `, the fullest of ${finite.length} quotas` : '';
  return `No throttling: the busiest second used ${percentText(peakShare(fullest) ?? 0)} of the ${slotName(fullest)} quota (${rateText(fullest.quotaPerSec)}/s)${of}.`;
}

/**
 * The headline of a single variant, one or two sentences: `web is throttled: the us-east-1 symmetric quota (200/s)
 * holds goodput to 200/s against 397/s offered; 86% of calls throttle and 46% of operations fail after retries.`, or
 * `No throttling: the busiest second used 62% of the us-east-1 symmetric quota (100,000/s).`
 */
export function quotaHeadline(variant: VariantResult): string[] {
  if (variant.metrics.total.offered === 0) return ['Nothing was offered: the run made no KMS call.'];
  const usage = slotUsage(variant);
  const fleets = fleetsOf(variant, usage);
  const throttled = fleets.filter((f) => f.summary.total.throttled > 0).sort((a, b) => b.summary.total.throttleRate - a.summary.total.throttleRate);
  const untouched = fleets.filter((f) => f.summary.total.throttled === 0);
  if (throttled.length === 0) return [headroom(variant, usage)];
  const [worst] = throttled;
  if (fleets.length === 1 && worst !== undefined) return [oneFleet(variant, worst)];
  const clauses =
    throttled.length > NAMED_FLEETS && worst !== undefined
      ? [`${throttled.length} of ${fleets.length} fleets are throttled, the worst ${throttledClause(variant, worst).replace(' is throttled:', ':')}`]
      : throttled.map((f) => throttledClause(variant, f));
  if (untouched.length > 0) clauses.push(untouched.length > NAMED_FLEETS ? `${untouched.length} fleets are not` : untouchedClause(variant, untouched));
  return [`${clauses.join('; ')}.`];
}
