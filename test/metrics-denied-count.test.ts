import { describe, expect, test } from 'vitest';
import { checkCounters, mergeMetrics, MetricsRecorder, summarize } from '../src/metrics/index.js';
import { summaryMetric } from '../src/metrics/metric-catalog.js';
import type { OperationSummary } from '../src/metrics/summary.js';
import { readSecondRow, SECOND_FIELDS, TOTAL_FIELD, TOTAL_FIELDS } from '../src/metrics/live-fields.js';
import { liveMetricValue, LIVE_ABORT_METRICS } from '../src/scenario/threshold-aborts.js';

const SEC = 1_000_000_000;
const START = 3 * SEC;

/** One fleet, two operations: Encrypt allowed (4 ok, 1 throttled then ok), DescribeKey denied 3 times and once not found. */
function recordRun(): MetricsRecorder {
  const recorder = new MetricsRecorder({ startNs: START, timelineSeconds: 4 });
  const encrypt = recorder.handle('app', 'Encrypt');
  for (let i = 0; i < 4; i++) {
    encrypt.offered(START);
    encrypt.attempt('symmetric', 'admitted', START);
    encrypt.completed(true, undefined, 500, 1, START);
  }
  encrypt.offered(START);
  encrypt.attempt('symmetric', 'throttled', START);
  encrypt.attempt('symmetric', 'admitted', START + SEC);
  encrypt.completed(true, undefined, 900_000, 2, START + SEC);
  const describeKeyOp = recorder.handle('app', 'DescribeKey');
  for (let i = 0; i < 3; i++) {
    describeKeyOp.offered(START + SEC);
    describeKeyOp.attempt('DescribeKey', 'error', START + SEC);
    describeKeyOp.completed(false, 'AccessDeniedException', 300, 1, START + SEC);
  }
  describeKeyOp.offered(START + SEC);
  describeKeyOp.attempt('DescribeKey', 'error', START + SEC);
  describeKeyOp.completed(false, 'NotFoundException', 300, 1, START + SEC);
  return recorder;
}

describe('denied operations', () => {
  test('are counted apart from throttles and other failures, per operation, fleet and run', () => {
    const summary = summarize(mergeMetrics([recordRun().toWire()]), { durationSec: 3 });
    const fleet = summary.fleets['app'];
    const describeKey = fleet?.operations['DescribeKey'];
    expect(describeKey).toMatchObject({ denied: 3, throttled: 0, retries: 0, succeeded: 0, failedTotal: 4, deniedRate: 3 / 4 });
    expect(describeKey?.failed).toEqual({ AccessDeniedException: 3, NotFoundException: 1 });
    expect(fleet?.operations['Encrypt']).toMatchObject({ denied: 0, deniedRate: 0, throttled: 1 });
    expect(fleet?.total).toMatchObject({ denied: 3, deniedRate: 3 / 9, throttled: 1, succeeded: 5 });
    expect(summary.total.denied).toBe(3);
    for (const op of [describeKey, fleet?.operations['Encrypt'], fleet?.total, summary.total]) {
      expect(op && checkCounters(op)).toEqual([]);
    }
  });

  test('checkCounters catches a denied count that disagrees with the failures by name', () => {
    const summary = summarize(mergeMetrics([recordRun().toWire()]), { durationSec: 3 });
    const op = summary.fleets['app']?.operations['DescribeKey'] as OperationSummary;
    expect(checkCounters({ ...op, denied: 2 })).toEqual(['denied 2 ≠ operations failed with AccessDeniedException 3']);
  });

  test('the catalog reads denied and deniedRate, from failures by name in results written before denied was counted', () => {
    const summary = summarize(mergeMetrics([recordRun().toWire()]), { durationSec: 3 });
    const op = summary.fleets['app']?.operations['DescribeKey'] as OperationSummary;
    const { denied: _denied, deniedRate: _rate, ...older } = op;
    for (const shape of [op, older]) {
      expect(summaryMetric('denied')?.read(shape)).toBe(3);
      expect(summaryMetric('deniedRate')?.read(shape)).toBe(0.75);
    }
  });

  test('per second and in the running totals, for --stream and abortOnFail', () => {
    const recorder = recordRun();
    const second = new Float64Array(SECOND_FIELDS);
    recorder.addFleetSecond('app', 1, second, 0);
    expect(readSecondRow(second)).toMatchObject({ denied: 3, errors: 4, succeeded: 1 });
    const totals = new Float64Array(TOTAL_FIELDS);
    recorder.addFleetTotals('app', totals, 0);
    expect(totals[TOTAL_FIELD.denied]).toBe(3);
    const live = { offered: 9, attempts: 10, throttled: 1, succeeded: 5, completed: 9, dropped: 0, retries: 1, denied: 3 };
    expect(LIVE_ABORT_METRICS).toContain('deniedRate');
    expect(liveMetricValue('deniedRate', live)).toBeCloseTo(1 / 3);
    expect(liveMetricValue('denied', live)).toBe(3);
    expect(liveMetricValue('deniedRate', { ...live, completed: 0, denied: 0 })).toBeUndefined();
  });
});
