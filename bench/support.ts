/** Shared bench plumbing: tinybench 6 runs, rows, and the figure-beside-its-floor comparison every suite reports. */
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
  /** The target ratio, if it names one. */
  readonly target?: number;
}

export interface BenchTask {
  readonly name: string;
  readonly fn: () => unknown;
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
    return { name: task.name, opsPerSec: 1000 / result.period, nsPerOp: result.period * 1e6 };
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

/** One line per comparison: figure, floor, ratio, target and whether it is met. */
export function formatComparisons(title: string, comparisons: readonly Comparison[]): string {
  const lines = [`\n${title}`];
  for (const c of comparisons) {
    const r = ratio(c);
    const verdict = c.target === undefined ? '' : r >= c.target ? `  ✓ target ≥ ${c.target}` : `  ✗ target ≥ ${c.target}`;
    lines.push(
      `  ${c.figure.name.padEnd(46)} ${fmt(c.figure.opsPerSec).padStart(12)} ops/s  ${fmt(c.figure.nsPerOp).padStart(10)} ns/op`,
      `  ${('  floor: ' + c.floor.name).padEnd(46)} ${fmt(c.floor.opsPerSec).padStart(12)} ops/s  ${fmt(c.floor.nsPerOp).padStart(10)} ns/op   ratio ${r.toFixed(3)}${verdict}`,
    );
  }
  return lines.join('\n');
}
