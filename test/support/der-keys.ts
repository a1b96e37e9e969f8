/** node:crypto key objects from the DER bytes KMS responses carry (GetPublicKey, GenerateDataKeyPair, Decrypt). */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/** A public key from DER SubjectPublicKeyInfo; an absent field fails the test inside node:crypto. */
export function spkiPublicKey(der: Uint8Array | undefined): KeyObject {
  return createPublicKey({ key: Buffer.from(der as Uint8Array), format: 'der', type: 'spki' });
}

/** A private key from DER PKCS#8. */
export function pkcs8PrivateKey(der: Uint8Array | undefined): KeyObject {
  return createPrivateKey({ key: Buffer.from(der as Uint8Array), format: 'der', type: 'pkcs8' });
}
