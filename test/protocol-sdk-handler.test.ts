import {
  CreateAliasCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisabledException,
  EncryptCommand,
  KMSClient,
  KMSServiceException,
  NotFoundException,
  type KMSClientConfig,
} from '@aws-sdk/client-kms';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { HttpHandler } from '@smithy/core/protocols';
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';
import { describe, expect, test, vi } from 'vitest';
import { KmsError, THROTTLING_MESSAGE, type KmsErrorName } from '../src/kms/errors.js';
import type { CallContext, KmsCallable, KmsInput, KmsOutput } from '../src/kms/types.js';
import { createKmsRequestHandler, INTERNAL_ERROR_MESSAGE, type KmsRequestHandlerOptions } from '../src/protocol/index.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' };

interface Call {
  readonly operation: string;
  readonly input: KmsInput;
  readonly context: CallContext;
}

/** A stand-in for the model: records calls and answers through `answer`. */
class FakeKms implements KmsCallable {
  readonly calls: Call[] = [];
  constructor(readonly answer: (operation: string, input: KmsInput) => KmsOutput | Promise<KmsOutput>) {}
  async call(operation: string, input: KmsInput, context: CallContext): Promise<KmsOutput> {
    this.calls.push({ operation, input, context });
    return this.answer(operation, input);
  }
}

const failWith = (name: KmsErrorName, message = `${name} from the fake`): FakeKms =>
  new FakeKms(() => {
    throw new KmsError(name, message);
  });

/** Retries like the SDK's standard mode but without back-off sleeps, and records how each error was classified. */
class RecordingRetryStrategy implements RetryStrategyV2 {
  readonly errorTypes: string[] = [];
  readonly #inner = new ConfiguredRetryStrategy(3, 0);
  acquireInitialRetryToken(scope: string): Promise<StandardRetryToken> {
    return this.#inner.acquireInitialRetryToken(scope);
  }
  refreshRetryTokenForRetry(token: StandardRetryToken, info: RetryErrorInfo): Promise<StandardRetryToken> {
    this.errorTypes.push(info.errorType);
    return this.#inner.refreshRetryTokenForRetry(token, info);
  }
  recordSuccess(token: StandardRetryToken): void {
    this.#inner.recordSuccess(token);
  }
}

function client(target: KmsCallable, config: Partial<KMSClientConfig> = {}, options?: KmsRequestHandlerOptions): KMSClient {
  return new KMSClient({
    region: 'eu-west-1',
    credentials,
    requestHandler: createKmsRequestHandler(target, options),
    ...config,
  });
}

async function rejection(promise: Promise<unknown>): Promise<KMSServiceException> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KMSServiceException) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Rewrites the serialised request before it is signed and sent, to put bad bytes on the wire. */
function tamper(kms: KMSClient, rewrite: (request: { headers: Record<string, string>; body: unknown }) => void): void {
  kms.middlewareStack.add(
    (next) => (args) => {
      rewrite(args.request as { headers: Record<string, string>; body: unknown });
      return next(args);
    },
    { step: 'build', name: 'tamperRequest' },
  );
}

