/**
 * ReEncrypt in a workload mix with RSA keys: every request succeeds (the mix sends the RSA algorithm fields), and the
 * bucket the mix tags a request with (the one the per-bucket timelines record) is the bucket the model charges.
 */
import { describe, expect, test } from 'vitest';
import { seededRandom } from '../src/base/random.js';
import { KmsModel } from '../src/kms/model.js';
import { ScenarioError, parseScenarioText } from '../src/scenario/index.js';
import { RequestMix, type MixEntrySpec, type MixKey } from '../src/workload/request-mix.js';

const REGION = 'us-east-1';
const CONTEXT = { region: REGION };

let shared: { model: KmsModel; keys: Map<string, MixKey> } | undefined;

/** One model for every test (RSA keys take a while to generate); each test counts only its own requests. */
function modelWithKeys(): { model: KmsModel; keys: Map<string, MixKey> } {
  if (shared !== undefined) return shared;
  const model = new KmsModel({
    seed: 5,
    quotas: { profile: 'unlimited' },
    keys: [
      { region: REGION, aliases: ['alias/sym'] },
      { region: REGION, aliases: ['alias/rsa'], keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT' },
      { region: REGION, aliases: ['alias/rsa3k'], keySpec: 'RSA_3072', keyUsage: 'ENCRYPT_DECRYPT' },
    ],
  });
  const keys = new Map<string, MixKey>();
  for (const name of ['sym', 'rsa', 'rsa3k']) {
    const meta = model.callSync('DescribeKey', { KeyId: `alias/${name}` }, CONTEXT)['KeyMetadata'] as { Arn: string; KeySpec: string };
    keys.set(name, { arn: meta.Arn, keySpec: meta.KeySpec });
  }
  shared = { model, keys };
  return shared;
}

/** Sends `n` requests of `mix`; returns the requests per bucket as the mix tagged them, and the failures. */
function run(mix: readonly MixEntrySpec[], n: number): { tagged: Map<string, number>; failures: string[]; model: KmsModel } {
  const { model, keys } = modelWithKeys();
  const requests = new RequestMix(mix, keys, (op, input) => model.callSync(op, input, CONTEXT), seededRandom(1, 'setup'));
  // Setup (blobs encrypted for Decrypt and ReEncrypt) was charged too: count only what the run sends.
  const before = new Map(model.quotaState().map((slot) => [slot.bucket, slot.admitted]));
  const tagged = new Map<string, number>();
  const failures: string[] = [];
  const random = seededRandom(1, 'run');
  for (let i = 0; i < n; i++) {
    const request = requests.next(random);
    tagged.set(request.bucket, (tagged.get(request.bucket) ?? 0) + 1);
    try {
      model.callSync(request.operation, request.input, CONTEXT);
    } catch (error) {
      failures.push((error as Error).name);
    }
  }
  for (const slot of model.quotaState()) {
    const sent = slot.admitted - (before.get(slot.bucket) ?? 0);
    if (sent > 0) expect({ bucket: slot.bucket, admitted: sent }).toEqual({ bucket: slot.bucket, admitted: tagged.get(slot.bucket) });
  }
  return { tagged, failures, model };
}

describe('ReEncrypt with RSA keys in a mix', () => {
  test.each([
    ['RSA source, symmetric destination', 'rsa', 'sym'],
    ['symmetric source, RSA destination', 'sym', 'rsa'],
    ['RSA source and destination', 'rsa', 'rsa3k'],
    ['the same RSA key both ways', 'rsa', undefined],
  ])('%s: every request succeeds and is charged to the rsa bucket the mix tags', (_, key, destinationKey) => {
    const entry = { op: 'ReEncrypt', weight: 1, key, payloadBytes: 64, ...(destinationKey === undefined ? {} : { destinationKey }) };
    const { tagged, failures } = run([entry], 50);
    expect(failures).toEqual([]);
    expect([...tagged]).toEqual([['rsa', 50]]);
  });

  test('a symmetric ReEncrypt stays in the symmetric bucket beside RSA traffic', () => {
    const mix = [
      { op: 'ReEncrypt', weight: 1, key: 'sym', payloadBytes: 32 },
      { op: 'ReEncrypt', weight: 1, key: 'sym', destinationKey: 'rsa', payloadBytes: 32 },
      { op: 'Encrypt', weight: 1, key: 'sym', payloadBytes: 32 },
    ];
    const { tagged, failures } = run(mix, 90);
    expect(failures).toEqual([]);
    expect(new Set(tagged.keys())).toEqual(new Set(['symmetric', 'rsa']));
  });

  test('a destination key the mix does not know is refused when the mix is built', () => {
    const { model, keys } = modelWithKeys();
    const mix = [{ op: 'ReEncrypt', weight: 1, key: 'sym', destinationKey: 'missing' }];
    expect(() => new RequestMix(mix, keys, (op, input) => model.callSync(op, input, CONTEXT), seededRandom(1, 'setup'))).toThrow(
      'mix: ReEncrypt names unknown key "missing"',
    );
  });
});

/** The problems of a scenario whose one fleet sends ReEncrypt from `sym` to `rsa` with `payloadBytes`. */
function reEncryptProblems(payloadBytes: number): string[] {
  const text = `
name: re
duration: 10s
keys:
  - { name: sym, region: us-east-1 }
  - { name: rsa, region: us-east-1, keySpec: RSA_2048 }
fleets:
  - name: web
    region: us-east-1
    workload: { model: open, arrivalRate: 10 }
    mix: [{ op: ReEncrypt, key: sym, destinationKey: rsa, payloadBytes: ${payloadBytes} }]
`;
  try {
    parseScenarioText(text, 're.yaml');
  } catch (error) {
    if (error instanceof ScenarioError) return error.lines();
    throw error;
  }
  return [];
}

describe("ReEncrypt's plaintext must fit its destination key", () => {
  test('a plaintext over the RSA destination limit is refused at payloadBytes', () => {
    expect(reEncryptProblems(1000)).toEqual(['fleets[0].mix[0].payloadBytes: must be ≤ 190: the most ReEncrypt accepts with RSA_2048 keys']);
  });

  test('a plaintext within it is accepted', () => {
    expect(reEncryptProblems(190)).toEqual([]);
  });
});
