import { DescribeKeyCommand, DisabledException, EncryptCommand, KMSClient, KMSServiceException } from '@aws-sdk/client-kms';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KmsError } from '../src/kms/errors.js';
import type { CallContext, KmsCallable, KmsInput, KmsOutput } from '../src/kms/types.js';
import { startKmsServer, type KmsServer } from '../src/protocol/index.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' };

class FakeKms implements KmsCallable {
  readonly calls: { operation: string; input: KmsInput; context: CallContext }[] = [];
  async call(operation: string, input: KmsInput, context: CallContext): Promise<KmsOutput> {
    this.calls.push({ operation, input, context });
    if (input.KeyId === 'disabled') throw new KmsError('DisabledException', 'key is disabled');
    if (input.KeyId === 'defect') throw new Error('model bug');
    if (operation === 'Encrypt') return { CiphertextBlob: input.Plaintext, KeyId: 'arn', EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    if (operation === 'DescribeKey') return { KeyMetadata: { KeyId: String(input.KeyId), CreationDate: new Date(1700000000250) } };
    return {};
  }
}

const fake = new FakeKms();
let server: KmsServer;
let small: KmsServer;

beforeAll(async () => {
  server = await startKmsServer(fake, { accountForAccessKey: (id) => (id === 'AKIDEXAMPLE' ? '111122223333' : undefined) });
  small = await startKmsServer(fake, { maxBodyBytes: 64 });
});

afterAll(async () => {
  await Promise.all([server?.close(), small?.close()]);
});

function kmsClient(region = 'eu-west-1'): KMSClient {
  return new KMSClient({ region, endpoint: server.url, credentials, maxAttempts: 1 });
}

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', ...headers },
    body,
  });
  return { status: res.status, json: await res.json(), headers: res.headers };
}

describe('startKmsServer', () => {
  test('listens on loopback with a free port', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  test('a real KMSClient round-trips blobs and dates over HTTP', async () => {
    const kms = kmsClient();
    const encrypted = await kms.send(new EncryptCommand({ KeyId: 'k', Plaintext: Uint8Array.from([5, 6, 7]) }));
    expect([...(encrypted.CiphertextBlob ?? [])]).toEqual([5, 6, 7]);
    expect(encrypted.$metadata.httpStatusCode).toBe(200);
    const described = await kms.send(new DescribeKeyCommand({ KeyId: 'k2' }));
    expect(described.KeyMetadata?.CreationDate?.getTime()).toBe(1700000000250);
    kms.destroy();
  });

  test('region from the SigV4 scope (the Host header is 127.0.0.1) and account from the access key', async () => {
    const kms = kmsClient('ap-northeast-1');
    fake.calls.length = 0;
    await kms.send(new DescribeKeyCommand({ KeyId: 'k' }));
    expect(fake.calls[0]?.context).toEqual({ region: 'ap-northeast-1', accountId: '111122223333' });
    kms.destroy();
  });

  test('region from a KMS Host header', async () => {
    fake.calls.length = 0;
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: '/',
          headers: {
            host: 'kms.eu-central-1.amazonaws.com',
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': 'TrentService.ListKeys',
          },
        },
        (res) => {
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(fake.calls[0]?.context.region).toBe('eu-central-1');
  });

  test('KMS errors keep their class over HTTP; defects are a generic 500', async () => {
    const kms = kmsClient();
    await expect(kms.send(new DescribeKeyCommand({ KeyId: 'disabled' }))).rejects.toBeInstanceOf(DisabledException);
    const error: unknown = await kms.send(new DescribeKeyCommand({ KeyId: 'defect' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KMSServiceException);
    expect((error as KMSServiceException).name).toBe('KMSInternalException');
    expect((error as KMSServiceException).$metadata.httpStatusCode).toBe(500);
    expect((error as Error).message).not.toContain('model bug');
    kms.destroy();
  });

  test('raw fetch with a malformed body → 400 SerializationException with __type, message and header', async () => {
    const res = await post(server.url, '{"KeyId":', { 'x-amz-target': 'TrentService.DescribeKey' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ __type: 'SerializationException', message: expect.any(String) });
    expect(res.headers.get('x-amzn-errortype')).toBe('SerializationException');
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
  });

  test('raw fetch without a target → UnknownOperationException', async () => {
    const res = await post(server.url, '{}');
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ __type: 'UnknownOperationException' });
  });

  test('raw fetch with a blob that is not base64 → SerializationException', async () => {
    const res = await post(server.url, '{"KeyId":"k","Plaintext":"%%%"}', { 'x-amz-target': 'TrentService.Encrypt' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ __type: 'SerializationException' });
  });

  test.each([
    ['GET /', 'GET', '/', 405],
    ['POST /other', 'POST', '/other', 404],
  ])('%s → %d with a JSON error body', async (_label, method, path, status) => {
    const res = await fetch(`${server.url}${path}`, { method, body: method === 'GET' ? undefined : '{}' });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });

  test('a body over the limit → 413, and the server keeps serving', async () => {
    const big = JSON.stringify({ KeyId: 'k', Description: 'x'.repeat(200) });
    const res = await post(small.url, big, { 'x-amz-target': 'TrentService.UpdateKeyDescription' });
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ __type: 'SerializationException' });

    const ok = await post(small.url, '{}', { 'x-amz-target': 'TrentService.ListKeys' });
    expect(ok.status).toBe(200);
  });

  test('a chunked body over the limit (no Content-Length) → 413', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: small.port,
          method: 'POST',
          path: '/',
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write('{"Limit": 1}                     ');
      req.end();
    });
    expect(status).toBe(413);
  });

  test('refuses a non-loopback host unless allowed, and validates options', async () => {
    await expect(startKmsServer(fake, { host: '0.0.0.0' })).rejects.toThrow(/allowNonLoopback/);
    await expect(startKmsServer(fake, { port: 70000 })).rejects.toThrow(/port/);
    await expect(startKmsServer(fake, { maxBodyBytes: 0 })).rejects.toThrow(/maxBodyBytes/);
    await expect(startKmsServer(fake, { requestTimeoutMs: 0 })).rejects.toThrow(/requestTimeoutMs/);
    await expect(startKmsServer(fake, { headersTimeoutMs: 2.5 })).rejects.toThrow(/headersTimeoutMs/);
    await expect(startKmsServer(fake, { headersTimeoutMs: 2000, requestTimeoutMs: 1000 })).rejects.toThrow(
      /headersTimeoutMs \(2000\) must not exceed requestTimeoutMs \(1000\)/,
    );
    await expect(startKmsServer(fake, { keepAliveTimeoutMs: -1 })).rejects.toThrow(/keepAliveTimeoutMs/);
    await expect(startKmsServer(fake, { maxConnections: 0 })).rejects.toThrow(/maxConnections/);
    await expect(startKmsServer(fake, { maxHeaderBytes: 100 })).rejects.toThrow(/maxHeaderBytes must be an integer from 1024/);
  });

  test('close() is idempotent and stops the server', async () => {
    const extra = await startKmsServer(fake);
    await Promise.all([extra.close(), extra.close()]);
    await expect(fetch(extra.url, { method: 'POST', body: '{}' })).rejects.toThrow();
  });
});
