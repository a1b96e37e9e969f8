/**
 * `kms-bench serve` with the scenario's principals and key policies: each principal calls by signing with its name as
 * the access key id, the key-user / key-admin policy is enforced over HTTP as `AccessDeniedException` (never retried),
 * a policy put at run time is kept by `--state` and still enforced after a restart, and `/metrics` counts denials by
 * principal.
 */
import { DescribeKeyCommand, EncryptCommand, KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { serveProcesses } from './support/serve-process.js';
import { tempDirs } from './support/temp-dirs.js';

const start = serveProcesses();
const tempDir = tempDirs('kms-bench-serve-principals-');
const APP = 'arn:aws:iam::111122223333:role/app';
const OPS = 'arn:aws:iam::111122223333:role/ops';

const SCENARIO = `
name: serve-principals
principals:
  app: { arn: '${APP}' }
  ops: { arn: '${OPS}' }
keys:
  - name: data
    region: eu-west-1
    aliases: [alias/data]
    policy: { template: key-user-admin, users: [app], admins: [ops] }
`;

/** A client signing as `accessKeyId`, allowed three attempts, so a retried denial would show in `attempts`. */
function clientAs(url: string, accessKeyId: string): KMSClient {
  return new KMSClient({ endpoint: url, region: 'eu-west-1', credentials: { accessKeyId, secretAccessKey: 'x' }, maxAttempts: 3 });
}

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string; attempts: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { $metadata?: { attempts?: number } };
    return { name: e.name, message: e.message, attempts: e.$metadata?.attempts };
  }
  throw new Error('expected the call to fail');
}

describe('serve: principals and key policies', () => {
  test('each principal signs with its name; the key-user/key-admin policy is enforced, kept by --state and counted by principal', async () => {
    const dir = await tempDir();
    const scenario = join(dir, 'serve.yaml');
    await writeFile(scenario, SCENARIO);
    const state = join(dir, 'state');
    const first = await start([scenario, '--state', state]);
    expect(first.stdout()).toContain(`AWS_ACCESS_KEY_ID=app  →  ${APP}`);

    const app = clientAs(first.url, 'app');
    const ops = clientAs(first.url, 'ops');
    const sealed = await app.send(new EncryptCommand({ KeyId: 'alias/data', Plaintext: Buffer.from('key user') }));
    expect(sealed.CiphertextBlob?.length).toBeGreaterThan(0);
    const denied = await errorOf(ops.send(new EncryptCommand({ KeyId: 'alias/data', Plaintext: Buffer.from('admin') })));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain(`User: ${OPS} is not authorized to perform: kms:Encrypt on resource: arn:aws:kms:eu-west-1:111122223333:key/`);
    expect(denied.attempts).toBe(1);
    const keyArn = (await ops.send(new DescribeKeyCommand({ KeyId: 'alias/data' }))).KeyMetadata?.Arn as string;
    // The key user may not manage the key.
    expect((await errorOf(app.send(new PutKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default', Policy: '{}' })))).name).toBe('AccessDeniedException');

    const metrics = await (await fetch(`${first.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`kmsbench_denied_total\\{[^}]*operation="Encrypt"[^}]*principal="${OPS}"[^}]*\\} 1\\b`));

    // The administrator lets everyone in the account use the key; the policy outlives a restart.
    const open = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
        { Sid: 'ops may use', Effect: 'Allow', Principal: { AWS: OPS }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' },
      ],
    });
    await ops.send(new PutKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default', Policy: open, BypassPolicyLockoutSafetyCheck: true }));
    app.destroy();
    ops.destroy();
    expect((await first.stop()).code).toBe(0);

    const second = await start([scenario, '--state', state]);
    const opsAgain = clientAs(second.url, 'ops');
    const appAgain = clientAs(second.url, 'app');
    expect((await opsAgain.send(new EncryptCommand({ KeyId: 'alias/data', Plaintext: Buffer.from('now allowed') }))).KeyId).toBe(keyArn);
    // The new policy names no key user: app (no IAM policy of its own) is now denied.
    expect((await errorOf(appAgain.send(new EncryptCommand({ KeyId: 'alias/data', Plaintext: Buffer.from('x') })))).name).toBe('AccessDeniedException');
    opsAgain.destroy();
    appAgain.destroy();
    expect((await second.stop()).code).toBe(0);
  });
});
