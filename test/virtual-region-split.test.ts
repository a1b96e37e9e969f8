/**
 * Fleets in different regions never share a quota, so a variant's regions run as parallel simulations and are merged:
 * the merged result has every region's counts, equals what each region gives on its own, and is deterministic.
 */
import { describe, expect, test } from 'vitest';
import { runSimulations } from '../src/engine/simulate.js';
import type { VariantPlan } from '../src/engine/wire.js';
import { KmsModel } from '../src/kms/model.js';

const ACCOUNT = '111122223333';
const KEYS = [
  { region: 'us-east-1', keyId: '1f0c1e6a-8d8b-4a39-9a57-1f2b3c4d5e6f' },
  { region: 'eu-west-1', keyId: '2f0c1e6a-8d8b-4a39-9a57-1f2b3c4d5e6f' },
];
const keySeeds = new KmsModel({ seed: 5, keys: KEYS }).exportKeys();

function fleet(region: string, rate: number): VariantPlan['fleets'][number] {
  return {
    name: `fleet-${region}`,
    region,
    client: 'direct',
    workload: { model: 'open', arrivalRatePerSec: rate },
    mix: [{ op: 'Encrypt', weight: 1, key: region, payloadBytes: 32 }],
    retry: { policy: 'none', maxAttempts: 1 },
  };
}

function plan(fleets: VariantPlan['fleets']): VariantPlan {
  return {
    name: 'regions',
    seed: 5,
    durationMs: 3000,
    accountId: ACCOUNT,
    quotas: { profile: 'kms-current', overrides: { 'us-east-1': { symmetric: 50 }, 'eu-west-1': { symmetric: 200 } } },
    keySeeds,
    keys: Object.fromEntries(KEYS.map((k) => [k.region, { arn: `arn:aws:kms:${k.region}:${ACCOUNT}:key/${k.keyId}`, keySpec: 'SYMMETRIC_DEFAULT' }])),
    serviceLatency: { default: { distribution: 'constant', ms: 3 } },
    fleets,
  };
}

async function simulate(fleets: VariantPlan['fleets']) {
  const run = await runSimulations([plan(fleets)], { workers: 2 });
  const variant = run.variants[0];
  if (variant === undefined) throw new Error('no variant');
  return variant;
}

describe('a variant in two regions', () => {
  test('runs as two simulations whose merged counts equal each region alone, the same every time', async () => {
    const both = [fleet('us-east-1', 100), fleet('eu-west-1', 150)];
    const merged = await simulate(both);
    const again = await simulate(both);
    expect(JSON.stringify(again.metrics)).toBe(JSON.stringify(merged.metrics));
    expect(again.quota).toEqual(merged.quota);

    const east = await simulate([both[0] as VariantPlan['fleets'][number]]);
    expect(merged.metrics.fleets['fleet-us-east-1']?.total).toEqual(east.metrics.fleets['fleet-us-east-1']?.total);
    // 100/s offered against 50/s in us-east-1: arrivals at 0.01 s … 3.00 s fill windows 0–2 (50 admitted each) and
    // put one in window 3; eu-west-1 stays under its quota.
    expect(merged.quota.map((q) => [q.region, q.admitted, q.throttled])).toEqual([
      ['eu-west-1', 450, 0],
      ['us-east-1', 151, 149],
    ]);
    expect(merged.metrics.total.offered).toBe(750);
  });
});
