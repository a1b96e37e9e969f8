/**
 * The work estimate's arithmetic (requests, wall time, memory, report size) and the budget's verdicts: each refusal
 * states the estimate and names the option that lifts it; `--workers` beyond the cores is refused.
 */
import { describe, expect, test } from 'vitest';
import { approx, bytes, checkRunSize, checkWorkers, judgeRunSize, span } from '../src/api/run-budget.js';
import { parseMaxRequests } from '../src/cli/cli-values.js';
import { SDK_RETRY_TABLE } from '../src/client/sdk-retry-table.js';
import { estimateWork, maxBackoffMs, type EstimateOptions } from '../src/engine/work-estimate.js';
import { latencySampler, meanLatencyMs } from '../src/workload/service-latency.js';
import { seededRandom } from '../src/base/random.js';
import { BYTES, US_PER_REQUEST } from '../src/engine/work-rates.js';
import type { FleetPlan } from '../src/engine/wire.js';
import { smallPlan } from './support/small-plan.js';

const virtualOff: EstimateOptions = { clock: 'virtual', workers: 1, cores: 2, crypto: () => 'off' };
const HOUR_MS = 3_600_000;

const open = (arrivalRatePerSec: number, extra: Partial<Extract<FleetPlan['workload'], { model: 'open' }>> = {}): Partial<FleetPlan> => ({
  workload: { model: 'open', arrivalRatePerSec, ...extra },
});
const closed = (clients: number, thinkTimeMs: number, iterations?: number): Partial<FleetPlan> => ({
  workload: { model: 'closed', clients, thinkTimeMs, ...(iterations === undefined ? {} : { iterations }) },
});

describe('estimateWork: requests', () => {
  test('an open fleet offers its rate over the duration', () => {
    const estimate = estimateWork([smallPlan({ durationMs: 10_000, fleet: open(100) })], virtualOff);
    expect(estimate.requests).toBeCloseTo(1_000, 6);
  });

  test('stages are integrated: a ramp from 0 to 100/s over 10 s, then 100/s for 10 s, is 500 + 1,000', () => {
    const plan = smallPlan({ durationMs: 20_000, fleet: open(0, { stages: [{ durationMs: 10_000, target: 100 }] }) });
    expect(estimateWork([plan], virtualOff).requests).toBeCloseTo(1_500, 6);
  });

  test('a closed fleet sends clients × duration / (think time + mean service latency)', () => {
    const plan = { ...smallPlan({ durationMs: 60_000, fleet: closed(50, 10) }), serviceLatency: { default: { distribution: 'constant' as const, ms: 10 } } };
    // Each client cycles every 20 ms: 50 per second each, 2,500/s in all, 150,000 over a minute.
    expect(estimateWork([plan], virtualOff).requests).toBeCloseTo(150_000, 6);
  });

  test('iterations cap a closed fleet', () => {
    const plan = smallPlan({ durationMs: 60_000, fleet: closed(50, 10, 7) });
    expect(estimateWork([plan], virtualOff).requests).toBe(350);
  });

  test('on the wall clock a closed fleet never sends faster than its workers can', () => {
    const plan = smallPlan({ durationMs: 10_000, fleet: closed(1_000_000, 0) });
    const estimate = estimateWork([plan], { clock: 'wall', workers: 2, cores: 2 });
    expect(estimate.requests).toBeCloseTo(((2 * 1e6) / US_PER_REQUEST.wallDirect) * 10, 0);
  });

  test('every variant and every seed counts', () => {
    const plans = [smallPlan({ name: 'a', durationMs: 10_000, fleet: open(100) }), smallPlan({ name: 'b', durationMs: 10_000, fleet: open(300) })];
    expect(estimateWork(plans, { ...virtualOff, repeat: 3 }).requests).toBeCloseTo(3 * (1_000 + 3_000), 6);
  });
});

