/**
 * Per-second timelines are sized to what ran: a recorder planned for 1,000 hours takes memory as time reaches each
 * second, a stopped run returns the seconds it ran, a completed one keeps the planned length with the drain in the
 * last slot, parts a second apart are padded before they merge, and a stopped simulation's result is small.
 */
import { describe, expect, test } from 'vitest';
import { simulateVariant } from '../src/engine/simulate-variant.js';
import { padTimelines, timelineSlots } from '../src/engine/timeline-length.js';
import { mergeMetrics, summarize } from '../src/metrics/index.js';
import { MetricsRecorder } from '../src/metrics/recorder.js';
import { smallPlan } from './support/small-plan.js';

const SEC = 1_000_000_000;
const THOUSAND_HOURS_MS = 1_000 * 3_600_000;

/** One request per second for `seconds` seconds, offered and answered inside its second. */
function recordSeconds(recorder: MetricsRecorder, seconds: number): void {
  const handle = recorder.handle('web', 'Encrypt');
  for (let s = 0; s < seconds; s++) {
    const at = recorder.startNs + s * SEC + SEC / 4;
    handle.offered(at);
    handle.attempt('symmetric', 'admitted', at);
    handle.completed(true, undefined, 1_000, 1, at);
  }
}

describe('the recorder', () => {
  test('planned for 1,000 hours and stopped after 6.5 s, it returns 7 seconds', () => {
    const recorder = new MetricsRecorder({ startNs: 5 * SEC, timelineSeconds: timelineSlots(THOUSAND_HOURS_MS) });
    recordSeconds(recorder, 6);
    const wire = recorder.toWire({ untilNs: recorder.startNs + 6.5 * SEC });
    expect(wire.timelineSeconds).toBe(7);
    const [op] = wire.operations;
    expect(op?.timeline.offered).toEqual([1, 1, 1, 1, 1, 1, 0]);
    expect(op?.timeline.succeeded).toHaveLength(7);
    expect(wire.timelines[0]?.admitted).toEqual([1, 1, 1, 1, 1, 1, 0]);
  });

  test('a completed run keeps the planned length; what ends after the schedule is in the last slot (the drain)', () => {
    const recorder = new MetricsRecorder({ startNs: 0, timelineSeconds: timelineSlots(5_000) });
    recordSeconds(recorder, 3);
    recorder.handle('web', 'Encrypt').completed(true, undefined, 1_000, 1, 9 * SEC);
    const wire = recorder.toWire();
    expect(wire.timelineSeconds).toBe(6);
    expect(wire.operations[0]?.timeline.succeeded).toEqual([1, 1, 1, 0, 0, 1]);
  });

  test('counts far past the first chunk grow the timeline; a stopped run reports through its last count', () => {
    const recorder = new MetricsRecorder({ startNs: 0, timelineSeconds: timelineSlots(3_600_000) });
    const handle = recorder.handle('web', 'Encrypt');
    handle.offered(1_000.5 * SEC);
    handle.completed(true, undefined, 1_000, 1, 1_001.5 * SEC);
    const wire = recorder.toWire({ untilNs: 1_000.7 * SEC });
    expect(wire.timelineSeconds).toBe(1_002);
    expect(wire.operations[0]?.timeline.offered[1_000]).toBe(1);
    expect(wire.operations[0]?.timeline.ended[1_001]).toBe(1);
  });

  test('a stop past the schedule still returns the planned length, never more', () => {
    const recorder = new MetricsRecorder({ startNs: 0, timelineSeconds: 6 });
    recordSeconds(recorder, 2);
    expect(recorder.toWire({ untilNs: 100 * SEC }).timelineSeconds).toBe(6);
  });
});

describe('merging timelines of different lengths', () => {
  test('parts that stopped a second apart are padded to the longer one and merge, rates over what ran', () => {
    const plan = timelineSlots(THOUSAND_HOURS_MS);
    const a = new MetricsRecorder({ startNs: 0, timelineSeconds: plan });
    const b = new MetricsRecorder({ startNs: 0, timelineSeconds: plan });
    recordSeconds(a, 6);
    recordSeconds(b, 8);
    const parts = padTimelines([a.toWire({ untilNs: 6.2 * SEC }), b.toWire({ untilNs: 8.2 * SEC })]);
    expect(parts.map((part) => part.timelineSeconds)).toEqual([9, 9]);
    const merged = mergeMetrics(parts);
    expect(merged.operations[0]?.timeline.offered).toEqual([2, 2, 2, 2, 2, 2, 1, 1, 0]);
    const summary = summarize(merged, { durationSec: 8.2 });
    expect(summary.rateWindow.wholeSeconds).toBe(8);
    expect(summary.total.goodputPerSec).toBeCloseTo(14 / 8, 9);
  });

  test('parts of one length are returned as they are', () => {
    const part = new MetricsRecorder({ startNs: 0, timelineSeconds: 4 }).toWire();
    expect(padTimelines([part, part])[0]).toBe(part);
  });
});

describe('a stopped simulation', () => {
  test('of 1,000 hours returns timelines as long as the simulated time it reached', async () => {
    const stop = new SharedArrayBuffer(4);
    const progress = new SharedArrayBuffer(8);
    const reached = new Float64Array(progress);
    const plan = smallPlan({ durationMs: THOUSAND_HOURS_MS, fleet: { workload: { model: 'open', arrivalRatePerSec: 50 } } });
    // The promise driver yields a turn every few thousand steps; the stop comes on the first turn after a minute of
    // simulated time (where exactly does not matter, only that the timelines end there).
    let stopper: NodeJS.Immediate | undefined;
    const watch = (): void => {
      if ((reached[0] ?? 0) >= 60) Atomics.store(new Int32Array(stop), 0, 1);
      else stopper = setImmediate(watch);
    };
    watch();
    const result = await simulateVariant({ plan, crypto: 'off', driver: 'promises', stop, progress: { buffer: progress, index: 0 } });
    clearImmediate(stopper);
    expect(result.stoppedEarly).toBe(true);
    expect(result.simulatedSeconds).toBeGreaterThanOrEqual(60);
    expect(result.simulatedSeconds).toBeLessThan(3_600_000);
    expect(result.metrics.timelineSeconds).toBeLessThanOrEqual(Math.floor(result.simulatedSeconds) + 1);
    expect(result.metrics.timelineSeconds).toBeLessThan(timelineSlots(THOUSAND_HOURS_MS) / 100);
    expect(result.metrics.operations[0]?.timeline.offered).toHaveLength(result.metrics.timelineSeconds);
  });
});
