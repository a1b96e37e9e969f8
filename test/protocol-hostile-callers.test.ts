/**
 * The HTTP endpoint against callers that misbehave: thousands of made-up SigV4 regions, oversized and malformed
 * requests (raw sockets), wrong content types, bodies that never finish, more connections than allowed. Each gets a
 * KMS-style error of its own (a JSON `__type` body where the socket still allows one), the model's partitions and
 * quota slots stay bounded, and a legitimate client is served normally afterwards.
 */
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KmsModel } from '../src/kms/model.js';
import { startKmsServer, type KmsServer } from '../src/protocol/index.js';
import { TEST_CREDENTIALS } from './support/kms-sdk.js';

const JSON_11 = 'application/x-amz-json-1.1';
/**
 * The quota board's slots, and eight times as many made-up regions. Before regions were checked each one claimed a
 * slot; once the board was full (4,096 regions filled the default board) every request needing a new slot failed with
 * a 500, a legitimate client's first request in its own region included.
 */
const QUOTA_SLOTS = 256;
const FUZZ_REQUESTS = 2_048;
const TIMEOUT_MS = 400;

let kms: KmsModel;
/** Default limits: the made-up regions arrive pipelined and must not be cut off by a short time limit. */
let server: KmsServer;
/** Short time limits, for the tests of time limits. */
let strict: KmsServer;
const sockets = new Set<Socket>();
const clients: KMSClient[] = [];

beforeAll(async () => {
  kms = new KmsModel({
    seed: 3,
    quotas: { profile: 'kms-current', capacity: QUOTA_SLOTS },
    keys: [{ region: 'eu-west-1', aliases: ['alias/app'] }],
  });
  server = await startKmsServer(kms);
  strict = await startKmsServer(kms, { requestTimeoutMs: TIMEOUT_MS, headersTimeoutMs: TIMEOUT_MS });
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  for (const client of clients) client.destroy();
  await Promise.all([server?.close(), strict?.close()]);
});

function scope(region: string): string {
  return `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/${region}/kms/aws4_request, SignedHeaders=host, Signature=00`;
}

/** A raw socket to `port`, tracked so that afterAll destroys it whatever the test did. */
function rawSocket(port: number): Socket {
  const socket = connect(port, '127.0.0.1');
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  socket.on('error', () => undefined); // a reset shows as a close without data
  return socket;
}

interface RawAnswer {
  readonly status: number;
  readonly head: string;
  readonly json: Record<string, unknown> | undefined;
}

/** Sends `bytes` on a fresh socket (then half-closes it if asked) and collects everything until the server closes. */
function exchange(bytes: string, options: { halfClose?: boolean; port?: number } = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = rawSocket(options.port ?? server.port);
    const chunks: Buffer[] = [];
    socket.on('connect', () => {
      if (bytes !== '') socket.write(bytes, 'latin1');
      if (options.halfClose === true) socket.end();
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => socket.end());
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const head = split < 0 ? text : text.slice(0, split);
      const body = split < 0 ? '' : text.slice(split + 4);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, json: body === '' ? undefined : JSON.parse(body) });
    });
  });
}

function request(headers: Record<string, string>, body = '{}', extra = ''): string {
  const lines = Object.entries({ host: '127.0.0.1', 'content-length': String(Buffer.byteLength(body)), ...headers });
  return `POST / HTTP/1.1\r\n${lines.map(([name, value]) => `${name}: ${value}\r\n`).join('')}${extra}connection: close\r\n\r\n${body}`;
}

/**
 * Sends `requests` pipelined on one keep-alive socket (the last one asks to close) and returns everything the server
 * answered. Pipelining keeps the client's own cost out of the way: the server's work is what is measured here.
 */
