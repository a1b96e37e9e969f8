/**
 * Lateness: an open workload's request counts as late when it starts more than the scenario's `lateness.threshold`
 * after its intended time, and every start's delay goes into a distribution the result reports. Driven by an injected
 * clock whose timers fire a fixed time late (a loaded machine), so the delays are exact and no test sleeps.
 */
import { describe, expect, test } from 'vitest';
import { ManualClock } from '../src/base/time.js';
import { KeyedRandom, seededRandom } from '../src/base/random.js';
import { fleetContext, makeClient } from '../src/engine/fleet-clients.js';
import { runFleetShare, type FleetWorkload } from '../src/engine/fleet-runner.js';
import type { FleetPlan } from '../src/engine/wire.js';
import { KmsModel } from '../src/kms/model.js';
import { mergeMetrics, MetricsRecorder, summarize } from '../src/metrics/index.js';
import { LATENESS_DEFAULTS } from '../src/scenario/lateness.js';
import { RequestMix } from '../src/workload/request-mix.js';
import { smallPlan } from './support/small-plan.js';
import { loadScenario, runScenario } from '../src/index.js';

/** A clock whose every timer fires `lagMs` late, as on a machine too busy to run the generator on time. */
class LaggingClock extends ManualClock {
  constructor(readonly lagMs: number) {
    super();
  }
  override sleep(ms: number): Promise<void> {
    // A zero sleep is a yield (the burst limit), not a timer: it does not lag.
    return super.sleep(ms > 0 ? ms + this.lagMs : 0);
  }
}

/** One second of `workload` through the real direct client, on `clock`; the summary of what was recorded. */
async function runOne(clock: ManualClock, workload: FleetWorkload) {
  const plan = smallPlan({ durationMs: 1000, quotas: { profile: 'unlimited' }, fleet: { workload } });
  const fleet = plan.fleets[0] as FleetPlan;
  const model = new KmsModel({ accountId: plan.accountId, seed: plan.seed, keys: plan.keySeeds, clock });
  const mix = new RequestMix(fleet.mix, new Map(Object.entries(plan.keys)), (op, input) => model.callSync(op, input, fleetContext(fleet)), seededRandom(1, 'setup'));
  const recorder = new MetricsRecorder({ startNs: 0, timelineSeconds: 2 });
  await runFleetShare({
    fleet: fleet.name,
    workload,
    worker: 0,
    workers: 1,
    durationMs: plan.durationMs,
    startNs: 0,
    clock,
    client: makeClient(fleet, plan, model, clock, undefined, '0/0'),
    mix,
    recorder,
    requests: new KeyedRandom(1, 'fleet'),
    arrivalGaps: 1,
    stopped: () => false,
  });
  return summarize(mergeMetrics([recorder.toWire()]), { durationSec: 1 }).total;
}

/**
 * 20 requests/s for one second. Arrivals 50 ms apart: every lag tested is shorter, so each start waits on its own
 * (late) timer and none catches up.
 */
function runOpen(clock: ManualClock, lateThresholdMs: number | undefined) {
  return runOne(clock, { model: 'open', arrivalRatePerSec: 20, ...(lateThresholdMs === undefined ? {} : { lateThresholdMs }) });
}

describe('lateness', () => {
  test.each([
    { lagMs: 7, thresholdMs: 5, late: true },
    { lagMs: 7, thresholdMs: 10, late: false },
    { lagMs: 12, thresholdMs: 10, late: true },
    { lagMs: 0, thresholdMs: 1, late: false },
  ])('timers $lagMs ms late, threshold $thresholdMs ms: every start late is $late', async ({ lagMs, thresholdMs, late }) => {
    const total = await runOpen(new LaggingClock(lagMs), thresholdMs);
    expect(total.offered).toBe(20);
    expect(total.late).toBe(late ? 20 : 0);
    expect(total.lateOrDroppedRate).toBe(late ? 1 : 0);
  });

  test('the start-delay distribution is in the summary: every start, each as late as the timer fired', async () => {
    const total = await runOpen(new LaggingClock(7), 10);
    const delay = total.startDelayUs;
    expect(delay?.count).toBe(20);
    // 2 significant digits: within 1% of the 7,000 µs every start waited.
    for (const stat of [delay?.p50, delay?.p99, delay?.max]) expect(Math.abs((stat ?? 0) - 7000)).toBeLessThanOrEqual(70);
    // Latency still runs from the intended start: the 7 ms the generator lost is in every operation's latency.
    expect(total.latencyUs.min).toBeGreaterThanOrEqual(7000);
  });

  test(`without a threshold the default (${LATENESS_DEFAULTS.thresholdMs} ms) applies`, async () => {
    expect((await runOpen(new LaggingClock(LATENESS_DEFAULTS.thresholdMs - 1), undefined)).late).toBe(0);
    expect((await runOpen(new LaggingClock(LATENESS_DEFAULTS.thresholdMs + 1), undefined)).late).toBe(20);
  });

  test('a closed workload records no start delay: its clients start when they mean to', async () => {
    const total = await runOne(new LaggingClock(50), { model: 'closed', clients: 2, thinkTimeMs: 100 });
    expect(total.offered).toBeGreaterThan(0);
    expect(total.late).toBe(0);
    expect(total.startDelayUs?.count).toBe(0);
  });

  test('the recorder counts late what its caller judged late, and files a negative delay (clock rounding) as 0', () => {
    const recorder = new MetricsRecorder({ startNs: 0, timelineSeconds: 2 });
    const handle = recorder.handle('web', 'Encrypt');
    handle.offered(0);
    handle.started(-3, false);
    handle.offered(0);
    handle.started(25_000, true);
    const total = summarize(mergeMetrics([recorder.toWire()]), { durationSec: 1 }).total;
    expect(total.late).toBe(1);
    expect(total.startDelayUs?.count).toBe(2);
    expect(total.startDelayUs?.p50).toBe(0);
    expect(Math.abs((total.startDelayUs?.max ?? 0) - 25_000)).toBeLessThanOrEqual(250);
  });
});

describe('lateness in result.json', () => {
  test('each variant records its threshold and the start-delay distribution beside the late count', async () => {
    const text = `
name: late-result
duration: 2s
clock: virtual
lateness: { threshold: 25ms }
keys: [{ name: app, region: us-east-1 }]
fleets:
  - { name: web, region: us-east-1, workload: { model: open, arrivalRate: 50 }, mix: [{ op: Encrypt, key: app }] }
`;
    const result = await runScenario(await loadScenario({ text }), { workers: 1 });
    const [variant] = result.variants;
    expect(variant?.lateThresholdMs).toBe(25);
    const total = variant?.metrics.total;
    // The virtual clock starts every arrival exactly on time: the distribution is there, and all zero.
    expect(total?.startDelayUs).toEqual({ count: total?.offered, p50: 0, p99: 0, max: 0, mean: 0 });
    expect(total?.late).toBe(0);
    expect(total?.offered).toBeGreaterThan(0);
  });
});
