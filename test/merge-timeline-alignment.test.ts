/**
 * Lining up instances' timelines by wall second (metrics/align.ts): an instance that started a second later has its
 * seconds moved a second later, each completed instance's drain slot goes to the merged drain slot, and an
 * incomplete instance (no drain) keeps every slot at its second.
 */
import { describe, expect, test } from 'vitest';
import { alignedLength, alignWire } from '../src/metrics/align.js';
import { METRICS_WIRE_VERSION, emptyCounters, type WorkerMetrics } from '../src/metrics/wire.js';

function wire(offered: number[], lastEndSec: number): WorkerMetrics {
  return {
    version: METRICS_WIRE_VERSION,
    startNs: 123,
    timelineSeconds: offered.length,
    operations: [
      { fleet: 'web', operation: 'Encrypt', counters: emptyCounters(), failed: {}, attemptsDistribution: [], latencyUs: '', startDelayUs: '', timeline: { offered, succeeded: offered, ended: offered }, lastEndSec },
    ],
    timelines: [{ fleet: 'web', bucket: 'symmetric', admitted: offered, throttled: offered.map(() => 0) }],
  };
}

describe('aligning instances by wall second', () => {
  test('a later instance moves later; drains meet in the last slot', () => {
    const early = { wire: wire([1, 2, 3, 9], 3), placement: { offsetSec: 0, hasDrain: true } };
    const late = { wire: wire([10, 20, 30, 90], 3.5), placement: { offsetSec: 1, hasDrain: true } };
    const length = alignedLength([early, late]);
    expect(length).toBe(5);
    expect(alignWire(early.wire, early.placement, length).operations[0]?.timeline.offered).toEqual([1, 2, 3, 0, 9]);
    const moved = alignWire(late.wire, late.placement, length);
    expect(moved.operations[0]?.timeline.offered).toEqual([0, 10, 20, 30, 90]);
    expect(moved.timelines[0]?.admitted).toEqual([0, 10, 20, 30, 90]);
    expect(moved.operations[0]?.lastEndSec).toBe(4.5);
    expect(moved.startNs).toBe(0);
  });

  test('an incomplete instance has no drain: its last slot stays at its second', () => {
    const done = { wire: wire([1, 1, 1], 2), placement: { offsetSec: 0, hasDrain: true } };
    const stopped = { wire: wire([5, 5], 1), placement: { offsetSec: 0, hasDrain: false } };
    const length = alignedLength([done, stopped]);
    expect(length).toBe(3);
    expect(alignWire(stopped.wire, stopped.placement, length).operations[0]?.timeline.offered).toEqual([5, 5, 0]);
  });

  test('instances at the same second are left as they are', () => {
    const a = { wire: wire([4, 5, 6], 2), placement: { offsetSec: 0, hasDrain: true } };
    expect(alignWire(a.wire, a.placement, alignedLength([a, a])).operations[0]?.timeline.offered).toEqual([4, 5, 6]);
  });
});
