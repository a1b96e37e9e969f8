/**
 * The headline of a matrix: which variant answers the question the matrix asks. A matrix over data-key caches asks
 * which setting removes the throttles with the fewest KMS calls (and what it saves); one over retry policies asks
 * which fails the fewest operations and at what latency; any other is summed up by who throttles and who does not.
 */
import { int } from './cells.js';
import type { CacheSummary } from '../metrics/index.js';
import {
  backlogGrows,
  failedOfText,
  failureRate,
  latencyQuotable,
  latencyText,
  listText,
  percentText,
  quotableCost,
  rateText,
  ratesQuotable,
} from './headline-figures.js';
import { peakAdmitted, slotName, slotUsage } from './quota-usage.js';
import type { VariantResult } from './result.js';
import { formatUsd } from './text.js';

/** How a variant is named in prose: its short label (chart-style.ts). */
export type LabelOf = (variant: VariantResult) => string;

/** Names as prose, or a count when there are too many to read: `a, b and c`, `4 of 5 variants`. */
function namesText(variants: readonly VariantResult[], all: number, label: LabelOf): string {
  return variants.length > 3 ? `${variants.length} of ${all} variants` : listText(variants.map(label));
}

function cachesOf(variant: VariantResult): CacheSummary[] {
  return Object.values(variant.metrics.fleets).flatMap((fleet) => (fleet.cache === undefined ? [] : [fleet.cache]));
}

/** True when any fleet of the variant ran a data-key cache. */
export function isCached(variant: VariantResult): boolean {
  return cachesOf(variant).some((cache) => cache.cached);
}

/** True when the variant has envelope fleets and none of them cached: the `cache: off` baseline. */
function isUncached(variant: VariantResult): boolean {
  const caches = cachesOf(variant);
  return caches.length > 0 && caches.every((cache) => !cache.cached);
}

/** `; each data key encrypts up to 100 messages over 5.8 s` when the cache observed it (not an esdk fleet's cache). */
function exposureText(variant: VariantResult): string {
  const caches = cachesOf(variant).filter((cache) => cache.cached);
  const messages = caches.map((cache) => cache.messagesPerKeyMax);
  const ages = caches.map((cache) => cache.maxKeyAgeMs);
  if (caches.length === 0 || messages.some((n) => n === null)) return '';
  const most = Math.max(...messages.map((n) => n ?? 0));
  const age = ages.some((ms) => ms === null) ? '' : ` over ${latencyText(Math.max(...ages.map((ms) => ms ?? 0)) * 1000)}`;
  return `; each data key encrypts up to ${int(most)} message${most === 1 ? '' : 's'}${age}`;
}

/**
 * A cache matrix: the cached variant with the fewest KMS calls among those that throttled nothing, what it saves
 * against the uncached one (calls, and cost when both are quotable), its data-key exposure, and the uncached throttling.
 */
export function cachingHeadline(candidates: readonly VariantResult[], label: LabelOf): string[] {
  const off = candidates.find(isUncached);
  const cached = candidates.filter(isCached);
  const calls = (v: VariantResult): number => v.metrics.total.attempts;
  const clean = cached.filter((v) => v.metrics.total.throttled === 0 && !backlogGrows(v)).sort((a, b) => calls(a) - calls(b));
  const [pick] = clean;
  if (pick === undefined) {
    const [least] = [...cached].sort((a, b) => a.metrics.total.throttleRate - b.metrics.total.throttleRate || calls(a) - calls(b));
    if (least === undefined) return [];
    const baseline = off === undefined ? '' : ` (${percentText(off.metrics.total.throttleRate)} without a cache)`;
    return [`No cache setting removes the throttles: ${label(least)} throttles least, ${percentText(least.metrics.total.throttleRate)} of calls${baseline}.`];
  }
  const pickCost = quotableCost(pick);
  if (off === undefined) {
    const cost = pickCost === null ? '' : `, at ${formatUsd(pickCost)} a month`;
    const others = cached.filter((v) => v.metrics.total.throttled > 0);
    const tail = others.length === 0 ? '' : ` ${namesText(others, cached.length, label)} throttle${others.length === 1 ? 's' : ''}.`;
    return [`${label(pick)} makes the fewest KMS calls without a throttle (${int(calls(pick))})${cost}${exposureText(pick)}.${tail}`];
  }
  const offCost = quotableCost(off);
  const cut = calls(off) === 0 ? 0 : 1 - calls(pick) / calls(off);
  let first =
    cut > 0
      ? `${label(pick)} cuts KMS calls ${percentText(cut)} (from ${int(calls(off))} to ${int(calls(pick))})`
      : `${label(pick)} makes ${int(calls(pick))} KMS calls against ${int(calls(off))} without a cache`;
  if (offCost !== null && pickCost !== null) first += ` and cost from ${formatUsd(offCost)} to ${formatUsd(pickCost)} a month`;
  else if (pickCost !== null) first += `, at ${formatUsd(pickCost)} a month`;
  const offTotal = off.metrics.total;
  const fails = offTotal.failedTotal > 0 ? ` and ${percentText(failureRate(offTotal))} of operations fail` : '';
  const second = offTotal.throttled > 0 ? `Without a cache, ${percentText(offTotal.throttleRate)} of calls throttle${fails}.` : 'Without a cache, no call throttles either.';
  return [`${first}${exposureText(pick)}.`, second];
}

/** The retry policy a variant's first fleet ran, when recorded. */
function policyOf(variant: VariantResult): string | undefined {
  const [placement] = Object.values(variant.fleetPlacement ?? {});
  return placement?.retry?.policy;
}

