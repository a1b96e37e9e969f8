/** Fixed-window enforcement on an injected clock: per-window budgets exactly as KMS documents them. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { QuotaBoard } from '../src/quota/index.js';

const SEC = 1e9;
const ACCOUNT = '111122223333';
const REGION = 'eu-west-3';

interface Arrival {
  readonly atNs: number;
  readonly bucket: 'symmetric' | 'rsa';
}

/** Offers `arrivals` (sorted by time) to a fresh fixed-window board; returns admitted flags and the board. */
function offer(quotas: { symmetric: number; rsa: number }, arrivals: readonly Arrival[]) {
  let now = 0;
  const board = new QuotaBoard({ enforcement: 'fixed-window', capacity: 16, overrides: { [REGION]: quotas } }, () => now);
  const partition = board.partition(ACCOUNT, REGION);
  const admitted = arrivals.map((arrival) => {
    now = arrival.atNs;
    return partition.admit(arrival.bucket);
  });
  return { admitted, board };
}

/** The documented behaviour, written independently: a window of 1/quota s (at least 1 s) admits its first requests. */
function expectedAdmissions(quotas: { symmetric: number; rsa: number }, arrivals: readonly Arrival[]): boolean[] {
  const used = new Map<string, number>();
  return arrivals.map(({ atNs, bucket }) => {
    const quota = quotas[bucket];
    const windowNs = quota >= 1 ? SEC : SEC / quota;
    const perWindow = quota >= 1 ? quota : 1;
    const key = `${bucket}/${Math.floor(atNs / windowNs)}`;
    const count = used.get(key) ?? 0;
    if (count >= perWindow) return false;
    used.set(key, count + 1);
    return true;
  });
}

const integerQuota = fc.integer({ min: 1, max: 40 });
const anyQuota = fc.oneof(integerQuota, fc.constantFrom(0.1, 0.2, 0.25, 0.5));

/** Sorted arrival times from random gaps (bursts of simultaneous requests included), after a random start. */
const arrivalsArb = (maxGapNs: number) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: 20 * SEC }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: maxGapNs }), fc.constantFrom('symmetric' as const, 'rsa' as const)), {
        maxLength: 400,
      }),
    )
    .map(([start, steps]) => {
      let t = start;
      return steps.map(([gap, bucket]): Arrival => ({ atNs: (t += gap), bucket }));
    });

describe('fixed window', () => {
  test('each window admits exactly its first `quota` requests per bucket and throttles the rest', () => {
    fc.assert(
      fc.property(anyQuota, anyQuota, arrivalsArb(60_000_000), (symmetric, rsa, arrivals) => {
        const quotas = { symmetric, rsa };
        const { admitted, board } = offer(quotas, arrivals);
        expect(admitted).toEqual(expectedAdmissions(quotas, arrivals));
        // The counters agree with the decisions.
        const rows = board.snapshot();
        for (const bucket of ['symmetric', 'rsa'] as const) {
          const mine = arrivals.map((a, i) => (a.bucket === bucket ? admitted[i] : undefined)).filter((a) => a !== undefined);
          const row = rows.find((r) => r.bucket === bucket);
          expect(row?.admitted ?? 0).toBe(mine.filter(Boolean).length);
          expect(row?.throttled ?? 0).toBe(mine.filter((a) => !a).length);
        }
      }),
    );
  });

  test('never admits more than the quota in any one-second window', () => {
    fc.assert(
      fc.property(integerQuota, arrivalsArb(30_000_000), (quota, arrivals) => {
        const { admitted } = offer({ symmetric: quota, rsa: quota }, arrivals);
        const perWindow = new Map<string, number>();
        arrivals.forEach(({ atNs, bucket }, i) => {
          if (!admitted[i]) return;
          const key = `${bucket}/${Math.floor(atNs / SEC)}`;
          perWindow.set(key, (perWindow.get(key) ?? 0) + 1);
        });
        for (const count of perWindow.values()) expect(count).toBeLessThanOrEqual(quota);
      }),
    );
  });

  test('offered at 2× the quota, admits exactly the quota in every window', () => {
    fc.assert(
      fc.property(integerQuota, fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 5 }), (quota, startSec, windows) => {
        const gapNs = SEC / (2 * quota);
        const arrivals: Arrival[] = [];
        for (let k = 0; k < 2 * quota * windows; k++) arrivals.push({ atNs: startSec * SEC + k * gapNs, bucket: 'symmetric' });
        const { admitted, board } = offer({ symmetric: quota, rsa: 1 }, arrivals);
        for (let w = 0; w < windows; w++) {
          const inWindow = admitted.filter((ok, i) => ok && Math.floor((arrivals[i]?.atNs ?? 0) / SEC) === startSec + w);
          expect(inWindow.length).toBe(quota);
        }
        expect(board.snapshot()[0]).toMatchObject({ bucket: 'symmetric', admitted: quota * windows, throttled: quota * windows });
      }),
    );
  });

  test('under the quota nothing is throttled', () => {
    fc.assert(
      fc.property(
        integerQuota.chain((quota) =>
          fc.tuple(fc.constant(quota), fc.array(fc.array(fc.integer({ min: 0, max: SEC - 1 }), { maxLength: quota }), { maxLength: 8 })),
        ),
        ([quota, windows]) => {
          const arrivals = windows.flatMap((offsets, w) =>
            [...offsets].sort((a, b) => a - b).map((offset): Arrival => ({ atNs: w * SEC + offset, bucket: 'symmetric' })),
          );
          const { admitted } = offer({ symmetric: quota, rsa: 1 }, arrivals);
          expect(admitted.every(Boolean)).toBe(true);
        },
      ),
    );
  });

  test.each([
    [0.1, 10, 6],
    [0.5, 2, 30],
    [0.25, 4, 15],
  ])('fractional quota %d/s admits one request per %d s window (%d in a minute)', (quota, windowSec, perMinute) => {
    // Dense demand: a request every 100 ms for one minute, starting on a window boundary.
    const arrivals = Array.from({ length: 600 }, (_, k): Arrival => ({ atNs: 120 * SEC + k * 100_000_000, bucket: 'rsa' }));
    const { admitted } = offer({ symmetric: 1, rsa: quota }, arrivals);
    const times = arrivals.filter((_, i) => admitted[i]).map((a) => a.atNs);
    expect(times.length).toBe(perMinute);
    times.forEach((t, i) => expect(t).toBe(120 * SEC + i * windowSec * SEC));
  });

  test('a request timestamped in a window older than the current one is throttled, not counted in the new window', () => {
    let now = 5 * SEC;
    const board = new QuotaBoard({ overrides: { [REGION]: { symmetric: 2 } } }, () => now);
    const fresh = board.partition(ACCOUNT, REGION);
    expect(fresh.admit('symmetric')).toBe(true);
    // Another board over the same memory whose clock reading is late (a descheduled thread).
    let late = 4 * SEC + 999_000_000;
    const laggard = QuotaBoard.fromShared(board.share(), () => late).partition(ACCOUNT, REGION);
    expect(laggard.admit('symmetric')).toBe(false);
    expect(fresh.admit('symmetric')).toBe(true);
    expect(fresh.admit('symmetric')).toBe(false);
    now = late = 6 * SEC;
    expect(laggard.admit('symmetric')).toBe(true);
    expect(board.snapshot()[0]).toMatchObject({ admitted: 3, throttled: 2 });
  });
});
