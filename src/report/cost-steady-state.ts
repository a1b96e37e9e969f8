/**
 * Whether a run reached a steady state worth extrapolating to a month, and what a reader must know before acting on
 * the figure. A number the tool prints is a promise: a run that cannot support one gets a reason instead.
 */
import type { MetricsSummary } from '../metrics/index.js';
import { formatNumber } from './text.js';

/**
 * Why a run's request rate cannot be extrapolated, or undefined when it can:
 * - an incomplete run (interrupted, a worker crashed) measured part of a schedule, not a steady state;
 * - a run without a whole second has no whole quota window to take a rate over;
 * - a cached fleet whose data keys did not, on average, reach the end of their life once (maxAge,
 *   maxMessagesEncrypted, maxBytesEncrypted, or LRU eviction: fewer such retirements than entries still cached at the
 *   end) has not paid for replacing keys yet: its KMS rate is the warm-up's, and a month extrapolated from it is
 *   wrong. Where the client cannot see evictions (the Encryption SDK's cache) the check cannot be made.
 */
export function unsupportedReason(metrics: MetricsSummary, complete: boolean): string | undefined {
  if (!complete) return 'incomplete run: no steady state to extrapolate';
  if (!metrics.rateWindow.whole) return `too short to reach steady state: ${formatNumber(metrics.durationSec)} s is less than one quota window (1 s)`;
  const unreplaced = Object.entries(metrics.fleets).filter(([, fleet]) => {
    const cache = fleet.cache;
    if (cache === undefined || !cache.cached || cache.dataKeys === 0) return false;
    if (cache.evictions === null) return false;
    const { expired, limits, capacity, replaced } = cache.evictions;
    const retired = expired + limits + capacity;
    // Every encrypt key fetched either retired, was replaced by a concurrent miss's, or is still cached.
    const live = Math.max(1, cache.dataKeys - retired - replaced);
    return retired < live;
  });
  if (unreplaced.length === 0) return undefined;
  const names = unreplaced.map(([name]) => name).join(', ');
  return (
    `too short to reach steady state: the data keys of ${names} did not reach their maxAge, message or byte limit ` +
    `in ${formatNumber(metrics.durationSec)} s, so the cost of replacing them is not in the rate — run longer than the cache's key lifetime`
  );
}

/** One warning per fleet whose backlog grew through the run: offered stayed above what finished. */
export function backlogWarnings(metrics: MetricsSummary): string[] {
  const warnings: string[] = [];
  for (const [name, fleet] of Object.entries(metrics.fleets)) {
    const { backlog, offeredPerSec, goodputPerSec } = fleet.total;
    if (!backlog.growing) continue;
    warnings.push(
      `backlog grows: ${name} is offered ${offeredPerSec.toFixed(1)}/s but completes ${goodputPerSec.toFixed(1)}/s; ` +
        `${formatNumber(backlog.atEnd)} operations were waiting at the end, +${backlog.growthPerSec.toFixed(1)}/s — not a steady state: ` +
        `the cost is of what the quota admitted, not of the demand, which is not being served`,
    );
  }
  return warnings;
}
