import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { runWithRetry } from '../src/client/retry-loop.js';
import { createRetryPolicy } from '../src/client/retry-policy.js';
import { ManualClock } from '../src/base/time.js';
import {
  METRICS_WIRE_VERSION,
  MetricsMergeError,
  MetricsRecorder,
  checkCounters,
  mergeMetrics,
  mergedToWire,
  summarize,
} from '../src/metrics/index.js';
import type { AttemptOutcomeKind, WorkerMetrics } from '../src/metrics/index.js';
import { seededRandom } from '../src/base/random.js';

const SEC = 1_000_000_000;
const START = 1_000 * SEC;

interface Event {
  worker: 0 | 1;
  fleet: string;
  operation: string;
  bucket: string;
  outcomes: AttemptOutcomeKind[];
  atSec: number;
  latencyUs: number;
  late: boolean;
}

const eventArb: fc.Arbitrary<Event> = fc.record({
  worker: fc.constantFrom(0 as const, 1 as const),
  fleet: fc.constantFrom('web', 'batch'),
  operation: fc.constantFrom('Encrypt', 'Decrypt', 'Sign'),
  bucket: fc.constantFrom('symmetric', 'rsa'),
  // Failed attempts, then a last one that may succeed: only the last attempt of an operation can be admitted.
  outcomes: fc
    .tuple(
      fc.array(fc.constantFrom<AttemptOutcomeKind>('throttled', 'error'), { maxLength: 3 }),
      fc.constantFrom<AttemptOutcomeKind>('admitted', 'throttled', 'error'),
    )
    .map(([failures, last]) => [...failures, last]),
  atSec: fc.double({ min: -2, max: 12, noNaN: true }),
  latencyUs: fc.integer({ min: 0, max: 50_000_000 }),
  late: fc.boolean(),
});

function record(recorder: MetricsRecorder, e: Event): void {
  const h = recorder.handle(e.fleet, e.operation);
  h.offered(0);
  h.started(e.late ? 20_000 : 0, e.late);
  for (const outcome of e.outcomes) h.attempt(e.bucket, outcome, START + e.atSec * SEC);
  const last = e.outcomes.at(-1);
  h.completed(last === 'admitted', last === 'throttled' ? 'ThrottlingException' : last === 'error' ? 'KMSInternalException' : undefined, e.latencyUs, e.outcomes.length, 0);
}

const recorder = () => new MetricsRecorder({ startNs: START, timelineSeconds: 10 });

