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

  test('an event queued long ago for a time keeps its place ahead of one queued later for the same time', () => {
    const queue = new EventQueue();
    const log: string[] = [];
    const hour = 3_600_000_000_000;
    queue.at(hour, recorder(log, 'first', queue)); // far beyond the near-future ring
    queue.at(hour - 1_000, actor(queue, () => queue.at(hour, recorder(log, 'second', queue))));
    queue.at(hour, recorder(log, 'third', queue));
    drain(queue);
    expect(log).toEqual([`first@${hour}`, `third@${hour}`, `second@${hour}`]);
  });

  test('skipping ahead never strands a far event behind the near-future ring', () => {
    const queue = new EventQueue();
    const log: string[] = [];
    const hour = 3_600_000_000_000;
    queue.at(hour + 100, recorder(log, 'far', queue));
    queue.advanceIfNext(hour + 90); // declines: the far event would belong to the ring from there
    queue.at(hour + 95, recorder(log, 'near', queue));
    queue.at(hour + 200_000, recorder(log, 'later', queue));
    drain(queue);
    expect(log).toEqual([`near@${hour + 95}`, `far@${hour + 100}`, `later@${hour + 200_000}`]);
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
    // An empty queue lets time jump any distance; events queued afterwards still come out in order.
    expect(queue.advanceIfNext(7_000_000_000)).toBe(true);
    const log: string[] = [];
    queue.at(7_000_000_100, recorder(log, 'b', queue));
    queue.at(7_000_000_000, recorder(log, 'a', queue));
    queue.at(9_000_000_000, recorder(log, 'far', queue));
    expect(queue.advanceIfNext(7_000_000_050)).toBe(false); // 'a' is due first
    drain(queue);
    expect(log).toEqual(['a@7000000000', 'b@7000000100', 'far@9000000000']);
    // Only a far event queued: time may move up to, not onto, it.
    queue.at(20_000_000_000, recorder(log, 'later', queue));
    expect(queue.advanceIfNext(19_000_000_000)).toBe(true);
    expect(queue.advanceIfNext(20_000_000_000)).toBe(false);
  });

  test("on the wall clock advanceIfNext stops at the batch's real time, from a first batch at the queue's time 0 on", () => {
    const queue = new EventQueue();
    queue.at(0, actor(queue, () => undefined));
    expect(queue.popDue(0)).toBeDefined();
    // The real time is 0: an arrival intended 1 µs later has not come yet.
    expect(queue.advanceIfNext(1_000)).toBe(false);
    expect(queue.advanceIfNext(0)).toBe(true);
    expect(queue.popDue(500)).toBeUndefined();
    expect(queue.advanceIfNext(1_000)).toBe(false);
    expect(queue.advanceIfNext(500)).toBe(true);
  });

  test('dates follow simulated time from the simulation epoch', () => {
    const queue = new EventQueue(Date.UTC(2026, 0, 1));
    queue.at(2_500_000_000, actor(queue, () => undefined));
    queue.pop();
    expect(new Date(queue.nowEpochMs()).toISOString()).toBe('2026-01-01T00:00:02.500Z');
  });

  // Ties, the same bucket, the near future and beyond the ring (hours): every path an event can take.
  const delays = fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: 0, max: 3_600_000_000_000 }));

  test('any interleaving of pushes, pops and skips agrees with a sorted list, past its initial capacity', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), delay: delays }),
      fc.record({ kind: fc.constant('pop' as const) }),
      fc.record({ kind: fc.constant('skip' as const), delay: delays }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 3000 }), (script) => {
        const queue = new EventQueue();
        const expected: { time: number; seq: number }[] = []; // what is queued, kept sorted by (time, seq)
        let woken: { time: number; seq: number } | undefined;
        let seq = 0;
        const popOne = (): void => {
          woken = undefined;
          const actor = queue.pop();
          const next = expected.shift();
          expect(actor === undefined).toBe(next === undefined);
          actor?.wake();
          expect(woken).toEqual(next);
          if (next !== undefined) expect(queue.nowNs()).toBe(next.time);
        };
        for (const action of script) {
          if (action.kind === 'pop') {
            popOne();
          } else if (action.kind === 'skip') {
            const to = queue.nowNs() + action.delay;
            const moved = queue.advanceIfNext(to);
            // Skipping is allowed only past nothing queued (it may decline when unsure).
            if (moved) expect(expected.every((e) => e.time > to)).toBe(true);
            if (moved) expect(queue.nowNs()).toBe(to);
          } else {
            const event = { time: queue.nowNs() + action.delay, seq: seq++ };
            queue.at(event.time, actor(queue, () => (woken = event)));
            const at = expected.findIndex((e) => e.time > event.time);
            expected.splice(at < 0 ? expected.length : at, 0, event);
          }
        }
        while (expected.length > 0) popOne();
        expect(queue.pop()).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });
});
