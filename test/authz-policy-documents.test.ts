/**
 * Policy documents as KMS stores them: malformed ones refused with MalformedPolicyDocumentException naming every
 * problem (CreateKey with a Policy, PutKeyPolicy, a key seed, a principal's IAM policy), the lockout safety check,
 * GetKeyPolicy returning exactly what was put, and `checkPolicyDocument` saying the same words a scenario shows.
 */
import { CreateKeyCommand, GetKeyPolicyCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { describe, expect, test } from 'vitest';
import { KmsModel } from '../src/kms/model.js';
import { checkPolicyDocument } from '../src/kms/policy-document.js';
import { defaultKeyPolicy, keyUserAdminPolicy } from '../src/kms/policy-templates.js';
import { ACCOUNT, allowAll, AuthzFixture, keyPolicy, PRINCIPALS, REGION } from './support/authz-fixture.js';
import { rejectionOf } from './support/errors.js';

const root = allowAll(ACCOUNT);

const MALFORMED: readonly [string, string | object, string][] = [
  ['not JSON', '{"Statement": [', 'the policy is not valid JSON'],
  ['not an object', '[1, 2]', 'the policy must be a JSON object'],
  ['no statement', { Version: '2012-10-17' }, 'the policy must contain at least one Statement'],
  ['an unknown version', { Version: '2020-01-01', Statement: [root] }, 'Version must be "2012-10-17" or "2008-10-17"'],
  ['an unknown top-level field', { Statement: [root], Extra: 1 }, 'unknown top-level field "Extra"'],
  ['a bad Effect', { Statement: [{ ...root, Effect: 'Maybe' }] }, 'Statement[0].Effect must be "Allow" or "Deny"'],
  ['no principal', { Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }, 'Statement[0] must have exactly one of Principal or NotPrincipal'],
  ['both Action and NotAction', { Statement: [{ ...root, NotAction: 'kms:Encrypt' }] }, 'Statement[0] must have exactly one of Action or NotAction'],
  ['no Resource', { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*' }] }, 'Statement[0] must have exactly one of Resource or NotResource'],
  [
    'NotPrincipal with Allow',
    { Statement: [root, { Effect: 'Allow', NotPrincipal: { AWS: PRINCIPALS.app.arn }, Action: 'kms:Encrypt', Resource: '*' }] },
    'Statement[1].NotPrincipal must be used with "Effect": "Deny"',
  ],
  ['an invalid principal', { Statement: [{ ...root, Principal: { AWS: 'bob' } }] }, 'Statement[0].Principal.AWS: invalid principal "bob"'],
  ['an unknown principal type', { Statement: [{ ...root, Principal: { Robot: 'x' } }] }, 'unknown principal type "Robot"'],
  ['an invalid action', { Statement: [{ ...root, Action: 'Encrypt' }] }, 'Statement[0].Action: invalid action "Encrypt"'],
  [
    'an unknown condition key',
    { Statement: [{ ...root, Condition: { StringEquals: { 'kms:CallerAcount': ACCOUNT } } }] },
    'Statement[0].Condition.StringEquals."kms:CallerAcount": unknown condition key kms:CallerAcount',
  ],
  [
    'an unknown condition operator',
    { Statement: [{ ...root, Condition: { StringEqual: { 'kms:CallerAccount': ACCOUNT } } }] },
    'Statement[0].Condition.StringEqual: unknown condition operator StringEqual',
  ],
  [
    'an unknown qualifier',
    { Statement: [{ ...root, Condition: { 'ForSomeValues:StringEquals': { 'kms:EncryptionContextKeys': 'a' } } }] },
    'unknown condition operator qualifier "ForSomeValues"',
  ],
  [
    'an operator with no KMS key',
    { Statement: [{ ...root, Condition: { IpAddress: { 'kms:CallerAccount': '10.0.0.0/8' } } }] },
    'condition operator IpAddress has no KMS condition key to test',
  ],
  [
    'a numeric operator on a string key',
    { Statement: [{ ...root, Condition: { NumericLessThan: { 'kms:CallerAccount': 5 } } }] },
    'condition operator NumericLessThan cannot test kms:CallerAccount (a string key)',
  ],
  [
    'a value a numeric operator cannot read',
    { Statement: [{ ...root, Condition: { NumericLessThan: { 'kms:RotationPeriodInDays': 'soon' } } }] },
    'condition NumericLessThan on kms:RotationPeriodInDays: "soon" is not a number',
  ],
  [
    'a Bool value that is not true or false',
    { Statement: [{ ...root, Condition: { Bool: { 'kms:MultiRegion': 'yes' } } }] },
    'condition Bool on kms:MultiRegion: "yes" is not true or false',
  ],
];

describe('policy documents', () => {
  test.each(MALFORMED)('%s is refused, named', (_name, document, problem) => {
    const problems = checkPolicyDocument(document, 'key');
    expect(problems.some((p) => p.includes(problem))).toBe(true);
  });

  test('every problem is reported at once, each at its path', () => {
    const problems = checkPolicyDocument(
      { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { Bogus: { 'kms:Nope': 'x' } } }, { Effect: 'No' }] },
      'key',
    );
    expect(problems).toEqual([
      'Statement[0].Condition.Bogus."kms:Nope": unknown condition key kms:Nope',
      'Statement[1].Effect must be "Allow" or "Deny"',
      'Statement[1] must have exactly one of Action or NotAction',
      'Statement[1] must have exactly one of Resource or NotResource',
      'Statement[1] must have exactly one of Principal or NotPrincipal',
    ]);
  });

  test('the templates and an identity policy are well formed; an identity policy must not name a principal', () => {
    expect(checkPolicyDocument(defaultKeyPolicy(ACCOUNT), 'key')).toEqual([]);
    expect(checkPolicyDocument(keyUserAdminPolicy({ accountId: ACCOUNT, users: [PRINCIPALS.app.arn], admins: [ACCOUNT] }), 'key')).toEqual([]);
    expect(checkPolicyDocument({ Statement: { Effect: 'Allow', Action: 'kms:*', Resource: '*' } }, 'identity')).toEqual([]);
    expect(checkPolicyDocument({ Statement: [root] }, 'identity')).toEqual(['Statement[0]: an identity-based policy must not name a Principal']);
  });

  test.each([
    ['CreateKey', (fx: AuthzFixture, Policy: string) => fx.client('root').send(new CreateKeyCommand({ Policy }))],
    [
      'PutKeyPolicy',
      async (fx: AuthzFixture, Policy: string) => fx.client('root').send(new PutKeyPolicyCommand({ KeyId: await fx.key(), PolicyName: 'default', Policy })),
    ],
  ] as const)('%s with a malformed policy: MalformedPolicyDocumentException through the SDK, naming the problem', async (_op, send) => {
    const fx = new AuthzFixture();
    const bad = keyPolicy({ ...root, Condition: { StringEquals: { 'kms:Colour': 'blue' } } });
    const error = await rejectionOf(send(fx, bad));
    expect(error.name).toBe('MalformedPolicyDocumentException');
    expect(error.message).toBe('The policy is malformed: Statement[0].Condition.StringEquals."kms:Colour": unknown condition key kms:Colour.');
  });

  test('GetKeyPolicy returns exactly the text put, whitespace and key order included', async () => {
    const fx = new AuthzFixture();
    const keyArn = await fx.key();
    const text = `{\n  "Statement" : [ { "Resource":"*", "Action":"kms:*", "Effect":"Allow", "Principal":{"AWS":"${ACCOUNT}"} } ],\n  "Version": "2012-10-17"\n}\n`;
    await fx.client('root').send(new PutKeyPolicyCommand({ KeyId: keyArn, Policy: text }));
    expect((await fx.client('root').send(new GetKeyPolicyCommand({ KeyId: keyArn }))).Policy).toBe(text);
    const created = await fx.client('root').send(new CreateKeyCommand({ Policy: text }));
    expect((await fx.client('root').send(new GetKeyPolicyCommand({ KeyId: created.KeyMetadata?.Arn }))).Policy).toBe(text);
  });

  test('a new policy must leave the caller able to put the policy again, unless the check is bypassed', async () => {
    const fx = new AuthzFixture();
    const keyArn = await fx.key();
    const lockout = keyPolicy({ Effect: 'Allow', Principal: { AWS: PRINCIPALS.app.arn }, Action: 'kms:Encrypt', Resource: '*' });
    const refused = await rejectionOf(fx.client('root').send(new PutKeyPolicyCommand({ KeyId: keyArn, Policy: lockout })));
    expect([refused.name, refused.message]).toEqual([
      'MalformedPolicyDocumentException',
      'The new key policy will not allow you to update the key policy in the future.',
    ]);
    const createRefused = await rejectionOf(fx.client('admin').send(new CreateKeyCommand({ Policy: lockout })));
    expect(createRefused.name).toBe('MalformedPolicyDocumentException');
    await fx.client('root').send(new PutKeyPolicyCommand({ KeyId: keyArn, Policy: lockout, BypassPolicyLockoutSafetyCheck: true }));
    // The root is now locked out of the key.
    expect((await fx.attempt('root', 'GetKeyPolicy', keyArn)).name).toBe('AccessDeniedException');
    expect((await fx.attempt('app', 'Encrypt', keyArn)).result).toBe('allowed');
  });

  test('a policy put governs the very next request', async () => {
    const fx = new AuthzFixture();
    const keyArn = await fx.key();
    expect((await fx.attempt('noiam', 'Encrypt', keyArn)).name).toBe('AccessDeniedException');
    const Policy = keyPolicy(root, { Effect: 'Allow', Principal: { AWS: PRINCIPALS.noiam.arn }, Action: 'kms:Encrypt', Resource: '*' });
    await fx.client('root').send(new PutKeyPolicyCommand({ KeyId: keyArn, Policy }));
    expect((await fx.attempt('noiam', 'Encrypt', keyArn)).result).toBe('allowed');
  });

  test('a malformed key seed or principal policy stops the model, naming which', () => {
    expect(() => new KmsModel({ keys: [{ region: REGION, policy: '{"Statement": []}' }] })).toThrow(
      'KmsModel: keys[0]: The policy is malformed: the policy must contain at least one Statement.',
    );
    expect(
      () => new KmsModel({ principals: [{ arn: PRINCIPALS.app.arn, policies: [{ Statement: { Effect: 'Allow', Action: 'kms:*', Resource: '*', Condition: { Nul: { 'kms:ViaService': true } } } }] }] }),
    ).toThrow('KmsModel: principals[0]: policies[0]: The policy is malformed: Statement[0].Condition.Nul: unknown condition operator Nul.');
    expect(() => new KmsModel({ principals: [{ arn: 'bob' }] })).toThrow('KmsModel: principals[0]: The security token included in the request is invalid');
  });

  test('putPrincipal replaces a principal\'s policies at run time; a bad one leaves them as they were', async () => {
    const fx = new AuthzFixture();
    const keyArn = await fx.key();
    expect((await fx.attempt('noiam', 'Encrypt', keyArn)).name).toBe('AccessDeniedException');
    fx.kms.putPrincipal({ arn: PRINCIPALS.noiam.arn, policies: ['{"Statement": {"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*"}}'] });
    expect((await fx.attempt('noiam', 'Encrypt', keyArn)).result).toBe('allowed');
    expect(() => fx.kms.putPrincipal({ arn: PRINCIPALS.noiam.arn, policies: ['{'] })).toThrow('policies[0]: The policy is malformed');
    expect((await fx.attempt('noiam', 'Encrypt', keyArn)).result).toBe('allowed');
  });

  test('a context principal that is no IAM ARN is UnrecognizedClientException; a non-string one a ValidationException', () => {
    const kms = new KmsModel();
    expect(() => kms.callSync('ListKeys', {}, { region: REGION, principal: 'bob' })).toThrow(
      expect.objectContaining({ name: 'UnrecognizedClientException' }),
    );
    expect(() => kms.callSync('ListKeys', {}, { region: REGION, principal: 7 as never })).toThrow(expect.objectContaining({ name: 'ValidationException' }));
  });
});
