/**
 * KMS calls a data-key cache saved, measured against a paired uncached variant: when a matrix varies a fleet's
 * `cache` and has an `off` value, each cached variant is paired with the variant equal to it but for `cache: off`,
 * and the saving is that variant's envelope KMS calls minus this one's (retries included, so a cache that stops a
 * retry storm is credited with it). Without a pair, the summary's estimate (one call per envelope operation) stands.
 */
import type { CacheSaving, VariantResult } from './result-types.js';

const isOff = (value: unknown): boolean => value === 'off' || value === false;
const isCacheAxis = (path: string): boolean => path === 'cache' || path.endsWith('.cache');

/** The variant that equals `variant` on every axis but has `off` on each cache axis where it differs. */
function baselineOf(variant: VariantResult, variants: readonly VariantResult[]): VariantResult | undefined {
  const axes = Object.keys(variant.values);
  if (!axes.some((axis) => isCacheAxis(axis) && !isOff(variant.values[axis]))) return undefined;
  return variants.find(
    (other) =>
      other !== variant &&
      axes.every((axis) => {
        const mine = JSON.stringify(variant.values[axis]);
        const theirs = JSON.stringify(other.values[axis]);
        return mine === theirs || (isCacheAxis(axis) && isOff(other.values[axis]));
      }) &&
      axes.some((axis) => isCacheAxis(axis) && isOff(other.values[axis])),
  );
}

/** The variants with `cacheSavings` added where a paired uncached variant exists. */
export function withCacheSavings(variants: VariantResult[]): VariantResult[] {
  return variants.map((variant) => {
    const baseline = baselineOf(variant, variants);
    if (baseline === undefined) return variant;
    const savings: CacheSaving[] = [];
    for (const [fleet, summary] of Object.entries(variant.metrics.fleets)) {
      const mine = summary.cache;
      const theirs = baseline.metrics.fleets[fleet]?.cache;
      if (mine === undefined || theirs === undefined || !mine.cached || theirs.cached) continue;
      savings.push({ fleet, baseline: baseline.name, baselineKmsCalls: theirs.kmsCalls, kmsCalls: mine.kmsCalls, kmsCallsSaved: theirs.kmsCalls - mine.kmsCalls });
    }
    return savings.length === 0 ? variant : { ...variant, cacheSavings: savings };
  });
}
