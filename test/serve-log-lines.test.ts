/** The per-second terminal line of `kms-bench serve`: requests, throttled, denied and errors per quota bucket. */
import { describe, expect, test } from 'vitest';
import { secondLine } from '../src/serve/serve-log.js';

describe('serve per-second line', () => {
  const at = new Date(Date.UTC(2026, 11, 4, 12, 0, 1));

  test('buckets by requests, busiest first, with only the counts that are not zero', () => {
    const second = new Map([
      ['DescribeKey', { requests: 30, throttled: 0, denied: 0, errors: 0 }],
      ['symmetric', { requests: 450, throttled: 50, denied: 2, errors: 1 }],
    ]);
    expect(secondLine(at, second)).toBe('12:00:01  480 req  symmetric 450 (throttled 50, denied 2, errors 1)  DescribeKey 30');
  });

  test('an idle second prints nothing', () => {
    expect(secondLine(at, new Map())).toBeUndefined();
  });
});
