/**
 * The progress line on a terminal: the latest finished second's goodput, throttle rate and retries; "draining" with
 * what is in flight after the scheduled end; simulated seconds per wall second on the virtual clock. Written to a
 * fake TTY as the CLI writes it.
 */
import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import type { LiveFigures, RunProgress } from '../src/api/run-events.js';
import { progressLine } from '../src/cli/progress-line.js';

/** A terminal stand-in: isTTY and columns, collecting what is written. */
class FakeTty extends Writable {
  readonly isTTY = true;
  readonly columns = 160;
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const live: LiveFigures = {
  latest: { second: 2, offered: 400, succeeded: 200, admitted: 200, throttled: 50, errors: 0, retries: 37, ended: 380, denied: 0 },
  totals: { offered: 1200, attempts: 1500, throttled: 150, succeeded: 900, completed: 1100, dropped: 0, retries: 100, denied: 0 },
  inFlight: 100,
};

function render(progress: RunProgress): string {
  const tty = new FakeTty();
  tty.write(`\r\x1b[2K${progressLine(progress)}`);
  return tty.text.replace('\r\x1b[2K', '');
}

const wall = (elapsedMs: number, figures?: LiveFigures): RunProgress => ({
  clock: 'wall',
  variant: 'default',
  variantIndex: 0,
  variants: 1,
  elapsedMs,
  durationMs: 3000,
  completedOps: 1100,
  ...(figures === undefined ? {} : { live: figures }),
});

describe('the progress line', () => {
  test('while running: time, and the latest second: goodput/s, throttle rate, retries', () => {
    const line = render(wall(2500, live));
    expect(line).toContain('2.5s / 3.0s');
    expect(line).toContain('2–3s: 200 ok/s');
    expect(line).toContain('throttled 20.0%');
    expect(line).toContain('37 retries');
    expect(line).not.toContain('denied');
  });

  test('a second in which a policy refused calls says how many, after the retries', () => {
    const line = render(wall(2500, { ...live, latest: { ...live.latest, denied: 12 } as LiveFigures['latest'] }));
    expect(line).toContain('37 retries, 12 denied');
  });

  test('after the scheduled end it says draining with what is in flight, not 3.0s / 3.0s', () => {
    const line = render(wall(3400, live));
    expect(line).toContain('draining 100 in flight');
    expect(line).not.toContain('3.0s / 3.0s');
  });

  test('before the first second ends there are no second figures, and no made-up ones', () => {
    const line = render(wall(400, { totals: live.totals, inFlight: 3 }));
    expect(line).toBe('0.4s / 3.0s · 1,100 ops done');
  });

  test('a second with no attempts shows its throttle rate as n/a, never 0%', () => {
    const idle = { ...live, latest: { ...live.latest!, admitted: 0, throttled: 0, succeeded: 0 } };
    expect(render(wall(2500, idle))).toContain('throttled n/a');
  });

  test('virtual clock: simulated seconds per wall second and the running simulation', () => {
    const line = render({
      clock: 'virtual',
      done: 1,
      total: 2,
      simulatedSeconds: 90,
      plannedSeconds: 120,
      simulatedPerWallSecond: 450,
      live: { variant: 'retry=none', figures: live },
    });
    expect(line).toContain('450 sim-s/s');
    expect(line).toContain('[retry=none]');
    expect(line).toContain('2–3s: 200 ok/s');
  });
});
