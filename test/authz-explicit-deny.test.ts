/**
 * Explicit Deny wins, whatever else a policy holds: a key policy with a `Deny` of `kms:*` on `*` for `*` refuses every
 * request of every principal — the account root, roles whose IAM policies allow everything, callers from another
 * account — however many Allow statements (any actions, principals, NotAction, conditions) stand beside it. A
 * property test over generated policies and requests, seeded.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { KmsError } from '../src/kms/errors.js';
import { KmsModel } from '../src/kms/model.js';
import { ACCOUNT, OTHER, PRINCIPALS, REGION } from './support/authz-fixture.js';

const KEY_ID = '0f0e0d0c-0b0a-4908-8706-050403020100';
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`;
const DENY_ALL = { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' };

const principal = fc.constantFrom('*', ACCOUNT, OTHER, `arn:aws:iam::${ACCOUNT}:root`, ...Object.values(PRINCIPALS).map((p) => p.arn));
const action = fc.constantFrom('kms:*', 'kms:Encrypt', 'kms:Describe*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:*Key*', '*');
const condition = fc.constantFrom(
  undefined,
  { StringEquals: { 'kms:CallerAccount': ACCOUNT } },
  { StringNotEquals: { 'kms:EncryptionContext:dept': 'x' } },
  { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': 'dept' } },
  { Bool: { 'aws:SecureTransport': 'true' } },
);
const statement = fc.record({
  effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
  principals: fc.array(principal, { minLength: 1, maxLength: 3 }),
  notPrincipal: fc.boolean(),
  actions: fc.array(action, { minLength: 1, maxLength: 3 }),
  notAction: fc.boolean(),
  condition,
});
const REQUESTS: readonly [string, Record<string, unknown>][] = [
  ['Encrypt', { KeyId: KEY_ARN, Plaintext: Buffer.from('x'), EncryptionContext: { dept: 'x' } }],
  ['GenerateDataKey', { KeyId: KEY_ARN, KeySpec: 'AES_256' }],
  ['DescribeKey', { KeyId: KEY_ARN }],
  ['DisableKey', { KeyId: KEY_ARN }],
  ['ScheduleKeyDeletion', { KeyId: KEY_ARN }],
  ['GetKeyPolicy', { KeyId: KEY_ARN }],
  ['PutKeyPolicy', { KeyId: KEY_ARN, Policy: JSON.stringify({ Statement: { Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' } }) }],
];

describe('an explicit Deny of everything', () => {
  test('never allows anything, whatever else the policy holds', () => {
    fc.assert(
      fc.property(
        fc.array(statement, { maxLength: 6 }),
        fc.nat({ max: 20 }),
        fc.constantFrom(...Object.values(PRINCIPALS).map((p) => p.arn), undefined),
        fc.constantFrom(...REQUESTS),
        (others, at, caller, [operation, input]) => {
          const named = (list: string[]): object => ({ AWS: list.filter((p) => p !== '*').concat(list.every((p) => p === '*') ? [ACCOUNT] : []) });
          const statements: object[] = others.map((s) => ({
            Effect: s.effect,
            // NotPrincipal only with Deny: IAM refuses it with Allow.
            ...(s.notPrincipal && s.effect === 'Deny'
              ? { NotPrincipal: named(s.principals) }
              : { Principal: s.principals.includes('*') ? '*' : named(s.principals) }),
            [s.notAction ? 'NotAction' : 'Action']: s.actions,
            Resource: '*',
            ...(s.condition === undefined ? {} : { Condition: s.condition }),
          }));
          statements.splice(at % (statements.length + 1), 0, DENY_ALL);
          const policy = JSON.stringify({ Version: '2012-10-17', Statement: statements });
          const kms = new KmsModel({ seed: 3, keys: [{ region: REGION, keyId: KEY_ID, policy }], principals: Object.values(PRINCIPALS) });
          let error: unknown;
          try {
            kms.callSync(operation, input, { region: REGION, ...(caller === undefined ? {} : { principal: caller }) });
          } catch (caught) {
            error = caught;
          }
          expect(error).toBeInstanceOf(KmsError);
          expect((error as KmsError).name).toBe('AccessDeniedException');
        },
      ),
      { seed: 20261204, numRuns: 300 },
    );
  });
});
