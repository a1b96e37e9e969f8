/**
 * Scenarios whose plan answers can be worked out by hand, and that arithmetic: an open Poisson fleet calling Encrypt
 * without retries against a fixed-window quota of Q per second. Arrivals in one window are N ~ Poisson(λ); the window
 * admits min(N, Q) and throttles max(N − Q, 0), so the throttle rate is E[max(N − Q, 0)] / λ.
 */

/** E[max(N − q, 0)] for N ~ Poisson(λ): λ − Σ_{n<q} n·p(n) − q·(1 − Σ_{n<q} p(n)) … computed as E[N] − E[min(N, q)]. */
export function expectedExcess(lambda: number, q: number): number {
  let p = Math.exp(-lambda);
  let below = 0;
  let meanMin = 0;
  for (let n = 0; n < q; n++) {
    meanMin += n * p;
    below += p;
    p *= lambda / (n + 1);
  }
  meanMin += q * (1 - below);
  return lambda - meanMin;
}

/** The throttle rate of Poisson(λ) arrivals per fixed window of quota q, without retries. */
export function poissonThrottleRate(lambda: number, q: number): number {
  return expectedExcess(lambda, q) / lambda;
}

/** The λ at which the throttle rate equals `target` (it grows with λ), by bisection. */
export function rateAtThrottle(q: number, target: number): number {
  let lo = 1e-6;
  let hi = 4 * q;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (poissonThrottleRate(mid, q) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The smallest whole quota at which λ's throttle rate is below `target`. */
export function quotaForThrottle(lambda: number, target: number): number {
  let q = 1;
  while (poissonThrottleRate(lambda, q) >= target) q++;
  return q;
}

/** The hand-computable scenario: Poisson λ/s Encrypt, no retries, fixed-window quota Q, crypto off, virtual clock. */
export function poissonScenario(options: { rate: number; quota: number; duration: string; plan?: string; name?: string }): string {
  return [
    `name: ${options.name ?? 'poisson-quota'}`,
    'seed: 3',
    `duration: ${options.duration}`,
    'clock: virtual',
    'model: { crypto: off }',
    `quotas: { enforcement: fixed-window, overrides: { us-east-1: { symmetric: ${options.quota} } } }`,
    'keys:',
    '  - { name: app, region: us-east-1 }',
    'serviceLatency: { default: { distribution: lognormal, medianMs: 2, p99Ms: 10 } }',
    'fleets:',
    '  - name: web',
    '    region: us-east-1',
    `    workload: { model: open, arrivalRate: ${options.rate}, poisson: true, maxInFlight: 100000 }`,
    '    mix: [{ op: Encrypt, key: app, payloadBytes: 64 }]',
    '    retry: { policy: none }',
    ...(options.plan === undefined ? [] : [options.plan]),
    '',
  ].join('\n');
}
