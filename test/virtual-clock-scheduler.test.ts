/**
 * The discrete-event scheduler on its own: time moves only when every task waits, ties wake in insertion order, long
 * sleeps cost no real time, and a task waiting on something outside the simulation is reported, not hung.
 */
import { describe, expect, test } from 'vitest';
import { installSimTimers, VirtualClock, type DrainMode } from '../src/engine/virtual-clock.js';

const DRAINS: DrainMode[] = ['tick', 'immediate'];

describe.each(DRAINS)('VirtualClock (%s drain)', (drain) => {
  test('wakes sleeps by time, then by insertion order, and reads the time they were due', async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const sleeper = async (name: string, ms: number): Promise<void> => {
      await clock.sleep(ms);
      log.push(`${name}@${clock.nowNs()}`);
    };
    await clock.run(() => Promise.all([sleeper('a', 20), sleeper('b', 10), sleeper('c', 20), sleeper('d', 10), sleeper('e', 0)]), {
      drain,
    });
    expect(log).toEqual(['e@0', 'b@10000000', 'd@10000000', 'a@20000000', 'c@20000000']);
  });

  test('time does not move while a task is still running a chain of awaits', async () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    const busy = async (): Promise<void> => {
      // A long chain of microtask hops between sleeps: every hop must happen at the same simulated instant.
      for (let i = 0; i < 200; i++) await Promise.resolve();
      seen.push(clock.nowNs());
      await clock.sleep(5);
      seen.push(clock.nowNs());
    };
    const other = async (): Promise<void> => {
      await clock.sleep(1);
      seen.push(clock.nowNs());
    };
    await clock.run(() => Promise.all([busy(), other()]), { drain });
    expect(seen).toEqual([0, 1_000_000, 5_000_000]);
  });

  test('an hour of sleeps is an hour of simulated time', async () => {
    const clock = new VirtualClock();
    const { stats } = await clock.run(
      async () => {
        for (let i = 0; i < 4; i++) await clock.sleep(15 * 60_000);
      },
      { drain },
    );
    expect(stats.endNs).toBe(3_600_000_000_000);
    expect(clock.nowEpochMs() - Date.UTC(2026, 0, 1)).toBe(3_600_000);
  });

  test('a task waiting on something outside the simulation is an error, not a hang', async () => {
    const clock = new VirtualClock();
    await expect(clock.run(() => new Promise<void>(() => {}), { drain })).rejects.toThrow(/simulation stalled/);
  });
});

const TWO_SIMULATED_HOURS_MS = 2 * 3_600_000;

describe('simulated global timers (for the SDK)', () => {
  test('setTimeout and Date.now follow the virtual clock while installed, and are restored after', async () => {
    const clock = new VirtualClock();
    const realSetTimeout = globalThis.setTimeout;
    const restore = installSimTimers(clock);
    const fired: number[] = [];
    try {
      await clock.run(async () => {
        // The global setTimeout is the simulator's while installed: two simulated hours, no real waiting.
        await new Promise<void>((resolve) => setTimeout(resolve, TWO_SIMULATED_HOURS_MS));
        fired.push(clock.nowNs());
        const cancelled = setTimeout(() => fired.push(-1), 10);
        clearTimeout(cancelled);
        fired.push(Date.now() - Date.UTC(2026, 0, 1));
      });
    } finally {
      restore();
    }
    expect(fired).toEqual([TWO_SIMULATED_HOURS_MS * 1_000_000, TWO_SIMULATED_HOURS_MS]);
    expect(globalThis.setTimeout).toBe(realSetTimeout);
  });

  test.each([0, 0.25, -5, Number.NaN, 2 ** 31])('setTimeout(fn, %s) waits 1 ms, as Node does', async (ms) => {
    const clock = new VirtualClock();
    const restore = installSimTimers(clock);
    try {
      await clock.run(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    } finally {
      restore();
    }
    expect(clock.nowNs()).toBe(1_000_000);
  });
});
