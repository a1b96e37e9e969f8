/**
 * The simulator's speed on one core (in this thread, no pool): simulated requests per wall-second for a symmetric
 * Encrypt/Decrypt mix with quotas on (kms-current, us-east-1), with `crypto: real` (beside the raw AES-256-GCM floor of
 * the same payload, as a ratio) and `crypto: off` (target ≥ 1,000,000 simulated req/s); the promise-driven simulator
 * on the same plan (what sdk fleets run on); the wall time one simulated hour of `scenarios/fleet-hour.yaml`
 * (2,000 closed-loop clients) projects to from a shorter run; and the event queue's own cost per event. Not a test:
 * nothing here fails a build.
 */
import { fileURLToPath } from 'node:url';
import { EventQueue } from '../src/engine/event-queue.js';
import { planVariant } from '../src/engine/plan.js';
import { simulateVariant } from '../src/engine/simulate-variant.js';
import type { EngineDriver, VariantPlan } from '../src/engine/wire.js';
import { loadScenarioFile } from '../src/scenario/index.js';
import { KmsModel } from '../src/kms/model.js';
import type { CryptoMode } from '../src/kms/symmetric-crypto.js';
import { aesGcmSealFloor, formatComparisons, type BenchRow } from './support.js';
import { BENCH_APP_ARN, BENCH_KEY_POLICY, BENCH_PRINCIPALS } from './policy-fixture.js';

const REGION = 'us-east-1';
const KEY_ID = '0f5b6a3e-2c4d-4e8f-9a1b-3c5d7e9f1a2b';
const PAYLOAD_BYTES = 64;
const OFF_TARGET_REQ_PER_SEC = 1_000_000;

/**
 * An open fleet at `ratePerSec` against the kms-current us-east-1 quota (100,000/s symmetric). With `policies`, the key
 * carries the key user / key admin policy with two conditions (policy-fixture.ts) and the fleet calls as its key user,
 * so every request is fully evaluated.
 */
export function simPlan(durationMs: number, ratePerSec: number, policies = false): VariantPlan {
  const model = new KmsModel({ seed: 1, keys: [{ region: REGION, keyId: KEY_ID, ...(policies ? { policy: BENCH_KEY_POLICY } : {}) }] });
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
        workload: { model: 'open', arrivalRatePerSec: ratePerSec },
        mix: [
          { op: 'Encrypt', weight: 1, key: 'app', payloadBytes: PAYLOAD_BYTES, contexts: 4 },
          { op: 'Decrypt', weight: 1, key: 'app', payloadBytes: PAYLOAD_BYTES, contexts: 4 },
        ],
        retry: { policy: 'none', maxAttempts: 1 },
        ...(policies ? { principal: BENCH_APP_ARN } : {}),
      },
    ],
    ...(policies ? { principals: BENCH_PRINCIPALS } : {}),
  };
}

/** Simulated requests per wall-second of one simulation, best of `rounds`. */
async function simRate(
  crypto: CryptoMode,
  timeMs: number,
  driver: EngineDriver = 'events',
  rounds = 2,
  policies = false,
): Promise<BenchRow & { simulatedSeconds: number }> {
  // 120,000 req/s offered against a 100,000/s quota: about one request in six is throttled.
  const rate = 120_000;
  const durationMs = Math.max(1000, Math.round(timeMs));
  let best = Infinity;
  let simulatedSeconds = 0;
  for (let round = 0; round < rounds; round++) {
    const result = await simulateVariant({ plan: simPlan(durationMs, rate, policies), crypto, driver });
    best = Math.min(best, result.wallSeconds);
    simulatedSeconds = result.simulatedSeconds;
  }
  const requests = (rate * durationMs) / 1000;
  const opsPerSec = requests / best;
  const name = `simulated Encrypt/Decrypt ${PAYLOAD_BYTES} B, crypto: ${crypto}${driver === 'promises' ? ' (promises)' : ''}${policies ? ', policies on' : ''}`;
  return { name, opsPerSec, nsPerOp: 1e9 / opsPerSec, simulatedSeconds };
}

