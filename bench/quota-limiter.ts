/**
 * Quota limiter cost: one admission decision, single-threaded (tinybench) and with two worker threads contending for
 * one slot. Standalone: `npx tsx bench/quota-limiter.ts` prints a table. The suite runner imports `quotaBench()`.
 *
 * A decision is the board's hot path: `partition.admit(bucket)` → clock reading → one compare-and-swap. The clock is
 * measured on its own as the floor: with `process.hrtime.bigint()` it is a large share of the wall-clock figure.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import { QuotaBoard, bucketIndexOf } from '../src/quota/index.js';
import { wallTime } from '../src/base/time.js';
import type { NowNs, QuotaOptions, SharedQuotaBoard } from '../src/quota/index.js';
import type { BenchRow } from './support.js';


const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
/** Decisions per tinybench iteration: one decision (~50 ns) is below the timer's resolution. */
const BATCH = 1_000;
const WORKER_KIND = 'kms-bench.quota-bench-worker';

/** A clock that advances 10 ns per reading: isolates the limiter from the cost of reading real time. */
function fakeClock(): NowNs {
  let now = 1e9;
  return () => (now += 10);
}

function partitionFor(options: QuotaOptions, clock: NowNs) {
  return new QuotaBoard({ capacity: 16, ...options }, clock).partition(ACCOUNT, REGION);
}

/** Quota so high that every request is admitted (the compare-and-swap path), or 1/s (the throttle path). */
const ADMIT_ALL = { overrides: { '*': { symmetric: 1e9 } } } as const;
const THROTTLE = { overrides: { '*': { symmetric: 1 } } } as const;

async function singleThread(timeMs: number): Promise<BenchRow[]> {
  const bench = new Bench({ time: timeMs, warmupTime: Math.min(200, timeMs) });
  // One function literal per task, so no task's call sites see the others' types (a shared helper would make every
  // call site megamorphic and measure that instead).
  const fwAdmit = partitionFor({ enforcement: 'fixed-window', ...ADMIT_ALL }, fakeClock());
  const fwThrottle = partitionFor({ enforcement: 'fixed-window', ...THROTTLE }, fakeClock());
  const tbAdmit = partitionFor({ enforcement: 'token-bucket', ...ADMIT_ALL }, fakeClock());
  const tbThrottle = partitionFor({ enforcement: 'token-bucket', ...THROTTLE }, fakeClock());
  const unlimited = partitionFor({ profile: 'unlimited' }, fakeClock());
  const fwWall = partitionFor({ enforcement: 'fixed-window', ...ADMIT_ALL }, wallTime.nowNs);
  const tbWall = partitionFor({ enforcement: 'token-bucket', ...ADMIT_ALL }, wallTime.nowNs);
  const fwIndex = partitionFor({ enforcement: 'fixed-window', ...ADMIT_ALL }, fakeClock());
  const symmetric = bucketIndexOf('symmetric');
  let sink = 0;
  bench
    .add('clock floor: Number(process.hrtime.bigint())', () => {
      for (let i = 0; i < BATCH; i++) sink += wallTime.nowNs();
    })
    .add('fixed-window admit (fake clock)', () => {
      for (let i = 0; i < BATCH; i++) fwAdmit.admit('symmetric');
    })
    .add('fixed-window throttle (fake clock)', () => {
      for (let i = 0; i < BATCH; i++) fwThrottle.admit('symmetric');
    })
    .add('fixed-window admitIndex (fake clock)', () => {
      for (let i = 0; i < BATCH; i++) fwIndex.admitIndex(symmetric);
    })
    .add('token-bucket admit (fake clock)', () => {
      for (let i = 0; i < BATCH; i++) tbAdmit.admit('symmetric');
    })
    .add('token-bucket throttle (fake clock)', () => {
      for (let i = 0; i < BATCH; i++) tbThrottle.admit('symmetric');
    })
    .add('unlimited admit (no clock read)', () => {
      for (let i = 0; i < BATCH; i++) unlimited.admit('symmetric');
    })
    .add('fixed-window admit (hrtime clock)', () => {
      for (let i = 0; i < BATCH; i++) fwWall.admit('symmetric');
    })
    .add('token-bucket admit (hrtime clock)', () => {
      for (let i = 0; i < BATCH; i++) tbWall.admit('symmetric');
    });
  await bench.run();
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the clock reads alive');
  return bench.tasks.map((task): BenchRow => {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`bench ${task.name}: ${result.state}`);
    const nsPerOp = (result.latency.mean * 1e6) / BATCH;
    return { name: task.name, opsPerSec: 1e9 / nsPerOp, nsPerOp };
  });
}

