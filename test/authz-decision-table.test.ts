/**
 * Who may do what, through the real KMSClient with one access key per principal: KMS's default key policy with and
 * without an IAM allow, the key user and key administrator of the console's policy, explicit Deny in the key policy
 * and in IAM, NotAction, NotPrincipal (also for assumed-role sessions), cross-account callers, actions on no key and
 * the alias operations. Each row checks the answer and, for a denial, KMS's exact message and (through the SDK) that
 * one request was sent (AccessDeniedException is not retried).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { keyUserAdminPolicy } from '../src/kms/policy-templates.js';
import { ACCOUNT, AuthzFixture, OTHER, PRINCIPALS, REGION, allowAll, deniedMessage, keyPolicy, type Expect, type Op, type Who } from './support/authz-fixture.js';

const arn = (who: Who): string => PRINCIPALS[who].arn;
const USER = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

/** Key policies by name (undefined: KMS's default key policy). */
const POLICIES: Record<string, string | undefined> = {
  default: undefined,
  userAdmin: keyUserAdminPolicy({ accountId: ACCOUNT, users: [arn('app')], admins: [arn('ops')] }),
  userAdminDenied: keyUserAdminPolicy({ accountId: ACCOUNT, users: [arn('denied')], admins: [] }),
  // No root statement: IAM policies cannot open the key to anyone, the account root included.
  userOnly: keyPolicy({ Effect: 'Allow', Principal: { AWS: arn('app') }, Action: USER, Resource: '*' }),
  denyAdminEncrypt: keyPolicy(allowAll(ACCOUNT), { Effect: 'Deny', Principal: { AWS: arn('admin') }, Action: 'kms:Encrypt', Resource: '*' }),
  notAction: keyPolicy(allowAll(ACCOUNT), {
    Effect: 'Allow',
    Principal: { AWS: arn('noiam') },
    NotAction: ['kms:ScheduleKeyDeletion', 'kms:Disable*'],
    Resource: '*',
  }),
  notPrincipal: keyPolicy(
    allowAll(ACCOUNT),
    { Effect: 'Allow', Principal: { AWS: arn('app') }, Action: USER, Resource: '*' },
    { Effect: 'Deny', NotPrincipal: { AWS: [arn('app'), `arn:aws:iam::${ACCOUNT}:root`] }, Action: 'kms:Decrypt', Resource: '*' },
  ),
  // Listing a role without its account does not exempt it: every identity of the caller must be listed.
  notPrincipalNoAccount: keyPolicy(
    allowAll(ACCOUNT),
    { Effect: 'Allow', Principal: { AWS: arn('app') }, Action: USER, Resource: '*' },
    { Effect: 'Deny', NotPrincipal: { AWS: arn('app') }, Action: 'kms:Decrypt', Resource: '*' },
  ),
  everyone: keyPolicy(allowAll(ACCOUNT), { Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt', Resource: '*' }),
  otherResource: keyPolicy(allowAll(ACCOUNT), {
    Effect: 'Allow',
    Principal: { AWS: arn('noiam') },
    Action: 'kms:Encrypt',
    Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/00000000-0000-0000-0000-000000000000`,
  }),
  notResource: keyPolicy(allowAll(ACCOUNT), {
    Effect: 'Allow',
    Principal: { AWS: arn('noiam') },
    Action: 'kms:Encrypt',
    NotResource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/00000000-0000-0000-0000-000000000000`,
  }),
  shared: keyPolicy(allowAll(ACCOUNT), { Effect: 'Allow', Principal: { AWS: OTHER }, Action: 'kms:*', Resource: '*' }),
  sharedWithPartner: keyPolicy(allowAll(ACCOUNT), { Effect: 'Allow', Principal: { AWS: arn('partner') }, Action: ['kms:Encrypt'], Resource: '*' }),
};

type Row = readonly [who: Who, op: Op, policy: keyof typeof POLICIES, expect: Expect];

const ROWS: readonly Row[] = [
  // The default key policy: the root may do everything; a role needs an IAM allow (root delegation).
  ['root', 'Encrypt', 'default', 'allowed'],
  ['root', 'ScheduleKeyDeletion', 'default', 'allowed'],
  ['admin', 'Encrypt', 'default', 'allowed'],
  ['admin', 'ScheduleKeyDeletion', 'default', 'allowed'],
  ['noiam', 'Encrypt', 'default', 'no-identity'],
  ['noiam', 'DescribeKey', 'default', 'no-identity'],
  ['limited', 'Encrypt', 'default', 'allowed'],
  ['limited', 'Decrypt', 'default', 'no-identity'],
  ['denied', 'Encrypt', 'default', 'allowed'],
  ['denied', 'Decrypt', 'default', 'deny-identity'],
  // The console's key user / key administrator policy.
  ['app', 'Encrypt', 'userAdmin', 'allowed'],
  ['app', 'Decrypt', 'userAdmin', 'allowed'],
  ['app', 'ReEncrypt', 'userAdmin', 'allowed'],
  ['app', 'GenerateDataKey', 'userAdmin', 'allowed'],
  ['app', 'DescribeKey', 'userAdmin', 'allowed'],
  ['app', 'ScheduleKeyDeletion', 'userAdmin', 'no-identity'],
  ['app', 'DisableKey', 'userAdmin', 'no-identity'],
  ['app', 'PutKeyPolicy', 'userAdmin', 'no-identity'],
  ['ops', 'ScheduleKeyDeletion', 'userAdmin', 'allowed'],
  ['ops', 'DisableKey', 'userAdmin', 'allowed'],
  ['ops', 'GetKeyPolicy', 'userAdmin', 'allowed'],
  ['ops', 'DescribeKey', 'userAdmin', 'allowed'],
  ['ops', 'Encrypt', 'userAdmin', 'no-identity'],
  ['ops', 'Decrypt', 'userAdmin', 'no-identity'],
  ['admin', 'Decrypt', 'userAdmin', 'allowed'],
  // A policy without the root statement.
  ['app', 'Encrypt', 'userOnly', 'allowed'],
  ['admin', 'Encrypt', 'userOnly', 'no-resource'],
  ['root', 'Encrypt', 'userOnly', 'no-resource'],
  // Explicit Deny wins: in the key policy, and in IAM over a key policy naming the principal.
  ['admin', 'Encrypt', 'denyAdminEncrypt', 'deny-resource'],
  ['admin', 'Decrypt', 'denyAdminEncrypt', 'allowed'],
  ['denied', 'Decrypt', 'userAdminDenied', 'deny-identity'],
  ['denied', 'Encrypt', 'userAdminDenied', 'allowed'],
  // NotAction, NotPrincipal, Principal "*", Resource and NotResource in a key policy.
  ['noiam', 'Encrypt', 'notAction', 'allowed'],
  ['noiam', 'DisableKey', 'notAction', 'no-identity'],
  ['noiam', 'ScheduleKeyDeletion', 'notAction', 'no-identity'],
  ['admin', 'Decrypt', 'notPrincipal', 'deny-resource'],
  ['app', 'Decrypt', 'notPrincipal', 'allowed'],
  ['admin', 'Encrypt', 'notPrincipal', 'allowed'],
  ['app', 'Decrypt', 'notPrincipalNoAccount', 'deny-resource'],
  ['noiam', 'Encrypt', 'everyone', 'allowed'],
  ['noiam', 'Encrypt', 'otherResource', 'no-identity'],
  ['noiam', 'Encrypt', 'notResource', 'allowed'],
  // Cross-account: the key policy must let the account or principal in, and its IAM policies must allow too.
  ['partner', 'Encrypt', 'default', 'no-resource'],
  ['partner', 'Encrypt', 'shared', 'allowed'],
  ['partner', 'Decrypt', 'shared', 'allowed'],
  ['stranger', 'Encrypt', 'shared', 'no-identity'],
  ['otherRoot', 'Encrypt', 'shared', 'allowed'],
  ['partner', 'Encrypt', 'sharedWithPartner', 'allowed'],
  ['partner', 'Decrypt', 'sharedWithPartner', 'no-resource'],
  ['partner', 'DisableKey', 'shared', 'cross-account'],
  ['otherRoot', 'GetKeyPolicy', 'shared', 'cross-account'],
  ['otherRoot', 'GetKeyRotationStatus', 'shared', 'allowed'],
  ['partner', 'GetKeyRotationStatus', 'shared', 'no-identity'],
];

describe('authorization decisions through the real KMSClient', () => {
  let fx: AuthzFixture;
  beforeAll(() => {
    fx = new AuthzFixture();
  });

  test('the table has at least 40 rows', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(40);
  });

  test.each(ROWS)('%s %s on a key with the %s policy: %s', async (who, op, policy, expected) => {
    const keyArn = await fx.key(POLICIES[policy]);
    // Ciphertexts for Decrypt rows are made by someone the key lets encrypt.
    const encryptAs: Who = policy === 'userOnly' ? 'app' : 'root';
    const outcome = await fx.attempt(who, op, keyArn, {}, encryptAs);
    if (expected === 'allowed') {
      expect(outcome).toEqual({ result: 'allowed', requests: 1 });
      return;
    }
    expect(outcome).toEqual({
      result: 'error',
      name: 'AccessDeniedException',
      message: deniedMessage(who, op, keyArn, expected),
      requests: 1,
    });
  });

  test.each([
    ['root', 'CreateKey', 'allowed'],
    ['admin', 'CreateKey', 'allowed'],
    ['noiam', 'CreateKey', 'no-identity'],
    ['noiam', 'ListKeys', 'no-identity'],
    ['limited', 'GenerateRandom', 'no-identity'],
    ['admin', 'GenerateRandom', 'allowed'],
  ] as const)('%s %s (no key: IAM alone decides): %s', async (who, op, expected) => {
    const outcome = await fx.attempt(who, op, '');
    if (expected === 'allowed') expect(outcome).toEqual({ result: 'allowed', requests: 1 });
    else expect(outcome).toEqual({ result: 'error', name: 'AccessDeniedException', message: deniedMessage(who, op, '*', expected), requests: 1 });
  });
});

/**
 * Alias operations take the action on the alias (IAM policies only, resource `…:alias/<name>`) and on the key (key
 * policy); UpdateAlias on the current key and on the new one (API reference, CreateAlias/UpdateAlias/DeleteAlias,
 * "Required permissions").
 */
describe('alias operations: the alias (IAM) and every key involved (key policies)', () => {
  const ALIAS_ACTIONS = ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'];
  const aliasArn = (name: string): string => `arn:aws:kms:${REGION}:${ACCOUNT}:alias/${name}`;
  const role = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;
  const statement = (Effect: string, Resource: string[]): object => ({ Effect, Action: ALIAS_ACTIONS, Resource });
  const IAM: Record<string, object[]> = {
    keysOnly: [statement('Allow', [`arn:aws:kms:*:${ACCOUNT}:key/*`])],
    aliasOnly: [statement('Allow', [`arn:aws:kms:*:${ACCOUNT}:alias/*`])],
    both: [statement('Allow', [`arn:aws:kms:*:${ACCOUNT}:key/*`, `arn:aws:kms:*:${ACCOUNT}:alias/*`])],
    bothButProtected: [statement('Allow', ['*']), statement('Deny', [aliasArn('protected-*')])],
    setup: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }],
  };
  let fx: AuthzFixture;
  let open: string;
  let closed: string;
  beforeAll(async () => {
    fx = new AuthzFixture();
    for (const [name, statements] of Object.entries(IAM)) fx.kms.putPrincipal({ arn: role(name), policies: [{ Statement: statements }] });
    open = await fx.key();
    // A key whose policy names only the setup role (no root statement): IAM cannot open it to the other roles.
    closed = await fx.key(keyPolicy({ Effect: 'Allow', Principal: { AWS: role('setup') }, Action: 'kms:*', Resource: '*' }));
  });
  let n = 0;
  const call = (who: string, op: string, input: Record<string, unknown>): string => {
    try {
      fx.kms.callSync(op, input, { region: REGION, principal: role(who) });
      return 'allowed';
    } catch (error) {
      return (error as Error).message;
    }
  };
  const root = (op: string, input: Record<string, unknown>): unknown => fx.kms.callSync(op, input, { region: REGION, principal: role('setup') });
  const denied = (who: string, action: string, resource: string, why: string): string =>
    `User: ${role(who)} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
  const noIdentity = (action: string): string => `because no identity-based policy allows the ${action} action`;
  const noResource = (action: string): string => `because no resource-based policy allows the ${action} action`;
  const explicit = 'with an explicit deny in an identity-based policy';

  test.each([
    ['both', 'open', 'allowed'],
    ['keysOnly', 'open', 'alias'],
    ['aliasOnly', 'open', 'key'],
    ['both', 'closed', 'closed-key'],
  ] as const)('%s CreateAlias on the %s key: %s', (who, target, expected) => {
    const name = `app-${++n}`;
    const keyArn = target === 'open' ? open : closed;
    const outcome = call(who, 'CreateAlias', { AliasName: `alias/${name}`, TargetKeyId: keyArn });
    const want = {
      allowed: 'allowed',
      alias: denied(who, 'kms:CreateAlias', aliasArn(name), noIdentity('kms:CreateAlias')),
      key: denied(who, 'kms:CreateAlias', keyArn, noIdentity('kms:CreateAlias')),
      'closed-key': denied(who, 'kms:CreateAlias', keyArn, noResource('kms:CreateAlias')),
    }[expected];
    expect(outcome).toBe(want);
  });

  test.each([
    ['both', 'open', 'open', 'allowed'],
    ['keysOnly', 'open', 'open', 'alias'],
    ['both', 'closed', 'open', 'current'],
    ['both', 'open', 'closed', 'new'],
  ] as const)('%s UpdateAlias from the %s key to the %s key: %s', (who, from, to, expected) => {
    const name = `app-${++n}`;
    const [fromArn, toArn] = [from === 'open' ? open : closed, to === 'open' ? open : closed];
    root('CreateAlias', { AliasName: `alias/${name}`, TargetKeyId: fromArn });
    const outcome = call(who, 'UpdateAlias', { AliasName: `alias/${name}`, TargetKeyId: toArn });
    const want = {
      allowed: 'allowed',
      alias: denied(who, 'kms:UpdateAlias', aliasArn(name), noIdentity('kms:UpdateAlias')),
      current: denied(who, 'kms:UpdateAlias', fromArn, noResource('kms:UpdateAlias')),
      new: denied(who, 'kms:UpdateAlias', toArn, noResource('kms:UpdateAlias')),
    }[expected];
    expect(outcome).toBe(want);
  });

  test.each([
    ['both', 'app', 'open', 'allowed'],
    ['keysOnly', 'app', 'open', 'alias'],
    ['aliasOnly', 'app', 'open', 'key'],
    ['bothButProtected', 'protected', 'open', 'deny'],
    ['bothButProtected', 'app', 'open', 'allowed'],
  ] as const)('%s DeleteAlias of an %s-* alias of the %s key: %s', (who, prefix, target, expected) => {
    const name = `${prefix}-${++n}`;
    root('CreateAlias', { AliasName: `alias/${name}`, TargetKeyId: target === 'open' ? open : closed });
    const outcome = call(who, 'DeleteAlias', { AliasName: `alias/${name}` });
    const want = {
      allowed: 'allowed',
      alias: denied(who, 'kms:DeleteAlias', aliasArn(name), noIdentity('kms:DeleteAlias')),
      key: denied(who, 'kms:DeleteAlias', open, noIdentity('kms:DeleteAlias')),
      deny: denied(who, 'kms:DeleteAlias', aliasArn(name), explicit),
    }[expected];
    expect(outcome).toBe(want);
  });
});

/**
 * NotPrincipal exempts an assumed-role session only when the policy lists the session ARN, the role ARN and the
 * account (IAM User Guide, "AWS JSON policy elements: NotPrincipal").
 */
describe('NotPrincipal and assumed-role sessions', () => {
  const session = `arn:aws:sts::${ACCOUNT}:assumed-role/admin/nightly`;
  const root = `arn:aws:iam::${ACCOUNT}:root`;
  const denyAllBut = (listed: string[]): string =>
    keyPolicy(allowAll(ACCOUNT), { Effect: 'Deny', NotPrincipal: { AWS: listed }, Action: 'kms:Encrypt', Resource: '*' });

  test.each([
    ['the role and the account', [arn('admin'), root], session, 'deny-resource'],
    ['the session and the account', [session, root], session, 'deny-resource'],
    ['the session, the role and the account', [session, arn('admin'), root], session, 'allowed'],
    ['the role and the account (the role calls)', [arn('admin'), root], arn('admin'), 'allowed'],
  ] as const)('listing %s, %s: %s', async (_what, listed, caller, expected) => {
    const fx = new AuthzFixture();
    const keyArn = await fx.key(denyAllBut([...listed]));
    const call = (): unknown => fx.kms.callSync('Encrypt', { KeyId: keyArn, Plaintext: Buffer.from('x') }, { region: REGION, principal: caller });
    if (expected === 'allowed') expect(call()).toMatchObject({ KeyId: keyArn });
    else expect(call).toThrow(`User: ${caller} is not authorized to perform: kms:Encrypt on resource: ${keyArn} with an explicit deny in a resource-based policy`);
  });
});