describe('estimateWork: time, memory and report size', () => {
  test('virtual wall time is requests over the per-core simulation rate (1 µs a request, crypto off)', () => {
    const estimate = estimateWork([smallPlan({ durationMs: 1_000_000, fleet: open(1_000_000) })], virtualOff);
    expect(estimate.ratePerCorePerSec).toBeCloseTo(1e6 / US_PER_REQUEST.simEventsCryptoOff, 6);
    // 1,000 s at 1,000,000/s: 1e9 requests, 1,000 s of one core (and half a second to start its thread).
    expect(estimate.requests).toBeCloseTo(1e9, 0);
    expect(estimate.wallSeconds).toBeGreaterThanOrEqual(1_000);
    expect(estimate.wallSeconds).toBeLessThan(1_001);
  });

  test('real crypto and the SDK are charged their cost per request', () => {
    const plan = (fleet: Partial<FleetPlan>) => [smallPlan({ durationMs: 10_000, fleet: { ...open(100), ...fleet } })];
    const off = estimateWork(plan({}), virtualOff).ratePerCorePerSec;
    const real = estimateWork(plan({}), { ...virtualOff, crypto: () => 'real' }).ratePerCorePerSec;
    const sdk = estimateWork(plan({ client: 'sdk' }), virtualOff).ratePerCorePerSec;
    expect(real).toBeLessThan(off / 5);
    expect(sdk).toBeLessThan(1e6 / US_PER_REQUEST.sdkCall);
  });

  test('a wall-clock run lasts its duration, or longer when its workers cannot keep up, and says how far behind', () => {
    const slow = estimateWork([smallPlan({ durationMs: 10_000, fleet: open(100) })], { clock: 'wall', workers: 1, cores: 2 });
    expect(slow.wallSeconds).toBeGreaterThanOrEqual(10);
    expect(slow.wallSeconds).toBeLessThan(12);
    expect(slow.load?.ratio).toBeLessThan(1);
    const flood = estimateWork([smallPlan({ durationMs: 10_000, fleet: open(1e12) })], { clock: 'wall', workers: 1, cores: 2 });
    expect(flood.load?.ratio).toBeCloseTo(1e12 / (1e6 / US_PER_REQUEST.wallDirect), -3);
    expect(flood.wallSeconds).toBeCloseTo((1e13 * US_PER_REQUEST.wallDirect) / 1e6, -6);
  });

  test('closed clients cost their per-client bytes; timelines their seconds × series', () => {
    const small = estimateWork([smallPlan({ durationMs: 10_000, fleet: closed(1, 1_000) })], virtualOff);
    const many = estimateWork([smallPlan({ durationMs: 10_000, fleet: closed(100_001, 1_000) })], virtualOff);
    expect(many.memory.clients - small.memory.clients).toBeCloseTo(100_000 * BYTES.clientEvents, -4);
    const short = estimateWork([smallPlan({ durationMs: 10_000, fleet: open(1) })], virtualOff);
    const long = estimateWork([smallPlan({ durationMs: 10_000_000, fleet: open(1) })], virtualOff);
    // The mix has two operations on one bucket: 2 × 2 bucket series + 3 × 2 operation series, and 7 numbers in the result.
    expect(long.resultJsonBytes / short.resultJsonBytes).toBeCloseTo(10_001 / 11, 6);
    expect(short.resultJsonBytes).toBe(11 * 7 * BYTES.resultJsonPerNumber);
    expect(long.memory.timelines).toBeGreaterThan(10_000 * 10 * BYTES.timelineMainPerSeriesSecond);
  });

  test('an open fleet holds in flight its rate × how long an operation can last', () => {
    const fleet = { ...open(10_000), retry: { policy: 'exponential' as const, baseMs: 100, capMs: 1_000, maxAttempts: 3 } };
    const plan = { ...smallPlan({ durationMs: 1_000, fleet }), serviceLatency: { default: { distribution: 'constant' as const, ms: 10 } } };
    const estimate = estimateWork([plan], virtualOff);
    // 3 answers of 10 ms and backoffs of 100 + 200 ms: 0.33 s × 10,000/s = 3,300 operations.
    expect(estimate.variants[0]?.fleets[0]?.concurrent).toBeCloseTo(3_300, 6);
  });

  test.each([
    [{ policy: 'none', maxAttempts: 1 } as const, 0],
    [{ policy: 'immediate', maxAttempts: 5 } as const, 0],
    [{ policy: 'constant', baseMs: 50, maxAttempts: 4 } as const, 150],
    [{ policy: 'full-jitter', baseMs: 100, capMs: 300, maxAttempts: 5 } as const, 100 + 200 + 300 + 300],
    [{ policy: 'decorrelated-jitter', baseMs: 100, capMs: 10_000, maxAttempts: 3 } as const, 100 + 300],
    // The installed SDK's throttling base, doubled once: base + 2 × base for two retries.
    [{ policy: 'sdk-standard', maxAttempts: 3 } as const, 3 * SDK_RETRY_TABLE.throttlingBaseMs],
  ])('the longest backoff of %o is %d ms', (retry, ms) => {
    expect(maxBackoffMs(retry as FleetPlan['retry'])).toBe(ms);
  });

  test('the mean latency matches what the sampler draws; a constant one is itself', () => {
    expect(meanLatencyMs({ distribution: 'constant', ms: 7 })).toBe(7);
    const spec = { distribution: 'lognormal', medianMs: 4, p99Ms: 25 } as const;
    const sample = latencySampler(spec, seededRandom(1, 'mean-check'));
    let sum = 0;
    for (let i = 0; i < 200_000; i++) sum += sample();
    expect(Math.abs(meanLatencyMs(spec) / (sum / 200_000) - 1)).toBeLessThan(0.02);
  });
});

