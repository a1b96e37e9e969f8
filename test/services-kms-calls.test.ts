/**
 * Each service operation makes exactly the KMS calls the service makes (aws-kms-facts.md §6), on the caller's behalf:
 * the operation, the key, the service's encryption context, `kms:ViaService` and the caller's principal — and the
 * caller's account is the one charged.
 */
import { describe, expect, test } from 'vitest';
import { parameterArn, secretArn, type ServiceInput } from '../src/services/index.js';
import { ACCOUNT, KEY_ARN, REGION, ROLE, servicesFixture } from './support/services-fixture.js';

const SECRET_ARN = secretArn(REGION, ACCOUNT, 'db');
const STANDARD_ARN = parameterArn(REGION, ACCOUNT, '/app/std');
const ADVANCED_ARN = parameterArn(REGION, ACCOUNT, '/app/adv');
const SM = `secretsmanager.${REGION}.amazonaws.com`;
const SSM = `ssm.${REGION}.amazonaws.com`;

interface ExpectedCall {
  readonly operation: string;
  /** Fields of the input that must be exactly these. */
  readonly fields: Record<string, unknown>;
  readonly context: Record<string, string>;
  readonly viaService: string;
}

/** The facts table (§6) as rows: what one request of each operation costs in KMS calls. */
const CASES: readonly { readonly name: string; readonly op: string; readonly input: ServiceInput; readonly calls: readonly ExpectedCall[] }[] = [
  {
    name: 'GetSecretValue: one Decrypt of the current version',
    op: 'secretsmanager:GetSecretValue',
    input: { SecretId: 'db' },
    calls: [{ operation: 'Decrypt', fields: {}, context: { SecretARN: SECRET_ARN }, viaService: SM }],
  },
  { name: 'DescribeSecret: no KMS call', op: 'secretsmanager:DescribeSecret', input: { SecretId: 'db' }, calls: [] },
  {
    name: 'PutSecretValue: one GenerateDataKey (AES_256) for the new version',
    op: 'secretsmanager:PutSecretValue',
    input: { SecretId: 'db' },
    calls: [{ operation: 'GenerateDataKey', fields: { KeyId: KEY_ARN, KeySpec: 'AES_256' }, context: { SecretARN: SECRET_ARN }, viaService: SM }],
  },
  {
    name: 'CreateSecret: one GenerateDataKey (AES_256) for the new secret',
    op: 'secretsmanager:CreateSecret',
    input: { Name: 'db' },
    calls: [{ operation: 'GenerateDataKey', fields: { KeyId: KEY_ARN, KeySpec: 'AES_256' }, context: { SecretARN: secretArn(REGION, ACCOUNT, 'db-1') }, viaService: SM }],
  },
  {
    name: 'GetParameter with decryption, standard: one Decrypt of the value',
    op: 'ssm:GetParameter',
    input: { Name: '/app/std', WithDecryption: true },
    calls: [{ operation: 'Decrypt', fields: {}, context: { PARAMETER_ARN: STANDARD_ARN }, viaService: SSM }],
  },
  {
    name: 'GetParameter with decryption, advanced: one Decrypt of the data key',
    op: 'ssm:GetParameter',
    input: { Name: '/app/adv', WithDecryption: true },
    calls: [{ operation: 'Decrypt', fields: {}, context: { PARAMETER_ARN: ADVANCED_ARN }, viaService: SSM }],
  },
  { name: 'GetParameter without decryption: no KMS call', op: 'ssm:GetParameter', input: { Name: '/app/std', WithDecryption: false }, calls: [] },
  {
    name: 'PutParameter, standard: one Encrypt of the value',
    op: 'ssm:PutParameter',
    input: { Name: '/app/std' },
    calls: [{ operation: 'Encrypt', fields: { KeyId: KEY_ARN }, context: { PARAMETER_ARN: STANDARD_ARN }, viaService: SSM }],
  },
  {
    name: 'PutParameter, advanced: one GenerateDataKey (envelope)',
    op: 'ssm:PutParameter',
    input: { Name: '/app/adv' },
    calls: [{ operation: 'GenerateDataKey', fields: { KeyId: KEY_ARN, KeySpec: 'AES_256' }, context: { PARAMETER_ARN: ADVANCED_ARN }, viaService: SSM }],
  },
];