interface WorkerJob {
  readonly kind: typeof WORKER_KIND;
  readonly shared: SharedQuotaBoard;
  readonly durationNs: number;
}

/** Starts this module as a worker; under tsx (a `.ts` URL) the worker registers tsx's loader first. */
function startWorker(job: WorkerJob): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL(self), { workerData: job });
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(self)}); });`;
  return new Worker(code, { eval: true, workerData: job });
}

function reply(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/** Two threads calling `admit` on one slot as fast as they can for `durationNs`. */
async function contended(name: string, options: QuotaOptions, durationNs: number): Promise<BenchRow> {
  const board = new QuotaBoard({ capacity: 16, ...options });
  const workers = [0, 1].map(() => startWorker({ kind: WORKER_KIND, shared: board.share(), durationNs }));
  try {
    await Promise.all(workers.map(reply)); // loaded
    const done = workers.map(reply);
    const startNs = wallTime.nowNs() + 20e6;
    for (const worker of workers) worker.postMessage(startNs);
    const decisions = ((await Promise.all(done)) as number[]).reduce((a, b) => a + b, 0);
    const opsPerSec = decisions / (durationNs / 1e9);
    // Each thread spends durationNs making its share of the decisions.
    return { name, opsPerSec, nsPerOp: (2 * 1e9) / opsPerSec };
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

async function workerMain(job: WorkerJob, port: NonNullable<typeof parentPort>): Promise<void> {
  const partition = QuotaBoard.fromShared(job.shared, wallTime.nowNs).partition(ACCOUNT, REGION);
  partition.admit('symmetric'); // claim the slot before the clock starts
  const started = new Promise<number>((resolve) => port.once('message', resolve));
  port.postMessage('ready');
  const startNs = await started;
  while (wallTime.nowNs() < startNs);
  const endNs = startNs + job.durationNs;
  let decisions = 0;
  while (wallTime.nowNs() < endNs) {
    for (let i = 0; i < 256; i++) partition.admit('symmetric');
    decisions += 256;
  }
  port.postMessage(decisions);
}

/**
 * Runs the quota limiter benchmarks.
 * @param options.timeMs tinybench time per single-threaded task (default 500 ms).
 * @param options.contendedMs duration of each two-thread run (default 1000 ms).
 */
export async function quotaBench(options: { timeMs?: number; contendedMs?: number } = {}): Promise<BenchRow[]> {
  const rows = await singleThread(options.timeMs ?? 500);
  const durationNs = (options.contendedMs ?? 1000) * 1e6;
  rows.push(
    await contended('fixed-window admit, 2 threads on one slot (ns per decision per thread)', { ...ADMIT_ALL }, durationNs),
    await contended('fixed-window throttle, 2 threads on one slot (ns per decision per thread)', { ...THROTTLE }, durationNs),
    await contended(
      'token-bucket admit, 2 threads on one slot (ns per decision per thread)',
      { enforcement: 'token-bucket', ...ADMIT_ALL },
      durationNs,
    ),
  );
  return rows;
}

const job = workerData as Partial<WorkerJob> | null;
if (!isMainThread && job?.kind === WORKER_KIND && parentPort !== null) {
  await workerMain(job as WorkerJob, parentPort);
} else if (isMainThread && process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await quotaBench();
  console.table(rows.map((row) => ({ name: row.name, 'ops/s': Math.round(row.opsPerSec), 'ns/op': row.nsPerOp.toFixed(1) })));
}
