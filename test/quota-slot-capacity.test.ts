/**
 * A full quota slot table refuses only the newcomer: the board throws a typed QuotaCapacityError for a key that has no
 * slot, keys holding one keep admitting, and the model answers that one request with a LimitExceededException naming
 * the option to raise — never a plain Error (a 500 over HTTP) for every caller.
 */
import { describe, expect, test } from 'vitest';
import { KmsModel } from '../src/kms/model.js';
import { KMS_REGIONS } from '../src/kms/regions.js';
import { QuotaBoard, QuotaCapacityError } from '../src/quota/index.js';
import { kmsErrorOf } from './support/errors.js';

const PLAINTEXT = Uint8Array.from([1, 2, 3]);

describe('the quota board when every slot is taken', () => {
  test('a new key gets a QuotaCapacityError naming it; keys already holding a slot keep admitting', () => {
    const board = new QuotaBoard({ capacity: 16 }, () => 0);
    for (let i = 0; i < 16; i++) board.partition(`acct-${i}`, 'us-east-1').admit('symmetric');
    let caught: unknown;
    try {
      board.partition('acct-16', 'us-east-1').admit('symmetric');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(QuotaCapacityError);
    expect(caught).toMatchObject({ capacity: 16, slotKey: 'acct-16\u0000us-east-1\u0000symmetric' });
    expect(board.partition('acct-3', 'us-east-1').admit('symmetric')).toBe(true);
    expect(board.snapshot()).toHaveLength(16);
  });
});

describe('the model over a full board', () => {
  // 17 regions with a key each; a 16-slot board holds the symmetric buckets of the first 16.
  const regions = KMS_REGIONS.slice(0, 17).map((row) => row.region);
  const kms = new KmsModel({
    quotas: { profile: 'kms-current', capacity: 16 },
    keys: regions.map((region) => ({ region, aliases: ['alias/app'] })),
  });

  test('the request needing a 17th slot is a LimitExceededException; the 16 holders carry on', () => {
    for (const region of regions.slice(0, 16)) kms.callSync('Encrypt', { KeyId: 'alias/app', Plaintext: PLAINTEXT }, { region });
    const last = regions[16] as string;
    const error = kmsErrorOf(() => kms.callSync('Encrypt', { KeyId: 'alias/app', Plaintext: PLAINTEXT }, { region: last }));
    expect(error.name).toBe('LimitExceededException');
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      `kms-bench's quota board is full (16 slots, one per account, region and bucket), so the symmetric quota of ` +
        `account 111122223333 in ${last} cannot be tracked; raise quotas.capacity.`,
    );
    for (const region of regions.slice(0, 16)) {
      expect(kms.callSync('Encrypt', { KeyId: 'alias/app', Plaintext: PLAINTEXT }, { region }).KeyId).toContain(region);
    }
    expect(kms.quotaState()).toHaveLength(16);
    expect(kms.quotaState().every((slot) => slot.admitted === 2 && slot.throttled === 0)).toBe(true);
  });
});
