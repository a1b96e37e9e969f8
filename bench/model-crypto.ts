/**
 * The model's cost over raw node:crypto: Encrypt of 32 B through `kms.call` against AES-256-GCM of the same payload
 * (target ≥ 0.8), RSA_2048 Decrypt and ECC_NIST_P256 Sign against the raw primitives (≥ 0.9). With quotas on, the same
 * Encrypt against `unlimited` (≥ 0.95: the quota check must be nearly free). With the key user / key admin policy and
 * two conditions, called as the key user, the same Encrypt against the default policy called as the root, which takes
 * the fast path and evaluates no statement (≥ 0.9: evaluation must stay cheap).
 */
import {
  constants,
  createCipheriv,
  createPrivateKey,
  createPublicKey,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  randomFillSync,
  sign,
} from 'node:crypto';
import { KmsModel } from '../src/kms/model.js';
import { byName, measure, repeat, type Comparison } from './support.js';
import { BENCH_APP_ARN, BENCH_KEY_POLICY, BENCH_PRINCIPALS } from './policy-fixture.js';

const REGION = 'us-east-1';
const ctx = { region: REGION };
/** Small operations per tinybench iteration. */
const BATCH = 64;

export async function modelCryptoBench(timeMs = 1000): Promise<Comparison[]> {
  const plain = new KmsModel({ seed: 1, keys: [{ region: REGION, aliases: ['alias/bench'] }] });
  const withQuota = new KmsModel({ seed: 1, keys: [{ region: REGION, aliases: ['alias/bench'] }], quotas: { profile: 'kms-current', overrides: { [REGION]: { symmetric: 1e9 } } } });
  // The same key (same id, same material) under the key-user policy; the caller is the key user.
  const [plainKey] = plain.exportKeys();
  const withPolicy = new KmsModel({ seed: 1, keys: [{ ...plainKey, region: REGION, policy: BENCH_KEY_POLICY }], principals: BENCH_PRINCIPALS });
  const appCtx = { region: REGION, principal: BENCH_APP_ARN };
  const asym = new KmsModel({
    seed: 1,
    keys: [
      { region: REGION, aliases: ['alias/rsa'], keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT' },
      { region: REGION, aliases: ['alias/ecc'], keySpec: 'ECC_NIST_P256' },
    ],
  });
  const payload = randomBytes(32);
  const aesKey = randomBytes(32);
  const iv = Buffer.alloc(12);
  const exported = asym.exportKeys();
  const rsaSeed = exported.find((k) => k.keySpec === 'RSA_2048');
  const eccSeed = exported.find((k) => k.keySpec === 'ECC_NIST_P256');
  const rsaPrivate = createPrivateKey({ key: Buffer.from(rsaSeed?.material?.privateKeyPkcs8 as Uint8Array), format: 'der', type: 'pkcs8' });
  const eccPrivate = createPrivateKey({ key: Buffer.from(eccSeed?.material?.privateKeyPkcs8 as Uint8Array), format: 'der', type: 'pkcs8' });
  const rsaBlob = publicEncrypt(
    { key: createPublicKey(rsaPrivate), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    payload,
  );
  const encryptInput = { KeyId: 'alias/bench', Plaintext: payload };
  // The quota is far above what one thread can offer, so every call is admitted and the check's cost is what we see.
  // Each tinybench iteration runs a batch of operations (`repeat`), awaiting every `kms.call` in turn: the promise is
  // part of the model's cost, tinybench's own per-iteration cost is spread thin on both sides.
  const rows = await measure(
    [
      {
        // What correct use of AES-256-GCM costs: a fresh random 96-bit IV from the CSPRNG for every message.
        name: 'raw AES-256-GCM 32 B, random IV (node:crypto)',
        batch: BATCH,
        fn: repeat(BATCH, () => {
          randomFillSync(iv);
          const cipher = createCipheriv('aes-256-gcm', aesKey, iv);
          cipher.update(payload);
          cipher.final();
          return cipher.getAuthTag();
        }),
      },
      {
        // The cipher alone: a counter IV, no randomness, no framing (a lower bound no KMS could reach).
        name: 'raw AES-256-GCM 32 B, counter IV (node:crypto)',
        batch: BATCH,
        fn: repeat(BATCH, () => {
          iv.writeUInt32BE((iv.readUInt32BE(8) + 1) >>> 0, 8);
          const cipher = createCipheriv('aes-256-gcm', aesKey, iv);
          cipher.update(payload);
          cipher.final();
          return cipher.getAuthTag();
        }),
      },
      { name: 'model Encrypt 32 B (kms.call)', batch: BATCH, fn: repeat(BATCH, () => plain.call('Encrypt', encryptInput, ctx)) },
      {
        name: 'model Encrypt 32 B, quotas on (fixed window)',
        batch: BATCH,
        fn: repeat(BATCH, () => withQuota.call('Encrypt', encryptInput, ctx)),
      },
      {
        name: 'model Encrypt 32 B, key-user policy + 2 conditions',
        batch: BATCH,
        fn: repeat(BATCH, () => withPolicy.call('Encrypt', encryptInput, appCtx)),
      },
      {
        name: 'raw RSA-OAEP-SHA256 decrypt (node:crypto)',
        fn: () => privateDecrypt({ key: rsaPrivate, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, rsaBlob),
      },
      {
        name: 'model Decrypt RSA_2048',
        fn: () => asym.call('Decrypt', { KeyId: 'alias/rsa', CiphertextBlob: rsaBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }, ctx),
      },
      { name: 'raw ECDSA P-256 sign (node:crypto)', fn: () => sign('sha256', payload, eccPrivate) },
      {
        name: 'model Sign ECC_NIST_P256',
        fn: () => asym.call('Sign', { KeyId: 'alias/ecc', Message: payload, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' }, ctx),
      },
    ],
    timeMs,
  );
  return [
    {
      figure: byName(rows, 'model Encrypt 32 B (kms.call)'),
      floor: byName(rows, 'raw AES-256-GCM 32 B, random IV (node:crypto)'),
      target: 0.8,
    },
    { figure: byName(rows, 'model Encrypt 32 B (kms.call)'), floor: byName(rows, 'raw AES-256-GCM 32 B, counter IV (node:crypto)') },
    { figure: byName(rows, 'model Decrypt RSA_2048'), floor: byName(rows, 'raw RSA-OAEP-SHA256 decrypt (node:crypto)'), target: 0.9 },
    { figure: byName(rows, 'model Sign ECC_NIST_P256'), floor: byName(rows, 'raw ECDSA P-256 sign (node:crypto)'), target: 0.9 },
    { figure: byName(rows, 'model Encrypt 32 B, quotas on (fixed window)'), floor: byName(rows, 'model Encrypt 32 B (kms.call)'), target: 0.95 },
    { figure: byName(rows, 'model Encrypt 32 B, key-user policy + 2 conditions'), floor: byName(rows, 'model Encrypt 32 B (kms.call)'), target: 0.9 },
  ];
}
