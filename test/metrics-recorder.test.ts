import { describe, expect, test } from 'vitest';
import {
  LATENCY_HIGHEST_US,
  MetricsOptionsError,
  MetricsRecorder,
  checkCounters,
  decodeHistogram,
  mergeMetrics,
  summarize,
} from '../src/metrics/index.js';

const SEC = 1_000_000_000;
const START = 5 * SEC; // a non-zero start, as hrtime gives

describe('MetricsRecorder counters', () => {
  test('one handle per (fleet, operation)', () => {
    const recorder = new MetricsRecorder({ startNs: START, timelineSeconds: 10 });
    const h = recorder.handle('web', 'Encrypt');
    expect(recorder.handle('web', 'Encrypt')).toBe(h);
    expect(recorder.handle('web', 'Decrypt')).not.toBe(h);
    expect(recorder.handle('batch', 'Encrypt')).not.toBe(h);
  });

  test('counts offered, late, dropped, attempt outcomes, completions, failures by name and retries', () => {
    // Ten seconds of run and the drain slot after them.
    const recorder = new MetricsRecorder({ startNs: START, timelineSeconds: 11 });
    const h = recorder.handle('web', 'Encrypt');
    for (let i = 0; i < 5; i++) h.offered(0);
    h.started(20_000, true);
    h.dropped();
    // op 1: throttled twice, then admitted
    h.attempt('symmetric', 'throttled', START);
    h.attempt('symmetric', 'throttled', START);
    h.attempt('symmetric', 'admitted', START);
    h.completed(true, undefined, 1_200, 3, 0);
    // op 2: one admitted attempt
    h.attempt('symmetric', 'admitted', START);
    h.completed(true, undefined, 800, 1, 0);
    // op 3: throttled three times, gave up
    for (let i = 0; i < 3; i++) h.attempt('symmetric', 'throttled', START);
    h.completed(false, 'ThrottlingException', 5_000, 3, 0);
    // op 4: a validation error
    h.attempt('symmetric', 'error', START);
    h.completed(false, 'ValidationException', 100, 1, 0);

    expect(h.counters()).toEqual({
      offered: 5,
      late: 1,
      dropped: 1,
      attempts: 8,
      admitted: 2,
      throttled: 5,
      errors: 1,
      completed: 4,
      succeeded: 2,
      retries: 4,
      denied: 0,
    });
    const summary = summarize(mergeMetrics([recorder.toWire()]), { durationSec: 10 });
    const op = summary.fleets['web']?.operations['Encrypt'];
    expect(op).toMatchObject({
      failed: { ThrottlingException: 1, ValidationException: 1 },
      failedTotal: 2,
      attemptsDistribution: [0, 2, 0, 2],
      attemptOutcomes: { admitted: 2, throttled: 5, errors: 1 },
      attemptsPerOp: 2,
      throttleRate: 5 / 8,
      goodputPerSec: 0.2,
    });
    expect(op && checkCounters(op)).toEqual([]);
  });

  test('checkCounters reports counters that do not add up', () => {
    const recorder = new MetricsRecorder({ startNs: 0, timelineSeconds: 1 });
    const h = recorder.handle('web', 'Encrypt');
    h.offered(0);
    h.attempt('symmetric', 'admitted', 0);
    // never completed, and a completion without any attempt recorded
    h.offered(0);
    h.completed(true, undefined, 10, 1, 0);
    const total = summarize(mergeMetrics([recorder.toWire()]), { durationSec: 1 }).total;
    expect(checkCounters(total, false)).toEqual([]);
    h.completed(false, 'ThrottlingException', 10, 2, 0);
    h.dropped();
    const broken = summarize(mergeMetrics([recorder.toWire()]), { durationSec: 1 }).total;
    expect(checkCounters(broken).join('\n')).toMatch(/offered 2 ≠ completed 2 \+ dropped 1/);
    expect(checkCounters(broken).join('\n')).toMatch(/attempts 1 ≠ attempts of completed operations 3/);
  });

  test('latency is clamped into the trackable range', () => {
    const recorder = new MetricsRecorder({ startNs: 0, timelineSeconds: 1 });
    const h = recorder.handle('f', 'op');
    h.completed(true, undefined, -5, 1, 0);
    h.completed(true, undefined, Number.NaN, 1, 0);
    h.completed(true, undefined, 10 * LATENCY_HIGHEST_US, 1, 0);
    const histogram = decodeHistogram(recorder.toWire().operations[0]?.latencyUs ?? '');
    expect(histogram.totalCount).toBe(3);
    expect(histogram.getValueAtPercentile(50)).toBe(0);
    expect(histogram.maxValue).toBeGreaterThanOrEqual(LATENCY_HIGHEST_US);
    expect(histogram.maxValue).toBeLessThan(LATENCY_HIGHEST_US * 1.001);
  });

  test('percentiles are within HDR resolution (3 significant digits)', () => {
    const recorder = new MetricsRecorder({ startNs: 0, timelineSeconds: 1 });
    const h = recorder.handle('f', 'op');
    for (let v = 1; v <= 100_000; v++) h.completed(true, undefined, v, 1, 0);
    const latency = summarize(mergeMetrics([recorder.toWire()]), { durationSec: 1 }).total.latencyUs;
    const near = (actual: number, expected: number) => expect(Math.abs(actual - expected) / expected).toBeLessThan(0.001);
    near(latency.p50, 50_000);
    near(latency.p90, 90_000);
    near(latency.p99, 99_000);
    near(latency.p999, 99_900);
    near(latency.max, 100_000);
    near(latency.mean, 50_000.5);
    expect(latency.count).toBe(100_000);
  });

  test.each([
    [{ startNs: 0, timelineSeconds: 0 }, 'metrics.timelineSeconds must be an integer ≥ 1'],
    [{ startNs: 0, timelineSeconds: 1.5 }, 'metrics.timelineSeconds must be an integer ≥ 1'],
    [{ startNs: Number.NaN, timelineSeconds: 10 }, 'metrics.startNs must be a finite number'],
  ])('bad options %j are rejected', (options, message) => {
    expect(() => new MetricsRecorder(options)).toThrow(MetricsOptionsError);
    expect(() => new MetricsRecorder(options)).toThrow(message);
  });
});