describe('the budget', () => {
  const huge = smallPlan({ durationMs: 360_000_000 * 1000, fleet: open(1e12) });

  test('past the request budget: the estimate, the time it would take and --max-requests', () => {
    const verdict = judgeRunSize(estimateWork([smallPlan({ durationMs: HOUR_MS, fleet: open(1e6) })], virtualOff), {});
    expect(verdict.refusals).toEqual([
      'this run would simulate ~3.6e9 requests (~1 h at ~1M/s per core); the limit is 2e9 (--max-requests to raise it)',
    ]);
  });

  test('--max-requests raises the request budget; --allow-large lifts every liftable one', () => {
    const estimate = estimateWork([smallPlan({ durationMs: HOUR_MS, fleet: open(1e6) })], virtualOff);
    expect(judgeRunSize(estimate, { maxRequests: 5e9 }).refusals).toEqual([]);
    expect(judgeRunSize(estimate, { allowLarge: true }).refusals).toEqual([]);
    expect(judgeRunSize(estimate, { allowLarge: true, maxRequests: 1e9 }).refusals).toHaveLength(1);
  });

  test('past the wall-time budget: --allow-large', () => {
    const estimate = estimateWork([smallPlan({ durationMs: 48 * HOUR_MS, fleet: open(1) })], { clock: 'wall', workers: 1, cores: 2 });
    expect(judgeRunSize(estimate, {}).refusals).toEqual([
      'this run would take ~2 days (~170,000 requests at ~83k/s per worker); the limit is 24 h (--allow-large to lift it)',
    ]);
  });

  test('past the memory budget: the breakdown and --allow-large; the budget is half the machine, at most 4 GiB', () => {
    const estimate = estimateWork([smallPlan({ fleet: closed(10_000_000, 1_000) })], virtualOff);
    const [refusal] = judgeRunSize(estimate, { totalMemoryBytes: 64 * 2 ** 30 }).refusals;
    expect(refusal).toMatch(/^this run would need ~5\.\d GiB of memory \(clients and requests in flight ~5\.\d GiB, .*\); the limit is 4 GiB, .*\(--allow-large to lift it\)$/);
    expect(judgeRunSize(estimate, { totalMemoryBytes: 4 * 2 ** 30 }).refusals[0]).toContain('the limit is 2 GiB');
  });

  test('a result.json too big to write is refused whatever the options', () => {
    const verdict = judgeRunSize(estimateWork([huge], virtualOff), { allowLarge: true });
    expect(verdict.refusals).toHaveLength(1);
    expect(verdict.refusals[0]).toMatch(/^this run's result\.json would be ~\d+ GiB \(3\.6e8 s of per-second timelines\).*shorten the duration$/);
  });

  test('--repeat 1e9 is estimated without a step per seed, and refused', () => {
    const estimate = estimateWork([smallPlan({ durationMs: 1_000, fleet: open(10) })], { ...virtualOff, repeat: 1e9 });
    expect(estimate.requests).toBeCloseTo(1e10, 0);
    expect(judgeRunSize(estimate, {}).refusals[0]).toMatch(/^this run would simulate ~1e10 requests/);
  });

  test('a wall-clock rate far beyond what the workers drive is said up front', () => {
    const estimate = estimateWork([smallPlan({ durationMs: 1_000, fleet: open(1e7) })], { clock: 'wall', workers: 1, cores: 2 });
    const verdict = judgeRunSize(estimate, { allowLarge: true });
    expect(verdict.notes[0]).toMatch(/^the offered rate \(~1e7\/s\) is ~120× what 1 worker\(s\) can drive \(~83,000\/s\)/);
  });
});

describe('worker threads', () => {
  test('more than the cores needs --oversubscribe, which allows 8 per core', () => {
    expect(checkWorkers(2, '--workers', 2, false)).toBeUndefined();
    expect(checkWorkers(3, '--workers', 2, false)).toMatch(/^--workers 3 is more than this machine's 2 core\(s\).*--oversubscribe \(up to 16\)$/);
    expect(checkWorkers(16, '--workers', 2, true)).toBeUndefined();
    expect(checkWorkers(100_000, '--workers', 2, true)).toMatch(/^--workers 100000 is more than --oversubscribe allows on this machine: 8 threads per core, 16 here/);
  });

  test('the virtual clock is judged by the threads it would use: one simulation needs one', () => {
    const plans = [smallPlan({ fleet: open(10) })];
    const input = { clock: 'virtual' as const, workers: 100_000, workersOption: '--workers', cores: 2 };
    expect(checkRunSize(plans, input).refusals).toEqual([]);
    expect(checkRunSize(plans, { ...input, repeat: 64 }).refusals[0]).toMatch(/^--workers 64 is more than/);
  });
});

describe('formatting', () => {
  test.each([
    [3.6e18, '~3.6e18'],
    [2e9, '~2e9'],
    [123_456, '~120,000'],
    [7, '~7'],
  ])('approx(%d) is %s', (n, text) => expect(approx(n)).toBe(text));

  test.each([
    [40, '~40 s'],
    [3 * 3600, '~3 h'],
    [36 * 3600, '~36 h'],
    [400 * 86400, '~400 days'],
    [1.1e5 * 365.25 * 86400, '~1.1e5 years'],
  ])('span(%d) is %s', (seconds, text) => expect(span(seconds)).toBe(text));

  test('bytes are binary', () => expect(bytes(1.5 * 2 ** 30)).toBe('~1.5 GiB'));

  test.each(['0', '-5', 'abc', ''])('--max-requests %j is refused naming the option', (text) => {
    expect(() => parseMaxRequests(text)).toThrow(/^--max-requests must be a number ≥ 1/);
  });

  test('--max-requests takes scientific notation', () => expect(parseMaxRequests('5e9')).toBe(5e9));
});
