/** The board: separate budgets per (account, region, bucket), snapshots, sharing within a thread, errors. */
import { describe, expect, test } from 'vitest';
import { QuotaBoard, bucketIndexOf } from '../src/quota/index.js';

const SEC = 1e9;

function fakeClock() {
  const clock = { now: 0, read: () => clock.now };
  return clock;
}

describe('QuotaBoard', () => {
  test('accounts, regions and buckets each have their own budget', () => {
    const clock = fakeClock();
    const board = new QuotaBoard({ profile: 'kms-2019', overrides: { '*': { symmetric: 2, CreateKey: 1 } } }, clock.read);
    const a = board.partition('111122223333', 'us-east-1');
    const b = board.partition('444455556666', 'us-east-1');
    const c = board.partition('111122223333', 'eu-west-1');
    for (const p of [a, b, c]) expect([p.admit('symmetric'), p.admit('symmetric'), p.admit('symmetric')]).toEqual([true, true, false]);
    // A management API throttles on its own bucket and does not consume the symmetric one.
    expect([a.admit('CreateKey'), a.admit('CreateKey')]).toEqual([true, false]);
    clock.now = SEC;
    expect([a.admit('CreateKey'), a.admit('symmetric'), a.admit('CreateKey')]).toEqual([true, true, false]);
    expect(board.snapshot()).toEqual([
      { accountId: '111122223333', region: 'eu-west-1', bucket: 'symmetric', quotaPerSec: 2, admitted: 2, throttled: 1 },
      { accountId: '111122223333', region: 'us-east-1', bucket: 'CreateKey', quotaPerSec: 1, admitted: 2, throttled: 2 },
      { accountId: '111122223333', region: 'us-east-1', bucket: 'symmetric', quotaPerSec: 2, admitted: 3, throttled: 1 },
      { accountId: '444455556666', region: 'us-east-1', bucket: 'symmetric', quotaPerSec: 2, admitted: 2, throttled: 1 },
    ]);
  });

  test('a partition is resolved once and cached; admitIndex is admit by position', () => {
    const clock = fakeClock();
    const board = new QuotaBoard({ overrides: { 'us-east-1': { rsa: 3 } } }, clock.read);
    const partition = board.partition('111122223333', 'us-east-1');
    expect(board.partition('111122223333', 'us-east-1')).toBe(partition);
    expect(partition.quotaPerSec('rsa')).toBe(3);
    expect(partition.quotaPerSec('symmetric')).toBe(100_000);
    const rsa = bucketIndexOf('rsa');
    expect([partition.admitIndex(rsa), partition.admit('rsa'), partition.admitIndex(rsa), partition.admit('rsa')]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  test('two boards over one shared state draw from the same budget', () => {
    const clock = fakeClock();
    const first = new QuotaBoard({ overrides: { 'us-west-2': { symmetric: 4 } }, capacity: 16 }, clock.read);
    const second = QuotaBoard.fromShared(structuredClone(first.share()), clock.read);
    const p1 = first.partition('111122223333', 'us-west-2');
    const p2 = second.partition('111122223333', 'us-west-2');
    expect([p1.admit('symmetric'), p2.admit('symmetric'), p2.admit('symmetric'), p1.admit('symmetric')]).toEqual([true, true, true, true]);
    expect([p1.admit('symmetric'), p2.admit('symmetric')]).toEqual([false, false]);
    expect(second.snapshot()).toEqual(first.snapshot());
    expect(first.snapshot()[0]).toMatchObject({ admitted: 4, throttled: 2 });
  });

  test('the unlimited profile admits everything and still counts it', () => {
    const board = new QuotaBoard({ profile: 'unlimited' }, () => 0);
    const partition = board.partition('111122223333', 'us-east-1');
    for (let i = 0; i < 10_000; i++) expect(partition.admit('gdkp:RSA_4096')).toBe(true);
    expect(board.snapshot()).toEqual([
      { accountId: '111122223333', region: 'us-east-1', bucket: 'gdkp:RSA_4096', quotaPerSec: Infinity, admitted: 10_000, throttled: 0 },
    ]);
  });

  test('counts survive windows closing: admitted totals add every window', () => {
    const clock = fakeClock();
    const board = new QuotaBoard({ overrides: { 'us-east-1': { symmetric: 5 } } }, clock.read);
    const partition = board.partition('111122223333', 'us-east-1');
    for (let second = 0; second < 20; second++) {
      clock.now = second * SEC + 123;
      for (let i = 0; i < 7; i++) partition.admit('symmetric');
    }
    expect(board.snapshot()[0]).toMatchObject({ admitted: 100, throttled: 40 });
  });

  test('unknown buckets, bad indexes and bad partition keys throw clear errors', () => {
    const board = new QuotaBoard({}, () => 0);
    const partition = board.partition('111122223333', 'us-east-1');
    expect(() => partition.admit('Symmetric')).toThrow(/QuotaPartition\.admit: unknown quota bucket "Symmetric"/);
    expect(() => partition.admitIndex(999)).toThrow(/999 is not a bucket index/);
    expect(() => board.partition('', 'us-east-1')).toThrow(/accountId must be a non-empty string/);
    expect(() => board.partition('1111\u00002222', 'us-east-1')).toThrow(/accountId must be a non-empty string without NUL/);
  });

  test('a full slot table throws an error naming the capacity option', () => {
    const board = new QuotaBoard({ capacity: 16 }, () => 0);
    for (let i = 0; i < 16; i++) board.partition(`acct-${i}`, 'us-east-1').admit('symmetric');
    expect(board.snapshot()).toHaveLength(16);
    expect(() => board.partition('acct-16', 'us-east-1').admit('symmetric')).toThrow(
      /all 16 quota slots are taken .*raise quotas\.capacity/,
    );
  });

  test('boards in one thread share that thread\'s counters; maxThreads bounds the threads, not the boards', () => {
    const board = new QuotaBoard({ maxThreads: 1 }, () => 0);
    const again = QuotaBoard.fromShared(board.share(), () => 0);
    board.partition('111122223333', 'us-east-1').admit('DescribeKey');
    again.partition('111122223333', 'us-east-1').admit('DescribeKey');
    expect(board.snapshot()[0]).toMatchObject({ bucket: 'DescribeKey', admitted: 2, throttled: 0 });
  });

  test('a clock outside the fixed-window range fails loudly instead of mis-counting', () => {
    const board = new QuotaBoard({}, () => -1);
    expect(() => board.partition('111122223333', 'us-east-1').admit('symmetric')).toThrow(RangeError);
  });
});