describe('MetricsRecorder timelines', () => {
  test('attempts land in the second of their time, per bucket; errors stay off the timeline', () => {
    const recorder = new MetricsRecorder({ startNs: START, timelineSeconds: 4 });
    const h = recorder.handle('web', 'Encrypt');
    h.attempt('symmetric', 'admitted', START);
    h.attempt('symmetric', 'admitted', START + SEC - 1);
    h.attempt('symmetric', 'throttled', START + SEC);
    h.attempt('symmetric', 'admitted', START + 2.5 * SEC);
    h.attempt('rsa', 'throttled', START + 3 * SEC);
    h.attempt('symmetric', 'error', START + 3 * SEC);
    const wire = recorder.toWire();
    expect(wire.timelines).toEqual([
      { fleet: 'web', bucket: 'symmetric', admitted: [2, 0, 1, 0], throttled: [0, 1, 0, 0] },
      { fleet: 'web', bucket: 'rsa', admitted: [0, 0, 0, 0], throttled: [0, 0, 0, 1] },
    ]);
  });

  test('times outside the run are clamped: before the start into the first second, after the end into the last', () => {
    const recorder = new MetricsRecorder({ startNs: START, timelineSeconds: 3 });
    const h = recorder.handle('web', 'Decrypt');
    h.attempt('symmetric', 'admitted', START - 10 * SEC);
    h.attempt('symmetric', 'admitted', START + 3 * SEC);
    h.attempt('symmetric', 'throttled', START + 1_000 * SEC);
    expect(recorder.toWire().timelines[0]).toMatchObject({ admitted: [1, 0, 1], throttled: [0, 0, 1] });
  });

  test('handles of one fleet share its bucket lines', () => {
    const recorder = new MetricsRecorder({ startNs: 0, timelineSeconds: 2 });
    recorder.handle('web', 'Encrypt').attempt('symmetric', 'admitted', 0);
    recorder.handle('web', 'Decrypt').attempt('symmetric', 'admitted', 0);
    recorder.handle('batch', 'Decrypt').attempt('symmetric', 'admitted', 0);
    expect(recorder.toWire().timelines).toEqual([
      { fleet: 'web', bucket: 'symmetric', admitted: [2, 0], throttled: [0, 0] },
      { fleet: 'batch', bucket: 'symmetric', admitted: [1, 0], throttled: [0, 0] },
    ]);
  });

  test('memory does not grow with run length: 1e6 events keep every timeline at timelineSeconds', () => {
    const seconds = 60;
    const recorder = new MetricsRecorder({ startNs: 0, timelineSeconds: seconds });
    const h = recorder.handle('web', 'Encrypt');
    const sizeAfter = (events: number, from: number): number => {
      for (let i = from; i < events; i++) {
        // Spread over 10× the timeline, so most land past the end and are clamped.
        const atNs = (i / 1_000_000) * 10 * seconds * SEC;
        h.offered(0);
        h.attempt('symmetric', i % 10 === 0 ? 'throttled' : 'admitted', atNs);
        h.completed(i % 10 !== 0, i % 10 === 0 ? 'ThrottlingException' : undefined, 500 + (i % 5_000), 1, 0);
      }
      return JSON.stringify(recorder.toWire()).length;
    };
    const small = sizeAfter(10_000, 0);
    const large = sizeAfter(1_000_000, 10_000);
    const wire = recorder.toWire();
    expect(wire.timelines).toHaveLength(1);
    expect(wire.timelines[0]?.admitted).toHaveLength(seconds);
    expect(wire.timelines[0]?.throttled).toHaveLength(seconds);
    const sum = (xs: number[] | undefined) => (xs ?? []).reduce((a, b) => a + b, 0);
    expect(sum(wire.timelines[0]?.admitted) + sum(wire.timelines[0]?.throttled)).toBe(1_000_000);
    expect(wire.operations[0]?.counters.attempts).toBe(1_000_000);
    // 100× the events; the wire form (timelines + compressed histogram) stays the same order of size.
    expect(large).toBeLessThan(small * 2);
  });
});

