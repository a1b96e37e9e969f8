/**
 * The real KMSClient under the virtual clock: its standard retry strategy (backoff computed by @smithy/core) sleeps on
 * simulated time, and the run stays reproducible.
 */
import { describe, expect, test } from 'vitest';
import { runSimulations } from '../src/engine/simulate.js';
import { simulateVariant } from '../src/engine/simulate-variant.js';
import { mergeMetrics, summarize } from '../src/metrics/index.js';
import { smallPlan } from './support/small-plan.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const sdkPlan = () =>
  smallPlan({
    durationMs: 2000,
    fleet: { client: 'sdk', workload: { model: 'open', arrivalRatePerSec: 100 }, retry: { policy: 'sdk-standard', maxAttempts: 3 } },
  });

describe('the sdk client in virtual time', () => {
  test('sdk-standard retries throttles after simulated backoff, reproducibly', async () => {
    const realRandom = Math.random;
    const realSetTimeout = globalThis.setTimeout;
    const first = await simulateVariant({ plan: sdkPlan(), crypto: 'real' });
    const again = await simulateVariant({ plan: sdkPlan(), crypto: 'real' });
    const summary = summarize(mergeMetrics([first.metrics]), { durationSec: 2 });
    expect(summary.total.retries).toBeGreaterThan(0);
    expect(summary.total.attempts).toBeGreaterThan(summary.total.offered);
    // No service latency is configured: any latency beyond a microsecond is the SDK's backoff in simulated time.
    expect(summary.total.latencyUs.max).toBeGreaterThan(10_000);
    // Retries after the last arrival run on past the 2 s of arrivals.
    expect(first.simulatedSeconds).toBeGreaterThan(2);
    expect(JSON.stringify(again.metrics)).toBe(JSON.stringify(first.metrics));
    expect(again.quota).toEqual(first.quota);
    // A fresh thread (the pool) makes the SDK's first calls there too: same result as in this warmed-up thread.
    const pooled = await runSimulations([sdkPlan()], { workers: 1 });
    expect(pooled.variants[0]?.metrics).toEqual(summary);
    // The thread's own timers and Math.random are back once the simulation ends.
    expect(Math.random).toBe(realRandom);
    expect(globalThis.setTimeout).toBe(realSetTimeout);
  });
});
