/** A KMS model, a spy on the KMS calls services make, and a service world over them, for the services tests. */
import { ManualClock } from '../../src/base/time.js';
import { KmsModel, type KeySeed, type PrincipalSeed } from '../../src/kms/model.js';
import type { CallContext, KmsInput, KmsOutput } from '../../src/kms/types.js';
import { RateBoard, type QuotaOptions } from '../../src/quota/index.js';
import { ServiceWorld, serviceCaller, type ServiceCaller, type ServiceQuotaOverrides, type ServiceResources } from '../../src/services/index.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '111122223333';
export const KEY_ID = '0b9a4c6e-1d2f-4e3a-8b5c-6d7e8f9a0b1c';
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`;
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/app`;

/** One KMS call as the model received it. */
export interface RecordedCall {
  readonly operation: string;
  readonly input: KmsInput;
  readonly context: CallContext;
  /** `admitted`, `throttled` or the error's name. */
  readonly outcome: string;
}

export interface ServicesFixture {
  readonly clock: ManualClock;
  readonly model: KmsModel;
  readonly world: ServiceWorld;
  readonly calls: RecordedCall[];
  readonly board: RateBoard;
  caller(context?: Partial<CallContext>): ServiceCaller;
}

export interface ServicesFixtureOptions {
  readonly resources?: ServiceResources;
  readonly quotas?: QuotaOptions;
  readonly overrides?: ServiceQuotaOverrides;
  readonly keyPolicy?: string;
  readonly principals?: readonly PrincipalSeed[];
  readonly keyState?: KeySeed['state'];
}

export function servicesFixture(options: ServicesFixtureOptions = {}): ServicesFixture {
  const clock = new ManualClock();
  const seed: KeySeed = {
    region: REGION,
    keyId: KEY_ID,
    ...(options.keyPolicy === undefined ? {} : { policy: options.keyPolicy }),
    ...(options.keyState === undefined ? {} : { state: options.keyState }),
  };
  const model = new KmsModel({
    keys: [seed],
    clock,
    quotas: options.quotas ?? { profile: 'kms-current' },
    principals: options.principals ?? [{ arn: ROLE, policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }] }],
  });
  const prepare = new KmsModel({ keys: model.exportKeys().map((k) => ({ ...k, policy: undefined, state: 'Enabled' })), clock });
  const calls: RecordedCall[] = [];
  const spy = {
    attemptSync(operation: string, input: KmsInput, context: CallContext): KmsOutput {
      try {
        const output = model.attemptSync(operation, input, context);
        calls.push({ operation, input, context, outcome: Object.keys(output).length === 0 ? 'throttled' : 'admitted' });
        return output;
      } catch (error) {
        calls.push({ operation, input, context, outcome: (error as Error).name });
        throw error;
      }
    },
  };
  const board = new RateBoard({}, () => clock.nowNs());
  const world = new ServiceWorld({
    kms: spy,
    accountId: ACCOUNT,
    time: clock,
    board,
    ...(options.overrides === undefined ? {} : { overrides: options.overrides }),
    resources: options.resources ?? {
      secrets: [{ name: 'db', key: 'app', versions: 2 }],
      parameters: [
        { name: '/app/std', key: 'app', tier: 'standard' },
        { name: '/app/adv', key: 'app', tier: 'advanced' },
      ],
    },
    keys: new Map([['app', { arn: KEY_ARN, keySpec: 'SYMMETRIC_DEFAULT' }]]),
    prepare: (operation, input, context) => prepare.callSync(operation, input, context),
  });
  return {
    clock,
    model,
    world,
    calls,
    board,
    caller: (context = {}) => serviceCaller({ region: REGION, principal: ROLE, ...context }, ACCOUNT),
  };
}
