/**
 * The simulator against the wall engine and against the quota's own rules: the same scenario gives the same admitted
 * and throttled totals on both clocks; fixed windows switch at exact simulated second boundaries; backoff sleeps of an
 * hour are simulated time, not real time.
 */
import { describe, expect, test } from 'vitest';
import { runVariants } from '../src/engine/run.js';
import { simulateVariant } from '../src/engine/simulate-variant.js';
import { VirtualClock } from '../src/engine/virtual-clock.js';
import { KmsModel } from '../src/kms/model.js';
import { smallPlan, ACCOUNT, REGION } from './support/small-plan.js';

describe('virtual against wall', () => {
  test('admitted and throttled totals agree within 2%', async () => {
    // A token bucket does not depend on where the run starts within a clock second (fixed windows do, by up to a
    // whole window's quota), so both clocks must agree closely.
    const plan = smallPlan({
      durationMs: 3000,
      quotas: { profile: 'kms-current', enforcement: 'token-bucket', burstSeconds: 1, overrides: { [REGION]: { symmetric: 100 } } },
      fleet: { workload: { model: 'open', arrivalRatePerSec: 200 } },
    });
    const wall = await runVariants([plan], { runId: 'engine-test', workers: 2 });
    const simulated = await simulateVariant({ plan, crypto: 'real' });
    const wallSlot = wall.variants[0]?.quota.find((q) => q.bucket === 'symmetric');
    const simSlot = simulated.quota.find((q) => q.bucket === 'symmetric');
    if (wallSlot === undefined || simSlot === undefined) throw new Error('no symmetric quota slot');
    expect(simSlot.admitted + simSlot.throttled).toBe(600);
    expect(simSlot.throttled).toBeGreaterThan(100);
    expect(Math.abs(wallSlot.admitted - simSlot.admitted)).toBeLessThanOrEqual(0.02 * simSlot.admitted);
    expect(Math.abs(wallSlot.throttled - simSlot.throttled)).toBeLessThanOrEqual(0.02 * simSlot.throttled);
  });
});

describe('fixed-window quotas in simulated time', () => {
  test('a window admits its quota up to the last nanosecond and a new one opens exactly on the second', async () => {
    const clock = new VirtualClock();
    const model = new KmsModel({
      seed: 3,
      keys: [{ region: REGION, keyId: '6a1f0c1e-8d8b-4a39-9a57-1f2b3c4d5e6f' }],
      quotas: { profile: 'kms-current', enforcement: 'fixed-window', overrides: { [REGION]: { symmetric: 2 } } },
      clock,
    });
    const keyId = `arn:aws:kms:${REGION}:${ACCOUNT}:key/6a1f0c1e-8d8b-4a39-9a57-1f2b3c4d5e6f`;
    const outcomes: string[] = [];
    const at = async (ns: number): Promise<void> => {
      await clock.sleep((ns - clock.nowNs()) / 1e6);
      try {
        model.callSync('Encrypt', { KeyId: keyId, Plaintext: new Uint8Array(8) }, { region: REGION });
        outcomes.push(`${ns}:ok`);
      } catch (error) {
        outcomes.push(`${ns}:${(error as Error).name}`);
      }
    };
    await clock.run(async () => {
      for (const ns of [0, 500_000_000, 999_999_999, 1_000_000_000, 1_000_000_000, 1_000_000_000, 1_999_999_999, 2_000_000_000]) {
        await at(ns);
      }
    });
    expect(outcomes).toEqual([
      '0:ok',
      '500000000:ok',
      '999999999:ThrottlingException',
      '1000000000:ok',
      '1000000000:ok',
      '1000000000:ThrottlingException',
      '1999999999:ThrottlingException',
      '2000000000:ok',
    ]);
  });

  test('an open fleet at exactly the quota is never throttled; one more per second is', async () => {
    const at = (rate: number) =>
      simulateVariant({
        plan: smallPlan({ durationMs: 5000, quotas: { profile: 'kms-current', overrides: { [REGION]: { symmetric: 50 } } }, fleet: { workload: { model: 'open', arrivalRatePerSec: rate } } }),
        crypto: 'off',
      });
    const exact = await at(50);
    const over = await at(51);
    expect(exact.quota[0]).toMatchObject({ admitted: 250, throttled: 0 });
    // Arrivals k/51 s: window 0 sees 50 (the 51st falls at exactly 1 s, in window 1), windows 1..4 see 51 each.
    expect(over.quota[0]?.throttled).toBe(4);
    expect(over.metrics.operations.reduce((sum, op) => sum + op.counters.offered, 0)).toBe((over.quota[0]?.admitted ?? 0) + 4);
  });
});

describe('long backoff', () => {
  test('retry sleeps of an hour advance simulated time by the hour', async () => {
    const result = await simulateVariant({
      plan: smallPlan({
        durationMs: 2000,
        fleet: { workload: { model: 'open', arrivalRatePerSec: 100 }, retry: { policy: 'constant', baseMs: 3_600_000, maxAttempts: 3 } },
      }),
      crypto: 'real',
    });
    expect(result.simulatedSeconds).toBeGreaterThanOrEqual(3600);
    const slot = result.quota[0];
    // Every throttled request came back an hour later, into windows with room.
    expect(slot?.throttled).toBeGreaterThan(0);
    expect(slot?.admitted).toBe(200);
  });
});
