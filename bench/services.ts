/**
 * What the services layer costs (`npm run bench -- --only services`): a service request through src/services — the
 * service's own quota, the resource, the KMS call on the caller's behalf with its attribution, the answer — against
 * the KMS call it makes, made directly with the same input and context (target ≥ 0.8). Both sides use one model with
 * quotas on (far above what one thread offers, so every call is admitted) and real AES-GCM.
 *
 * Measured as policy-eval.ts measures: tinybench warms both sides up, then the two sides alternate in short slices over
 * many rounds and each side's median slice is compared, so a shared, loaded host (tinybench runs tasks one after the
 * other, and the load changes between them) still gives a usable ratio.
 */
import { KmsModel } from '../src/kms/model.js';
import { RateBoard } from '../src/quota/index.js';
import { ServiceWorld, serviceCaller, type ServiceInput } from '../src/services/index.js';
import type { CallContext, KmsInput } from '../src/kms/types.js';
import { measure, repeat, type BenchRow, type Comparison } from './support.js';

const REGION = 'us-east-1';
const ACCOUNT = '111122223333';
const BATCH = 64;
const TARGET = 0.8;

export async function servicesBench(timeMs = 1000): Promise<Comparison[]> {
  const quotas = { profile: 'kms-current' as const, overrides: { [REGION]: { symmetric: 1e9 } } };
  const model = new KmsModel({ seed: 1, keys: [{ region: REGION }], quotas });
  const [key] = model.exportKeys();
  if (key?.keyId === undefined) throw new Error('services bench: no key');
  const prepare = new KmsModel({ seed: 1, keys: model.exportKeys() });
  const world = new ServiceWorld({
    kms: model,
    accountId: ACCOUNT,
    time: { nowNs: () => Number(process.hrtime.bigint()), nowEpochMs: () => Date.now() },
    board: new RateBoard(),
    overrides: { '*': { 'secretsmanager:GetSecretValue': 1e9, 'ssm:GetParameter': 1e9 } },
    resources: { secrets: [{ name: 'db', key: 'app' }], parameters: [{ name: '/app/token', key: 'app', tier: 'standard' }] },
    keys: new Map([['app', { arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${key.keyId}`, keySpec: 'SYMMETRIC_DEFAULT' }]]),
    prepare: (operation, input, context) => prepare.callSync(operation, input, context),
  });
  const caller = serviceCaller({ region: REGION }, ACCOUNT);
  // The KMS call each request makes, recorded once through a spy, then made directly as the floor.
  const direct = (op: string, input: ServiceInput): { input: KmsInput; context: CallContext } => {
    let seen: { input: KmsInput; context: CallContext } | undefined;
    const spyWorld = new ServiceWorld({
      kms: {
        attemptSync: (operation, kmsInput, context) => {
          seen = { input: kmsInput, context };
          return model.attemptSync(operation, kmsInput, context);
        },
      },
      accountId: ACCOUNT,
      time: { nowNs: () => Number(process.hrtime.bigint()), nowEpochMs: () => Date.now() },
      board: new RateBoard(),
      resources: { secrets: [{ name: 'db', key: 'app' }], parameters: [{ name: '/app/token', key: 'app', tier: 'standard' }] },
      keys: new Map([['app', { arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${key.keyId}`, keySpec: 'SYMMETRIC_DEFAULT' }]]),
      prepare: (operation, input2, context) => prepare.callSync(operation, input2, context),
    });
    if (!spyWorld.attempt(op, input, caller).ok || seen === undefined) throw new Error(`services bench: ${op} made no KMS call`);
    return seen;
  };
  const secretInput = { SecretId: 'db' };
  const parameterInput = { Name: '/app/token', WithDecryption: true };
  const secretCall = direct('secretsmanager:GetSecretValue', secretInput);
  const parameterCall = direct('ssm:GetParameter', parameterInput);
  const pairs = [
    {
      figure: { name: 'secretsmanager:GetSecretValue through src/services', fn: () => world.attempt('secretsmanager:GetSecretValue', secretInput, caller) },
      floor: { name: 'its Decrypt (viaService, same context), direct', fn: () => model.attemptSync('Decrypt', secretCall.input, secretCall.context) },
    },
    {
      figure: { name: 'ssm:GetParameter (with decryption) through src/services', fn: () => world.attempt('ssm:GetParameter', parameterInput, caller) },
      floor: { name: 'its Decrypt (viaService, same context), direct ', fn: () => model.attemptSync('Decrypt', parameterCall.input, parameterCall.context) },
    },
  ];
  // Warm-up with tinybench (a short run of every side), then the alternating slices.
  await measure(pairs.flatMap((p) => [p.figure, p.floor]).map((t) => ({ name: t.name, fn: repeat(BATCH, t.fn), batch: BATCH })), Math.min(200, timeMs / 4));
  const comparisons = pairs.map((pair): Comparison => {
    const { figureNs, floorNs } = alternate(pair.figure.fn, pair.floor.fn, timeMs);
    return { figure: row(pair.figure.name, figureNs), floor: row(pair.floor.name, floorNs), target: TARGET };
  });
  if (world.counts().kmsCalls.some((r) => r.throttled > 0 || r.failed > 0 || r.denied > 0)) {
    throw new Error('services bench: a KMS call was refused: the figure would be meaningless');
  }
  return comparisons;
}

function row(name: string, nsPerOp: number): BenchRow {
  return { name, nsPerOp, opsPerSec: 1e9 / nsPerOp };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** ns per call of `op` over one slice of about `sliceMs`. */
function slice(op: () => unknown, sliceMs: number): number {
  const deadline = process.hrtime.bigint() + BigInt(Math.round(sliceMs * 1e6));
  const started = process.hrtime.bigint();
  let calls = 0;
  let now = started;
  while (now < deadline) {
    for (let i = 0; i < BATCH; i++) op();
    calls += BATCH;
    now = process.hrtime.bigint();
  }
  return Number(now - started) / calls;
}

/** The two sides in alternating 20 ms slices (who goes first alternating too); each side's median slice. */
function alternate(figure: () => unknown, floor: () => unknown, timeMs: number): { figureNs: number; floorNs: number } {
  const rounds = Math.max(10, Math.round(timeMs / 40));
  const figureNs: number[] = [];
  const floorNs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      figureNs.push(slice(figure, 20));
      floorNs.push(slice(floor, 20));
    } else {
      floorNs.push(slice(floor, 20));
      figureNs.push(slice(figure, 20));
    }
  }
  return { figureNs: median(figureNs), floorNs: median(floorNs) };
}
