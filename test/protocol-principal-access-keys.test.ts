/**
 * The SigV4 access key id names the calling principal (`principalForAccessKey`), over the in-process handler and the
 * HTTP server alike: the principal's account is the calling account unless `accountForAccessKey` names one, an
 * unmapped key is the account root, and a mapped principal's policies decide the request.
 */
import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KmsModel } from '../src/kms/model.js';
import { CallContextResolver } from '../src/protocol/call-context.js';
import { startKmsServer, type KmsServer } from '../src/protocol/index.js';
import { rejectionOf } from './support/errors.js';

const AUTH = (akid: string): string =>
  `AWS4-HMAC-SHA256 Credential=${akid}/20261204/eu-west-1/kms/aws4_request, SignedHeaders=host, Signature=00`;
const APP = 'arn:aws:iam::444455556666:role/app';

describe('access keys name principals', () => {
  test('the principal, and its account as the calling account', () => {
    const resolver = new CallContextResolver({ principalForAccessKey: (id) => (id === 'AKIDAPP' ? APP : undefined) });
    expect(resolver.resolve('kms.eu-west-1.amazonaws.com', AUTH('AKIDAPP'))).toEqual({ region: 'eu-west-1', accountId: '444455556666', principal: APP });
    expect(resolver.resolve('kms.eu-west-1.amazonaws.com', AUTH('AKIDOTHER'))).toEqual({ region: 'eu-west-1', accountId: undefined, principal: undefined });
  });

  test('an account mapping, when it names one, is the account', () => {
    const resolver = new CallContextResolver({ principalForAccessKey: () => APP, accountForAccessKey: () => '111122223333' });
    expect(resolver.resolve(undefined, AUTH('AKIDAPP'))).toMatchObject({ accountId: '111122223333', principal: APP });
  });

  test('a mapping that is not a function is refused', () => {
    expect(() => new CallContextResolver({ principalForAccessKey: 'app' as never })).toThrow('principalForAccessKey must be a function');
  });

  describe('over HTTP', () => {
    let server: KmsServer;
    let keyArn: string;
    beforeAll(async () => {
      const kms = new KmsModel({ principals: [{ arn: APP, policies: ['{"Statement":{"Effect":"Allow","Action":"kms:Encrypt","Resource":"*"}}'] }] });
      const created = await kms.call(
        'CreateKey',
        { Policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: ['111122223333', APP] }, Action: 'kms:*', Resource: '*' }] }) },
        { region: 'eu-west-1' },
      );
      keyArn = (created.KeyMetadata as { Arn: string }).Arn;
      server = await startKmsServer(kms, { principalForAccessKey: (id) => (id === 'AKIDAPP' ? APP : id === 'AKIDBAD' ? 'bob' : undefined) });
    });
    afterAll(async () => {
      await server.close();
    });
    const client = (accessKeyId: string): KMSClient =>
      new KMSClient({ region: 'eu-west-1', endpoint: server.url, credentials: { accessKeyId, secretAccessKey: 's' }, maxAttempts: 1 });

    test('the mapped principal calls across accounts as its key policy and IAM policy allow', async () => {
      expect((await client('AKIDAPP').send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') }))).KeyId).toBe(keyArn);
    });

    test('a mapping to something that is no principal is UnrecognizedClientException', async () => {
      const error = await rejectionOf(client('AKIDBAD').send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') })));
      expect(error.name).toBe('UnrecognizedClientException');
    });
  });
});
