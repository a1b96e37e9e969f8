/**
 * The simulator's speed on one core (in this thread, no pool): simulated requests per wall-second for a symmetric
 * Encrypt/Decrypt mix with quotas on (kms-current, us-east-1), with `crypto: real` (beside the raw AES-256-GCM floor of
 * the same payload, as a ratio) and `crypto: off` (target ≥ 1,000,000 simulated req/s), and the simulator's own cost
 * per step (a bare sleep loop, no model). Not a test: nothing here fails a build.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { simulateVariant } from '../src/engine/simulate.js';
import type { VariantPlan } from '../src/engine/wire.js';
import { VirtualClock } from '../src/engine/virtual-clock.js';
import { KmsModel } from '../src/kms/model.js';
import type { CryptoMode } from '../src/kms/symmetric-crypto.js';
import { formatComparisons, measure, repeat, type BenchRow } from './support.js';

const REGION = 'us-east-1';
const KEY_ID = '0f5b6a3e-2c4d-4e8f-9a1b-3c5d7e9f1a2b';
const PAYLOAD_BYTES = 64;
const OFF_TARGET_REQ_PER_SEC = 1_000_000;
/** Floor operations per tinybench iteration, so tinybench's own per-iteration cost does not dilute the floor. */
const FLOOR_BATCH = 100;

/** An open fleet at `ratePerSec` against the kms-current us-east-1 quota (100,000/s symmetric). */
export function simPlan(durationMs: number, ratePerSec: number): VariantPlan {
  const model = new KmsModel({ seed: 1, keys: [{ region: REGION, keyId: KEY_ID }] });
  return {
    name: 'virtual-bench',
    seed: 1,
    durationMs,
    accountId: '111122223333',
    quotas: { profile: 'kms-current', enforcement: 'fixed-window' },
    keySeeds: model.exportKeys(),
    keys: { app: { arn: `arn:aws:kms:${REGION}:111122223333:key/${KEY_ID}`, keySpec: 'SYMMETRIC_DEFAULT' } },
    serviceLatency: {},
    fleets: [
      {
        name: 'mix',
        region: REGION,
        client: 'direct',
        workload: { model: 'open', arrivalRate: ratePerSec },
        mix: [
          { op: 'Encrypt', weight: 1, key: 'app', payloadBytes: PAYLOAD_BYTES, contexts: 4 },
          { op: 'Decrypt', weight: 1, key: 'app', payloadBytes: PAYLOAD_BYTES, contexts: 4 },
        ],
        retry: { policy: 'none', maxAttempts: 1 },
      },
    ],
  };
}

/** Simulated requests per wall-second of one simulation, best of `rounds`. */
async function simRate(crypto: CryptoMode, timeMs: number, rounds = 2): Promise<BenchRow & { simulatedSeconds: number }> {
  // 120,000 req/s offered against a 100,000/s quota: about one request in six is throttled.
  const rate = 120_000;
  const durationMs = Math.max(1000, Math.round(timeMs));
  let best = Infinity;
  let simulatedSeconds = 0;
  for (let round = 0; round < rounds; round++) {
    const result = await simulateVariant({ plan: simPlan(durationMs, rate), crypto });
    best = Math.min(best, result.wallSeconds);
    simulatedSeconds = result.simulatedSeconds;
  }
  const requests = (rate * durationMs) / 1000;
  const opsPerSec = requests / best;
  return { name: `simulated Encrypt/Decrypt ${PAYLOAD_BYTES} B, crypto: ${crypto}`, opsPerSec, nsPerOp: 1e9 / opsPerSec, simulatedSeconds };
}

/** The scheduler alone: one task sleeping 1 ms a million times (one step, one event each). */
async function schedulerRate(): Promise<BenchRow> {
  const clock = new VirtualClock();
  const steps = 1_000_000;
  const started = process.hrtime.bigint();
  await clock.run(
    async () => {
      for (let i = 0; i < steps; i++) await clock.sleep(1);
    },
    { drain: 'tick' },
  );
  const ns = Number(process.hrtime.bigint() - started) / steps;
  return { name: 'scheduler step (one sleep, no model)', opsPerSec: 1e9 / ns, nsPerOp: ns };
}

export async function virtualSimBench(timeMs = 1000): Promise<string> {
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const plaintext = randomBytes(PAYLOAD_BYTES);
  const [floor] = await measure(
    [
      {
        name: `raw AES-256-GCM seal ${PAYLOAD_BYTES} B`,
        batch: FLOOR_BATCH,
        fn: repeat(FLOOR_BATCH, () => {
          const cipher = createCipheriv('aes-256-gcm', key, iv);
          cipher.update(plaintext);
          cipher.final();
          cipher.getAuthTag();
        }),
      },
    ],
    timeMs,
  );
  if (floor === undefined) throw new Error('no floor measured');
  const real = await simRate('real', timeMs);
  const off = await simRate('off', timeMs);
  const scheduler = await schedulerRate();
  const lines = [
    formatComparisons('Virtual clock: simulated requests per wall-second, one core (kms-current us-east-1, 120k req/s offered)', [
      { figure: real, floor },
    ]),
    `  ${off.name.padEnd(46)} ${Math.round(off.opsPerSec).toLocaleString('en-US').padStart(12)} req/s  ${off.opsPerSec >= OFF_TARGET_REQ_PER_SEC ? '✓' : '✗'} target ≥ ${OFF_TARGET_REQ_PER_SEC.toLocaleString('en-US')}`,
    `  ${scheduler.name.padEnd(46)} ${Math.round(scheduler.opsPerSec).toLocaleString('en-US').padStart(12)} steps/s ${scheduler.nsPerOp.toFixed(0).padStart(8)} ns/step`,
  ];
  return lines.join('\n');
}
