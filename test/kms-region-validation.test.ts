/**
 * The model answers only in regions KMS has (src/kms/regions.ts, plus the `regions` option): every region of the table
 * encrypts and decrypts, anything else is refused with KMS's InvalidSignatureException before it can leave state
 * behind — including the long and non-ASCII names whose blobs could never have been opened again.
 */
import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, describe, expect, test } from 'vitest';
import { KmsModelOptionsError } from '../src/kms/callers.js';
import { KmsModel } from '../src/kms/model.js';
import { KMS_REGIONS } from '../src/kms/regions.js';
import { createKmsRequestHandler } from '../src/protocol/request-handler.js';
import { kmsErrorOf, rejectionOf } from './support/errors.js';
import { TEST_CREDENTIALS } from './support/kms-sdk.js';

const PLAINTEXT = new TextEncoder().encode('region check');
const model = new KmsModel({ seed: 7, keys: KMS_REGIONS.map((row) => ({ region: row.region, aliases: ['alias/app'] })) });
const clients: KMSClient[] = [];

afterAll(() => {
  for (const client of clients) client.destroy();
});

function encrypt(kms: KmsModel, region: string, keyId = 'alias/app'): Record<string, unknown> {
  return kms.callSync('Encrypt', { KeyId: keyId, Plaintext: PLAINTEXT }, { region });
}

describe('regions KMS has', () => {
  test('the table lists each region once, each with a source', () => {
    const names = KMS_REGIONS.map((row) => row.region);
    expect(new Set(names).size).toBe(names.length);
    for (const row of KMS_REGIONS) expect(row.source).toMatch(/AWS General Reference|@aws-sdk\/core/);
    expect(names).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1', 'cn-north-1', 'us-gov-west-1', 'us-iso-east-1']));
    expect(names).not.toContain('aws-global');
  });

  test.each(KMS_REGIONS.map((row) => [row.region]))('%s encrypts and decrypts', (region) => {
    const encrypted = encrypt(model, region);
    expect(encrypted.KeyId).toMatch(new RegExp(`^arn:aws:kms:${region}:111122223333:key/`));
    const decrypted = model.callSync('Decrypt', { CiphertextBlob: encrypted.CiphertextBlob }, { region });
    expect(Buffer.from(decrypted.Plaintext as Uint8Array).toString()).toBe('region check');
  });
});

describe('regions KMS does not have', () => {
  const long = `eu-${'x'.repeat(296)}-1`;
  test.each([
    ['an empty name', '', ''],
    ['a path', '../..', '../..'],
    ['300 characters', long, `${long.slice(0, 64)}…`],
    ['non-ASCII', 'eu-wést-1', 'eu-wést-1'],
    ['upper case', 'EU-WEST-1', 'EU-WEST-1'],
    ['a trailing space', 'eu-west-1 ', 'eu-west-1 '],
    ['a global pseudo-region', 'aws-global', 'aws-global'],
    ['a made-up region', 'fuzz-1', 'fuzz-1'],
    ['a region-shaped name', 'mars-east-1', 'mars-east-1'],
  ])('%s is refused with InvalidSignatureException and leaves no partition', (_label, region, shown) => {
    const before = model.usage();
    const error = kmsErrorOf(() => encrypt(model, region));
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.status).toBe(400);
    expect(error.message).toBe(`Credential should be scoped to a valid region, not '${shown}'.`);
    expect(model.usage()).toEqual(before);
  });

  test('through the SDK: a client for an unknown region gets the error once, not retried', async () => {
    const client = new KMSClient({
      region: 'xx-fake-1',
      credentials: TEST_CREDENTIALS,
      requestHandler: createKmsRequestHandler(model),
      maxAttempts: 3,
    });
    clients.push(client);
    const error = await rejectionOf(client.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: PLAINTEXT })));
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.message).toBe("Credential should be scoped to a valid region, not 'xx-fake-1'.");
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(error.$metadata?.attempts).toBe(1);
  });

  test('a key seeded in an unknown region is a configuration error naming the seed', () => {
    expect(() => new KmsModel({ keys: [{ region: 'us-east-1' }, { region: 'xx-nowhere-1' }] })).toThrow(
      /^KmsModel: keys\[1\]: Credential should be scoped to a valid region, not 'xx-nowhere-1'\.$/,
    );
  });
});

describe('the regions option', () => {
  test('adds regions: a key made there round-trips, other unknown regions stay refused', () => {
    const kms = new KmsModel({ regions: ['xx-test-1'] });
    const created = kms.callSync('CreateKey', {}, { region: 'xx-test-1' });
    const keyId = (created.KeyMetadata as { KeyId: string }).KeyId;
    const encrypted = encrypt(kms, 'xx-test-1', keyId);
    const decrypted = kms.callSync('Decrypt', { CiphertextBlob: encrypted.CiphertextBlob }, { region: 'xx-test-1' });
    expect(Buffer.from(decrypted.Plaintext as Uint8Array).toString()).toBe('region check');
    expect(kmsErrorOf(() => kms.callSync('ListKeys', {}, { region: 'xx-test-2' })).name).toBe('InvalidSignatureException');
  });

  test('the longest name it admits (64 characters) still makes blobs that decrypt', () => {
    // The blob stores the region's length in one byte, as ASCII: a 256-character or non-ASCII region could encrypt but
    // never decrypt. Names are bounded far below that, and ASCII by their pattern.
    const region = `xx-${'a'.repeat(59)}-1`;
    expect(region).toHaveLength(64);
    const kms = new KmsModel({ regions: [region], keys: [{ region, aliases: ['alias/app'] }] });
    const encrypted = encrypt(kms, region);
    const decrypted = kms.callSync('Decrypt', { CiphertextBlob: encrypted.CiphertextBlob }, { region });
    expect(Buffer.from(decrypted.Plaintext as Uint8Array).toString()).toBe('region check');
  });

  test('refuses names a blob could not carry, and anything not a region name, naming each', () => {
    let caught: unknown;
    try {
      new KmsModel({ regions: ['xx-ok-1', `xx-${'a'.repeat(300)}-1`, 'eu-wést-1', 'Eu-West-1', 5 as never] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(KmsModelOptionsError);
    expect((caught as KmsModelOptionsError).issues.map((issue) => issue.path)).toEqual(['regions[1]', 'regions[2]', 'regions[3]', 'regions[4]']);
    expect((caught as Error).message).toContain('regions[2] must be a region name like us-east-1');
    expect(() => new KmsModel({ regions: 'us-east-1' as never })).toThrow(/^regions must be an array of region names, got "us-east-1"$/);
  });
});
