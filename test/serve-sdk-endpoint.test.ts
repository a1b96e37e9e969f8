/**
 * The real `@aws-sdk/client-kms` over HTTP against `kms-bench serve` in a child process: a round trip, throttles the
 * SDK classifies and retries as throttling, KMS's wire headers, and `/metrics` parsed as Prometheus text holding the
 * counts the test made.
 */
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { isThrottlingError } from '@smithy/core/retry';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, test } from 'vitest';
import { serveProcesses } from './support/serve-process.js';

const start = serveProcesses();
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' };

function client(url: string, config: { maxAttempts?: number } = {}): KMSClient {
  return new KMSClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: config.maxAttempts ?? 1 });
}

function sample(text: string, name: string, labels: Record<string, string>): number {
  const family = parsePrometheusTextFormat(text).find((f) => f.name === name);
  const matching = (family?.metrics ?? []).filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return matching.reduce((sum, m) => sum + Number(m.value ?? m.count ?? 0), 0);
}

describe('kms-bench serve with the real SDK', () => {
  test('encrypts and decrypts through the alias of the default key', async () => {
    const serve = await start([]);
    const kms = client(serve.url);
    const plaintext = new TextEncoder().encode('hello serve');
    const encrypted = await kms.send(new EncryptCommand({ KeyId: 'alias/kms-bench', Plaintext: plaintext, EncryptionContext: { app: 'test' } }));
    expect(encrypted.KeyId).toMatch(/^arn:aws:kms:us-east-1:111122223333:key\//);
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { app: 'test' } }));
    expect(new TextDecoder().decode(decrypted.Plaintext)).toBe('hello serve');
    expect(decrypted.KeyId).toBe(encrypted.KeyId);
    kms.destroy();
    expect((await serve.stop()).code).toBe(0);
  });

  test('a quota of 3/s throttles the rest of a volley as ThrottlingException, and /metrics counts both', async () => {
    const serve = await start(['--set', 'quotas.overrides.us-east-1.symmetric=3']);
    const kms = client(serve.url);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, () => kms.send(new EncryptCommand({ KeyId: 'alias/kms-bench', Plaintext: new Uint8Array([1]) }))),
    );
    const rejected = outcomes
      .filter((o): o is PromiseRejectedResult => o.status === 'rejected')
      .map((o) => o.reason as Error & { $metadata: { httpStatusCode?: number } });
    const fulfilled = outcomes.length - rejected.length;
    // A volley may straddle a window boundary: at least 3 admitted, never all.
    expect(fulfilled).toBeGreaterThanOrEqual(3);
    expect(rejected.length).toBeGreaterThan(0);
    for (const error of rejected) {
      expect(error.name).toBe('ThrottlingException');
      expect(error.$metadata?.httpStatusCode).toBe(400);
      // The classifier the SDK's retry strategies use.
      expect(isThrottlingError(error as Parameters<typeof isThrottlingError>[0])).toBe(true);
    }
    const metrics = await (await fetch(`${serve.url}/metrics`)).text();
    const who = { operation: 'Encrypt', bucket: 'symmetric', region: 'us-east-1', account: '111122223333', principal: 'arn:aws:iam::111122223333:root' };
    expect(sample(metrics, 'kmsbench_requests_total', { ...who, code: 'OK' })).toBe(fulfilled);
    expect(sample(metrics, 'kmsbench_requests_total', { ...who, code: 'ThrottlingException' })).toBe(rejected.length);
    expect(sample(metrics, 'kmsbench_throttled_total', who)).toBe(rejected.length);
    expect(sample(metrics, 'kmsbench_denied_total', who)).toBe(0);
    expect(sample(metrics, 'kmsbench_quota_requests_total', { bucket: 'symmetric', decision: 'admitted' })).toBe(fulfilled);
    expect(sample(metrics, 'kmsbench_quota_requests_total', { bucket: 'symmetric', decision: 'throttled' })).toBe(rejected.length);
    // parse-prometheus-text-format drops a histogram's labels: read the count line itself.
    expect(metrics).toMatch(/^kmsbench_request_duration_seconds_count\{operation="Encrypt",bucket="symmetric",region="us-east-1"\} 12$/m);
    kms.destroy();
    expect((await serve.stop('SIGINT')).code).toBe(0);
  });

  test("the SDK's standard retry strategy retries a throttle and succeeds in a later window", async () => {
    const serve = await start(['--set', 'quotas.overrides.us-east-1.symmetric=1']);
    const kms = client(serve.url, { maxAttempts: 10 });
    const results = await Promise.all(
      Array.from({ length: 3 }, () => kms.send(new EncryptCommand({ KeyId: 'alias/kms-bench', Plaintext: new Uint8Array([2]) }))),
    );
    const attempts = results.map((r) => r.$metadata.attempts ?? 1);
    // One admitted per second: the other two had to be retried after a throttle.
    expect(Math.max(...attempts)).toBeGreaterThan(1);
    const metrics = await (await fetch(`${serve.url}/metrics`)).text();
    expect(sample(metrics, 'kmsbench_throttled_total', { operation: 'Encrypt' })).toBe(attempts.reduce((a, b) => a + b, 0) - 3);
    kms.destroy();
    await serve.stop();
  });

  test('answers carry KMS wire headers; a throttle names itself in the body and x-amzn-errortype', async () => {
    // A fault rule throttling every GenerateRandom: the same error path as a quota's throttle, without a window race.
    const serve = await start(['--set', 'faults=[{ operations: [GenerateRandom], throttlePerSec: 0 }]']);
    const post = (body: object) =>
      fetch(serve.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.GenerateRandom' },
        body: JSON.stringify(body),
      });
    const throttled = await post({ NumberOfBytes: 8 });
    expect(throttled.status).toBe(400);
    expect(throttled.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(throttled.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(throttled.headers.get('x-amzn-errortype')).toBe('ThrottlingException');
    expect(throttled.headers.get('retry-after')).toBeNull();
    expect(await throttled.json()).toEqual({
      __type: 'ThrottlingException',
      message: 'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.',
    });
    const ok = await fetch(serve.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys' },
      body: '{}',
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(ok.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await ok.json()) as { Keys: unknown[] }).Keys).toHaveLength(1);
    const health = await fetch(`${serve.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', keys: 1, state: 'memory' });
    await serve.stop();
  });
});
