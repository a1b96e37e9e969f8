/**
 * What policy evaluation costs (`npm run bench -- --only policy`), measured so that a loaded machine still gives a
 * usable ratio: the two sides alternate in short slices, many rounds, and each side's median slice is compared.
 *
 * - model `Encrypt` 32 B (real AES-GCM) under the key user / key admin policy with two conditions, called as the key
 *   user (policy-fixture.ts: every request tests a request condition), against the same key (same id and material)
 *   under the default key policy called as the account root, which evaluates no statement — target ≥ 0.9;
 * - the event-driven simulator (`crypto: off`, the virtual-sim.ts plan) with policies on against off, alternating whole
 *   simulations, best of each — target ≥ 1,000,000 simulated req/s with policies on.
 */
import { simulateVariant } from '../src/engine/simulate-variant.js';
import { KmsModel } from '../src/kms/model.js';
import { BENCH_APP_ARN, BENCH_KEY_POLICY, BENCH_PRINCIPALS } from './policy-fixture.js';
import { simPlan } from './virtual-sim.js';
import { pairedMedians } from './support.js';

const REGION = 'us-east-1';
const MODEL_TARGET = 0.9;
const SIM_TARGET_REQ_PER_SEC = 1_000_000;

interface Paired {
  readonly plainNs: number;
  readonly policyNs: number;
}

function pairedModel(timeMs: number): Paired {
  const plain = new KmsModel({ seed: 1, keys: [{ region: REGION, aliases: ['alias/bench'] }] });
  const [key] = plain.exportKeys();
  if (key === undefined) throw new Error('no key to benchmark');
  const withPolicy = new KmsModel({ seed: 1, keys: [{ ...key, policy: BENCH_KEY_POLICY }], principals: BENCH_PRINCIPALS });
  const input = { KeyId: 'alias/bench', Plaintext: Buffer.alloc(32, 7) };
  const rootCtx = { region: REGION };
  const appCtx = { region: REGION, principal: BENCH_APP_ARN };
  const runPlain = (): unknown => plain.callSync('Encrypt', input, rootCtx);
  const runPolicy = (): unknown => withPolicy.callSync('Encrypt', input, appCtx);
  const { aNs: plainNs, bNs: policyNs } = pairedMedians(runPlain, runPolicy, timeMs);
  return { plainNs, policyNs };
}

async function pairedSimulation(timeMs: number): Promise<{ offReqPerSec: number; onReqPerSec: number }> {
  const rate = 120_000;
  const durationMs = Math.max(1000, Math.round(timeMs));
  const best = { off: Infinity, on: Infinity };
  for (let round = 0; round < 4; round++) {
    for (const policies of round % 2 === 0 ? [false, true] : [true, false]) {
      const result = await simulateVariant({ plan: simPlan(durationMs, rate, policies), crypto: 'off', driver: 'events' });
      // A denied request is cheap: a policy that refused the fleet would make the figure meaningless.
      const denied = result.metrics.operations.reduce((sum, op) => sum + op.counters.denied, 0);
      const succeeded = result.metrics.operations.reduce((sum, op) => sum + op.counters.succeeded, 0);
      if (denied > 0 || succeeded === 0) throw new Error(`policy bench: ${denied} requests denied, ${succeeded} succeeded`);
      const side = policies ? 'on' : 'off';
      best[side] = Math.min(best[side], result.wallSeconds);
    }
  }
  const requests = (rate * durationMs) / 1000;
  return { offReqPerSec: requests / best.off, onReqPerSec: requests / best.on };
}

export async function policyBench(timeMs = 1000): Promise<string> {
  const model = pairedModel(timeMs);
  const sim = await pairedSimulation(timeMs);
  const ratio = model.plainNs / model.policyNs;
  const count = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(12);
  return [
    '\nPolicy evaluation (alternating slices, medians; simulations alternating, best of 4)',
    `  model Encrypt 32 B, key-user policy + 2 conditions   ${model.policyNs.toFixed(0).padStart(8)} ns/op`,
    `    floor: same key, default policy, account root       ${model.plainNs.toFixed(0).padStart(8)} ns/op   ratio ${ratio.toFixed(3)}  ${ratio >= MODEL_TARGET ? '✓' : '✗'} target ≥ ${MODEL_TARGET}`,
    `  simulated Encrypt/Decrypt, crypto: off, policies on ${count(sim.onReqPerSec)} req/s  ${sim.onReqPerSec >= SIM_TARGET_REQ_PER_SEC ? '✓' : '✗'} target ≥ ${SIM_TARGET_REQ_PER_SEC.toLocaleString('en-US')}`,
    `    floor: policies off                              ${count(sim.offReqPerSec)} req/s  ratio ${(sim.onReqPerSec / sim.offReqPerSec).toFixed(3)}`,
  ].join('\n');
}
