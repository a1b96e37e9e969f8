/**
 * Fixed asymmetric keys for tests, read from test/fixtures/keys/ (generated once with node:crypto): generating an
 * RSA 4096-bit key takes seconds, and more on a loaded machine. Give one to the model as a key's material
 * (`KeySeed.material.privateKeyPkcs8`) instead of letting it generate one.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A key pair from a PEM fixture, in the encodings KMS uses. */
export interface FixedKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** PKCS#8 DER, as `KeySeed.material.privateKeyPkcs8` takes it. */
  readonly privateKeyPkcs8: Uint8Array;
  /** DER SubjectPublicKeyInfo, as GetPublicKey returns it. */
  readonly publicKeyDer: Uint8Array;
}

function fixedKeyPair(file: string): FixedKeyPair {
  const privateKey = createPrivateKey(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'keys', file)));
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    privateKeyPkcs8: new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })),
    publicKeyDer: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
  };
}

/** An RSA key with a 4096-bit modulus (KMS key spec RSA_4096). */
export const RSA_4096_KEY: FixedKeyPair = fixedKeyPair('rsa-4096.pem');
