/**
 * RSA-OAEP, RSA/ECDSA signatures and HMAC through node:crypto. RSA ciphertext is raw RSAES-OAEP (as KMS returns), so a
 * blob made locally with the public key from GetPublicKey decrypts in the model.
 */
import {
  constants,
  createHmac,
  privateDecrypt,
  privateEncrypt,
  publicDecrypt,
  publicEncrypt,
  sign,
  timingSafeEqual,
  verify,
  type KeyObject,
} from 'node:crypto';
import { KmsError } from './errors.js';
import type { AsymmetricMaterial } from './key-material.js';
import { ALGORITHM_HASH } from './key-specs.js';
import { ecdsaSignDigest, ecdsaVerifyDigest } from './ecdsa.js';
import { emsaPssEncode, emsaPssVerify } from './pss.js';

function hashOf(algorithm: string): { hash: string; digestBytes: number } {
  const found = ALGORITHM_HASH[algorithm];
  if (found === undefined) throw new Error(`no hash for ${algorithm}`);
  return found;
}

export function rsaOaepEncrypt(publicKey: KeyObject, algorithm: string, plaintext: Uint8Array): Buffer {
  return publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hashOf(algorithm).hash },
    plaintext,
  );
}

export function rsaOaepDecrypt(privateKey: KeyObject, algorithm: string, ciphertext: Uint8Array): Buffer {
  try {
    return privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hashOf(algorithm).hash },
      ciphertext,
    );
  } catch {
    throw new KmsError('InvalidCiphertextException', 'The ciphertext is invalid for this key and algorithm.');
  }
}

function signOptions(key: KeyObject, algorithm: string): { key: KeyObject; padding?: number; saltLength?: number; dsaEncoding: 'der' } {
  if (algorithm.startsWith('RSASSA_PSS')) {
    // KMS uses a salt as long as the digest for PSS (API reference, Sign › SigningAlgorithm).
    return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: hashOf(algorithm).digestBytes, dsaEncoding: 'der' };
  }
  if (algorithm.startsWith('RSASSA_PKCS1')) return { key, padding: constants.RSA_PKCS1_PADDING, dsaEncoding: 'der' };
  return { key, dsaEncoding: 'der' };
}

/** Signs a RAW message (hashed here) or a DIGEST (already hashed: signed as is, never hashed twice). */
export function signMessage(privateKey: KeyObject, algorithm: string, message: Uint8Array, isDigest: boolean): Buffer {
  const { hash } = hashOf(algorithm);
  if (!isDigest) return sign(hash, message, signOptions(privateKey, algorithm));
  return signDigest(privateKey, algorithm, message);
}

/**
 * Verifies a signature made over a RAW message or a DIGEST. Takes the whole key pair: ECDSA digest verification uses
 * the private scalar (see `ecdsaVerifyDigest`). A malformed signature is simply invalid: this never throws for it.
 */
export function verifyMessage(
  material: AsymmetricMaterial,
  algorithm: string,
  message: Uint8Array,
  isDigest: boolean,
  signature: Uint8Array,
): boolean {
  const { hash } = hashOf(algorithm);
  try {
    if (!isDigest) return verify(hash, message, signOptions(material.publicKey, algorithm), signature);
    return verifyDigest(material, algorithm, message, signature);
  } catch {
    // OpenSSL rejects some malformed signatures (wrong length, value ≥ modulus) by throwing rather than answering false.
    return false;
  }
}

/*
 * Digest signing. node:crypto has no "sign this prehashed value" call for RSA, so the digest path builds the encodings
 * itself: ECDSA computes the signature equation over the digest (see below: `sign(null, digest, ecKey)` is NOT a
prehashed sign — OpenSSL 3 then hashes with the key type's default digest, SHA-256), PKCS#1 v1.5 wraps the digest in
 * its DER DigestInfo and uses the RSA private-key primitive with PKCS#1 type-1 padding, and PSS encodes EMSA-PSS
 * (RFC 8017 §9.1) and applies the raw RSA primitive. Either way the signature verifies as a RAW signature of the
 * message the digest was taken from.
 */
const DIGEST_INFO_PREFIX: Readonly<Record<string, Buffer>> = {
  // DER DigestInfo prefixes from RFC 8017 §9.2, note 1.
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

function signDigest(privateKey: KeyObject, algorithm: string, digest: Uint8Array): Buffer {
  if (privateKey.asymmetricKeyType === 'ec') return ecdsaSignDigest(privateKey, digest);
  const { hash } = hashOf(algorithm);
  if (algorithm.startsWith('RSASSA_PKCS1')) {
    const prefix = DIGEST_INFO_PREFIX[hash] as Buffer;
    return privateEncryptPkcs1(privateKey, Buffer.concat([prefix, digest]));
  }
  return signPssDigest(privateKey, hash, digest);
}

function verifyDigest(material: AsymmetricMaterial, algorithm: string, digest: Uint8Array, signature: Uint8Array): boolean {
  const publicKey = material.publicKey;
  if (publicKey.asymmetricKeyType === 'ec') return ecdsaVerifyDigest(material.privateKey, digest, signature);
  const { hash } = hashOf(algorithm);
  if (algorithm.startsWith('RSASSA_PKCS1')) {
    const prefix = DIGEST_INFO_PREFIX[hash] as Buffer;
    return publicDecryptPkcs1Equals(publicKey, signature, Buffer.concat([prefix, digest]));
  }
  return verifyPssDigest(publicKey, hash, digest, signature);
}

function privateEncryptPkcs1(privateKey: KeyObject, digestInfo: Buffer): Buffer {
  return privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo);
}

function publicDecryptPkcs1Equals(publicKey: KeyObject, signature: Uint8Array, expected: Buffer): boolean {
  try {
    const recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
    return recovered.length === expected.length && timingSafeEqual(recovered, expected);
  } catch {
    return false;
  }
}

function signPssDigest(privateKey: KeyObject, hash: string, digest: Uint8Array): Buffer {
  const modulusBits = privateKey.asymmetricKeyDetails?.modulusLength ?? 2048;
  const encoded = emsaPssEncode(hash, digest, modulusBits - 1);
  return privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, encoded);
}

function verifyPssDigest(publicKey: KeyObject, hash: string, digest: Uint8Array, signature: Uint8Array): boolean {
  const modulusBits = publicKey.asymmetricKeyDetails?.modulusLength ?? 2048;
  if (signature.length !== Math.ceil(modulusBits / 8)) return false;
  try {
    const encoded = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
    return emsaPssVerify(hash, digest, encoded, modulusBits - 1);
  } catch {
    return false;
  }
}

export function hmac(secret: Uint8Array, algorithm: string, message: Uint8Array): Buffer {
  return createHmac(hashOf(algorithm).hash, secret).update(message).digest();
}

export function hmacEquals(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
