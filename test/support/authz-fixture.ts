/**
 * The cast of the authorization tests: two accounts, principals with and without IAM policies, one real `KMSClient`
 * per principal (its own access key id, mapped to the principal by `principalForAccessKey`), and a runner that makes
 * one request as one principal on a fresh key and reports what KMS answered, with how many HTTP requests the SDK sent.
 */
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateRandomCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListKeysCommand,
  PutKeyPolicyCommand,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { KmsModel, type KmsModelOptions } from '../../src/kms/model.js';
import { createKmsRequestHandler } from '../../src/protocol/request-handler.js';
import type { PrincipalSeed } from '../../src/kms/principals.js';

export const ACCOUNT = '111122223333';
export const OTHER = '444455556666';
export const REGION = 'us-east-1';

const allow = (action: string | string[], resource: string | string[] = '*'): object => ({ Effect: 'Allow', Action: action, Resource: resource });
const iam = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** Principals by short name: ARN and IAM identity policies. */
export const PRINCIPALS = {
  root: { arn: `arn:aws:iam::${ACCOUNT}:root` },
  admin: { arn: `arn:aws:iam::${ACCOUNT}:role/admin`, policies: [iam(allow('kms:*'))] },
  noiam: { arn: `arn:aws:iam::${ACCOUNT}:role/noiam` },
  app: { arn: `arn:aws:iam::${ACCOUNT}:role/app` },
  ops: { arn: `arn:aws:iam::${ACCOUNT}:role/ops` },
  limited: { arn: `arn:aws:iam::${ACCOUNT}:role/limited`, policies: [iam(allow('kms:Encrypt', `arn:aws:kms:*:${ACCOUNT}:key/*`))] },
  denied: {
    arn: `arn:aws:iam::${ACCOUNT}:role/denied`,
    policies: [iam(allow('kms:*')), { Version: '2012-10-17', Statement: { Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' } }],
  },
  partner: { arn: `arn:aws:iam::${OTHER}:role/partner`, policies: [iam(allow(['kms:Encrypt', 'kms:Decrypt', 'kms:DisableKey']))] },
  stranger: { arn: `arn:aws:iam::${OTHER}:role/stranger` },
  otherRoot: { arn: `arn:aws:iam::${OTHER}:root` },
} satisfies Record<string, PrincipalSeed>;

export type Who = keyof typeof PRINCIPALS;

/** The operations the tables exercise. */
export type Op =
  | 'Encrypt'
  | 'Decrypt'
  | 'ReEncrypt'
  | 'GenerateDataKey'
  | 'DescribeKey'
  | 'DisableKey'
  | 'ScheduleKeyDeletion'
  | 'GetKeyPolicy'
  | 'GetKeyRotationStatus'
  | 'PutKeyPolicy'
  | 'CreateKey'
  | 'ListKeys'
  | 'GenerateRandom';

/** What KMS answered: success, or AccessDeniedException for one of its reasons, or another error by name. */
export type Expect = 'allowed' | 'no-resource' | 'no-identity' | 'deny-resource' | 'deny-identity' | 'cross-account';

export interface Outcome {
  readonly result: 'allowed' | 'error';
  readonly name?: string;
  readonly message?: string;
  /** HTTP requests the SDK sent for the call (3 attempts allowed). */
  readonly requests: number;
}

/** The model and a counting client per principal. */
export class AuthzFixture {
  readonly kms: KmsModel;
  readonly #clients = new Map<Who, KMSClient>();
  #requests = 0;

  /** `maxAttempts` of every client (default 3, the SDK's: a retried error shows as more than one request). */
  constructor(options: Pick<KmsModelOptions, 'chargeDenied' | 'quotas' | 'clock'> & { readonly maxAttempts?: number } = {}) {
    const { maxAttempts = 3, ...modelOptions } = options;
    this.kms = new KmsModel({ seed: 12, principals: Object.values(PRINCIPALS), ...modelOptions });
    const byKey = new Map(Object.entries(PRINCIPALS).map(([who, seed]) => [`AKID${who.toUpperCase()}`, seed.arn]));
    const handler = createKmsRequestHandler(this.kms, { principalForAccessKey: (akid) => byKey.get(akid) });
    const counting = Object.create(handler) as typeof handler;
    counting.handle = (request, options) => {
      this.#requests++;
      return handler.handle(request, options);
    };
    for (const who of Object.keys(PRINCIPALS) as Who[]) {
      this.#clients.set(
        who,
        new KMSClient({
          region: REGION,
          credentials: { accessKeyId: `AKID${who.toUpperCase()}`, secretAccessKey: 'secret' },
          requestHandler: counting,
          maxAttempts,
        }),
      );
    }
  }

  client(who: Who): KMSClient {
    return this.#clients.get(who) as KMSClient;
  }

  /** A key of ACCOUNT with `policy` (default policy when undefined), made by the account root, lockout check bypassed. */
  async key(policy?: string): Promise<string> {
    const input = policy === undefined ? {} : { Policy: policy, BypassPolicyLockoutSafetyCheck: true };
    return (await this.client('root').send(new CreateKeyCommand(input))).KeyMetadata?.Arn as string;
  }

  /** A ciphertext under `keyArn` with `context`, made as `as` (the model's API, so no SDK request is counted). */
  ciphertext(keyArn: string, context: Record<string, string> | undefined, as: Who): Uint8Array {
    const input = { KeyId: keyArn, Plaintext: Buffer.from('secret'), ...(context === undefined ? {} : { EncryptionContext: context }) };
    return this.kms.callSync('Encrypt', input, { region: REGION, principal: PRINCIPALS[as].arn }).CiphertextBlob as Uint8Array;
  }

  /** Makes one request as `who` and reports the answer. */
  async attempt(who: Who, op: Op, keyArn: string, extra: Record<string, unknown> = {}, encryptAs: Who = 'root'): Promise<Outcome> {
    const client = this.client(who);
    const context = extra.EncryptionContext as Record<string, string> | undefined;
    const blob = op === 'Decrypt' || op === 'ReEncrypt' ? this.ciphertext(keyArn, context, encryptAs) : undefined;
    const before = this.#requests;
    const commands: Record<Op, () => unknown> = {
      Encrypt: () => new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x'), ...extra }),
      Decrypt: () => new DecryptCommand({ CiphertextBlob: blob, ...extra }),
      ReEncrypt: () =>
        new ReEncryptCommand({ CiphertextBlob: blob, SourceEncryptionContext: context, DestinationKeyId: keyArn, DestinationEncryptionContext: context }),
      GenerateDataKey: () => new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256', ...extra }),
      DescribeKey: () => new DescribeKeyCommand({ KeyId: keyArn }),
      DisableKey: () => new DisableKeyCommand({ KeyId: keyArn }),
      ScheduleKeyDeletion: () => new ScheduleKeyDeletionCommand({ KeyId: keyArn, ...extra }),
      GetKeyPolicy: () => new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }),
      GetKeyRotationStatus: () => new GetKeyRotationStatusCommand({ KeyId: keyArn }),
      PutKeyPolicy: () => new PutKeyPolicyCommand({ KeyId: keyArn, Policy: JSON.stringify({ Statement: allowAll(ACCOUNT) }), ...extra }),
      CreateKey: () => new CreateKeyCommand({}),
      ListKeys: () => new ListKeysCommand({}),
      GenerateRandom: () => new GenerateRandomCommand({ NumberOfBytes: 16 }),
    };
    try {
      await client.send(commands[op]() as never);
      return { result: 'allowed', requests: this.#requests - before };
    } catch (error) {
      const { name, message } = error as Error;
      return { result: 'error', name, message, requests: this.#requests - before };
    }
  }
}

/** A statement letting an account's root do everything (the default policy's one statement). */
export function allowAll(accountId: string): object {
  return { Sid: 'root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' };
}

/** A key policy of the given statements. */
export function keyPolicy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** The IAM action a request of `op` is refused for. */
export function actionOf(op: Op): string {
  return op === 'ReEncrypt' ? 'kms:ReEncryptFrom' : `kms:${op}`;
}

/** The AccessDeniedException message KMS gives for `expect`. */
export function deniedMessage(who: Who, op: Op, resource: string, expect: Exclude<Expect, 'allowed'>): string {
  const action = actionOf(op);
  const head = `User: ${PRINCIPALS[who].arn} is not authorized to perform: ${action} on resource: ${resource}`;
  switch (expect) {
    case 'no-resource':
      return `${head} because no resource-based policy allows the ${action} action`;
    case 'no-identity':
      return `${head} because no identity-based policy allows the ${action} action`;
    case 'deny-resource':
      return `${head} with an explicit deny in a resource-based policy`;
    case 'deny-identity':
      return `${head} with an explicit deny in an identity-based policy`;
    case 'cross-account':
      return `${head} because ${op} cannot be used across accounts`;
  }
}
