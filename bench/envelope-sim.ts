/**
 * Envelope fleets on the virtual clock, one core (this thread, no pool): simulated envelope operations per wall-second
 * of an open fleet with a warm data-key cache — `crypto: off` against the target of ≥ 1,000,000, `crypto: real`
 * against the raw AES-256-GCM floor of the same payload — each beside the promise-driven simulator on the same plan
 * (what envelope fleets ran on before they were event-driven); then `scenarios/caching-comparison.yaml` at 10× its
 * scheduled length, every variant, on both drivers: wall time and its ratio. Not a test: nothing here fails a build.
 */
import { fileURLToPath } from 'node:url';
import { planVariant } from '../src/engine/plan.js';
import { simulateVariant } from '../src/engine/simulate-variant.js';
import type { EngineDriver, VariantPlan } from '../src/engine/wire.js';
import type { CryptoMode } from '../src/kms/symmetric-crypto.js';
import { expandMatrix } from '../src/scenario/matrix.js';
import { loadScenarioFile } from '../src/scenario/index.js';
import { aesGcmSealFloor, formatComparisons, type BenchRow } from './support.js';
import { simPlan } from './virtual-sim.js';

const PAYLOAD_BYTES = 64;
const OFF_TARGET_OPS_PER_SEC = 1_000_000;
/** Below the kms-current symmetric quota (100,000/s) even cold; warm, almost every operation is a cache hit. */
const RATE_PER_SEC = 200_000;
const COMPARISON_LENGTH = 10;

/** An open envelope fleet (encrypt and decrypt, 4 contexts) with a long-lived cache: warm after its first calls. */
function envelopePlan(durationMs: number): VariantPlan {
  const base = simPlan(durationMs, RATE_PER_SEC);
  const fleet = base.fleets[0];
  if (fleet === undefined) throw new Error('simPlan has no fleet');
  return {
    ...base,
    name: 'envelope-bench',
    fleets: [
      {
        ...fleet,
        mix: [
          { op: 'envelopeEncrypt', weight: 3, key: 'app', payloadBytes: PAYLOAD_BYTES, contexts: 4 },
          { op: 'envelopeDecrypt', weight: 1, key: 'app', payloadBytes: PAYLOAD_BYTES, contexts: 4 },
        ],
        cache: { capacity: 100, maxAgeMs: 3_600_000, partition: 'fleet' },
      },
    ],
  };
}

/** Simulated envelope operations per wall-second, best of `rounds`. */
async function envelopeRate(crypto: CryptoMode, driver: EngineDriver, timeMs: number, rounds: number): Promise<BenchRow> {
  const durationMs = Math.max(1000, Math.round(timeMs)) / (driver === 'promises' ? 4 : 1);
  let best = Infinity;
  let operations = 0;
  for (let round = 0; round < rounds; round++) {
    const result = await simulateVariant({ plan: envelopePlan(durationMs), crypto, driver });
    best = Math.min(best, result.wallSeconds);
    operations = result.metrics.operations.reduce((sum, op) => sum + op.counters.completed, 0);
  }
  const opsPerSec = operations / best;
  const name = `simulated envelope ${PAYLOAD_BYTES} B warm cache, crypto: ${crypto}, ${driver}`;
  return { name, opsPerSec, nsPerOp: 1e9 / opsPerSec };
}

/** Every variant of caching-comparison.yaml at `length` × its duration on `driver`: wall seconds in this thread. */
async function cachingComparison(length: number, driver: EngineDriver): Promise<{ wallSeconds: number; operations: number }> {
  const file = fileURLToPath(new URL('../../scenarios/caching-comparison.yaml', import.meta.url));
  const probe = await loadScenarioFile(file);
  const scenario = await loadScenarioFile(file, { sets: [`duration=${(probe.durationMs * length) / 1000}s`] });
  let wallSeconds = 0;
  let operations = 0;
  for (const variant of expandMatrix(scenario)) {
    const result = await simulateVariant({ plan: planVariant(variant.name, variant.scenario), crypto: scenario.model.crypto, driver });
    wallSeconds += result.wallSeconds;
    operations += result.metrics.operations.reduce((sum, op) => sum + op.counters.completed, 0);
  }
  return { wallSeconds, operations };
}

export async function envelopeSimBench(timeMs = 1000): Promise<string> {
  const floor = await aesGcmSealFloor(PAYLOAD_BYTES, { randomIv: true, timeMs });
  const realEvents = await envelopeRate('real', 'events', timeMs, 2);
  const realPromises = await envelopeRate('real', 'promises', timeMs, 1);
  const offEvents = await envelopeRate('off', 'events', timeMs, 2);
  const offPromises = await envelopeRate('off', 'promises', timeMs, 1);
  const events = await cachingComparison(COMPARISON_LENGTH, 'events');
  const promises = await cachingComparison(COMPARISON_LENGTH, 'promises');
  const count = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(12);
  return [
    formatComparisons(`Virtual clock, envelope fleet (3:1 encrypt:decrypt, ${RATE_PER_SEC.toLocaleString('en-US')}/s offered), one core`, [
      { figure: realEvents, floor },
      { figure: realPromises, floor },
    ]),
    `  ${offEvents.name.padEnd(62)} ${count(offEvents.opsPerSec)} ops/s  ${offEvents.opsPerSec >= OFF_TARGET_OPS_PER_SEC ? '✓' : '✗'} target ≥ ${OFF_TARGET_OPS_PER_SEC.toLocaleString('en-US')}`,
    `  ${offPromises.name.padEnd(62)} ${count(offPromises.opsPerSec)} ops/s  events ÷ promises ${(offEvents.opsPerSec / offPromises.opsPerSec).toFixed(1)}×`,
    `  caching-comparison.yaml × ${COMPARISON_LENGTH} (5 variants, ${events.operations.toLocaleString('en-US')} ops), one core: ` +
      `events ${events.wallSeconds.toFixed(2)} s, promises ${promises.wallSeconds.toFixed(2)} s, ratio ${(promises.wallSeconds / events.wallSeconds).toFixed(1)}× faster`,
  ].join('\n');
}
