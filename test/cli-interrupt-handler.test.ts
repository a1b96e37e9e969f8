/**
 * How `kms-bench run` takes signals (src/cli/signals.ts), on an injected clock: the first stops the run, copies within
 * the grace period are the same interrupt, one after it quits at once with exit 3, and once the outcome is settled a
 * signal exits with that outcome's code.
 */
import { describe, expect, test } from 'vitest';
import { InterruptHandler, QUIT_GRACE_MS } from '../src/cli/signals.js';

function harness() {
  let nowMs = 1_000;
  const events: string[] = [];
  const handler = new InterruptHandler({
    onStop: () => events.push('stop'),
    now: () => nowMs,
    write: () => undefined,
    exit: (code) => events.push(`exit ${code}`),
  });
  return { handler, events, advance: (ms: number) => (nowMs += ms) };
}

describe('signals during a run', () => {
  test('the first signal stops the run once', () => {
    const { handler, events } = harness();
    handler.receive('SIGINT');
    expect(events).toEqual(['stop']);
    expect(handler.stopped).toBe(true);
  });

  test('copies within the grace period (process group, npm, timeout) are the same interrupt', () => {
    const { handler, events, advance } = harness();
    handler.receive('SIGINT');
    advance(2);
    handler.receive('SIGINT');
    advance(QUIT_GRACE_MS - 10);
    handler.receive('SIGTERM');
    expect(events).toEqual(['stop']);
  });

  test('a signal after the grace period quits at once with exit 3', () => {
    const { handler, events, advance } = harness();
    handler.receive('SIGINT');
    advance(QUIT_GRACE_MS);
    handler.receive('SIGINT');
    expect(events).toEqual(['stop', 'exit 3']);
  });

  test.each([0, 1, 3])('once the outcome (exit %d) is settled, a signal exits with it', (code) => {
    const { handler, events } = harness();
    handler.settle(code);
    handler.receive('SIGINT');
    expect(events).toEqual([`exit ${code}`]);
  });

  test('a copy of the stopping signal arriving after the report is settled is still ignored', () => {
    const { handler, events, advance } = harness();
    handler.receive('SIGINT');
    handler.settle(3);
    advance(5);
    handler.receive('SIGINT');
    expect(events).toEqual(['stop']);
  });

  test('the grace period is one to two seconds, as documented', () => {
    expect(QUIT_GRACE_MS).toBeGreaterThanOrEqual(1_000);
    expect(QUIT_GRACE_MS).toBeLessThanOrEqual(2_000);
  });
});