function pipelined(requests: readonly string[]): Promise<string> {
  return new Promise((resolve) => {
    const socket = rawSocket(server.port);
    const chunks: Buffer[] = [];
    socket.on('connect', () => socket.write(requests.join('')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** A legitimate client does its work: Encrypt and Decrypt through the real SDK. */
async function legitimateRoundTrip(url = server.url): Promise<void> {
  const client = new KMSClient({ region: 'eu-west-1', endpoint: url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  clients.push(client);
  const encrypted = await client.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: Buffer.from('still served') }));
  const decrypted = await client.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
  expect(Buffer.from(decrypted.Plaintext ?? []).toString()).toBe('still served');
}

describe('made-up regions in the SigV4 scope', () => {
  test(`${FUZZ_REQUESTS} made-up regions are each refused; partitions and quota slots stay bounded`, async () => {
    await legitimateRoundTrip();
    const before = { usage: kms.usage(), slots: kms.quotaState().length };
    const SOCKETS = 8;
    const answers = await Promise.all(
      Array.from({ length: SOCKETS }, (_, s) => {
        const mine = Array.from({ length: FUZZ_REQUESTS / SOCKETS }, (_, k) => k * SOCKETS + s);
        return pipelined(
          mine.map((i, k) => {
            const headers = { host: '127.0.0.1', 'content-type': JSON_11, 'x-amz-target': 'TrentService.ListKeys', authorization: scope(`fuzz-${i}`) };
            const last = k === mine.length - 1 ? 'connection: close\r\n' : '';
            return `POST / HTTP/1.1\r\n${Object.entries(headers).map(([n, v]) => `${n}: ${v}\r\n`).join('')}content-length: 2\r\n${last}\r\n{}`;
          }),
        );
      }),
    );
    const text = answers.join('');
    expect(text.match(/HTTP\/1\.1 \d{3} /g)).toHaveLength(FUZZ_REQUESTS);
    expect(text.match(/HTTP\/1\.1 400 Bad Request\r\n/g)).toHaveLength(FUZZ_REQUESTS);
    expect(text.match(/"__type":"InvalidSignatureException"/g)).toHaveLength(FUZZ_REQUESTS);
    expect(text).toContain(`{"__type":"InvalidSignatureException","message":"Credential should be scoped to a valid region, not 'fuzz-7'."}`);
    expect(kms.usage()).toEqual(before.usage);
    expect(kms.quotaState()).toHaveLength(before.slots);
    await legitimateRoundTrip();
  });

  test.each([
    ['an empty', '', 'InvalidSignatureException', "Credential should be scoped to a valid region, not ''."],
    ['a 300-character', `eu-${'x'.repeat(296)}-1`, 'InvalidSignatureException', /^Credential should be scoped to a valid region, not 'eu-x{61}…'\.$/],
    ['a non-ASCII', 'eu-wést-1', 'InvalidSignatureException', "Credential should be scoped to a valid region, not 'eu-wést-1'."],
    ['a path as', '../..', 'IncompleteSignatureException', /^Credential must have exactly 5 slash-delimited elements/],
  ])('%s region is refused with a JSON error body', async (_label, region, name, message) => {
    const answer = await exchange(request({ 'content-type': JSON_11, 'x-amz-target': 'TrentService.ListKeys', authorization: scope(region) }));
    expect(answer.status).toBe(400);
    expect(answer.json?.__type).toBe(name);
    expect(answer.json?.message).toMatch(message);
    expect(kms.usage().partitions).toBe(1);
  });
});

describe('malformed HTTP (raw sockets)', () => {
  test.each([
    ['request headers over 16 KiB', `POST / HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'SerializationException'],
    ['a request line that is not HTTP', 'HELLO\r\n\r\n', 400, 'SerializationException'],
    ['a header name with a space', 'POST / HTTP/1.1\r\nhost: x\r\nbad header: 1\r\n\r\n', 400, 'SerializationException'],
    ['both Content-Length and chunked', 'POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\ntransfer-encoding: chunked\r\n\r\n{}', 400, 'SerializationException'],
    ['a broken chunk size', `POST / HTTP/1.1\r\nhost: x\r\ncontent-type: ${JSON_11}\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, 400, 'SerializationException'],
  ])('%s → %d with a JSON %s body, and the socket is closed', async (_label, bytes, status, name) => {
    const answer = await exchange(bytes);
    expect(answer.status).toBe(status);
    expect(answer.head).toMatch(new RegExp(`\r\nx-amzn-errortype: ${name}\r\n`));
    expect(answer.head).toContain(`\r\ncontent-type: ${JSON_11}\r\n`);
    expect(answer.json).toMatchObject({ __type: name, message: expect.any(String) });
  });

  test('a body cut short by the client closing its side → 400 SerializationException', async () => {
    const partial = request({ 'content-type': JSON_11, 'x-amz-target': 'TrentService.ListKeys', 'content-length': '100' }, '{"Li');
    const answer = await exchange(partial, { halfClose: true });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ __type: 'SerializationException', message: 'The connection was closed before the request was complete.' });
  });
});

describe('time limits', () => {
  const expected = {
    __type: 'RequestTimeoutException',
    message: `The request was not received in time (headers within ${TIMEOUT_MS} ms, the whole request within ${TIMEOUT_MS} ms).`,
  };

  test('a partial body that never finishes is cut off with 408 and the socket is closed', async () => {
    const partial = request({ 'content-type': JSON_11, 'x-amz-target': 'TrentService.ListKeys', 'content-length': '100' }, '{"Li');
    const answer = await exchange(partial, { port: strict.port });
    expect(answer.status).toBe(408);
    // `exchange` settles only when the server closes the socket: a socket left open fails the test by timing out.
    expect(answer.json).toEqual(expected);
  });

  test('headers that never finish, and a connection that never speaks, are closed too', async () => {
    const [slowHeaders, silent] = await Promise.all([
      exchange('POST / HTTP/1.1\r\nhost: x\r\n', { port: strict.port }),
      exchange('', { port: strict.port }),
    ]);
    expect([slowHeaders.status, silent.status]).toEqual([408, 408]);
    expect(slowHeaders.json).toEqual(expected);
    await legitimateRoundTrip(strict.url);
  });
});

describe('content types', () => {
  test.each([
    ['text/plain', 'Content-Type "text/plain" is not supported; KMS requests are application/x-amz-json-1.1.'],
    ['application/json', 'Content-Type "application/json" is not supported; KMS requests are application/x-amz-json-1.1.'],
    ['application/x-amz-json-1.0', 'Content-Type "application/x-amz-json-1.0" is not supported; KMS requests are application/x-amz-json-1.1.'],
    [undefined, 'Missing Content-Type; KMS requests are application/x-amz-json-1.1.'],
  ])('%s → 404 UnknownOperationException, as AWS JSON services answer', async (contentType, message) => {
    const headers: Record<string, string> = { 'x-amz-target': 'TrentService.ListAliases', authorization: scope('eu-west-1') };
    if (contentType !== undefined) headers['content-type'] = contentType;
    const answer = await exchange(request(headers));
    expect(answer.status).toBe(404);
    expect(answer.head).toContain('\r\nx-amzn-errortype: UnknownOperationException\r\n');
    expect(answer.json).toEqual({ __type: 'UnknownOperationException', message });
  });

  test.each([[`${JSON_11}; charset=utf-8`], ['Application/X-Amz-JSON-1.1']])('%s is KMS’s type: 200', async (contentType) => {
    const answer = await exchange(request({ 'content-type': contentType, 'x-amz-target': 'TrentService.ListAliases', authorization: scope('eu-west-1') }));
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ Aliases: [expect.objectContaining({ AliasName: 'alias/app' })], Truncated: false });
  });
});