/** Policies that retry without waiting: against them, a policy that fails less pays for it in latency by backing off. */
const NO_BACKOFF = new Set(['none', 'immediate']);

/**
 * A retry matrix: the policy that failed the fewest operations, the one that failed the most, and the latency (p99)
 * each paid, when both latencies are measurements of KMS and not of a generator that fell behind.
 */
export function backoffHeadline(variants: readonly VariantResult[], label: LabelOf): string[] {
  // A variant whose backlog grew has operations still waiting, not failed: ranking its failures would reward that.
  const steady = variants.filter((v) => !backlogGrows(v));
  const candidates = steady.length >= 2 ? steady : variants;
  const failed = (v: VariantResult): number => v.metrics.total.failedTotal;
  const p99 = (v: VariantResult): number => v.metrics.total.latencyUs.p99;
  const fewest = Math.min(...candidates.map(failed));
  const most = Math.max(...candidates.map(failed));
  const best = candidates.filter((v) => failed(v) === fewest);
  const worst = candidates.filter((v) => failed(v) === most);
  const [first] = best;
  const [last] = worst;
  if (first === undefined || last === undefined) return [];
  const timed = candidates.filter(latencyQuotable);
  if (most === 0) {
    const sentence = `No variant fails an operation`;
    if (timed.length < 2) return [`${sentence}.`];
    const fastest = timed.reduce((a, b) => (p99(b) < p99(a) ? b : a));
    const slowest = timed.reduce((a, b) => (p99(b) > p99(a) ? b : a));
    const [low, high] = [latencyText(p99(fastest)), latencyText(p99(slowest))];
    if (p99(slowest) <= 1.1 * p99(fastest)) return [`${sentence}, at about the same p99 (${low === high ? low : `${low} to ${high}`}).`];
    return [`${sentence}; ${label(fastest)} has the lowest p99 (${low}) and ${label(slowest)} the highest (${high}).`];
  }
  if (fewest === most) return [`Every variant fails ${int(most)} of ${int(first.metrics.total.completed)} operations.`];
  const verb = best.length === 1 ? 'fails' : 'fail';
  const worstVerb = worst.length === 1 ? 'fails' : 'fail';
  const bestText = fewest === 0 ? `${namesText(best, candidates.length, label)} ${verb} no operation` : `${namesText(best, candidates.length, label)} ${verb} the fewest operations (${failedOfText(fewest, first.metrics.total.completed)})`;
  const sentences = [`${bestText}; ${namesText(worst, candidates.length, label)} ${worstVerb} ${int(most)} (${percentText(failureRate(last.metrics.total))}).`];
  if (!latencyQuotable(first) || !latencyQuotable(last)) return sentences;
  const [a, b] = [latencyText(p99(first)), latencyText(p99(last))];
  if (p99(first) > 1.1 * p99(last)) {
    const backoff = NO_BACKOFF.has(policyOf(last) ?? '') && !NO_BACKOFF.has(policyOf(first) ?? 'none');
    sentences.push(`${backoff ? 'Backoff costs latency' : 'Fewer failures cost latency'}: p99 ${a} against ${b}.`);
  } else if (p99(first) * 1.1 < p99(last)) sentences.push(`It is faster too: p99 ${a} against ${b}.`);
  else sentences.push(`At about the same latency: p99 ${a} against ${b}.`);
  return sentences;
}

/** Any other matrix: who throttles and who does not, the worst's failures, or the headroom when none throttles. */
export function genericHeadline(candidates: readonly VariantResult[], label: LabelOf): string[] {
  const all = candidates.length;
  const throttled = candidates.filter((v) => v.metrics.total.throttled > 0).sort((a, b) => b.metrics.total.throttleRate - a.metrics.total.throttleRate);
  const untouched = candidates.filter((v) => v.metrics.total.throttled === 0);
  const [worst] = throttled;
  if (worst === undefined) {
    const slots = candidates
      .filter(ratesQuotable)
      .flatMap((v) => slotUsage(v).map((slot) => ({ v, slot, peak: peakAdmitted(slot) })))
      .filter(({ slot, peak }) => Number.isFinite(slot.quotaPerSec) && slot.quotaPerSec > 0 && peak !== undefined);
    if (slots.length === 0) return ['No variant is throttled.'];
    const fullest = slots.reduce((a, b) => ((b.peak ?? 0) / b.slot.quotaPerSec > (a.peak ?? 0) / a.slot.quotaPerSec ? b : a));
    const share = percentText((fullest.peak ?? 0) / fullest.slot.quotaPerSec);
    return [`No variant is throttled: the busiest second used ${share} of the ${slotName(fullest.slot)} quota (${rateText(fullest.slot.quotaPerSec)}/s), in ${label(fullest.v)}.`];
  }
  const total = worst.metrics.total;
  const fails = total.failedTotal > 0 ? `${int(total.failedTotal)} of ${int(total.completed)} operations fail` : 'every operation succeeds';
  if (untouched.length > 0) {
    const subject = `${namesText(throttled, all, label)} throttle${throttled.length === 1 ? 's' : ''} and ${namesText(untouched, all, label)} ${untouched.length === 1 ? 'does' : 'do'} not`;
    return [`${subject}; ${label(worst)} throttles most: ${percentText(total.throttleRate)} of calls, ${fails}.`];
  }
  const least = throttled.at(-1) ?? worst;
  return [
    `Every variant throttles: ${label(worst)} most (${percentText(total.throttleRate)} of calls; ${fails}), ` +
      `${label(least)} least (${percentText(least.metrics.total.throttleRate)}, ${int(least.metrics.total.failedTotal)} failed).`,
  ];
}
