/**
 * Each condition operator, true and false, on the condition keys KMS supplies: a key policy allows the role `noiam`
 * (which has no IAM policy) one action under one condition; a request that meets it succeeds, one that does not is
 * refused ("no identity-based policy allows": the root statement still names the account). Requests go through the
 * real KMSClient, except those an AWS service makes on the caller's behalf (`viaService`), which call the model.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { KmsError } from '../src/kms/errors.js';
import { ACCOUNT, AuthzFixture, PRINCIPALS, REGION, allowAll, deniedMessage, keyPolicy, type Op, type Who } from './support/authz-fixture.js';

type Case = readonly [
  name: string,
  condition: Record<string, Record<string, unknown>>,
  request: { who?: Who; op?: Op; extra?: Record<string, unknown> },
  allowed: boolean,
];

const ctx = (pairs: Record<string, string>): Record<string, unknown> => ({ EncryptionContext: pairs });
const role = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;

const CASES: readonly Case[] = [
  ['StringEquals on a context pair, matching', { StringEquals: { 'kms:EncryptionContext:dept': 'billing' } }, { extra: ctx({ dept: 'billing' }) }, true],
  ['StringEquals on a context pair, other value', { StringEquals: { 'kms:EncryptionContext:dept': 'billing' } }, { extra: ctx({ dept: 'sales' }) }, false],
  ['StringEquals on a context pair, absent', { StringEquals: { 'kms:EncryptionContext:dept': 'billing' } }, {}, false],
  ['the context key is matched without case', { StringEquals: { 'kms:encryptioncontext:DEPT': 'billing' } }, { extra: ctx({ Dept: 'billing' }) }, true],
  ['String values are case-sensitive', { StringEquals: { 'kms:EncryptionContext:dept': 'Billing' } }, { extra: ctx({ dept: 'billing' }) }, false],
  ['StringEqualsIgnoreCase', { StringEqualsIgnoreCase: { 'kms:EncryptionContext:dept': 'BILLING' } }, { extra: ctx({ dept: 'billing' }) }, true],
  ['StringEquals, any of several values', { StringEquals: { 'kms:EncryptionContext:dept': ['hr', 'billing'] } }, { extra: ctx({ dept: 'billing' }) }, true],
  ['StringNotEquals, other value', { StringNotEquals: { 'kms:EncryptionContext:dept': 'secret' } }, { extra: ctx({ dept: 'billing' }) }, true],
  ['StringNotEquals, that value', { StringNotEquals: { 'kms:EncryptionContext:dept': 'secret' } }, { extra: ctx({ dept: 'secret' }) }, false],
  ['StringNotEquals, several values are NORed', { StringNotEquals: { 'kms:EncryptionContext:dept': ['a', 'secret'] } }, { extra: ctx({ dept: 'secret' }) }, false],
  ['StringNotEquals, key absent is true', { StringNotEquals: { 'kms:EncryptionContext:dept': 'secret' } }, {}, true],
  ['StringLike, matching', { StringLike: { 'kms:EncryptionContext:tenant': 't-*' } }, { extra: ctx({ tenant: 't-42' }) }, true],
  ['StringLike, ? is one character', { StringLike: { 'kms:EncryptionContext:tenant': 't-?' } }, { extra: ctx({ tenant: 't-42' }) }, false],
  ['StringNotLike, not matching', { StringNotLike: { 'kms:EncryptionContext:tenant': 'internal-*' } }, { extra: ctx({ tenant: 't-1' }) }, true],
  ['StringNotLike, matching', { StringNotLike: { 'kms:EncryptionContext:tenant': 'internal-*' } }, { extra: ctx({ tenant: 'internal-1' }) }, false],
  ['StringEqualsIfExists, absent', { StringEqualsIfExists: { 'kms:EncryptionContext:dept': 'billing' } }, {}, true],
  ['StringEqualsIfExists, present and other', { StringEqualsIfExists: { 'kms:EncryptionContext:dept': 'billing' } }, { extra: ctx({ dept: 'x' }) }, false],
  ['ForAnyValue:StringEquals on context keys, one listed', { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'dept' } }, { extra: ctx({ dept: 'a', x: 'b' }) }, true],
  ['ForAnyValue:StringEquals on context keys, none listed', { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'dept' } }, { extra: ctx({ x: 'b' }) }, false],
  ['ForAnyValue, no context at all', { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'dept' } }, {}, false],
  // A missing multivalued key makes a negated operator true; an explicit ForAnyValue is false of an empty set.
  ['StringNotEquals on context keys, no context is true', { StringNotEquals: { 'kms:EncryptionContextKeys': 'secret' } }, {}, true],
  ['StringNotEquals on context keys, that key', { StringNotEquals: { 'kms:EncryptionContextKeys': 'secret' } }, { extra: ctx({ secret: '1' }) }, false],
  ['StringNotLike on context keys, no context is true', { StringNotLike: { 'kms:EncryptionContextKeys': 'sec*' } }, {}, true],
  ['ForAnyValue:StringNotEquals, no context is false', { 'ForAnyValue:StringNotEquals': { 'kms:EncryptionContextKeys': 'secret' } }, {}, false],
  ['ForAllValues:StringEquals, all listed', { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['dept', 'tenant'] } }, { extra: ctx({ dept: 'a' }) }, true],
  ['ForAllValues:StringEquals, one not listed', { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['dept', 'tenant'] } }, { extra: ctx({ dept: 'a', x: 'b' }) }, false],
  ['ForAllValues, no context at all is true', { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': 'dept' } }, {}, true],
  ['ForAllValues:StringLike', { 'ForAllValues:StringLike': { 'kms:EncryptionContextKeys': 'app-*' } }, { extra: ctx({ 'app-a': '1', 'app-b': '2' }) }, true],
  ['Null false requires a context', { Null: { 'kms:EncryptionContextKeys': 'false' } }, { extra: ctx({ a: 'b' }) }, true],
  ['Null false refuses no context', { Null: { 'kms:EncryptionContextKeys': 'false' } }, {}, false],
  ['Null true refuses a context', { Null: { 'kms:EncryptionContextKeys': 'true' } }, { extra: ctx({ a: 'b' }) }, false],
  ['ArnLike on aws:PrincipalArn, matching', { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/no*` } }, {}, true],
  ['ArnLike on aws:PrincipalArn, other account', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::999999999999:role/*' } }, {}, false],
  ['ArnEquals, exact', { ArnEquals: { 'aws:PrincipalArn': role('noiam') } }, {}, true],
  ['ArnNotEquals, the caller', { ArnNotEquals: { 'aws:PrincipalArn': role('noiam') } }, {}, false],
  ['ArnNotLike, someone else', { ArnNotLike: { 'aws:PrincipalArn': role('app*') } }, {}, true],
  ['StringEquals on kms:CallerAccount', { StringEquals: { 'kms:CallerAccount': ACCOUNT } }, {}, true],
  ['StringEquals on aws:PrincipalAccount, other', { StringEquals: { 'aws:PrincipalAccount': '999999999999' } }, {}, false],
  ['kms:EncryptionAlgorithm defaults to SYMMETRIC_DEFAULT', { StringEquals: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } }, {}, true],
  ['kms:KeySpec', { StringEquals: { 'kms:KeySpec': 'RSA_2048' } }, {}, false],
  ['Bool on aws:ViaAWSService without a service', { Bool: { 'aws:ViaAWSService': 'true' } }, {}, false],
  ['Bool on aws:SecureTransport', { Bool: { 'aws:SecureTransport': true } }, {}, true],
  ['two operators are ANDed', { StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:EncryptionContext:dept': 'x' } }, { extra: ctx({ dept: 'y' }) }, false],
  [
    'NumericLessThanEquals on the deletion window, within',
    { NumericLessThanEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 10 } },
    { op: 'ScheduleKeyDeletion', extra: { PendingWindowInDays: 7 } },
    true,
  ],
  [
    'NumericLessThanEquals on the deletion window, default 30',
    { NumericLessThanEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 10 } },
    { op: 'ScheduleKeyDeletion' },
    false,
  ],
  ['NumericGreaterThan, true', { NumericGreaterThan: { 'kms:ScheduleKeyDeletionPendingWindowInDays': '20' } }, { op: 'ScheduleKeyDeletion' }, true],
  ['NumericEquals, false', { NumericEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 7 } }, { op: 'ScheduleKeyDeletion', extra: { PendingWindowInDays: 8 } }, false],
  ['NumericNotEquals, true', { NumericNotEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 7 } }, { op: 'ScheduleKeyDeletion', extra: { PendingWindowInDays: 8 } }, true],
];

function conditionalPolicy(action: string, condition: Record<string, unknown>): string {
  return keyPolicy(allowAll(ACCOUNT), { Effect: 'Allow', Principal: { AWS: PRINCIPALS.noiam.arn }, Action: action, Resource: '*', Condition: condition });
}

describe('condition operators', () => {
  let fx: AuthzFixture;
  beforeAll(() => {
    fx = new AuthzFixture();
  });

  test.each(CASES)('%s', async (_name, condition, request, allowed) => {
    const who = request.who ?? 'noiam';
    const op = request.op ?? 'Encrypt';
    const keyArn = await fx.key(conditionalPolicy(`kms:${op}`, condition));
    const outcome = await fx.attempt(who, op, keyArn, request.extra ?? {});
    if (allowed) expect(outcome).toEqual({ result: 'allowed', requests: 1 });
    else expect(outcome).toMatchObject({ name: 'AccessDeniedException', message: deniedMessage(who, op, keyArn, 'no-identity') });
  });

  const viaCases = [
    ['s3', { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }, true],
    ['secretsmanager', { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }, false],
    ['secretsmanager.us-east-1.amazonaws.com', { StringLike: { 'kms:ViaService': 'secretsmanager.*.amazonaws.com' } }, true],
    [undefined, { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }, false],
    [undefined, { StringNotEqualsIfExists: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }, true],
    ['s3', { Bool: { 'aws:ViaAWSService': 'true' } }, true],
    ['s3', { Null: { 'kms:ViaService': 'true' } }, false],
  ] as const;

  test.each(viaCases)('a request made via %s under %j: allowed %s', async (viaService, condition, allowed) => {
    const keyArn = await fx.key(conditionalPolicy('kms:GenerateDataKey', condition));
    const context = { region: REGION, principal: PRINCIPALS.noiam.arn, ...(viaService === undefined ? {} : { viaService }) };
    const call = (): unknown => fx.kms.callSync('GenerateDataKey', { KeyId: keyArn, KeySpec: 'AES_256' }, context);
    if (allowed) expect(call()).toMatchObject({ KeyId: keyArn });
    else expect(call).toThrow(new KmsError('AccessDeniedException', deniedMessage('noiam', 'GenerateDataKey', keyArn, 'no-identity')));
  });

  test.each([
    [undefined, 'deny-resource'],
    [{ dept: 'billing' }, 'allowed'],
  ] as const)('Deny under StringNotEquals on kms:EncryptionContextKeys "dept", context %j: %s', async (context, expected) => {
    const keyArn = await fx.key(
      keyPolicy(
        allowAll(ACCOUNT),
        { Effect: 'Allow', Principal: { AWS: PRINCIPALS.noiam.arn }, Action: 'kms:Encrypt', Resource: '*' },
        // The usual "require an encryption context" guard: with no context the key is missing and the Deny applies.
        { Effect: 'Deny', Principal: '*', Action: 'kms:Encrypt', Resource: '*', Condition: { StringNotEquals: { 'kms:EncryptionContextKeys': 'dept' } } },
      ),
    );
    const outcome = await fx.attempt('noiam', 'Encrypt', keyArn, context === undefined ? {} : ctx(context));
    if (expected === 'allowed') expect(outcome).toEqual({ result: 'allowed', requests: 1 });
    else expect(outcome).toMatchObject({ name: 'AccessDeniedException', message: deniedMessage('noiam', 'Encrypt', keyArn, expected) });
  });

  test('a condition on Decrypt reads the context the request gives, and the blob still binds it', async () => {
    const keyArn = await fx.key(conditionalPolicy('kms:Decrypt', { StringEquals: { 'kms:EncryptionContext:dept': 'billing' } }));
    expect(await fx.attempt('noiam', 'Decrypt', keyArn, ctx({ dept: 'billing' }))).toEqual({ result: 'allowed', requests: 1 });
    expect(await fx.attempt('noiam', 'Decrypt', keyArn, ctx({ dept: 'sales' }))).toMatchObject({ name: 'AccessDeniedException' });
  });

  test('ReEncrypt is kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination key', async () => {
    const source = await fx.key(conditionalPolicy('kms:ReEncryptFrom', {}));
    const destination = await fx.key(keyPolicy(allowAll(ACCOUNT)));
    const blob = fx.ciphertext(source, undefined, 'root');
    const context = { region: REGION, principal: PRINCIPALS.noiam.arn };
    const reEncrypt = (): unknown => fx.kms.callSync('ReEncrypt', { CiphertextBlob: blob, DestinationKeyId: destination }, context);
    expect(reEncrypt).toThrow(
      `User: ${PRINCIPALS.noiam.arn} is not authorized to perform: kms:ReEncryptTo on resource: ${destination} because no identity-based policy allows the kms:ReEncryptTo action`,
    );
    fx.kms.putPrincipal({ arn: PRINCIPALS.noiam.arn, policies: [{ Statement: { Effect: 'Allow', Action: 'kms:ReEncryptTo', Resource: destination } }] });
    try {
      expect(reEncrypt()).toMatchObject({ SourceKeyId: source, KeyId: destination });
    } finally {
      fx.kms.putPrincipal({ arn: PRINCIPALS.noiam.arn });
    }
  });
});
