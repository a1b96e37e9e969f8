/** Shared bench plumbing: tinybench 6 runs, rows, and the figure-beside-its-floor comparison every suite reports. */
import { createCipheriv, randomBytes, randomFillSync } from 'node:crypto';
import { Bench } from 'tinybench';

export interface BenchRow {
  readonly name: string;
  readonly opsPerSec: number;
  readonly nsPerOp: number;
}

/** A measured figure beside its floor measured in the same run; ratio = figure ops/s ÷ floor ops/s. */
export interface Comparison {
  readonly figure: BenchRow;
  readonly floor: BenchRow;
  /** The issue's target ratio, if it names one. */
  readonly target?: number;
}

export interface BenchTask {
  readonly name: string;
  readonly fn: () => unknown;
  /** Operations one call of `fn` performs: per-operation figures divide by it. Default 1. */
  readonly batch?: number;
}

/**
 * Runs `op` `times` times, awaiting each result that is a promise: one tinybench iteration then costs many operations,
 * so the per-iteration cost of tinybench itself (much larger for an async task) does not dilute the figures.
 */
export function repeat(times: number, op: () => unknown): () => Promise<void> | void {
  const first = op();
  if (!(first instanceof Promise)) {
    return () => {
      for (let i = 0; i < times; i++) op();
    };
  }
  void first.catch(() => undefined);
  return async () => {
    for (let i = 0; i < times; i++) await op();
  };
}

/** Runs tasks one after another for `timeMs` each (after a warm-up) and returns ops/s and ns/op per task. */
export async function measure(tasks: readonly BenchTask[], timeMs = 1000): Promise<BenchRow[]> {
  const bench = new Bench({ time: timeMs, warmupTime: Math.min(250, timeMs / 4) });
  for (const task of tasks) bench.add(task.name, task.fn);
  await bench.run();
  return bench.tasks.map((task) => {
    const result = task.result;
    if (result.state !== 'completed') {
      const detail = result.state === 'errored' ? `: ${result.error.message}` : '';
      throw new Error(`bench task "${task.name}" ${result.state}${detail}`);
    }
    const batch = tasks.find((t) => t.name === task.name)?.batch ?? 1;
    return { name: task.name, opsPerSec: (1000 * batch) / result.period, nsPerOp: (result.period * 1e6) / batch };
  });
}

export function byName(rows: readonly BenchRow[], name: string): BenchRow {
  const row = rows.find((r) => r.name === name);
  if (row === undefined) throw new Error(`no bench row named ${name}`);
  return row;
}

export function ratio(comparison: Comparison): number {
  return comparison.figure.opsPerSec / comparison.floor.opsPerSec;
}

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1);
}

/** Two lines per comparison: the figure, then its floor with the ratio, the target and whether it is met. */
export function formatComparisons(title: string, comparisons: readonly Comparison[]): string {
  const width = Math.max(...comparisons.flatMap((c) => [c.figure.name.length, c.floor.name.length + 9]));
  const cells = (row: BenchRow): string => `${fmt(row.opsPerSec).padStart(12)} ops/s  ${fmt(row.nsPerOp).padStart(10)} ns/op`;
  const lines = [`\n${title}`];
  for (const c of comparisons) {
    const r = ratio(c);
    const verdict = c.target === undefined ? '' : `  ${r >= c.target ? '✓' : '✗'} target ≥ ${c.target}`;
    lines.push(`  ${c.figure.name.padEnd(width)} ${cells(c.figure)}`);
    lines.push(`  ${`  floor: ${c.floor.name}`.padEnd(width)} ${cells(c.floor)}   ratio ${r.toFixed(3)}${verdict}`);
  }
  return lines.join('\n');
}

/**
 * The floor of a simulated crypto figure: raw AES-256-GCM seals of `payloadBytes`, a fresh cipher per seal, with a
 * random IV per seal when `randomIv` (what the model and the envelope do) or one fixed IV.
 */
export async function aesGcmSealFloor(payloadBytes: number, options: { readonly randomIv: boolean; readonly timeMs: number }): Promise<BenchRow> {
  const batch = 100;
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const plaintext = randomBytes(payloadBytes);
  const [floor] = await measure(
    [
      {
        name: `raw AES-256-GCM seal ${payloadBytes} B${options.randomIv ? ', random IV' : ''}`,
        batch,
        fn: repeat(batch, () => {
          if (options.randomIv) randomFillSync(iv);
          const cipher = createCipheriv('aes-256-gcm', key, iv);
          cipher.update(plaintext);
          cipher.final();
          cipher.getAuthTag();
        }),
      },
    ],
    options.timeMs,
  );
  if (floor === undefined) throw new Error('no floor measured');
  return floor;
}

/** The median of `values`. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * ns per call of `op`, over one slice of about `sliceMs`: paired figures alternate short slices of both sides so a load
 * change on a busy machine falls on both.
 */
export function slice(op: () => unknown, sliceMs: number): number {
  const deadline = process.hrtime.bigint() + BigInt(Math.round(sliceMs * 1e6));
  const started = process.hrtime.bigint();
  let calls = 0;
  let now = started;
  while (now < deadline) {
    for (let i = 0; i < 64; i++) op();
    calls += 64;
    now = process.hrtime.bigint();
  }
  return Number(now - started) / calls;
}

/**
 * Median ns per call of `a` and of `b`, over alternating slices (which side goes first alternates too) for about
 * `timeMs` in all, after a warm-up of each.
 */
export function pairedMedians(a: () => unknown, b: () => unknown, timeMs: number): { aNs: number; bNs: number } {
  slice(a, 100);
  slice(b, 100);
  const rounds = Math.max(10, Math.round(timeMs / 40));
  const aNs: number[] = [];
  const bNs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      aNs.push(slice(a, 20));
      bNs.push(slice(b, 20));
    } else {
      bNs.push(slice(b, 20));
      aNs.push(slice(a, 20));
    }
  }
  return { aNs: median(aNs), bNs: median(bNs) };
}
