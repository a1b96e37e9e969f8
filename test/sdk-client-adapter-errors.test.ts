/**
 * The sdk client adapter (`createSdkClient`, src/client/sdk-client.ts) with scripted KMS errors: what it reports for
 * a request (ok, attempts, error name) and when it retries.
 *
 * aws-sdk-client-mock replaces `KMSClient.prototype.send`, so the SDK's middleware (serializer, signer, its retry
 * strategy) and the model's request handler never run here: these tests hold the adapter's own logic, not the SDK's
 * retries (quota-sdk-throttling.test.ts and virtual-sdk-retry.test.ts run the real SDK against the model). With a
 * harness policy the adapter retries itself, classifying each error by name; with `standard`/`adaptive` the SDK retries
 * inside `send()` and the adapter reports what the final response or error says in `$metadata.attempts`.
 */
import {
  DecryptCommand,
  KMSClient,
  KMSInternalException,
  KMSServiceException,
  NotFoundException,
  type DecryptCommandOutput,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { ManualClock } from '../src/base/time.js';
import type { SendResult } from '../src/client/bench-client.js';
import { createRetryPolicy } from '../src/client/retry-policy.js';
import { createSdkClient, type SdkRetry } from '../src/client/sdk-client.js';
import { KmsModel } from '../src/kms/model.js';

const kmsMock = mockClient(KMSClient);
beforeEach(() => kmsMock.reset());
afterAll(() => kmsMock.restore());

/** The model is only wired into the (bypassed) request handler; no key is ever resolved. */
const MODEL = new KmsModel({ seed: 1 });
const REQUEST = { operation: 'Decrypt', input: { CiphertextBlob: new Uint8Array([1, 2, 3]) }, bucket: 'symmetric' } as const;
const PLAINTEXT = new Uint8Array([7, 7, 7]);
/** Constant backoff: every retry sleeps exactly this long on the clock. */
const BACKOFF_MS = 50;
const MAX_ATTEMPTS = 4;

const decrypted = (attempts?: number): DecryptCommandOutput => ({
  Plaintext: PLAINTEXT,
  KeyId: 'arn:aws:kms:us-east-1:111122223333:key/k',
  $metadata: attempts === undefined ? {} : { attempts },
});

/** KMS's throttle as the SDK deserializes it: no modelled class, a service exception named by `__type`. */
function throttle(attempts?: number): KMSServiceException {
  return new KMSServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    message: 'Rate exceeded',
    $metadata: { httpStatusCode: 400, ...(attempts === undefined ? {} : { attempts }) },
  });
}

const internal = (): KMSInternalException => new KMSInternalException({ message: 'internal', $metadata: { httpStatusCode: 500 } });
const notFound = (): NotFoundException => new NotFoundException({ message: 'Key does not exist', $metadata: { httpStatusCode: 400 } });

/** Sends the request once through a fresh adapter on a manual clock; returns the result and how long it slept. */
async function send(retry: SdkRetry | 'harness'): Promise<{ result: SendResult; sleptMs: number }> {
  const clock = new ManualClock();
  const client = createSdkClient({
    model: MODEL,
    region: 'us-east-1',
    clock,
    retry:
      retry === 'harness'
        ? { mode: 'harness', policy: createRetryPolicy({ policy: 'constant', baseMs: BACKOFF_MS, maxAttempts: MAX_ATTEMPTS }, () => 0) }
        : retry,
  });
  try {
    const result = await client.send(REQUEST, () => undefined);
    return { result, sleptMs: clock.nowNs() / 1_000_000 };
  } finally {
    client.destroy();
  }
}

describe('harness retry policy: the adapter retries and classifies errors itself', () => {
  test('a KMSInternalException is retried as transient; the success after it is the result, on attempt 2', async () => {
    kmsMock.on(DecryptCommand).rejectsOnce(internal()).resolves(decrypted());
    const { result, sleptMs } = await send('harness');
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(result.output?.['Plaintext']).toEqual(PLAINTEXT);
    expect(sleptMs).toBe(BACKOFF_MS);
    expect(kmsMock.commandCalls(DecryptCommand)).toHaveLength(2);
  });

  test('a NotFoundException is final: one attempt, no backoff, reported by its KMS name', async () => {
    kmsMock.on(DecryptCommand).rejectsOnce(notFound()).resolves(decrypted());
    const { result, sleptMs } = await send('harness');
    expect(result).toEqual({ ok: false, errorName: 'NotFoundException', attempts: 1 });
    expect(sleptMs).toBe(0);
    expect(kmsMock.commandCalls(DecryptCommand)).toHaveLength(1);
  });

  test('a throttle storm uses every attempt, then fails as ThrottlingException', async () => {
    kmsMock.on(DecryptCommand).rejects(throttle());
    const { result, sleptMs } = await send('harness');
    expect(result).toEqual({ ok: false, errorName: 'ThrottlingException', attempts: MAX_ATTEMPTS });
    expect(sleptMs).toBe((MAX_ATTEMPTS - 1) * BACKOFF_MS);
    expect(kmsMock.commandCalls(DecryptCommand)).toHaveLength(MAX_ATTEMPTS);
  });

  test('a throttle that clears before the last attempt succeeds with the attempts it took', async () => {
    kmsMock.on(DecryptCommand).rejectsOnce(throttle()).rejectsOnce(throttle()).resolves(decrypted());
    const { result } = await send('harness');
    expect(result).toMatchObject({ ok: true, attempts: 3 });
  });
});

describe('SDK retry modes: the adapter reports what the SDK says after its own retries', () => {
  const standard: SdkRetry = { mode: 'standard', maxAttempts: 3 };

  test('the attempts of a success come from its $metadata', async () => {
    kmsMock.on(DecryptCommand).resolves(decrypted(2));
    const { result } = await send(standard);
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(result.output?.['Plaintext']).toEqual(PLAINTEXT);
  });

  test('an error the SDK gave up on is reported with its name and the attempts in its $metadata, never re-sent', async () => {
    kmsMock.on(DecryptCommand).rejects(throttle(3));
    const { result, sleptMs } = await send(standard);
    expect(result).toEqual({ ok: false, errorName: 'ThrottlingException', attempts: 3 });
    expect(sleptMs).toBe(0);
    expect(kmsMock.commandCalls(DecryptCommand)).toHaveLength(1);
  });

  test('an error without attempt metadata counts as one attempt', async () => {
    kmsMock.on(DecryptCommand).rejects(notFound());
    const { result } = await send({ mode: 'adaptive', maxAttempts: 3 });
    expect(result).toEqual({ ok: false, errorName: 'NotFoundException', attempts: 1 });
  });
});
