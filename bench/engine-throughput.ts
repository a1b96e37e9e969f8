/**
 * The wall engine's own cost: direct-client goodput with quotas `unlimited` on 1 and 2 workers (target ≥ 1.7×), the
 * harness's overhead per request over the model's `kms.call` alone (goodput per worker ÷ `kms.call` alone, target
 * ≥ 0.7), both on the event-driven state machines (the default) and on the promise-driven fleet runner they replace
 * for direct fleets; an envelope fleet with a warm data-key cache on both drivers; and peak RSS after a short and a 3×
 * longer run (it must not grow with run length: no per-request arrays).
 */
import { KmsModel } from '../src/kms/model.js';
import { runVariants } from '../src/engine/run.js';
import type { EngineDriver, FleetPlan, VariantPlan } from '../src/engine/wire.js';
import { byName, measure } from './support.js';

const REGION = 'us-east-1';
const KEY_ID = '0f5b6a3e-2c4d-4e8f-9a1b-3c5d7e9f1a2b';

/** Envelope encryption of 1 KiB under one cached data key per 1,000 messages: almost every operation a cache hit. */
const ENVELOPE: Partial<FleetPlan> = {
  mix: [{ op: 'envelopeEncrypt', weight: 1, key: 'app', payloadBytes: 1024 }],
  cache: { capacity: 10, maxAgeMs: 300_000, maxMessagesEncrypted: 1000, partition: 'fleet' },
};

function plan(durationMs: number, fleet: Partial<FleetPlan> = {}): VariantPlan {
  const model = new KmsModel({ seed: 1, keys: [{ region: REGION, keyId: KEY_ID }] });
  return {
    name: 'engine-bench',
    seed: 1,
    durationMs,
    accountId: '111122223333',
    quotas: { profile: 'unlimited' },
    keySeeds: model.exportKeys(),
    keys: { app: { arn: `arn:aws:kms:${REGION}:111122223333:key/${KEY_ID}`, keySpec: 'SYMMETRIC_DEFAULT' } },
    serviceLatency: {},
    fleets: [
      {
        name: 'saturate',
        region: REGION,
        client: 'direct',
        workload: { model: 'closed', clients: 64, thinkTimeMs: 0 },
        mix: [{ op: 'Encrypt', weight: 1, key: 'app', payloadBytes: 32 }],
        retry: { policy: 'none', maxAttempts: 1 },
        ...fleet,
      },
    ],
  };
}

async function goodput(workers: number, durationMs: number, driver: EngineDriver = 'events', fleet: Partial<FleetPlan> = {}): Promise<number> {
  const run = await runVariants([plan(durationMs, fleet)], { runId: 'engine-test', workers, driver });
  return run.variants[0]?.metrics.total.goodputPerSec ?? 0;
}

const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MiB`;
/** Issue #17's targets: two workers against one, and one worker's goodput against `kms.call` alone. */
const SCALING_TARGET = 1.7;
const CALL_RATIO_TARGET = 0.7;
const verdict = (value: number, target: number): string => `${value >= target ? '✓' : '✗'} target ≥ ${target}`;

export async function engineBench(timeMs = 1000): Promise<string> {
  const durationMs = Math.max(2000, timeMs * 3);
  const model = new KmsModel({ seed: 1, keys: [{ region: REGION, keyId: KEY_ID }] });
  const input = { KeyId: KEY_ID, Plaintext: new Uint8Array(32) };
  const [callRow] = await measure([{ name: 'kms.call Encrypt 32 B', fn: () => model.call('Encrypt', input, { region: REGION }) }], timeMs);
  const one = await goodput(1, durationMs);
  const rssShort = process.resourceUsage().maxRSS;
  const two = await goodput(2, durationMs);
  const onePromises = await goodput(1, durationMs, 'promises');
  const envelope = await goodput(1, durationMs, 'events', ENVELOPE);
  const envelopePromises = await goodput(1, durationMs, 'promises', ENVELOPE);
  await goodput(2, durationMs * 3);
  const rssLong = process.resourceUsage().maxRSS;
  const call = byName(callRow === undefined ? [] : [callRow], 'kms.call Encrypt 32 B');
  const perRequestNs = 1e9 / one;
  const perRequestPromisesNs = 1e9 / onePromises;
  const ops = (value: number): string => Math.round(value).toLocaleString('en-US').padStart(10);
  return [
    '\nEngine (direct client, Encrypt 32 B, quotas unlimited, closed fleet of 64 clients; event-driven unless said)',
    `  goodput, 1 worker                 ${ops(one)} ops/s`,
    `  goodput, 2 workers                ${ops(two)} ops/s   scaling ${(two / one).toFixed(2)}×  ${verdict(two / one, SCALING_TARGET)}×`,
    `  per request, 1 worker             ${perRequestNs.toFixed(0).padStart(10)} ns   floor: kms.call alone ${call.nsPerOp.toFixed(0)} ns   harness overhead ${(perRequestNs - call.nsPerOp).toFixed(0)} ns (ratio ${(call.nsPerOp / perRequestNs).toFixed(3)}  ${verdict(call.nsPerOp / perRequestNs, CALL_RATIO_TARGET)})`,
    `  per request, promise-driven       ${perRequestPromisesNs.toFixed(0).padStart(10)} ns   harness overhead ${(perRequestPromisesNs - call.nsPerOp).toFixed(0)} ns (ratio ${(call.nsPerOp / perRequestPromisesNs).toFixed(3)})`,
    `  envelopeEncrypt 1 KiB, warm cache ${ops(envelope)} ops/s   promise-driven ${ops(envelopePromises).trim()} ops/s (${(envelope / envelopePromises).toFixed(2)}×)`,
    `  peak RSS after ${durationMs / 1000}s runs        ${mb(rssShort).padStart(10)}`,
    `  peak RSS after a ${(durationMs * 3) / 1000}s run        ${mb(rssLong).padStart(10)}   (must not grow with run length)`,
  ].join('\n');
}