describe('the connection cap', () => {
  test('connections past maxConnections are closed at once; held ones are served, and the server recovers', async () => {
    const capped = await startKmsServer(kms, { maxConnections: 2 });
    try {
      const held = [rawSocket(capped.port), rawSocket(capped.port)];
      await Promise.all(held.map((socket) => new Promise((resolve) => socket.once('connect', resolve))));
      const refused = await exchange(request({ 'content-type': JSON_11, 'x-amz-target': 'TrentService.ListKeys' }), { port: capped.port });
      expect(refused).toEqual({ status: 0, head: '', json: undefined });

      const served = await new Promise<string>((resolve) => {
        const socket = held[0] as Socket;
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
        socket.on('close', () => resolve(text));
        socket.write(request({ 'content-type': JSON_11, 'x-amz-target': 'TrentService.ListAliases', authorization: scope('eu-west-1') }));
      });
      expect(served).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      for (const socket of held) socket.destroy();
      await legitimateRoundTrip(capped.url);
    } finally {
      await capped.close();
    }
  });
});

describe('afterwards', () => {
  test('the model holds one account, one partition, one key and one quota slot', async () => {
    await legitimateRoundTrip();
    expect(kms.usage()).toEqual({ accounts: 1, partitions: 1, keys: 1 });
    expect(kms.quotaState().map((slot) => `${slot.region} ${slot.bucket}`)).toEqual(['eu-west-1 ListAliases', 'eu-west-1 symmetric']);
  });
});
