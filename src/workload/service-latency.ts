/**
 * Service latency: how long KMS takes to answer, added to every attempt so a closed fleet (and the SDK's retry timing)
 * behaves as it would against a real endpoint. The model itself answers in microseconds.
 */
import { KeyedRandom, pairKey, randomNormal, type Random } from '../base/random.js';

export type ServiceLatencySpec =
  | { readonly distribution: 'constant'; readonly ms: number }
  | { readonly distribution: 'lognormal'; readonly medianMs: number; readonly p99Ms: number };

/**
 * The service latency a scenario gets when it sets none for a fleet's region (nor a `default`): an in-region call over
 * an established connection, a few milliseconds at the median with a tail of tens of milliseconds.
 *
 * Source: an assumption, stated as such. AWS publishes no latency figures for KMS (the developer guide's quotas pages
 * and the KMS SLA give request rates and availability, not response times), so no figure can be cited; this one is the
 * order of magnitude commonly observed for in-region KMS calls, and the reports say whenever it was assumed. Measure
 * your own (time your SDK calls) and set `serviceLatency`; `{ distribution: constant, ms: 0 }` models none.
 */
export const ASSUMED_SERVICE_LATENCY: ServiceLatencySpec = Object.freeze({ distribution: 'lognormal', medianMs: 4, p99Ms: 25 });

/** A latency distribution in words: "lognormal, median 4 ms, p99 25 ms". */
export function describeLatency(spec: ServiceLatencySpec): string {
  return spec.distribution === 'constant' ? `constant ${spec.ms} ms` : `lognormal, median ${spec.medianMs} ms, p99 ${spec.p99Ms} ms`;
}

/** The standard normal's 99th percentile, z₀.₉₉, which ties a lognormal's p99 to its σ. */
const Z_99 = 2.3263478740408408;

/** Returns a sampler of latency in ms. A lognormal is fixed by its median (e^μ) and p99 (e^(μ + z₀.₉₉·σ)). */
export function latencySampler(spec: ServiceLatencySpec, random: Random): () => number {
  if (spec.distribution === 'constant') {
    const ms = spec.ms;
    return () => ms;
  }
  const mu = Math.log(spec.medianMs);
  const sigma = lognormalSigma(spec);
  return () => Math.exp(mu + sigma * randomNormal(random));
}

/** A lognormal's σ from its median and p99 (0 when they are equal). */
function lognormalSigma(spec: Extract<ServiceLatencySpec, { distribution: 'lognormal' }>): number {
  return spec.p99Ms <= spec.medianMs ? 0 : Math.log(spec.p99Ms / spec.medianMs) / Z_99;
}

/** The mean of a service latency distribution, ms (a lognormal's mean is e^(μ + σ²/2)); 0 without one. */
export function meanLatencyMs(spec: ServiceLatencySpec | undefined): number {
  if (spec === undefined) return 0;
  if (spec.distribution === 'constant') return spec.ms;
  const sigma = lognormalSigma(spec);
  return spec.medianMs * Math.exp((sigma * sigma) / 2);
}

/**
 * Service latency of one attempt: with the request's `draw` key (PlannedRequest.draw) and the attempt's number
 * (1-based), drawn from a keyed stream, so the same request's attempts wait the same whichever thread or `--shard`
 * sends it; called without them (the SDK's request handler, an envelope's own data-key call), drawn in call order.
 */
export type LatencySampler = (draw?: number, attempt?: number) => number;

/**
 * A {@link LatencySampler}: `keyedStream` names the fleet's keyed stream (the same in every thread), `sequential` the
 * per-thread stream of calls made without a key.
 */
export function keyedLatencySampler(spec: ServiceLatencySpec, seed: number, keyedStream: string, sequential: Random): LatencySampler {
  const keyed = new KeyedRandom(seed, keyedStream);
  const byKey = latencySampler(spec, keyed.random);
  const inOrder = latencySampler(spec, sequential);
  return (draw, attempt) => {
    if (draw === undefined) return inOrder();
    keyed.at(pairKey(draw, attempt ?? 1));
    return byKey();
  };
}
