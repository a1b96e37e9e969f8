/**
 * Key material per key family, through node:crypto only. Symmetric and HMAC material is derived with HKDF from the
 * model seed and the key id, so every worker thread that builds a model from the same seed holds the same keys and can
 * decrypt what another thread encrypted. Asymmetric keys cannot be derived from a seed with node:crypto; they are
 * generated once and travel between threads as PKCS#8 DER (see `KeySeed.material`).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, hkdfSync, type KeyObject } from 'node:crypto';
import { KEY_SPECS } from './key-specs.js';

/** AES-256 backing key length in bytes (KMS symmetric keys are AES-256-GCM). */
export const SYMMETRIC_KEY_BYTES = 32;

export interface AsymmetricMaterial {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** DER SubjectPublicKeyInfo, as GetPublicKey returns. */
  readonly publicKeyDer: Buffer;
}

function seedBytes(seed: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeDoubleBE(seed);
  return out;
}

/** Derives a backing key (one per rotation version) for a symmetric or HMAC key. */
export function deriveSecret(seed: number, keyId: string, version: number, bytes: number): Buffer {
  return Buffer.from(hkdfSync('sha256', seedBytes(seed), Buffer.from(keyId), Buffer.from(`kms-bench/v${version}`), bytes));
}

export function generateAsymmetric(keySpec: string): AsymmetricMaterial {
  const info = KEY_SPECS[keySpec];
  if (info?.family === 'rsa') {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: info.modulusBits ?? 2048 });
    return asymmetric(privateKey, publicKey);
  }
  if (info?.family === 'ecc') {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: info.namedCurve ?? 'prime256v1' });
    return asymmetric(privateKey, publicKey);
  }
  throw new Error(`key spec ${keySpec} has no asymmetric material`);
}

export function importAsymmetric(pkcs8Der: Uint8Array): AsymmetricMaterial {
  const privateKey = createPrivateKey({ key: Buffer.from(pkcs8Der), format: 'der', type: 'pkcs8' });
  return asymmetric(privateKey, createPublicKey(privateKey));
}

export function exportPkcs8(material: AsymmetricMaterial): Uint8Array {
  return new Uint8Array(material.privateKey.export({ format: 'der', type: 'pkcs8' }));
}

function asymmetric(privateKey: KeyObject, publicKey: KeyObject): AsymmetricMaterial {
  return { privateKey, publicKey, publicKeyDer: publicKey.export({ format: 'der', type: 'spki' }) };
}
