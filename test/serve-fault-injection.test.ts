/**
 * Fault injection: rules applied at their declared rate and only inside their window, on an injected clock with a
 * seeded stream (the same seed injects the same faults); throttles at a declared per-second rate; and, end to end,
 * the admin endpoint changing the rules of a running `serve` that the real SDK sees.
 */
import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, test } from 'vitest';
import type { CallContext } from '../src/kms/types.js';
import { parseFaultRules, type FaultRule } from '../src/scenario/faults.js';
import { FaultInjector } from '../src/serve/fault-injector.js';
import { serveRoutes } from '../src/serve/serve-routes.js';
import { serveProcesses } from './support/serve-process.js';

const start = serveProcesses();
const ctx: CallContext = { region: 'us-east-1' };

function rules(value: unknown): FaultRule[] {
  const parsed = parseFaultRules(value);
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.rules;
}

function injector(value: unknown, clock: { ms: number }, seed = 7): FaultInjector {
  return new FaultInjector(rules(value), { seed, nowMs: () => clock.ms, keyArnOf: (entry) => (entry === 'app' ? 'arn:app' : undefined) });
}

describe('FaultInjector', () => {
  test('an error at rate 0.2 hits 20% of matching requests (binomial bounds, n = 10,000) and no other operation', () => {
    const clock = { ms: 0 };
    const faults = injector([{ operations: ['Decrypt'], error: 'KMSInternalException', rate: 0.2 }], clock);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (faults.decide('Decrypt', ctx, () => undefined).error?.name === 'KMSInternalException') hits++;
    // Mean 2,000, sd 40: ±5 sd.
    expect(hits).toBeGreaterThan(1800);
    expect(hits).toBeLessThan(2200);
    expect(faults.decide('Encrypt', ctx, () => undefined)).toEqual({ error: undefined, delayMs: 0 });
  });

  test('the same seed injects the same faults in the same order', () => {
    const draw = (seed: number): boolean[] => {
      const faults = injector([{ error: 'DependencyTimeoutException', rate: 0.5 }], { ms: 0 }, seed);
      return Array.from({ length: 64 }, () => faults.decide('Encrypt', ctx, () => undefined).error !== undefined);
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
  });

  test('"from 60s to 120s, Decrypt throttles at 10/s": 10 admitted per second inside the window, none throttled outside', () => {
    const clock = { ms: 0 };
    const faults = injector([{ operations: ['Decrypt'], from: '60s', until: '120s', throttlePerSec: 10 }], clock);
    const throttledIn = (second: number, requests: number): number => {
      let throttled = 0;
      for (let i = 0; i < requests; i++) {
        clock.ms = second * 1000 + (i * 999) / requests;
        if (faults.decide('Decrypt', ctx, () => undefined).error?.name === 'ThrottlingException') throttled++;
      }
      return throttled;
    };
    expect(throttledIn(59, 50)).toBe(0);
    expect(throttledIn(60, 50)).toBe(40);
    expect(throttledIn(61, 25)).toBe(15);
    expect(throttledIn(119, 10)).toBe(0);
    expect(throttledIn(120, 50)).toBe(0);
  });

  test('latency adds up across rules; a key-limited rule matches only its key; setRules replaces every rule', () => {
    const clock = { ms: 0 };
    const faults = injector(
      [
        { latency: { distribution: 'constant', ms: 30 } },
        { keys: ['app'], latency: { distribution: 'constant', ms: 70 }, error: 'KeyUnavailableException' },
      ],
      clock,
    );
    expect(faults.decide('Encrypt', ctx, () => 'arn:other')).toEqual({ error: undefined, delayMs: 30 });
    const onKey = faults.decide('Encrypt', ctx, () => 'arn:app');
    expect(onKey.delayMs).toBe(100);
    expect(onKey.error?.name).toBe('KeyUnavailableException');
    expect(onKey.error).toMatchObject({ status: 500 });
    faults.setRules([]);
    expect(faults.decide('Encrypt', ctx, () => 'arn:app')).toEqual({ error: undefined, delayMs: 0 });
  });

  test('bad rules are refused with every problem and its path', () => {
    const parsed = parseFaultRules([{ operations: ['Encrpyt'], error: 'KMSInternalException' }, { rate: 0.5, throttlePerSec: 3 }, { until: '0s', error: 'ThrottlingException' }]);
    expect(parsed.ok).toBe(false);
    const problems = parsed.ok ? [] : parsed.problems;
    expect(problems.some((p) => p.startsWith('faults[0].operations[0]:'))).toBe(true);
    expect(problems).toContain('faults[1].rate: applies to error and latency; throttlePerSec is a rate of its own');
    expect(problems.some((p) => p.startsWith('faults[2].until:'))).toBe(true);
  });
});

describe('admin paths', () => {
  test('change the faults of a running endpoint, as the SDK sees them', async () => {
    const serve = await start([]);
    const kms = new KMSClient({ endpoint: serve.url, region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'x' }, maxAttempts: 1 });
    const encrypt = () => kms.send(new EncryptCommand({ KeyId: 'alias/kms-bench', Plaintext: Buffer.from('x') }));
    await encrypt();
    const put = await fetch(`${serve.url}/admin/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ operations: ['Encrypt'], error: 'KMSInternalException' }]),
    });
    expect(put.status).toBe(200);
    await expect(encrypt()).rejects.toMatchObject({ name: 'KMSInternalException', $metadata: { httpStatusCode: 500 } });
    const bad = await fetch(`${serve.url}/admin/faults`, { method: 'PUT', body: JSON.stringify({ faults: [{ error: 'Nope' }] }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: string[] }).problems[0]).toMatch(/^faults\[0\]\.error: /);
    // The refused list changed nothing.
    expect(await (await fetch(`${serve.url}/admin/faults`)).json()).toEqual({ faults: [{ operations: ['Encrypt'], error: 'KMSInternalException' }] });
    expect((await fetch(`${serve.url}/admin/faults`, { method: 'DELETE' })).status).toBe(200);
    await expect(encrypt()).resolves.toMatchObject({ KeyId: expect.stringMatching(/^arn:aws:kms:/) as unknown });
    const metrics = await (await fetch(`${serve.url}/metrics`)).text();
    expect(metrics).toMatch(/^kmsbench_faults_injected_total\{operation="Encrypt",code="KMSInternalException"\} 1$/m);
    kms.destroy();
    await serve.stop();
  });

  test('answer loopback callers only', () => {
    const faults = injector([], { ms: 0 });
    const routes = serveRoutes({ metrics: undefined as never, faults, health: () => ({}), draining: () => false, saveState: () => false });
    let status = 0;
    const res = { writeHead: (s: number) => (status = s), end: () => undefined };
    const remote = { url: '/admin/faults', method: 'DELETE', socket: { remoteAddress: '10.0.0.5' }, resume: () => undefined };
    expect(routes(remote as never, res as never)).toBe(true);
    expect(status).toBe(403);
    const local = { ...remote, socket: { remoteAddress: '::ffff:127.0.0.1' } };
    expect(routes(local as never, res as never)).toBe(true);
    expect(status).toBe(200);
    expect(routes({ ...local, url: '/' } as never, res as never)).toBe(false);
  });
});
