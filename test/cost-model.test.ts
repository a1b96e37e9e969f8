/**
 * The cost model against hand-computed bills. A month is 730 h = 2,628,000 s; prices per 10,000 requests.
 */
import { describe, expect, test } from 'vitest';
import { estimateCost, steadyStateWindow } from '../src/report/cost.js';
import type { CostScenario } from '../src/report/cost.js';
import { PRICE_NAMES, PRICE_ROWS, resolvePrices } from '../src/scenario/prices.js';
import { syntheticSummary } from './support/report-fixture.js';

function scenario(keys: CostScenario['keys'], mix: CostScenario['fleets'][number]['mix'] = [], prices?: CostScenario['prices']): CostScenario {
  return { keys, fleets: [{ name: 'web', mix }], ...(prices === undefined ? {} : { prices }) };
}

const SYMMETRIC_KEY = { name: 'app', keySpec: 'SYMMETRIC_DEFAULT' };

describe('the price table', () => {
  // The default values are held by the hand-computed bills below (e.g. $788.34 for 100 symmetric requests/s), not
  // restated here.
  test('every price has exactly one row, and every row cites its source', () => {
    expect(PRICE_ROWS.map((row) => row.name).sort()).toEqual([...PRICE_NAMES].sort());
    for (const row of PRICE_ROWS) expect(row.source.length).toBeGreaterThan(10);
  });

  test('each request class is billed at its own row of the table', () => {
    // A distinct price per class, no free tier and a one-hour month: 1 request/s is 3,600 requests, billed at
    // 3,600 × price / 10,000. A class read from another row would show that row's price.
    const prices = {
      symmetricPer10kUsd: 1,
      rsa2048Per10kUsd: 2,
      asymmetricPer10kUsd: 3,
      dataKeyPairEccPer10kUsd: 4,
      dataKeyPairRsaPer10kUsd: 5,
      managementPer10kUsd: 6,
      freeRequestsPerMonth: 0,
      hoursPerMonth: 1,
    };
    const metrics = syntheticSummary(
      [
        { fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 1 },
        { fleet: 'web', op: 'Decrypt', bucket: 'rsa', admittedPerSec: 1 },
        { fleet: 'web', op: 'Sign', bucket: 'ecc', admittedPerSec: 1 },
        { fleet: 'web', op: 'GenerateDataKeyPair', bucket: 'gdkp:ECC_NIST_P384', admittedPerSec: 1 },
        { fleet: 'web', op: 'GenerateDataKeyPair', bucket: 'gdkp:RSA_3072', admittedPerSec: 1 },
        { fleet: 'web', op: 'DescribeKey', bucket: 'DescribeKey', admittedPerSec: 1 },
      ],
      5,
    );
    const keys = [SYMMETRIC_KEY, { name: 'rsa', keySpec: 'RSA_2048' }, { name: 'signer', keySpec: 'ECC_NIST_P256' }];
    const mix = [
      { op: 'Encrypt', weight: 1, key: 'app' },
      { op: 'Decrypt', weight: 1, key: 'rsa' },
      { op: 'Sign', weight: 1, key: 'signer' },
    ];
    const cost = estimateCost(scenario(keys, mix, prices), metrics);
    const usdByClass = Object.fromEntries(cost.requests.map((r) => [r.class, r.usdPerMonth]));
    expect(Object.keys(usdByClass).sort()).toEqual(['asymmetric', 'dataKeyPairEcc', 'dataKeyPairRsa', 'management', 'rsa2048', 'symmetric']);
    const billed = (pricePer10k: number): number => (3_600 * pricePer10k) / 10_000;
    expect(usdByClass['symmetric']).toBeCloseTo(billed(1), 9);
    expect(usdByClass['rsa2048']).toBeCloseTo(billed(2), 9);
    expect(usdByClass['asymmetric']).toBeCloseTo(billed(3), 9);
    expect(usdByClass['dataKeyPairEcc']).toBeCloseTo(billed(4), 9);
    expect(usdByClass['dataKeyPairRsa']).toBeCloseTo(billed(5), 9);
    expect(usdByClass['management']).toBeCloseTo(billed(6), 9);
    expect(cost.requestsUsdPerMonth).toBeCloseTo(billed(1 + 2 + 3 + 4 + 5 + 6), 9);
  });

  test('a scenario overrides single prices and keeps the rest', () => {
    const prices = resolvePrices({ symmetricPer10kUsd: 0.05 });
    expect(prices.symmetricPer10kUsd).toBe(0.05);
    expect(prices.keyMonthUsd).toBe(1);
  });
});

