/**
 * The live board's rows add up to the run's totals even when counts arrive for a second already published: an open
 * loop behind schedule counts an offer (and a drop) in the second it was due, which may have ended by then. The
 * fleet's last row (the drain) carries what the published rows left out.
 */
import { describe, expect, test } from 'vitest';
import { NS_PER_SEC } from '../src/base/time.js';
import { collectedRows, createLiveBoard, LivePublisher, LiveReader, type SecondRow } from '../src/engine/live-board.js';
import { MetricsRecorder } from '../src/metrics/recorder.js';

/** A recorder of a 3-second run (3 whole seconds and the drain slot) with one fleet, `web`. */
function setUp(collect = false) {
  const recorder = new MetricsRecorder({ startNs: 0, timelineSeconds: 4 });
  const board = createLiveBoard(1, 1);
  const publisher = new LivePublisher(board, 0, ['web'], recorder, collect);
  const reader = new LiveReader(board, [0]);
  const handle = recorder.handle('web', 'Encrypt');
  /** One operation due at `dueNs`, started and finished at `atNs` (or dropped). */
  const operation = (dueNs: number, atNs: number, drop = false): void => {
    handle.offered(dueNs);
    if (drop) return handle.dropped();
    handle.attempt('symmetric', 'admitted', atNs);
    handle.completed(true, undefined, Math.max(1, (atNs - dueNs) / 1000), 1, atNs);
  };
  return { recorder, publisher, reader, handle, operation };
}

const sum = (rows: readonly SecondRow[], field: 'offered' | 'succeeded' | 'admitted' | 'ended'): number =>
  rows.reduce((total, row) => total + row.counts[field], 0);

describe('live board: counts that arrive for a published second', () => {
  test('late offers and drops land in the last row, so the rows add up to the totals', () => {
    const { recorder, publisher, reader, handle, operation } = setUp();
    operation(0.1 * NS_PER_SEC, 0.2 * NS_PER_SEC);
    publisher.publish(1.5 * NS_PER_SEC);
    const early = reader.take();
    expect(early.map((row) => row.counts.offered)).toEqual([1]);
    // Due in second 0 (already published), made in second 1: offered goes to second 0's timeline.
    operation(0.9 * NS_PER_SEC, 1.6 * NS_PER_SEC);
    operation(0.95 * NS_PER_SEC, 1.7 * NS_PER_SEC, true);
    publisher.publish(3 * NS_PER_SEC);
    const metrics = recorder.toWire();
    publisher.finish(metrics.timelineSeconds);
    const rows = [...early, ...reader.take()];

    expect(rows.map((row) => row.second)).toEqual([0, 1, 2, 3]);
    const totals = handle.counters();
    expect(sum(rows, 'offered')).toBe(totals.offered);
    expect(sum(rows, 'offered')).toBe(3);
    expect(sum(rows, 'succeeded')).toBe(totals.succeeded);
    expect(sum(rows, 'admitted')).toBe(2);
    expect(sum(rows, 'ended')).toBe(3);
    // The two late counts are in the last row, not lost.
    expect(rows.at(-1)?.counts.offered).toBe(2);
    expect(rows.at(-1)?.counts.ended).toBe(1);
  });

  test('the collected rows (virtual clock --stream) add up the same way', () => {
    const { recorder, publisher, operation } = setUp(true);
    publisher.publish(1 * NS_PER_SEC);
    operation(0.5 * NS_PER_SEC, 1.2 * NS_PER_SEC);
    publisher.finish(recorder.toWire().timelineSeconds);
    const rows = collectedRows(publisher.collected ?? [], 1);
    expect(rows.map((row) => row.second)).toEqual([0, 1, 2, 3]);
    expect(sum(rows, 'offered')).toBe(1);
    expect(sum(rows, 'succeeded')).toBe(1);
  });

  test('a run stopped early: the last row of its shorter timeline holds the rest', () => {
    const { recorder, publisher, reader, operation } = setUp();
    operation(0.2 * NS_PER_SEC, 0.3 * NS_PER_SEC);
    publisher.publish(1.1 * NS_PER_SEC);
    operation(0.8 * NS_PER_SEC, 1.2 * NS_PER_SEC);
    const metrics = recorder.toWire({ untilNs: 1.3 * NS_PER_SEC });
    publisher.finish(metrics.timelineSeconds);
    const rows = reader.take();
    expect(rows.map((row) => row.second)).toEqual([0, 1]);
    expect(sum(rows, 'offered')).toBe(2);
    expect(rows.at(-1)?.counts.offered).toBe(1);
  });

  test('nothing late: the last row is the drain alone, never negative', () => {
    const { recorder, publisher, reader, operation } = setUp();
    operation(0.2 * NS_PER_SEC, 0.3 * NS_PER_SEC);
    operation(2.9 * NS_PER_SEC, 3.4 * NS_PER_SEC);
    publisher.publish(3.2 * NS_PER_SEC);
    publisher.finish(recorder.toWire().timelineSeconds);
    const rows = reader.take();
    expect(rows.map((row) => row.counts.offered)).toEqual([1, 0, 1, 0]);
    expect(rows.map((row) => row.counts.succeeded)).toEqual([1, 0, 0, 1]);
  });
});