describe('wire format', () => {
  test('toWire survives structuredClone and JSON unchanged', () => {
    const recorder = new MetricsRecorder({ startNs: START, timelineSeconds: 5 });
    const h = recorder.handle('web', 'GenerateDataKey');
    h.offered(0);
    h.attempt('symmetric', 'throttled', START + 1.2 * SEC);
    h.attempt('symmetric', 'admitted', START + 1.3 * SEC);
    h.completed(true, undefined, 123_456, 2, 0);
    const wire = recorder.toWire();
    expect(structuredClone(wire)).toEqual(wire);
    expect(JSON.parse(JSON.stringify(wire))).toEqual(wire);
    const cloned = summarize(mergeMetrics([structuredClone(wire)]), { durationSec: 5 });
    expect(cloned).toEqual(summarize(mergeMetrics([wire]), { durationSec: 5 }));
    expect(cloned.total.latencyUs.p50).toBeCloseTo(123_456, -3);
  });

  test('toWire is a snapshot: recording continues afterwards', () => {
    const recorder = new MetricsRecorder({ startNs: 0, timelineSeconds: 1 });
    const h = recorder.handle('f', 'op');
    h.offered(0);
    const before = recorder.toWire();
    h.offered(0);
    expect(before.operations[0]?.counters.offered).toBe(1);
    expect(recorder.toWire().operations[0]?.counters.offered).toBe(2);
  });
});