describe('the steady-state window', () => {
  test.each([
    [10, { fromSec: 1, toSec: 10 }],
    [3, { fromSec: 1, toSec: 3 }],
    [2, { fromSec: 0, toSec: 2 }],
    [0, { fromSec: 0, toSec: 0 }],
  ])('a run of %s whole seconds is measured over %o', (wholeSeconds, window) => {
    expect(steadyStateWindow(wholeSeconds)).toEqual(window);
  });
});

describe('cost estimates against hand-computed bills', () => {
  test('100 symmetric requests/s and two keys: $788.34 of requests + $2 of keys', () => {
    const metrics = syntheticSummary([{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 100 }], 5);
    const cost = estimateCost(scenario([SYMMETRIC_KEY, { name: 'b', keySpec: 'SYMMETRIC_DEFAULT' }], [{ op: 'Encrypt', weight: 1, key: 'app' }]), metrics);
    // 100/s × 2,628,000 s = 262,800,000; minus 20,000 free = 262,780,000; × $0.03 / 10,000 = $788.34
    expect(cost.requests).toHaveLength(1);
    expect(cost.requests[0]?.class).toBe('symmetric');
    expect(cost.requests[0]?.perMonth).toBe(262_800_000);
    expect(cost.requests[0]?.billablePerMonth).toBe(262_780_000);
    expect(cost.requestsUsdPerMonth).toBeCloseTo(788.34, 6);
    expect(cost.keysUsdPerMonth).toBe(2);
    expect(cost.costUsdPerMonth).toBeCloseTo(790.34, 6);
    expect(cost.freeRequestsAppliedPerMonth).toBe(20_000);
  });

  test('the first second (warm-up) and the drain after the end are not the steady state', () => {
    // 500 requests in second 0, 100/s after: the steady rate is 100/s.
    const metrics = syntheticSummary([{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: [500, 100, 100, 100, 100] }], 5);
    const cost = estimateCost(scenario([]), metrics);
    expect(cost.steadyState).toEqual({ fromSec: 1, toSec: 5 });
    expect(cost.requests[0]?.ratePerSec).toBe(100);
  });

  test('a trickle inside the free tier costs nothing but its keys', () => {
    // A 2-hour "month" keeps 1 request/s under the free tier.
    const metrics = syntheticSummary([{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 1 }], 5);
    const cost = estimateCost(scenario([SYMMETRIC_KEY], [], { hoursPerMonth: 2 }), metrics);
    // 1/s × 7,200 s = 7,200 requests ≤ 20,000 free.
    expect(cost.requests[0]?.perMonth).toBe(7_200);
    expect(cost.requests[0]?.billablePerMonth).toBe(0);
    expect(cost.requestsUsdPerMonth).toBe(0);
    expect(cost.freeRequestsAppliedPerMonth).toBe(7_200);
    expect(cost.costUsdPerMonth).toBe(1);
  });

  test('ECC requests are asymmetric: $0.15 per 10,000 and no free tier', () => {
    const metrics = syntheticSummary([{ fleet: 'web', op: 'Sign', bucket: 'ecc', admittedPerSec: 10 }], 5);
    const cost = estimateCost(scenario([{ name: 'signer', keySpec: 'ECC_NIST_P256' }], [{ op: 'Sign', weight: 1, key: 'signer' }]), metrics);
    // 10/s × 2,628,000 = 26,280,000 × $0.15 / 10,000 = $394.20
    expect(cost.requests.map((r) => r.class)).toEqual(['asymmetric']);
    expect(cost.requests[0]?.billablePerMonth).toBe(26_280_000);
    expect(cost.requestsUsdPerMonth).toBeCloseTo(394.2, 6);
    expect(cost.freeRequestsAppliedPerMonth).toBe(0);
  });

  test('RSA requests split between RSA_2048 and the dearer specs by mix weight', () => {
    const metrics = syntheticSummary([{ fleet: 'web', op: 'Decrypt', bucket: 'rsa', admittedPerSec: 40 }], 5);
    const cost = estimateCost(
      scenario(
        [
          { name: 'small', keySpec: 'RSA_2048' },
          { name: 'big', keySpec: 'RSA_4096' },
        ],
        [
          { op: 'Decrypt', weight: 1, key: 'small' },
          { op: 'Decrypt', weight: 3, key: 'big' },
        ],
      ),
      metrics,
    );
    // RSA_2048: 10/s → 26,280,000 × $0.03 / 10,000 = $78.84; others: 30/s → 78,840,000 × $0.15 / 10,000 = $1,182.60
    const byClass = Object.fromEntries(cost.requests.map((r) => [r.class, r]));
    expect(byClass['rsa2048']?.ratePerSec).toBe(10);
    expect(byClass['asymmetric']?.ratePerSec).toBe(30);
    expect(byClass['rsa2048']?.usdPerMonth).toBeCloseTo(78.84, 6);
    expect(byClass['asymmetric']?.usdPerMonth).toBeCloseTo(1182.6, 6);
    expect(cost.keysUsdPerMonth).toBe(2);
  });

  test('GenerateDataKeyPair buckets are priced per pair family; management requests share the free tier', () => {
    const metrics = syntheticSummary(
      [
        { fleet: 'web', op: 'GenerateDataKeyPair', bucket: 'gdkp:RSA_2048', admittedPerSec: 1 },
        { fleet: 'web', op: 'GenerateDataKeyPair', bucket: 'gdkp:ECC_NIST_P256', admittedPerSec: 2 },
        { fleet: 'web', op: 'DescribeKey', bucket: 'DescribeKey', admittedPerSec: 5 },
      ],
      5,
    );
    const cost = estimateCost(scenario([]), metrics);
    const byClass = Object.fromEntries(cost.requests.map((r) => [r.class, r]));
    // RSA pairs: 2,628,000 × $12 / 10,000 = $3,153.60; ECC pairs: 5,256,000 × $0.10 / 10,000 = $52.56
    expect(byClass['dataKeyPairRsa']?.usdPerMonth).toBeCloseTo(3153.6, 6);
    expect(byClass['dataKeyPairEcc']?.usdPerMonth).toBeCloseTo(52.56, 6);
    // DescribeKey: 13,140,000 − 20,000 free = 13,120,000 × $0.03 / 10,000 = $39.36
    expect(byClass['management']?.billablePerMonth).toBe(13_120_000);
    expect(byClass['management']?.usdPerMonth).toBeCloseTo(39.36, 6);
    expect(cost.freeRequestsAppliedPerMonth).toBe(20_000);
  });

  test('throttled requests are not billed', () => {
    const metrics = syntheticSummary([{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 50, throttledPerSec: 500 }], 5);
    expect(estimateCost(scenario([]), metrics).requests[0]?.ratePerSec).toBe(50);
  });

  test('rotations add a key-month each up to the billed maximum; keys pending deletion are free', () => {
    const metrics = syntheticSummary([], 5);
    const keys = [SYMMETRIC_KEY, { name: 'old', keySpec: 'SYMMETRIC_DEFAULT', state: 'PendingDeletion' }];
    expect(estimateCost(scenario(keys, [], { keyRotations: 1 }), metrics).keysUsdPerMonth).toBe(2);
    // 5 rotations, only 2 billed: $1 + 2 × $1 = $3 for the one billed key.
    const rotated = estimateCost(scenario(keys, [], { keyRotations: 5 }), metrics);
    expect(rotated.billedKeys).toBe(1);
    expect(rotated.keysUsdPerMonth).toBe(3);
    expect(rotated.costUsdPerMonth).toBe(3);
  });

  test('overridden prices change the bill: twice the symmetric price, twice the request cost', () => {
    const metrics = syntheticSummary([{ fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 100 }], 5);
    const base = estimateCost(scenario([]), metrics);
    const doubled = estimateCost(scenario([], [], { symmetricPer10kUsd: 0.06, freeRequestsPerMonth: 0 }), metrics);
    // 262,800,000 × $0.06 / 10,000 = $1,576.80
    expect(doubled.requestsUsdPerMonth).toBeCloseTo(1576.8, 6);
    expect(doubled.requestsUsdPerMonth).toBeGreaterThan(2 * (base.requestsUsdPerMonth ?? Number.NaN));
    expect(doubled.prices.symmetricPer10kUsd).toBe(0.06);
  });
});