describe('createKmsRequestHandler with a real KMSClient', () => {
  test('is an HttpHandler as the SDK types it', () => {
    const handler: HttpHandler = createKmsRequestHandler(new FakeKms(() => ({})));
    handler.updateHttpClientConfig('requestTimeout' as never, 5 as never);
    expect(handler.httpHandlerConfigs()).toEqual({ requestTimeout: 5 });
    handler.destroy?.();
  });

  test('Encrypt: blobs and the encryption context round-trip through the real serializer and deserializer', async () => {
    const fake = new FakeKms((_op, input) => ({
      CiphertextBlob: Uint8Array.from([...(input.Plaintext as Uint8Array)].reverse()),
      KeyId: 'arn:aws:kms:eu-west-1:111122223333:key/k',
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    }));
    const out = await client(fake).send(
      new EncryptCommand({ KeyId: 'alias/a', Plaintext: Uint8Array.from([1, 2, 3, 250]), EncryptionContext: { purpose: 'test' } }),
    );
    expect(fake.calls).toHaveLength(1);
    const call = fake.calls[0];
    expect(call?.operation).toBe('Encrypt');
    expect(call?.input.KeyId).toBe('alias/a');
    expect(call?.input.Plaintext).toBeInstanceOf(Uint8Array);
    expect([...(call?.input.Plaintext as Uint8Array)]).toEqual([1, 2, 3, 250]);
    expect(call?.input.EncryptionContext).toEqual({ purpose: 'test' });
    expect(out.CiphertextBlob).toBeInstanceOf(Uint8Array);
    expect([...(out.CiphertextBlob ?? [])]).toEqual([250, 3, 2, 1]);
    expect(out.KeyId).toBe('arn:aws:kms:eu-west-1:111122223333:key/k');
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('DescribeKey: dates come back as Date, with milliseconds', async () => {
    const created = new Date(Date.UTC(2024, 1, 29, 12, 30, 45, 678));
    const fake = new FakeKms(() => ({
      KeyMetadata: { KeyId: 'k', CreationDate: created, Enabled: true, KeyState: 'Enabled', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] },
    }));
    const out = await client(fake).send(new DescribeKeyCommand({ KeyId: 'k' }));
    expect(out.KeyMetadata?.CreationDate).toBeInstanceOf(Date);
    expect(out.KeyMetadata?.CreationDate?.getTime()).toBe(created.getTime());
    expect(out.KeyMetadata?.EncryptionAlgorithms).toEqual(['SYMMETRIC_DEFAULT']);
  });

  test('operations without output resolve with metadata only', async () => {
    const fake = new FakeKms(() => ({}));
    const out = await client(fake).send(new CreateAliasCommand({ AliasName: 'alias/x', TargetKeyId: 'k' }));
    expect(fake.calls[0]?.input).toEqual({ AliasName: 'alias/x', TargetKeyId: 'k' });
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  test.each([
    ['DisabledException', DisabledException],
    ['NotFoundException', NotFoundException],
  ] as const)('%s becomes the SDK class, not retried', async (name, ErrorClass) => {
    const fake = failWith(name, 'key is not usable');
    const error = await rejection(client(fake).send(new DescribeKeyCommand({ KeyId: 'k' })));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.name).toBe(name);
    expect(error.message).toBe('key is not usable');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.$metadata.attempts).toBe(1);
    expect(error.$fault).toBe('client');
    expect(fake.calls).toHaveLength(1);
  });

  test('ThrottlingException with maxAttempts 1: an unmodeled KMSServiceException named ThrottlingException, HTTP 400', async () => {
    const fake = failWith('ThrottlingException', THROTTLING_MESSAGE);
    const error = await rejection(client(fake, { maxAttempts: 1 }).send(new DescribeKeyCommand({ KeyId: 'k' })));
    expect(error.name).toBe('ThrottlingException');
    expect(error.message).toBe(THROTTLING_MESSAGE);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.$metadata.attempts).toBe(1);
    expect(fake.calls).toHaveLength(1);
  });

  test('ThrottlingException is classified by the SDK as THROTTLING and retried to the standard 3 attempts', async () => {
    const fake = failWith('ThrottlingException', THROTTLING_MESSAGE);
    const retryStrategy = new RecordingRetryStrategy();
    const error = await rejection(client(fake, { retryStrategy }).send(new DescribeKeyCommand({ KeyId: 'k' })));
    expect(error.name).toBe('ThrottlingException');
    expect(error.$metadata.attempts).toBe(3);
    expect(retryStrategy.errorTypes).toEqual(['THROTTLING', 'THROTTLING', 'THROTTLING']);
    expect(fake.calls).toHaveLength(3);
  });

  test('ThrottlingException with the default standard retry mode: 3 attempts (back-off sleeps on fake timers)', async () => {
    const fake = failWith('ThrottlingException', THROTTLING_MESSAGE);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const sent = rejection(client(fake).send(new DescribeKeyCommand({ KeyId: 'k' })));
      await vi.runAllTimersAsync();
      const error = await sent;
      expect(error.name).toBe('ThrottlingException');
      expect(error.$metadata.attempts).toBe(3);
      expect(fake.calls).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  test('a throttle followed by success: the retried call succeeds on attempt 2', async () => {
    let n = 0;
    const fake = new FakeKms(() => {
      n += 1;
      if (n === 1) throw new KmsError('ThrottlingException', THROTTLING_MESSAGE);
      return { KeyId: 'k', Plaintext: new Uint8Array([7]) };
    });
    const out = await client(fake, { retryStrategy: new RecordingRetryStrategy() }).send(
      new DecryptCommand({ CiphertextBlob: new Uint8Array([1]) }),
    );
    expect(out.$metadata.attempts).toBe(2);
    expect([...(out.Plaintext ?? [])]).toEqual([7]);
  });

  test('a non-KmsError from the target: 500 KMSInternalException, generic message, reported to onInternalError', async () => {
    const defect = new Error('secret detail at /home/model.ts:42');
    const fake = new FakeKms(() => {
      throw defect;
    });
    const reported: unknown[] = [];
    const kms = client(fake, { maxAttempts: 1 }, { onInternalError: (error, operation) => reported.push(error, operation) });
    const error = await rejection(kms.send(new DescribeKeyCommand({ KeyId: 'k' })));
    expect(error.name).toBe('KMSInternalException');
    expect(error.$metadata.httpStatusCode).toBe(500);
    expect(error.$fault).toBe('server');
    expect(error.message).toBe(INTERNAL_ERROR_MESSAGE);
    expect(JSON.stringify(error)).not.toContain('secret detail');
    expect(reported).toEqual([defect, 'DescribeKey']);
  });

  test('a 500 is retried by the SDK as a transient error', async () => {
    const fake = failWith('KMSInternalException', 'internal');
    const retryStrategy = new RecordingRetryStrategy();
    const error = await rejection(client(fake, { retryStrategy }).send(new DescribeKeyCommand({ KeyId: 'k' })));
    expect(error.$metadata.attempts).toBe(3);
    expect(retryStrategy.errorTypes).toEqual(['TRANSIENT', 'TRANSIENT', 'TRANSIENT']);
  });

  test('an output that does not fit the operation shape is a 500, reported as a defect', async () => {
    const fake = new FakeKms(() => ({ CiphertextBlob: 'not bytes' }));
    const reported: unknown[] = [];
    const kms = client(fake, { maxAttempts: 1 }, { onInternalError: (error) => reported.push(error) });
    const error = await rejection(kms.send(new EncryptCommand({ KeyId: 'k', Plaintext: new Uint8Array([1]) })));
    expect(error.name).toBe('KMSInternalException');
    expect(String(reported[0])).toMatch(/CiphertextBlob/);
  });

  test('the region comes from the hostname each client resolves', async () => {
    const fake = new FakeKms(() => ({}));
    const handler = createKmsRequestHandler(fake);
    const eu = new KMSClient({ region: 'eu-west-1', credentials, requestHandler: handler });
    const ap = new KMSClient({ region: 'ap-southeast-2', credentials, requestHandler: handler });
    const fips = new KMSClient({ region: 'us-gov-west-1', useFipsEndpoint: true, credentials, requestHandler: handler });
    await eu.send(new DescribeKeyCommand({ KeyId: 'k' }));
    await ap.send(new DescribeKeyCommand({ KeyId: 'k' }));
    await fips.send(new DescribeKeyCommand({ KeyId: 'k' }));
    expect(fake.calls.map((c) => c.context.region)).toEqual(['eu-west-1', 'ap-southeast-2', 'us-gov-west-1']);
  });

  test('a custom endpoint without a region in its host name: the region of the SigV4 scope', async () => {
    const fake = new FakeKms(() => ({}));
    await client(fake, { region: 'sa-east-1', endpoint: 'http://kms-model.internal:4000' }).send(
      new DescribeKeyCommand({ KeyId: 'k' }),
    );
    expect(fake.calls[0]?.context.region).toBe('sa-east-1');
  });

  test('the calling account comes from the access key id through accountForAccessKey', async () => {
    const fake = new FakeKms(() => ({}));
    const handler = createKmsRequestHandler(fake, {
      accountForAccessKey: (id) => ({ AKIDOTHERACCOUNT: '444455556666' })[id],
    });
    const own = new KMSClient({ region: 'eu-west-1', credentials, requestHandler: handler });
    const other = new KMSClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDOTHERACCOUNT', secretAccessKey: 'y' },
      requestHandler: handler,
    });
    await own.send(new DescribeKeyCommand({ KeyId: 'k' }));
    await other.send(new DescribeKeyCommand({ KeyId: 'k' }));
    expect(fake.calls.map((c) => c.context.accountId)).toEqual([undefined, '444455556666']);
  });

  test('without accountForAccessKey the account is left to the model', async () => {
    const fake = new FakeKms(() => ({}));
    await client(fake).send(new DescribeKeyCommand({ KeyId: 'k' }));
    expect(fake.calls[0]?.context).toEqual({ region: 'eu-west-1', accountId: undefined });
  });

  test('malformed JSON on the wire → SerializationException, the target is not called', async () => {
    const fake = new FakeKms(() => ({}));
    const kms = client(fake);
    tamper(kms, (request) => {
      request.body = '{"KeyId": "k"';
    });
    const error = await rejection(kms.send(new DescribeKeyCommand({ KeyId: 'k' })));
    expect(error.name).toBe('SerializationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(fake.calls).toHaveLength(0);
  });

  test('an unknown X-Amz-Target → UnknownOperationException', async () => {
    const fake = new FakeKms(() => ({}));
    const kms = client(fake);
    tamper(kms, (request) => {
      request.headers['x-amz-target'] = 'TrentService.Frobnicate';
    });
    const error = await rejection(kms.send(new DescribeKeyCommand({ KeyId: 'k' })));
    expect(error.name).toBe('UnknownOperationException');
    expect(fake.calls).toHaveLength(0);
  });

  test('a blob member holding a number → SerializationException (KMS fails the body while deserialising it)', async () => {
    const fake = new FakeKms(() => ({}));
    const kms = client(fake);
    tamper(kms, (request) => {
      request.body = '{"KeyId":"k","Plaintext":12345}';
    });
    const error = await rejection(kms.send(new EncryptCommand({ KeyId: 'k', Plaintext: new Uint8Array([1]) })));
    expect(error.name).toBe('SerializationException');
    expect(error.message).toContain('Plaintext');
    expect(fake.calls).toHaveLength(0);
  });

  test('an already-aborted signal rejects with AbortError and never reaches the target', async () => {
    const fake = new FakeKms(() => ({}));
    const controller = new AbortController();
    controller.abort();
    await expect(
      client(fake).send(new DescribeKeyCommand({ KeyId: 'k' }), { abortSignal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(fake.calls).toHaveLength(0);
  });

  test('aborting while the target works rejects with AbortError, without retries', async () => {
    const controller = new AbortController();
    const fake = new FakeKms(
      () =>
        new Promise<KmsOutput>((resolve) => {
          controller.abort();
          setImmediate(() => resolve({}));
        }),
    );
    await expect(
      client(fake).send(new DescribeKeyCommand({ KeyId: 'k' }), { abortSignal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(fake.calls).toHaveLength(1);
  });

  test('rejects a target without call()', () => {
    expect(() => createKmsRequestHandler({} as KmsCallable)).toThrow(/call/);
  });
});
