/**
 * A board no other thread holds decides on plain state; sharing it carries that state into shared memory, so a board
 * attached afterwards (another thread's, here in the same thread) continues the same budget: nothing is admitted twice,
 * nothing is forgotten, for both enforcement modes.
 */
import { describe, expect, test } from 'vitest';
import { QuotaBoard } from '../src/quota/index.js';

const SEC = 1e9;
const ACCOUNT = '111122223333';
const REGION = 'eu-central-1';

function admits(board: QuotaBoard, count: number): boolean[] {
  const partition = board.partition(ACCOUNT, REGION);
  return Array.from({ length: count }, () => partition.admit('symmetric'));
}

describe('a board decided locally, then shared', () => {
  test('a new board decides locally until it is shared; an attached board never does', () => {
    const nowNs = 0;
    const board = new QuotaBoard({ profile: 'kms-current', overrides: { [REGION]: { symmetric: 2 } } }, () => nowNs);
    expect(board.local).toBe(true);
    expect(admits(board, 3)).toEqual([true, true, false]);
    expect(board.local).toBe(true);
    const attached = QuotaBoard.fromShared(board.share(), () => nowNs);
    expect(board.local).toBe(false);
    expect(attached.local).toBe(false);
    // The local decisions were carried over: the window is still full for both.
    expect([...admits(board, 1), ...admits(attached, 1)]).toEqual([false, false]);
  });

  test.each([
    { enforcement: 'fixed-window' as const, burstSeconds: undefined },
    { enforcement: 'token-bucket' as const, burstSeconds: 1 },
  ])('$enforcement: the attached board continues the same budget', ({ enforcement, burstSeconds }) => {
    let nowNs = 5.5 * SEC;
    const options = { profile: 'kms-current' as const, enforcement, ...(burstSeconds === undefined ? {} : { burstSeconds }), overrides: { [REGION]: { symmetric: 4 } } };
    const board = new QuotaBoard(options, () => nowNs);
    expect(admits(board, 3)).toEqual([true, true, true]);
    const attached = QuotaBoard.fromShared(board.share(), () => nowNs);
    // One left of the 4, taken by the other board; then neither admits until time moves on.
    expect(admits(attached, 2)).toEqual([true, false]);
    expect(admits(board, 1)).toEqual([false]);
    nowNs += SEC;
    const after = [...admits(board, 2), ...admits(attached, 3)];
    expect(after.filter(Boolean).length).toBe(4);
    expect(board.snapshot()[0]).toMatchObject({ admitted: 8, throttled: 3 });
  });

  test('sharing twice publishes once: later decisions stay shared', () => {
    let nowNs = 0;
    const board = new QuotaBoard({ profile: 'kms-current', overrides: { [REGION]: { symmetric: 2 } } }, () => nowNs);
    expect(admits(board, 1)).toEqual([true]);
    board.share();
    expect(admits(board, 1)).toEqual([true]);
    const attached = QuotaBoard.fromShared(board.share(), () => nowNs);
    expect(admits(attached, 1)).toEqual([false]);
    nowNs = SEC;
    expect(admits(attached, 1)).toEqual([true]);
  });
});
