/**
 * The Redis quota store against the shared-memory one, in one run: decisions per second per process and how far each
 * one-second window's admissions fall from the quota, with 2 processes × 2 threads for several lease sizes. Needs a
 * `redis-server` on PATH (started here on a free loopback port, stopped at the end); `npm run bench` runs it when one
 * is there (`--only redis`).
 *
 * A "process" here is one board (its threads share its counters), and every thread holds its own Redis connection and
 * leases — exactly what separate processes do, since each thread leases for itself (docs/QUOTA-STORE.md). Threads
 * decide in batches and yield between them, as the engine's event loop does, so leases can come back.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { QuotaBoard } from '../src/quota/index.js';
import type { QuotaStoreReport, SharedQuotaBoard } from '../src/quota/index.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const QUOTA = 20_000;
const BATCH = 200;
const WORKER_KIND = 'kms-bench.quota-redis-bench-worker';

interface Job {
  readonly kind: typeof WORKER_KIND;
  readonly shared: SharedQuotaBoard;
  readonly durationMs: number;
}

/** One configuration's figures. */
export interface RedisBenchRow {
  readonly store: string;
  readonly decisionsPerSecPerProcess: number;
  /** Over the whole seconds every process ran: the largest and smallest admitted total, against the quota. */
  readonly maxWindow: number;
  readonly minWindow: number;
  readonly leaseMisses: number;
}

async function threadMain(job: Job, port: NonNullable<typeof parentPort>): Promise<void> {
  const board = QuotaBoard.fromShared(job.shared);
  await board.ready();
  const partition = board.partition(ACCOUNT, REGION);
  partition.admit('symmetric');
  // Connected and leasing: wait for the common start (a connection takes a while on a loaded machine).
  const started = new Promise<number>((resolve) => port.once('message', resolve));
  port.postMessage('ready');
  const endMs = (await started) + job.durationMs;
  let decisions = 0;
  while (Date.now() < endMs) {
    for (let i = 0; i < BATCH; i++) partition.admit('symmetric');
    decisions += BATCH;
    // Yield, as a request loop does: the next lease's reply is handled here.
    await new Promise((resolve) => setImmediate(resolve));
  }
  board.close();
  port.postMessage(decisions);
}

function message(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/** 2 boards × 2 threads on `store` for `durationMs`, started together. */
async function measure(store: string, runId: string, durationMs: number): Promise<RedisBenchRow> {
  const options = { overrides: { [REGION]: { symmetric: QUOTA } }, store, runId, capacity: 16 };
  const boards = [new QuotaBoard(options), new QuotaBoard(options)];
  const workers = boards.flatMap((board) => [0, 1].map(() => new Worker(new URL(import.meta.url), { workerData: { kind: WORKER_KIND, shared: board.share(), durationMs } })));
  let decisions: number[];
  try {
    await Promise.all(workers.map(message));
    const done = workers.map(message);
    const startMs = Date.now() + 20;
    for (const worker of workers) worker.postMessage(startMs);
    decisions = (await Promise.all(done)) as number[];
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  const perProcess = (decisions.reduce((a, b) => a + b, 0) / boards.length / durationMs) * 1000;
  if (store === 'memory') {
    // Shared memory between the threads of one board; two boards would be two budgets, so only the rate is shown.
    return { store: 'memory (2 threads per board)', decisionsPerSecPerProcess: perProcess, maxWindow: QUOTA, minWindow: QUOTA, leaseMisses: 0 };
  }
  const reports: QuotaStoreReport[] = boards.map((board) => board.storeReport());
  const totals = new Map<number, number>();
  for (const { admittedPerUnixSecond: { fromUnixSecond, counts } } of reports) {
    counts.forEach((count, i) => totals.set(fromUnixSecond + i, (totals.get(fromUnixSecond + i) ?? 0) + count));
  }
  // Whole seconds only: the first and last are partly outside the run.
  const seconds = [...totals.keys()].sort((a, b) => a - b).slice(1, -1).map((s) => totals.get(s) ?? 0);
  return {
    store,
    decisionsPerSecPerProcess: perProcess,
    maxWindow: Math.max(...seconds),
    minWindow: Math.min(...seconds),
    leaseMisses: reports.reduce((sum, r) => sum + r.leaseMisses, 0),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Whether a redis-server is on PATH. */
export function redisServerPresent(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The suite: shared memory, then Redis with each lease size, at 2 processes × 2 threads. */
export async function redisQuotaBench(durationMs = 3_000, leases: readonly number[] = [10, 50, 200, 1000]): Promise<string> {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const rows = [await measure('memory', 'bench-memory', durationMs)];
    for (const lease of leases) rows.push(await measure(`redis://127.0.0.1:${port}/0?lease=${lease}`, `bench-${lease}-${Date.now()}`, durationMs));
    const lines = rows.map((r) => {
      const window = `${r.minWindow}–${r.maxWindow}`.padStart(14);
      return `  ${r.store.padEnd(48)} ${Math.round(r.decisionsPerSecPerProcess).toLocaleString('en-US').padStart(12)} /s ${window} ${String(r.leaseMisses).padStart(8)}`;
    });
    return [`\nQuota store: 2 processes × 2 threads, fixed window ${QUOTA.toLocaleString('en-US')}/s`, `  ${'store'.padEnd(48)} ${'decisions/process'.padStart(15)} ${'admitted/window'.padStart(14)} ${'misses'.padStart(8)}`, ...lines].join('\n');
  } finally {
    server.kill('SIGKILL');
  }
}

if (!isMainThread && (workerData as Job | undefined)?.kind === WORKER_KIND && parentPort !== null) {
  await threadMain(workerData as Job, parentPort);
} else if (isMainThread && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await redisQuotaBench());
}
