/**
 * A simulation is a function of its scenario and seed: the same plan twice gives identical results (the `result.json`
 * content outside `environment`), another seed gives different ones, and `crypto: off` changes no count.
 */
import { describe, expect, test } from 'vitest';
import type { EngineRun } from '../src/engine/run.js';
import { simulateVariant, type SimulationResult } from '../src/engine/simulate-variant.js';
import { runSimulations } from '../src/engine/simulate.js';
import { mergeMetrics, summarize } from '../src/metrics/index.js';
import { buildResult, resultToJson } from '../src/report/result.js';
import { smallPlan, REGION } from './support/small-plan.js';

/** Everything a simulation reports except its wall time. */
function deterministicPart(result: SimulationResult): string {
  const { wallSeconds: _wall, ...rest } = result;
  return JSON.stringify(rest);
}

const poissonPlan = (seed: number) =>
  smallPlan({
    seed,
    durationMs: 5000,
    fleet: {
      workload: { model: 'open', arrivalRatePerSec: 120, poisson: true },
      retry: { policy: 'full-jitter', baseMs: 50, capMs: 2000, maxAttempts: 4 },
    },
  });

describe('virtual-clock determinism', () => {
  test('the same plan and seed give identical results; another seed does not', async () => {
    const first = await simulateVariant({ plan: poissonPlan(7), crypto: 'real' });
    const second = await simulateVariant({ plan: poissonPlan(7), crypto: 'real' });
    const other = await simulateVariant({ plan: poissonPlan(8), crypto: 'real' });
    expect(first.quota[0]?.throttled).toBeGreaterThan(0);
    expect(deterministicPart(second)).toBe(deterministicPart(first));
    expect(deterministicPart(other)).not.toBe(deterministicPart(first));
    expect(other.metrics).not.toEqual(first.metrics);
  });

  test('crypto: off changes no count, latency or quota decision', async () => {
    const real = await simulateVariant({ plan: poissonPlan(11), crypto: 'real' });
    const off = await simulateVariant({ plan: poissonPlan(11), crypto: 'off' });
    expect(off.crypto).toBe('off');
    expect(JSON.stringify(off.metrics)).toBe(JSON.stringify(real.metrics));
    expect(off.quota).toEqual(real.quota);
  });

  test('result.json on the pool is byte-identical outside environment, with simulatedSeconds and repeat spread', async () => {
    const plans = [poissonPlan(7), { ...poissonPlan(7), name: 'second' }];
    const json = async (): Promise<{ text: string; run: EngineRun }> => {
      const run = await runSimulations(plans, { workers: 2, repeat: 3 });
      const result = buildResult({
        scenario: { name: 'det', hash: 'h', seed: 7, clock: 'virtual', durationMs: 5000, document: {} },
        variantValues: new Map(),
        run,
        versions: { tool: 't', node: 'n', dependencies: {} },
        workers: 2,
        startedAt: new Date(),
        wallSeconds: 1,
      });
      const { environment, ...rest } = JSON.parse(resultToJson(result)) as { environment: { variantWallSeconds: object } };
      expect(Object.keys(environment.variantWallSeconds)).toEqual(['small', 'second']);
      return { text: JSON.stringify(rest), run };
    };
    const a = await json();
    const b = await json();
    expect(b.text).toBe(a.text);
    const variant = a.run.variants[0];
    expect(a.run.state).toBe('completed');
    if (variant?.clock !== 'virtual') throw new Error(`expected a simulated variant, got ${JSON.stringify(variant?.clock)}`);
    expect(variant?.simulatedSeconds).toBeGreaterThanOrEqual(5);
    expect(variant?.crypto).toBe('real');
    expect(variant?.repeats?.seeds).toEqual([7, 8, 9]);
    const offered = variant?.repeats?.metrics['offered'];
    expect(offered?.min).toBeLessThan(offered?.max ?? 0);
    // The variant's own metrics are the scenario seed's run, the same as a plain in-thread simulation.
    const single = await simulateVariant({ plan: poissonPlan(7), crypto: 'real' });
    expect(variant?.metrics).toEqual(summarize(mergeMetrics([single.metrics]), { durationSec: 5 }));
    expect(variant?.quota.find((q) => q.region === REGION)).toEqual(single.quota[0]);
  });
});
