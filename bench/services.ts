/**
 * What the services layer costs (`npm run bench -- --only services`): a service request through src/services — the
 * service's own quota, the resource, the KMS call on the caller's behalf with its attribution, the answer — against
 * the KMS call it makes, made directly with the same input and context (target ≥ 0.8). Both sides use one model with
 * quotas on (far above what one thread offers, so every call is admitted) and real AES-GCM.
 */
import { KmsModel } from '../src/kms/model.js';
import { RateBoard } from '../src/quota/index.js';
import { ServiceWorld, serviceCaller, type ServiceInput } from '../src/services/index.js';
import type { CallContext, KmsInput } from '../src/kms/types.js';
import { byName, measure, repeat, type Comparison } from './support.js';

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
  const rows = await measure(
    [
      { name: 'secretsmanager:GetSecretValue through src/services', fn: repeat(BATCH, () => world.attempt('secretsmanager:GetSecretValue', secretInput, caller)), batch: BATCH },
      { name: 'its Decrypt (viaService, same context), direct', fn: repeat(BATCH, () => model.attemptSync('Decrypt', secretCall.input, secretCall.context)), batch: BATCH },
      { name: 'ssm:GetParameter (with decryption) through src/services', fn: repeat(BATCH, () => world.attempt('ssm:GetParameter', parameterInput, caller)), batch: BATCH },
      { name: 'its Decrypt (viaService, same context), direct ', fn: repeat(BATCH, () => model.attemptSync('Decrypt', parameterCall.input, parameterCall.context)), batch: BATCH },
    ],
    timeMs,
  );
  for (const side of [world.counts().kmsCalls]) {
    if (side.some((row) => row.throttled > 0 || row.failed > 0)) throw new Error('services bench: a KMS call was refused: the figure would be meaningless');
  }
  return [
    { figure: byName(rows, 'secretsmanager:GetSecretValue through src/services'), floor: byName(rows, 'its Decrypt (viaService, same context), direct'), target: TARGET },
    { figure: byName(rows, 'ssm:GetParameter (with decryption) through src/services'), floor: byName(rows, 'its Decrypt (viaService, same context), direct '), target: TARGET },
  ];
}
