/**
 * EMSA-PSS encoding and verification (RFC 8017 §9.1.1, §9.1.2) with MGF1 over the same hash and a salt as long as the
 * digest, as KMS signs. Needed only for DIGEST-mode RSASSA-PSS, where the message is already hashed and node:crypto
 * would hash it again.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

function mgf1(hash: string, seed: Uint8Array, length: number): Buffer {
  const out = Buffer.alloc(length);
  const counter = Buffer.alloc(4);
  let at = 0;
  for (let i = 0; at < length; i++) {
    counter.writeUInt32BE(i);
    const block = createHash(hash).update(seed).update(counter).digest();
    at += block.copy(out, at);
  }
  return out;
}

function mPrime(hash: string, digest: Uint8Array, salt: Uint8Array): Buffer {
  return createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
}

/** EM for a modulus of `emBits + 1` bits. */
export function emsaPssEncode(hash: string, digest: Uint8Array, emBits: number): Buffer {
  const hLen = digest.length;
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(hLen);
  const h = mPrime(hash, digest, salt);
  const db = Buffer.alloc(emLen - hLen - 1);
  db[emLen - 2 * hLen - 2] = 0x01;
  salt.copy(db, emLen - 2 * hLen - 1);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] as number) ^ (mask[i] as number);
  db[0] = (db[0] as number) & (0xff >> (8 * emLen - emBits));
  const em = Buffer.concat([db, h, Buffer.from([0xbc])]);
  // The RSA primitive works on modulus-length input; EM is one byte shorter when emBits is a multiple of 8.
  return em.length * 8 < emBits + 1 ? Buffer.concat([Buffer.alloc(1), em]) : em;
}

export function emsaPssVerify(hash: string, digest: Uint8Array, decrypted: Buffer, emBits: number): boolean {
  const hLen = digest.length;
  const emLen = Math.ceil(emBits / 8);
  const em = decrypted.subarray(decrypted.length - emLen);
  if (decrypted.length > emLen && decrypted.subarray(0, decrypted.length - emLen).some((b) => b !== 0)) return false;
  if (em[emLen - 1] !== 0xbc) return false;
  const masked = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  if (((masked[0] as number) & ~(0xff >> (8 * emLen - emBits)) & 0xff) !== 0) return false;
  const mask = mgf1(hash, h, masked.length);
  const db = Buffer.alloc(masked.length);
  for (let i = 0; i < db.length; i++) db[i] = (masked[i] as number) ^ (mask[i] as number);
  db[0] = (db[0] as number) & (0xff >> (8 * emLen - emBits));
  const sep = emLen - 2 * hLen - 2;
  for (let i = 0; i < sep; i++) if (db[i] !== 0) return false;
  if (db[sep] !== 0x01) return false;
  const salt = db.subarray(sep + 1);
  return timingSafeEqual(mPrime(hash, digest, salt), h);
}