describe('the KMS calls each service operation makes', () => {
  test.each(CASES)('$name', ({ op, input, calls }) => {
    const fixture = servicesFixture();
    const outcome = fixture.world.attempt(op, input, fixture.caller());
    expect(outcome.ok).toBe(true);
    expect(fixture.calls.map((c) => c.operation)).toEqual(calls.map((c) => c.operation));
    fixture.calls.forEach((call, i) => {
      const expected = calls[i] as ExpectedCall;
      expect(call.outcome).toBe('admitted');
      for (const [field, value] of Object.entries(expected.fields)) expect(call.input[field]).toEqual(value);
      expect(call.input['EncryptionContext']).toMatchObject(expected.context);
      expect(call.context).toEqual({ region: REGION, principal: ROLE, viaService: expected.viaService });
    });
  });

  test("Secrets Manager's context names the version: the current one on reads, a new one on writes", () => {
    const fixture = servicesFixture();
    const caller = fixture.caller();
    const read = fixture.world.attempt('secretsmanager:GetSecretValue', { SecretId: 'db' }, caller);
    const write = fixture.world.attempt('secretsmanager:PutSecretValue', { SecretId: 'db' }, caller);
    const reread = fixture.world.attempt('secretsmanager:GetSecretValue', { SecretId: SECRET_ARN }, caller);
    const versions = fixture.calls.map((c) => (c.input['EncryptionContext'] as Record<string, string>)['SecretVersionId']);
    expect(read.ok && write.ok && reread.ok).toBe(true);
    expect(read.ok && versions[0]).toBe(read.ok ? read.output['VersionId'] : '');
    expect(versions[1]).toBe(write.ok ? write.output['VersionId'] : '');
    // The new version is current from then on, and its data key (made by the measured model) decrypts.
    expect(versions[2]).toBe(versions[1]);
    expect(versions[1]).not.toBe(versions[0]);
  });

  test("the caller's account is charged, not the resource owner's", () => {
    const other = '444455556666';
    const role = `arn:aws:iam::${other}:role/reader`;
    const fixture = servicesFixture({
      principals: [{ arn: role, policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }] }],
      keyPolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`, `arn:aws:iam::${other}:root`] }, Action: 'kms:*', Resource: '*' }],
      }),
    });
    const outcome = fixture.world.attempt('secretsmanager:GetSecretValue', { SecretId: 'db' }, fixture.caller({ principal: role }));
    expect(outcome.ok).toBe(true);
    expect(fixture.model.quotaState().map((slot) => [slot.accountId, slot.admitted])).toEqual([[other, 1]]);
    expect(fixture.world.counts().kmsCalls.map((row) => [row.accountId, row.principal, row.source])).toEqual([[other, role, 'secretsmanager']]);
  });

  test('a key policy that allows Decrypt only via Secrets Manager lets the service read and refuses the caller directly', () => {
    const keyPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:DescribeKey', Resource: '*' },
        {
          Sid: 'via-sm',
          Effect: 'Allow',
          Principal: { AWS: ROLE },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:ViaService': SM } },
        },
      ],
    });
    const fixture = servicesFixture({ keyPolicy });
    const caller = fixture.caller();
    expect(fixture.world.attempt('secretsmanager:GetSecretValue', { SecretId: 'db' }, caller).ok).toBe(true);
    const ssm = fixture.world.attempt('ssm:GetParameter', { Name: '/app/std', WithDecryption: true }, caller);
    expect(ssm.ok).toBe(false);
    expect(ssm.ok ? undefined : [ssm.error.name, ssm.error.cause, ssm.error.kmsErrorName]).toEqual(['AccessDeniedException', 'kms-access-denied', 'AccessDeniedException']);
    const blob = fixture.calls[0]?.input['CiphertextBlob'];
    expect(() => fixture.model.callSync('Decrypt', { CiphertextBlob: blob, EncryptionContext: fixture.calls[0]?.input['EncryptionContext'] }, { region: REGION, principal: ROLE })).toThrow(
      /not authorized to perform: kms:Decrypt/,
    );
    const denied = fixture.world.counts().requests.find((r) => r.service === 'ssm');
    expect(denied?.denied).toBe(1);
  });

  test('a disabled key makes GetParameter fail for good (InvalidKeyId, not retried), not with a retryable 500', () => {
    const fixture = servicesFixture();
    fixture.model.callSync('DisableKey', { KeyId: KEY_ARN }, { region: REGION, principal: ROLE });
    const ssm = fixture.world.attempt('ssm:GetParameter', { Name: '/app/std', WithDecryption: true }, fixture.caller());
    expect(ssm.ok ? undefined : [ssm.error.name, ssm.error.httpStatus, ssm.error.retry, ssm.error.kmsErrorName]).toEqual(['InvalidKeyId', 400, 'fatal', 'DisabledException']);
  });
});