describe('mergeMetrics', () => {
  test('merging two workers equals recording everything in one (property)', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 40 }), (events) => {
        const workers = [recorder(), recorder()] as const;
        const single = recorder();
        for (const e of events) {
          record(workers[e.worker], e);
          record(single, e);
        }
        const merged = summarize(mergeMetrics(workers.map((w) => structuredClone(w.toWire()))), { durationSec: 10 });
        const alone = summarize(mergeMetrics([single.toWire()]), { durationSec: 10 });
        // Same numbers; only the order in which fleets and operations first appear may differ.
        expect(Object.keys(merged.fleets).sort()).toEqual(Object.keys(alone.fleets).sort());
        expect(merged.total).toEqual(alone.total);
        for (const [name, fleet] of Object.entries(alone.fleets)) {
          expect(merged.fleets[name]?.total).toEqual(fleet.total);
          expect(merged.fleets[name]?.timelines).toEqual(fleet.timelines);
          expect(Object.keys(merged.fleets[name]?.operations ?? {}).sort()).toEqual(Object.keys(fleet.operations).sort());
          for (const [op, stats] of Object.entries(fleet.operations)) expect(merged.fleets[name]?.operations[op]).toEqual(stats);
        }
        expect(merged.timelines).toEqual(alone.timelines);
        expect(checkCounters(merged.total)).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  test('percentiles come from the merged distribution, not from averaging workers', () => {
    const fast = recorder();
    const slow = recorder();
    for (let i = 0; i < 9_000; i++) fast.handle('web', 'Encrypt').completed(true, undefined, 100, 1, 0);
    for (let i = 0; i < 1_000; i++) slow.handle('web', 'Encrypt').completed(true, undefined, 10_000, 1, 0);
    const latency = summarize(mergeMetrics([fast.toWire(), slow.toWire()]), { durationSec: 10 }).total.latencyUs;
    expect(latency.count).toBe(10_000);
    expect(latency.p50).toBeCloseTo(100, -1);
    expect(latency.p90).toBeCloseTo(100, -1);
    // The averaged p99 would be ~5,050 µs; the true p99 is the slow worker's 10 ms.
    expect(Math.abs(latency.p99 - 10_000) / 10_000).toBeLessThan(0.001);
    expect(Math.abs(latency.max - 10_000) / 10_000).toBeLessThan(0.001);
    expect(latency.mean).toBeCloseTo(0.9 * 100 + 0.1 * 10_000, -1);
  });

  test('timelines are summed second by second; totals sum fleets per bucket', () => {
    const a = new MetricsRecorder({ startNs: START, timelineSeconds: 3 });
    const b = new MetricsRecorder({ startNs: START, timelineSeconds: 3 });
    a.handle('web', 'Encrypt').attempt('symmetric', 'admitted', START + 0.5 * SEC);
    a.handle('web', 'Encrypt').attempt('symmetric', 'throttled', START + 2.5 * SEC);
    b.handle('web', 'Decrypt').attempt('symmetric', 'admitted', START + 0.9 * SEC);
    b.handle('web', 'Decrypt').attempt('symmetric', 'admitted', START + 99 * SEC); // clamped into the last second
    b.handle('batch', 'Decrypt').attempt('symmetric', 'admitted', START + 1.1 * SEC);
    b.handle('batch', 'Sign').attempt('rsa', 'throttled', START + 1.1 * SEC);
    const summary = summarize(mergeMetrics([a.toWire(), b.toWire()]), { durationSec: 3 });
    expect(summary.fleets['web']?.timelines).toEqual({ symmetric: { admitted: [2, 0, 1], throttled: [0, 0, 1] } });
    expect(summary.fleets['batch']?.timelines).toEqual({
      symmetric: { admitted: [0, 1, 0], throttled: [0, 0, 0] },
      rsa: { admitted: [0, 0, 0], throttled: [0, 1, 0] },
    });
    expect(summary.timelines).toEqual({
      symmetric: { admitted: [2, 1, 1], throttled: [0, 0, 1] },
      rsa: { admitted: [0, 0, 0], throttled: [0, 1, 0] },
    });
  });

  test('counters add up across workers driven through the retry loop', async () => {
    const parts: WorkerMetrics[] = [];
    for (const worker of [0, 1]) {
      const clock = new ManualClock(START);
      const metrics = new MetricsRecorder({ startNs: START, timelineSeconds: 30 });
      const policy = createRetryPolicy(
        { policy: 'full-jitter', baseMs: 50, capMs: 1_000, maxAttempts: 4 },
        seededRandom(9, `jitter/${worker}`),
      );
      const draw = seededRandom(9, `kms/${worker}`);
      const h = metrics.handle('web', 'Encrypt');
      for (let i = 0; i < 500; i++) {
        h.offered(0);
        if (i % 50 === 49) {
          h.dropped();
          continue;
        }
        const intendedNs = clock.nowNs();
        const result = await runWithRetry(
          () => {
            const r = draw();
            if (r < 0.4) {
              h.attempt('symmetric', 'throttled', clock.nowNs());
              throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
            }
            if (r < 0.45) {
              h.attempt('symmetric', 'error', clock.nowNs());
              throw Object.assign(new Error('bad'), { name: r < 0.42 ? 'ValidationException' : 'KMSInternalException' });
            }
            h.attempt('symmetric', 'admitted', clock.nowNs());
            clock.advanceMs(2);
            return 'ok';
          },
          policy,
          clock,
        );
        h.completed(result.ok, result.ok ? undefined : (result.error as Error).name, (clock.nowNs() - intendedNs) / 1_000, result.attempts, clock.nowNs());
      }
      parts.push(structuredClone(metrics.toWire()));
    }
    const summary = summarize(mergeMetrics(parts), { durationSec: 30 });
    const total = summary.total;
    expect(checkCounters(total)).toEqual([]);
    expect(total.attempts).toBe(total.attemptOutcomes.admitted + total.attemptOutcomes.throttled + total.attemptOutcomes.errors);
    expect(total.offered).toBe(1_000);
    expect(total.dropped).toBe(20);
    expect(total.succeeded + total.failedTotal).toBe(980);
    expect(total.throttled).toBeGreaterThan(0);
    expect(total.failed['ThrottlingException']).toBeGreaterThan(0);
    expect(total.retries).toBe(total.attempts - total.completed);
    expect(summary.fleets['web']?.total).toEqual(total);
    const timeline = summary.timelines['symmetric'];
    const sum = (xs: number[] | undefined) => (xs ?? []).reduce((x, y) => x + y, 0);
    expect(sum(timeline?.admitted)).toBe(total.attemptOutcomes.admitted);
    expect(sum(timeline?.throttled)).toBe(total.throttled);
  });

  test('merged metrics re-encode to the wire format and merge again unchanged', () => {
    const a = recorder();
    const b = recorder();
    a.handle('web', 'Encrypt').completed(true, undefined, 1_000, 1, 0);
    b.handle('web', 'Encrypt').completed(false, 'ThrottlingException', 30_000, 3, 0);
    const merged = mergeMetrics([a.toWire(), b.toWire()]);
    const again = mergeMetrics([structuredClone(mergedToWire(merged))]);
    expect(summarize(again, { durationSec: 10 })).toEqual(summarize(merged, { durationSec: 10 }));
  });

  test('summary rates', () => {
    const r = recorder();
    const h = r.handle('web', 'Encrypt');
    for (let i = 0; i < 4; i++) {
      h.offered(0);
      h.attempt('symmetric', 'throttled', START);
      h.attempt('symmetric', 'admitted', START);
      h.completed(true, undefined, 10, 2, 0);
    }
    const empty = r.handle('web', 'Sign');
    const summary = summarize(mergeMetrics([r.toWire()]), { durationSec: 2 });
    expect(summary.fleets['web']?.operations['Encrypt']).toMatchObject({
      goodputPerSec: 2,
      attemptsPerOp: 2,
      throttleRate: 0.5,
      retries: 4,
      lateOrDroppedRate: 0,
    });
    expect(empty.counters().offered).toBe(0);
    expect(summary.fleets['web']?.operations['Sign']).toMatchObject({
      attemptsPerOp: 0,
      throttleRate: 0,
      latencyUs: { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 },
    });
    expect(() => summarize(mergeMetrics([r.toWire()]), { durationSec: 0 })).toThrow(/durationSec must be a positive number/);
  });

  test.each([
    ['no parts', () => mergeMetrics([])],
    ['different startNs', () => mergeMetrics([recorder().toWire(), new MetricsRecorder({ startNs: 0, timelineSeconds: 10 }).toWire()])],
    ['different timelineSeconds', () => mergeMetrics([recorder().toWire(), new MetricsRecorder({ startNs: START, timelineSeconds: 11 }).toWire()])],
    ['another wire version', () => mergeMetrics([{ ...recorder().toWire(), version: (METRICS_WIRE_VERSION + 1) as typeof METRICS_WIRE_VERSION }])],
  ])('rejects %s', (_name, merge) => {
    expect(merge).toThrow(MetricsMergeError);
  });
});
