/**
 * `kms-bench serve` refuses what it cannot serve safely or at all before it listens (exit 2, the path or flag named):
 * a non-loopback host without --allow-remote, a bad scenario or fault rule, a bad port. Running, it refuses bodies
 * over the limit with 413.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { serveProcesses, serveUntilExit } from './support/serve-process.js';
import { tempDirs } from './support/temp-dirs.js';

const start = serveProcesses();
const tempDir = tempDirs('kms-bench-serve-input-');

describe('serve refuses bad input with exit 2', () => {
  test('a non-loopback host without --allow-remote', async () => {
    const exit = await serveUntilExit(['--host', '0.0.0.0']);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain('--host 0.0.0.0 is not a loopback address; add --allow-remote');
    expect(exit.stdout).not.toContain('listening');
  });

  test('--allow-remote listens beyond loopback and warns that signatures are not checked', async () => {
    const serve = await start(['--host', '0.0.0.0', '--allow-remote']);
    expect(serve.stdout()).toContain('WARNING: listening beyond loopback. Signatures are not checked');
    expect((await serve.stop()).code).toBe(0);
  });

  test.each([
    [['--port', '70000'], /--port must be a whole number from 0 to 65535, got 70000/],
    [['--port', 'abc'], /--port must be a whole number ≥ 0, got abc/],
    [['--quota-profile', 'kms-1999'], /Invalid values:[\s\S]*quota-profile/],
    [['--set', 'quotas.overrides.us-east-1.symmetric=-1'], /quotas\.overrides\.us-east-1\.symmetric: must be a positive number/],
    [['--set', 'faults=[{ operations: [Encrypt], error: KMSInternalException, rate: 2 }]'], /faults\[0\]\.rate: .*(≤|<=|too big|at most)/i],
    [['--set', 'faults=[{ operations: [Encrypt] }]'], /faults\[0\]: a fault rule needs at least one of error/],
    [['--set', 'faults=[{ from: 60s, until: 30s, error: KMSInternalException }]'], /faults\[0\]\.until: must be after from/],
    [['--set', 'faults=[{ keys: [nope], error: KeyUnavailableException }]'], /faults\[0\]\.keys\[0\]: "nope" is not a key of the scenario \(default\)/],
  ])('%j', async (args, message) => {
    const exit = await serveUntilExit(args);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(message);
  });

  test('a scenario file with bad fields: every problem with its path and line', async () => {
    const file = join(await tempDir(), 'serve.yaml');
    await writeFile(file, 'name: s\nkeys:\n  - { name: app, region: us-east-1, keySpec: AES_999 }\nfaults:\n  - { operations: [Encrypt], error: Boom }\n');
    const exit = await serveUntilExit([file]);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(/keys\[0\]\.keySpec/);
    expect(exit.stderr).toMatch(/faults\[0\]\.error/);
  });

  test('a scenario file written for serve needs no fleets or duration, and a run scenario works as is', async () => {
    const dir = await tempDir();
    const serveOnly = join(dir, 'serve.yaml');
    await writeFile(serveOnly, 'name: s\nkeys:\n  - { name: app, region: eu-west-1, aliases: [alias/app] }\n');
    const serve = await start([serveOnly]);
    expect(serve.stdout()).toContain('--region eu-west-1 --key-id alias/app');
    expect((await serve.stop()).code).toBe(0);
    const runScenario = await start([join(import.meta.dirname, '..', 'scenarios', 'default.yaml')]);
    expect((await runScenario.stop()).code).toBe(0);
  });
});

describe('serve refuses requests it will not read', () => {
  test('a body over --max-body-bytes gets 413 with a KMS-style error', async () => {
    const serve = await start(['--max-body-bytes', '1024']);
    const response = await fetch(serve.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Encrypt' },
      body: JSON.stringify({ KeyId: 'alias/kms-bench', Plaintext: Buffer.alloc(2048).toString('base64') }),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('x-amzn-errortype')).toBe('SerializationException');
    expect(await response.json()).toMatchObject({ __type: 'SerializationException', message: 'Request body exceeds 1024 bytes.' });
    await serve.stop();
  });
});
