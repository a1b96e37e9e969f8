/**
 * Two real worker threads sharing one board: they draw from one budget (no over-admission under contention), and
 * lazily claim exactly one slot per key even when both claim the same keys at the same moment.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, test } from 'vitest';
import { QuotaBoard } from '../src/quota/index.js';
import type { SharedQuotaBoard } from '../src/quota/index.js';

const SEC = 1e9;
const WORKER_URL = new URL('./fixtures/quota-worker.mjs', import.meta.url);
const ACCOUNT = '111122223333';
const REGION = 'eu-central-1';

/** Errors of crashed workers, so a test fails instead of hanging. */
const failures: Error[] = [];

function startWorker(workerData: Record<string, unknown>): Worker {
  // tsx compiles the worker's TypeScript; without a disk cache it leaves nothing in the run's temp directory.
  const worker = new Worker(WORKER_URL, { workerData, env: { ...process.env, TSX_DISABLE_CACHE: '1' } });
  worker.on('error', (error) => failures.push(error));
  return worker;
}

/** The next message from `worker`, or the error it died with. */
function nextMessage<T>(worker: Worker): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`worker exited with code ${code} before answering`)));
  });
}

interface LoadResult {
  perWindow: number[];
  offered: number;
  before: number;
}

async function runLoad(shared: SharedQuotaBoard, windows: number, offeredPerSec: number): Promise<LoadResult[]> {
  const data = { shared, mode: 'load', windows, offeredPerSec, accountId: ACCOUNT, region: REGION, bucket: 'symmetric' };
  const workers = [startWorker(data), startWorker(data)];
  try {
    await Promise.all(workers.map((worker) => nextMessage(worker)));
    // Both threads are loaded: start them together on the next window boundary of the shared clock.
    const results = workers.map((worker) => nextMessage<LoadResult>(worker));
    const now = Number(process.hrtime.bigint());
    const startNs = (Math.floor(now / SEC) + 1) * SEC;
    for (const worker of workers) worker.postMessage({ startNs });
    return await Promise.all(results);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

describe('a board shared by two worker threads', () => {
  test.each([
    ['each offering 2× the quota on a schedule', 2 * 200],
    ['each calling as fast as it can', Infinity],
  ])('draws from one budget: %s', async (_label, offeredPerSec) => {
    const quota = 200;
    const windows = 3;
    const board = new QuotaBoard({ overrides: { [REGION]: { symmetric: quota } } });
    const results = await runLoad(board.share(), windows, offeredPerSec);

    const perWindow = Array.from({ length: windows + 1 }, (_, w) => results.reduce((sum, r) => sum + (r.perWindow[w] ?? 0), 0));
    const admittedInRun = perWindow.slice(0, windows).reduce((a, b) => a + b, 0);
    // Never more than the quota in any window, by the clock reading each decision was made with.
    for (const count of perWindow) expect(count).toBeLessThanOrEqual(quota);
    expect(results.every((r) => r.before === 0)).toBe(true);
    // Offered well above the quota, every window fills: within 1% of quota × windows.
    expect(Math.abs(admittedInRun - quota * windows)).toBeLessThanOrEqual(0.01 * quota * windows);
    // Both threads really competed, and the shared counters agree with what the threads saw.
    const offered = results.reduce((sum, r) => sum + r.offered, 0);
    expect(offered).toBeGreaterThan(2 * quota * windows);
    // On a schedule each thread gets its share. Calling as fast as it can, a window fills within tens of microseconds,
    // so on a busy machine whichever thread is on a core at each boundary may take every window: no per-thread check.
    if (Number.isFinite(offeredPerSec)) expect(results.every((r) => r.perWindow.some((count) => count > 0))).toBe(true);
    const [row] = board.snapshot();
    expect(row?.admitted).toBe(admittedInRun + (perWindow[windows] ?? 0));
    expect((row?.admitted ?? 0) + (row?.throttled ?? 0)).toBe(offered);
  });

  test('claims exactly one slot per key when both threads claim the same keys at once', async () => {
    const keys: [string, string, string][] = [];
    for (let a = 0; a < 60; a++) {
      for (const region of ['us-east-1', 'ap-southeast-2']) {
        for (const bucket of ['symmetric', 'rsa', 'DescribeKey']) keys.push([String(100000000000 + a), region, bucket]);
      }
    }
    // 360 keys in 512 slots: long probe chains, so claims race on the same entries.
    const board = new QuotaBoard({ capacity: 512 });
    const barrier = new SharedArrayBuffer(8);
    const flags = new Int32Array(barrier);
    const workers = [0, 1].map(() => startWorker({ shared: board.share(), mode: 'claim', keys, barrier }));
    try {
      const done = workers.map((worker) => nextMessage(worker));
      while (Atomics.load(flags, 0) < 2) {
        if (failures.length > 0) throw failures[0];
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      Atomics.store(flags, 1, 1);
      Atomics.notify(flags, 1);
      await Promise.all(done);
    } finally {
      await Promise.all(workers.map((worker) => worker.terminate()));
    }
    const rows = board.snapshot();
    expect(rows).toHaveLength(keys.length);
    expect(new Set(rows.map((r) => `${r.accountId}/${r.region}/${r.bucket}`)).size).toBe(keys.length);
    // Each thread admitted once per key: both landed in the same slot.
    expect(rows.every((r) => r.admitted === 2 && r.throttled === 0)).toBe(true);
  });

  test('a thread beyond maxThreads fails to attach with an error naming the option', async () => {
    const board = new QuotaBoard({ maxThreads: 1 }); // this thread takes the only counter block
    const worker = startWorker({ shared: board.share(), mode: 'claim', keys: [], barrier: new SharedArrayBuffer(8) });
    try {
      await expect(nextMessage(worker)).rejects.toThrow(/more than 1 threads have used this shared board; raise quotas\.maxThreads/);
    } finally {
      await worker.terminate();
      failures.length = 0;
    }
  });
});
