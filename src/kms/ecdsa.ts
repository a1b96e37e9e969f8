/**
 * ECDSA over a digest, for KMS's DIGEST message type: node:crypto signs only messages it hashes itself.
 */
import { createECDH, randomBytes, type ECDH, type KeyObject } from 'node:crypto';

/*
 * ECDSA over a digest (SEC 1 v2 §4.1.3 and §4.1.4). node:crypto offers no prehashed ECDSA, so the signature equation
 * is computed here with BigInt and OpenSSL does the one expensive step, a scalar multiplication of the base point, via
 * `ECDH.setPrivateKey(k).getPublicKey()` = k·G. Verification uses the private scalar d the model holds: u1·G + u2·Q
 * equals (u1 + u2·d)·G because Q = d·G, so it also needs only a base-point multiplication and no point addition.
 * BigInt arithmetic is not constant-time; acceptable for a simulator whose keys protect nothing.
 */
const CURVE_ORDER: Readonly<Record<string, bigint>> = {
  // Group orders n from SEC 2 v2 §2.4.1 (secp256k1), §2.4.2 (secp256r1 = prime256v1 = P-256), §2.5.1 (secp384r1),
  // §2.6.1 (secp521r1).
  prime256v1: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  secp256k1: 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n,
  secp384r1: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  secp521r1: BigInt(
    '0x01ff' + 'ffffffff'.repeat(7) + 'fffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
  ),
};

interface Curve {
  readonly name: string;
  readonly n: bigint;
  readonly nBits: number;
  readonly nBytes: number;
  /** Reused for every base-point multiplication: creating one costs about as much as the multiplication itself. */
  readonly ecdh: ECDH;
}

const curves = new Map<string, Curve>();
const privateScalars = new WeakMap<KeyObject, bigint>();

function curveOf(key: KeyObject): Curve {
  const name = key.asymmetricKeyDetails?.namedCurve ?? '';
  let curve = curves.get(name);
  if (curve === undefined) {
    const n = CURVE_ORDER[name];
    if (n === undefined) throw new Error(`no curve order for ${name}`);
    const nBits = n.toString(2).length;
    curve = { name, n, nBits, nBytes: Math.ceil(nBits / 8), ecdh: createECDH(name) };
    curves.set(name, curve);
  }
  return curve;
}

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`);
}

function toBytes(value: bigint, length: number): Buffer {
  return Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex');
}

function privateScalar(privateKey: KeyObject): bigint {
  let d = privateScalars.get(privateKey);
  if (d === undefined) {
    d = toBigInt(Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url'));
    privateScalars.set(privateKey, d);
  }
  return d;
}

/** The digest as an integer, keeping its leftmost nBits bits (SEC 1 §4.1.3 step 5). */
function digestInteger(digest: Uint8Array, curve: Curve): bigint {
  const z = toBigInt(digest);
  const excess = digest.length * 8 - curve.nBits;
  return excess > 0 ? z >> BigInt(excess) : z;
}

function modInverse(a: bigint, n: bigint): bigint {
  let [r0, r1] = [((a % n) + n) % n, n];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % n) + n) % n;
}

/** x(k·G) mod n, for 0 < k < n. */
function baseMultiplyX(curve: Curve, k: bigint): bigint {
  curve.ecdh.setPrivateKey(toBytes(k, curve.nBytes));
  const point = curve.ecdh.getPublicKey(); // 04 || X || Y
  const coordinateBytes = (point.length - 1) / 2;
  return toBigInt(point.subarray(1, 1 + coordinateBytes)) % curve.n;
}

/** A uniform nonce in [1, n−1]: 64 extra random bits make the modular bias negligible (FIPS 186-5 §A.3.1). */
function randomScalar(curve: Curve): bigint {
  return (toBigInt(randomBytes(curve.nBytes + 8)) % (curve.n - 1n)) + 1n;
}

export function ecdsaSignDigest(privateKey: KeyObject, digest: Uint8Array): Buffer {
  const curve = curveOf(privateKey);
  const d = privateScalar(privateKey);
  const z = digestInteger(digest, curve);
  for (;;) {
    const k = randomScalar(curve);
    const r = baseMultiplyX(curve, k);
    if (r === 0n) continue;
    const s = (modInverse(k, curve.n) * (z + r * d)) % curve.n;
    if (s === 0n) continue;
    return encodeEcdsaDer(r, s);
  }
}

export function ecdsaVerifyDigest(privateKey: KeyObject, digest: Uint8Array, signature: Uint8Array): boolean {
  const curve = curveOf(privateKey);
  const parsed = decodeEcdsaDer(signature);
  if (parsed === undefined) return false;
  const { r, s } = parsed;
  if (r < 1n || r >= curve.n || s < 1n || s >= curve.n) return false;
  const w = modInverse(s, curve.n);
  const u1 = (digestInteger(digest, curve) * w) % curve.n;
  const u2 = (r * w) % curve.n;
  const scalar = (u1 + u2 * privateScalar(privateKey)) % curve.n;
  if (scalar === 0n) return false; // the point at infinity
  return baseMultiplyX(curve, scalar) === r;
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x100) return Buffer.from([0x81, length]);
  return Buffer.from([0x82, length >> 8, length & 0xff]);
}

function derInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if (((bytes[0] as number) & 0x80) !== 0) bytes = Buffer.concat([Buffer.alloc(1), bytes]);
  return Buffer.concat([Buffer.from([0x02]), derLength(bytes.length), bytes]);
}

/** ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 §2.2.3), the DER form KMS returns. */
function encodeEcdsaDer(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

/** Parses a DER ECDSA signature; anything not in canonical DER (as OpenSSL insists on) is `undefined`. */
function decodeEcdsaDer(signature: Uint8Array): { r: bigint; s: bigint } | undefined {
  const buf = Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength);
  let at = 0;
  const length = (): number | undefined => {
    const first = buf[at++];
    if (first === undefined) return undefined;
    if (first < 0x80) return first;
    const count = first & 0x7f;
    if (count === 0 || count > 2 || at + count > buf.length) return undefined;
    let value = 0;
    for (let i = 0; i < count; i++) value = value * 256 + (buf[at++] as number);
    return value;
  };
  const integer = (): bigint | undefined => {
    if (buf[at++] !== 0x02) return undefined;
    const len = length();
    if (len === undefined || len === 0 || at + len > buf.length) return undefined;
    const bytes = buf.subarray(at, at + len);
    at += len;
    return toBigInt(bytes);
  };
  if (buf[at++] !== 0x30) return undefined;
  const total = length();
  if (total === undefined || at + total !== buf.length) return undefined;
  const r = integer();
  const s = integer();
  if (r === undefined || s === undefined || at !== buf.length) return undefined;
  // Re-encoding rejects non-minimal lengths, superfluous leading zeros and negative integers in one comparison.
  return encodeEcdsaDer(r, s).equals(buf) ? { r, s } : undefined;
}
