/** A small one-key, one-fleet variant plan for engine, simulation and report tests. */
import type { VariantPlan, FleetPlan } from '../../src/engine/wire.js';
import { KmsModel } from '../../src/kms/model.js';
import type { QuotaOptions } from '../../src/quota/index.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '111122223333';
const KEY_ID = '6a1f0c1e-8d8b-4a39-9a57-1f2b3c4d5e6f';
const keySeeds = new KmsModel({ seed: 3, keys: [{ region: REGION, keyId: KEY_ID }] }).exportKeys();

export interface SmallPlan {
  readonly name?: string;
  readonly seed?: number;
  readonly durationMs?: number;
  readonly quotas?: QuotaOptions;
  readonly fleet?: Partial<FleetPlan>;
}

export function smallPlan(options: SmallPlan = {}): VariantPlan {
  return {
    name: options.name ?? 'small',
    seed: options.seed ?? 3,
    durationMs: options.durationMs ?? 3000,
    accountId: ACCOUNT,
    quotas: options.quotas ?? { profile: 'kms-current', overrides: { [REGION]: { symmetric: 50 } } },
    keySeeds,
    keys: { app: { arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`, keySpec: 'SYMMETRIC_DEFAULT' } },
    serviceLatency: {},
    fleets: [
      {
        name: 'web',
        region: REGION,
        client: 'direct',
        workload: { model: 'open', arrivalRatePerSec: 100 },
        mix: [
          { op: 'Encrypt', weight: 1, key: 'app', payloadBytes: 64 },
          { op: 'Decrypt', weight: 1, key: 'app', payloadBytes: 64, contexts: 3 },
        ],
        retry: { policy: 'none', maxAttempts: 1 },
        ...options.fleet,
      },
    ],
  };
}