/** `scenarios/fleet-hour.yaml` for `seconds` of simulated time: attempts per wall-second and the projected hour. */
async function fleetHour(seconds: number): Promise<{ attemptsPerSec: number; projectedHourSec: number; wallSeconds: number }> {
  const file = fileURLToPath(new URL('../../scenarios/fleet-hour.yaml', import.meta.url));
  const scenario = await loadScenarioFile(file, { sets: [`duration=${seconds}s`] });
  const result = await simulateVariant({ plan: planVariant('fleet-hour', scenario), crypto: scenario.model.crypto });
  const attempts = result.metrics.operations.reduce((sum, op) => sum + op.counters.attempts, 0);
  return { attemptsPerSec: attempts / result.wallSeconds, projectedHourSec: (result.wallSeconds * 3600) / seconds, wallSeconds: result.wallSeconds };
}

/** The event queue alone: 2,000 actors (a fleet's clients), each woken and re-queued a little later, a million times. */
function eventQueueRate(): BenchRow {
  const queue = new EventQueue();
  let draw = 1;
  const next = (): number => (draw = (draw * 48271) % 2147483647) / 2147483647;
  const ids: number[] = [];
  for (let i = 0; i < 2000; i++) ids.push(queue.register({ wake: () => queue.after(next() * 16, ids[i] as number) }));
  for (const id of ids) queue.at(next() * 16_000_000, id);
  const steps = 1_000_000;
  const started = process.hrtime.bigint();
  for (let i = 0; i < steps; i++) queue.pop()?.wake();
  const ns = Number(process.hrtime.bigint() - started) / steps;
  return { name: 'event queue: pop and re-queue (2,000 actors)', opsPerSec: 1e9 / ns, nsPerOp: ns };
}

export async function virtualSimBench(timeMs = 1000): Promise<string> {
  const floor = await aesGcmSealFloor(PAYLOAD_BYTES, { randomIv: false, timeMs });
  const real = await simRate('real', timeMs);
  const off = await simRate('off', timeMs);
  const offPolicies = await simRate('off', timeMs, 'events', 2, true);
  const promises = await simRate('off', timeMs, 'promises', 1);
  const hourSample = Math.max(10, Math.round(timeMs / 100));
  const hour = await fleetHour(hourSample);
  const queue = eventQueueRate();
  const count = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(12);
  const lines = [
    formatComparisons('Virtual clock: simulated requests per wall-second, one core (kms-current us-east-1, 120k req/s offered)', [
      { figure: real, floor },
    ]),
    `  ${off.name.padEnd(46)} ${count(off.opsPerSec)} req/s  ${off.opsPerSec >= OFF_TARGET_REQ_PER_SEC ? '✓' : '✗'} target ≥ ${OFF_TARGET_REQ_PER_SEC.toLocaleString('en-US')}`,
    `  ${offPolicies.name.padEnd(46)} ${count(offPolicies.opsPerSec)} req/s  ${offPolicies.opsPerSec >= OFF_TARGET_REQ_PER_SEC ? '✓' : '✗'} target ≥ ${OFF_TARGET_REQ_PER_SEC.toLocaleString('en-US')} (ratio to policies off ${(offPolicies.opsPerSec / off.opsPerSec).toFixed(2)})`,
    `  ${promises.name.padEnd(46)} ${count(promises.opsPerSec)} req/s  (sdk fleets simulate this way)`,
    `  fleet-hour.yaml, ${hourSample} simulated s (2,000 clients)`.padEnd(48) +
      ` ${count(hour.attemptsPerSec)} attempts/s  ${hour.wallSeconds.toFixed(1)} s wall → one simulated hour ≈ ${(hour.projectedHourSec / 60).toFixed(1)} min`,
    `  ${queue.name.padEnd(46)} ${count(queue.opsPerSec)} events/s ${queue.nsPerOp.toFixed(0).padStart(7)} ns/event`,
  ];
  return lines.join('\n');
}
