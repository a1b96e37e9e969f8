/**
 * The event-driven simulation's queue: events come out by time, then in the order they were queued; time never moves
 * backwards; skipping the queue is allowed only when nothing queued comes first.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { EventQueue, type Actor } from '../src/engine/event-queue.js';

function actor(queue: EventQueue, wake: () => void): number {
  return queue.register({ wake } satisfies Actor);
}

function recorder(log: string[], name: string, queue: EventQueue): number {
  return actor(queue, () => log.push(`${name}@${queue.nowNs()}`));
}

function drain(queue: EventQueue): void {
  for (let actor = queue.pop(); actor !== undefined; actor = queue.pop()) actor.wake();
}

describe('EventQueue', () => {
  test('wakes by time, and events at the same time in the order they were queued', () => {
    const queue = new EventQueue();
    const log: string[] = [];
    queue.at(30, recorder(log, 'c', queue));
    queue.at(10, recorder(log, 'a', queue));
    queue.at(30, recorder(log, 'd', queue));
    queue.at(20, recorder(log, 'b', queue));
    queue.at(10, recorder(log, 'a2', queue));
    drain(queue);
    expect(log).toEqual(['a@10', 'a2@10', 'b@20', 'c@30', 'd@30']);
    expect(queue.handled).toBe(5);
  });

  test('an event queued in the past wakes now, after what is already due now', () => {
    const queue = new EventQueue();
    const log: string[] = [];
    queue.at(100, actor(queue, () => queue.at(5, recorder(log, 'late', queue))));
    queue.at(100, recorder(log, 'same-time', queue));
    drain(queue);
    expect(log).toEqual(['same-time@100', 'late@100']);
  });

  test('after(ms) converts to nanoseconds; zero and negative delays wake at the current time', () => {
    const queue = new EventQueue();
    const log: string[] = [];
    queue.after(1.5, recorder(log, 'x', queue));
    queue.after(0, recorder(log, 'zero', queue));
    queue.after(-3, recorder(log, 'negative', queue));
    drain(queue);
    expect(log).toEqual(['zero@0', 'negative@0', 'x@1500000']);
  });

  test('advanceIfNext moves time only when every queued event is strictly later', () => {
    const queue = new EventQueue();
    queue.at(50, actor(queue, () => undefined));
    expect(queue.advanceIfNext(40)).toBe(true);
    expect(queue.nowNs()).toBe(40);
    expect(queue.advanceIfNext(50)).toBe(false); // an equal-time event was queued first: it must go first
    expect(queue.advanceIfNext(30)).toBe(false); // never backwards
    expect(queue.nowNs()).toBe(40);
    queue.pop();
    expect(queue.advanceIfNext(50)).toBe(true);
  });

  test('a promise-style sleep is refused with a clear error', async () => {
    await expect(new EventQueue().sleep()).rejects.toThrow(/schedule an actor with at\(\)/);
  });

  test('dates follow simulated time from the simulation epoch', () => {
    const queue = new EventQueue(Date.UTC(2026, 0, 1));
    queue.at(2_500_000_000, actor(queue, () => undefined));
    queue.pop();
    expect(new Date(queue.nowEpochMs()).toISOString()).toBe('2026-01-01T00:00:02.500Z');
  });

  // Ties, the same bucket, the near future and beyond the ring (hours): every path an event can take.
  const delays = fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: 0, max: 3_600_000_000_000 }));

  test('any interleaving of pushes and pops comes out in (time, insertion) order, past its initial capacity', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(delays, fc.boolean()), { minLength: 1, maxLength: 3000 }), (script) => {
        const queue = new EventQueue();
        const popped: { time: number; seq: number }[] = [];
        let seq = 0;
        for (const [offset, popFirst] of script) {
          if (popFirst) queue.pop()?.wake();
          const mine = seq++;
          const time = queue.nowNs() + offset;
          queue.at(time, actor(queue, () => popped.push({ time, seq: mine })));
        }
        drain(queue);
        for (let i = 1; i < popped.length; i++) {
          const a = popped[i - 1] as { time: number; seq: number };
          const b = popped[i] as { time: number; seq: number };
          expect(a.time < b.time || (a.time === b.time && a.seq < b.seq)).toBe(true);
        }
        expect(popped).toHaveLength(script.length);
      }),
      { numRuns: 100 },
    );
  });
});
