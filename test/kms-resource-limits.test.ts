/**
 * Every table a caller can grow is bounded (model option `limits`): keys across the model, keys per account and region
 * (KMS's resource quota), accounts. Past a bound, that caller's request is a LimitExceededException and everyone else
 * carries on; ARNs and ciphertext blobs naming accounts the model does not hold create nothing.
 */
import { describe, expect, test } from 'vitest';
import { DEFAULT_MODEL_LIMITS, KmsModelOptionsError } from '../src/kms/callers.js';
import { encodeBlobHeader, IV_BYTES, TAG_BYTES } from '../src/kms/ciphertext-blob.js';
import { KmsModel } from '../src/kms/model.js';
import { ManualClock } from '../src/base/time.js';
import { kmsErrorOf } from './support/errors.js';

const US = { region: 'us-east-1' } as const;
const EU = { region: 'eu-west-1' } as const;
const DAY_MS = 86_400_000;

function createKey(kms: KmsModel, context: { region: string; accountId?: string } = US): string {
  return (kms.callSync('CreateKey', {}, context).KeyMetadata as { KeyId: string }).KeyId;
}

describe('keys across the model (limits.keys)', () => {
  test('the key past the limit is refused; existing keys keep working; a deletion makes room again', () => {
    const clock = new ManualClock();
    const kms = new KmsModel({ clock, limits: { keys: 3 } });
    const ids = [createKey(kms), createKey(kms, EU), createKey(kms)];
    const error = kmsErrorOf(() => createKey(kms, EU));
    expect(error.name).toBe('LimitExceededException');
    expect(error.message).toBe(
      'This kms-bench model already holds 3 KMS keys, its limit across accounts and regions (model option limits.keys).',
    );
    expect(kms.usage().keys).toBe(3);
    expect(kms.callSync('Encrypt', { KeyId: ids[0], Plaintext: Uint8Array.from([1]) }, US).KeyId).toContain(ids[0]);

    kms.callSync('ScheduleKeyDeletion', { KeyId: ids[1], PendingWindowInDays: 7 }, EU);
    clock.advanceMs(8 * DAY_MS);
    expect(kms.callSync('ListKeys', {}, EU)).toEqual({ Keys: [], Truncated: false }); // the deletion is applied
    expect(kms.usage().keys).toBe(2);
    createKey(kms, EU);
    expect(kms.usage().keys).toBe(3);
  });

  test('seeds past the limit are a configuration error naming the seed', () => {
    expect(() => new KmsModel({ limits: { keys: 2 }, keys: [US, US, EU] })).toThrow(/^KmsModel: keys\[2\]: .*limits\.keys/);
  });
});

describe('keys per account and region (limits.keysPerRegion, KMS: 100,000)', () => {
  test('a full region refuses the next key with KMS-style wording; other regions and accounts are unaffected', () => {
    const kms = new KmsModel({ limits: { keysPerRegion: 2 } });
    createKey(kms, EU);
    createKey(kms, EU);
    const error = kmsErrorOf(() => createKey(kms, EU));
    expect(error.name).toBe('LimitExceededException');
    expect(error.message).toBe(
      'The request was rejected because the account already has 2 KMS keys in eu-west-1, the resource quota ' +
        '(model option limits.keysPerRegion).',
    );
    expect(createKey(kms, US)).toMatch(/^[0-9a-f-]{36}$/);
    expect(createKey(kms, { region: 'eu-west-1', accountId: '444455556666' })).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('accounts (limits.accounts)', () => {
  test('a new account past the limit is refused; accounts already held keep working', () => {
    const kms = new KmsModel({ limits: { accounts: 2 } });
    kms.callSync('ListKeys', {}, US); // the model's own account
    kms.callSync('ListKeys', {}, { region: 'us-east-1', accountId: '444455556666' });
    const error = kmsErrorOf(() => kms.callSync('ListKeys', {}, { region: 'us-east-1', accountId: '777788889999' }));
    expect(error.name).toBe('LimitExceededException');
    expect(error.message).toBe(
      'This kms-bench model already holds 2 accounts, its limit (model option limits.accounts); account 777788889999 ' +
        'cannot be added.',
    );
    // An account already held may use another region: partitions per account are bounded by the region table.
    expect(kms.callSync('ListKeys', {}, { region: 'eu-west-1', accountId: '444455556666' })).toEqual({ Keys: [], Truncated: false });
    expect(kms.usage()).toEqual({ accounts: 2, partitions: 3, keys: 0 });
  });
});

describe('names a caller controls create nothing', () => {
  const kms = new KmsModel({ keys: [{ region: 'us-east-1', aliases: ['alias/app'] }] });
  const keyId = createKey(kms);

  test('key and alias ARNs of accounts the model does not hold are NotFoundException, with no partition made', () => {
    const before = kms.usage();
    for (let i = 0; i < 200; i++) {
      const account = String(900_000_000_000 + i);
      const byKey = kmsErrorOf(() => kms.callSync('DescribeKey', { KeyId: `arn:aws:kms:us-east-1:${account}:key/${keyId}` }, US));
      expect([byKey.name, byKey.message]).toEqual([
        'NotFoundException',
        `Key 'arn:aws:kms:us-east-1:${account}:key/${keyId}' does not exist`,
      ]);
      const byAlias = kmsErrorOf(() => kms.callSync('DescribeKey', { KeyId: `arn:aws:kms:us-east-1:${account}:alias/app` }, US));
      expect(byAlias.name).toBe('NotFoundException');
    }
    expect(kms.usage()).toEqual(before);
  });

  test('a ciphertext blob naming an unknown account is InvalidCiphertextException, with no partition made', () => {
    const before = kms.usage();
    for (const account of ['999999999999', 'x'.repeat(200), '']) {
      const header = encodeBlobHeader({ keyId, accountId: account, region: 'us-east-1', backingVersion: 0 });
      const blob = Buffer.concat([header, Buffer.alloc(IV_BYTES + TAG_BYTES + 8, 7)]);
      const error = kmsErrorOf(() => kms.callSync('Decrypt', { CiphertextBlob: blob }, US));
      expect([error.name, error.message]).toEqual(['InvalidCiphertextException', 'The ciphertext refers to a KMS key that does not exist.']);
    }
    expect(kms.usage()).toEqual(before);
  });
});

describe('limits options', () => {
  test('bad values are refused up front, each named', () => {
    let caught: unknown;
    try {
      new KmsModel({ limits: { keys: 0, accounts: 1.5, keysPerRegion: -1, aliases: 3 } as never });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(KmsModelOptionsError);
    expect((caught as KmsModelOptionsError).issues.map((issue) => issue.message)).toEqual([
      'limits.keys must be a positive integer, got 0',
      'limits.accounts must be a positive integer, got 1.5',
      'limits.keysPerRegion must be a positive integer, got -1',
      'limits.aliases is not a limit; expected accounts, keys or keysPerRegion',
    ]);
    expect(() => new KmsModel({ limits: 'small' as never })).toThrow(/^limits must be an object, got "small"$/);
  });

  test('defaults: 1,000 accounts, 10,000 keys, KMS’s 100,000 keys per region', () => {
    expect(DEFAULT_MODEL_LIMITS).toEqual({ accounts: 1000, keys: 10_000, keysPerRegion: 100_000 });
  });
});
