/**
 * `kms-bench serve --state DIR`: keys, aliases, policies, tags, states and every backing-key version survive a
 * restart (a ciphertext made before a rotation and a restart decrypts after both); the file is mode 0600 with a
 * format version; a damaged file, an unknown version and a directory in use are refused with exit 2.
 */
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListResourceTagsCommand,
  RotateKeyOnDemandCommand,
  SignCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { serveProcesses, serveUntilExit } from './support/serve-process.js';
import { tempDirs } from './support/temp-dirs.js';

const start = serveProcesses();
const tempDir = tempDirs('kms-bench-serve-state-');
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' };
const client = (url: string): KMSClient => new KMSClient({ endpoint: url, region: 'eu-west-1', credentials, maxAttempts: 1 });
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }],
});

describe('serve --state', () => {
  test('keys, material of every rotation, aliases, policies, tags and states survive a restart', async () => {
    const dir = join(await tempDir(), 'state');
    const first = await start(['--state', dir, '--region', 'eu-west-1']);
    expect(first.stdout()).toContain('new, seeded from the scenario');
    let kms = client(first.url);
    const created = await kms.send(new CreateKeyCommand({ Description: 'app key', Policy: POLICY, Tags: [{ TagKey: 'team', TagValue: 'payments' }] }));
    const keyId = created.KeyMetadata?.KeyId as string;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: keyId }));
    const before = await kms.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: Buffer.from('before rotation') }));
    await kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
    const after = await kms.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: Buffer.from('after rotation') }));
    const signer = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
    const signerId = signer.KeyMetadata?.KeyId as string;
    const signature = await kms.send(new SignCommand({ KeyId: signerId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' }));
    const disabled = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.KeyId as string;
    await kms.send(new DisableKeyCommand({ KeyId: disabled }));
    const fromDefault = await kms.send(new EncryptCommand({ KeyId: 'alias/kms-bench', Plaintext: Buffer.from('seeded key') }));
    kms.destroy();
    const stopped = await first.stop();
    expect(stopped.code).toBe(0);

    const file = join(dir, 'kms-state.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const saved = JSON.parse(await readFile(file, 'utf8')) as { format: string; version: number; model: { keys: unknown[] } };
    expect(saved).toMatchObject({ format: 'kms-bench-state', version: 1 });
    expect(saved.model.keys).toHaveLength(4);

    const second = await start(['--state', dir, '--region', 'eu-west-1']);
    expect(second.stdout()).toContain(`${dir} (loaded;`);
    kms = client(second.url);
    for (const [blob, text] of [[before, 'before rotation'], [after, 'after rotation'], [fromDefault, 'seeded key']] as const) {
      const plain = await kms.send(new DecryptCommand({ CiphertextBlob: blob.CiphertextBlob }));
      expect(Buffer.from(plain.Plaintext as Uint8Array).toString()).toBe(text);
    }
    const described = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/app' }));
    expect(described.KeyMetadata).toMatchObject({ KeyId: keyId, Description: 'app key', CreationDate: created.KeyMetadata?.CreationDate });
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy).toBe(POLICY);
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags).toEqual([{ TagKey: 'team', TagValue: 'payments' }]);
    expect((await kms.send(new DescribeKeyCommand({ KeyId: disabled }))).KeyMetadata?.KeyState).toBe('Disabled');
    const verified = await kms.send(
      new VerifyCommand({ KeyId: signerId, Message: Buffer.from('m'), Signature: signature.Signature, SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    expect(verified.SignatureValid).toBe(true);
    // The next key id continues the sequence: no id (and no derived material) is issued twice.
    const next = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.KeyId as string;
    expect([keyId, signerId, disabled]).not.toContain(next);
    kms.destroy();
    expect((await second.stop('SIGINT')).code).toBe(0);
  });

  test('a second server on the same directory is refused while the first runs', async () => {
    const dir = await tempDir();
    const first = await start(['--state', dir]);
    const refused = await serveUntilExit(['--state', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`state directory .* is in use by another kms-bench serve \\(pid ${first.child.pid}\\)`));
    expect((await first.stop()).code).toBe(0);
  });

  test.each([
    ['damaged JSON', '{"format": "kms-bench-state", "version": 1, "model": ', /is not valid JSON/],
    ['another format', '{"format": "something-else"}', /is not a kms-bench state file/],
    ['a newer version', '{"format": "kms-bench-state", "version": 99}', /has state format version 99; this kms-bench reads version 1 only/],
    ['a damaged body', '{"format": "kms-bench-state", "version": 1, "savedAt": "x", "model": {"accountId": "1", "seed": 1, "keyIdsIssued": 0, "keys": []}}', /is damaged:\n\s+model\.accountId/],
  ])('a state file with %s is refused with exit 2 and left as it was', async (_name, text, message) => {
    const dir = await tempDir();
    const file = join(dir, 'kms-state.json');
    await writeFile(file, text, { mode: 0o600 });
    const refused = await serveUntilExit(['--state', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(message);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  test('a loaded key whose scenario now declares another policy keeps the state\'s, with one warning line', async () => {
    const dir = await tempDir();
    const scenario = (users: string): string => `
name: drift
principals:
  app: { arn: 'arn:aws:iam::111122223333:role/app' }
  ops: { arn: 'arn:aws:iam::111122223333:role/ops' }
keys:
  - name: data
    region: eu-west-1
    policy: { template: key-user-admin, users: [${users}], admins: [ops] }
`;
    const file = join(dir, 'serve.yaml');
    const state = join(dir, 'state');
    await writeFile(file, scenario('app'));
    const first = await start([file, '--state', state]);
    expect((await first.stop()).code).toBe(0);
    const same = await start([file, '--state', state]);
    expect(same.stderr()).not.toContain('warning');
    expect((await same.stop()).code).toBe(0);
    await writeFile(file, scenario('ops'));
    const changed = await start([file, '--state', state]);
    expect(changed.stderr().match(/^kms-bench serve: warning: .*$/gm)).toEqual([
      "kms-bench serve: warning: key data: the state directory's key policy differs from the scenario's; the state's is kept (PutKeyPolicy changes it)",
    ]);
    expect((await changed.stop()).code).toBe(0);
  });

  test('a state file whose key policy does not compile is refused with exit 2 naming the key, and left as it was', async () => {
    const dir = await tempDir();
    const first = await start(['--state', dir]);
    expect((await first.stop()).code).toBe(0);
    const file = join(dir, 'kms-state.json');
    const saved = JSON.parse(await readFile(file, 'utf8')) as { model: { keys: { policy: string }[] } };
    (saved.model.keys[0] as { policy: string }).policy = '{"Statement": "not a list"';
    const text = JSON.stringify(saved);
    await writeFile(file, text, { mode: 0o600 });
    const refused = await serveUntilExit(['--state', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is damaged:\n\s+model\.keys\[0\]\.policy: /);
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});
