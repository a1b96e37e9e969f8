/**
 * Who may do what, through the real KMSClient with one access key per principal: KMS's default key policy with and
 * without an IAM allow, the key user and key administrator of the console's policy, explicit Deny in the key policy
 * and in IAM, NotAction, NotPrincipal, cross-account callers, and actions on no key. Each row checks the answer and,
 * for a denial, KMS's exact message and that the SDK sent one request (AccessDeniedException is not retried).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { keyUserAdminPolicy } from '../src/kms/policy-templates.js';
import { ACCOUNT, AuthzFixture, OTHER, PRINCIPALS, allowAll, deniedMessage, keyPolicy, type Expect, type Op, type Who } from './support/authz-fixture.js';

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
