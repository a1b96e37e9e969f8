/**
 * Service latency: how long KMS takes to answer, added to every attempt so a closed fleet (and the SDK's retry timing)
 * behaves as it would against a real endpoint. The model itself answers in microseconds.
 */
import { randomNormal, type Random } from './random.js';

export type ServiceLatencySpec =
  | { readonly distribution: 'constant'; readonly ms: number }
  | { readonly distribution: 'lognormal'; readonly medianMs: number; readonly p99Ms: number };

/** The standard normal's 99th percentile, z₀.₉₉, which ties a lognormal's p99 to its σ. */
const Z_99 = 2.3263478740408408;

/** Returns a sampler of latency in ms. A lognormal is fixed by its median (e^μ) and p99 (e^(μ + z₀.₉₉·σ)). */
export function latencySampler(spec: ServiceLatencySpec, random: Random): () => number {
  if (spec.distribution === 'constant') {
    const ms = spec.ms;
    return () => ms;
  }
  const mu = Math.log(spec.medianMs);
  const sigma = spec.p99Ms <= spec.medianMs ? 0 : (Math.log(spec.p99Ms) - mu) / Z_99;
  return () => Math.exp(mu + sigma * randomNormal(random));
}
