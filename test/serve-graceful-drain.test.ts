/**
 * SIGTERM and SIGINT stop `kms-bench serve` gracefully: no new connections, the request in flight is answered, the
 * state is written, exit 0.
 */
import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { serveProcesses } from './support/serve-process.js';
import { tempDirs } from './support/temp-dirs.js';

const start = serveProcesses();
const tempDir = tempDirs('kms-bench-serve-drain-');

/** Resolves once `/health` reports a request in flight (the server's own count: the event the test waits for). */
async function requestInFlight(url: string): Promise<void> {
  for (;;) {
    const health = (await (await fetch(`${url}/health`)).json()) as { inFlight: number };
    // The health request itself is in flight while it is answered: more than one means another request is.
    if (health.inFlight > 1) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('serve drains on a signal', () => {
  test.each(['SIGTERM', 'SIGINT'] as const)('%s: the request in flight completes, new connections are refused, exit 0', async (signal) => {
    const dir = await tempDir();
    // Every Encrypt waits 1.5 s inside the server: long enough to signal while it is in flight.
    const serve = await start(['--state', dir, '--set', 'faults=[{ operations: [Encrypt], latency: { distribution: constant, ms: 1500 } }]']);
    const kms = new KMSClient({ endpoint: serve.url, region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'x' }, maxAttempts: 1 });
    const inFlight = kms.send(new EncryptCommand({ KeyId: 'alias/kms-bench', Plaintext: Buffer.from('drain me') }));
    await requestInFlight(serve.url);
    serve.child.kill(signal);
    await expect.poll(() => serve.stderr()).toMatch(new RegExp(`${signal}: draining`));
    await expect(fetch(`${serve.url}/health`)).rejects.toThrow();
    const answered = await inFlight;
    expect(answered.CiphertextBlob?.byteLength).toBeGreaterThan(0);
    const exit = await serve.exited;
    expect(exit.code).toBe(0);
    expect(exit.stderr).toContain('kms-bench serve: stopped');
    const saved = JSON.parse(await readFile(join(dir, 'kms-state.json'), 'utf8')) as { model: { keys: unknown[] } };
    expect(saved.model.keys).toHaveLength(1);
    kms.destroy();
  });
});
