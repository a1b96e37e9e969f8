/**
 * Key specs KMS supports, with the usages and algorithms each allows. Source: aws-kms-facts.md §3 (AWS KMS Developer
 * Guide, "Key spec reference").
 */
import { DATA_KEY_PAIR_SPECS } from '../quota/buckets.js';

export type KeyFamily = 'symmetric' | 'rsa' | 'ecc' | 'hmac';
export type KeyUsage = 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' | 'GENERATE_VERIFY_MAC';

export interface KeySpecInfo {
  readonly family: KeyFamily;
  readonly usages: readonly KeyUsage[];
  readonly encryptionAlgorithms?: readonly string[];
  readonly signingAlgorithms?: readonly string[];
  readonly macAlgorithms?: readonly string[];
  /** node:crypto curve name for ECC specs. */
  readonly namedCurve?: string;
  /** RSA modulus length in bits. */
  readonly modulusBits?: number;
  /** HMAC key length in bytes (the spec's digest length). */
  readonly hmacKeyBytes?: number;
}

const RSA_SIGNING = [
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
] as const;
const RSA_ENCRYPTION = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const;
const RSA_USAGES: readonly KeyUsage[] = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'];

function rsa(modulusBits: number): KeySpecInfo {
  return { family: 'rsa', usages: RSA_USAGES, encryptionAlgorithms: RSA_ENCRYPTION, signingAlgorithms: RSA_SIGNING, modulusBits };
}
function ecc(namedCurve: string, signing: string): KeySpecInfo {
  return { family: 'ecc', usages: ['SIGN_VERIFY'], signingAlgorithms: [signing], namedCurve };
}
function hmac(bits: number): KeySpecInfo {
  return { family: 'hmac', usages: ['GENERATE_VERIFY_MAC'], macAlgorithms: [`HMAC_SHA_${bits}`], hmacKeyBytes: bits / 8 };
}

export const KEY_SPECS: Readonly<Record<string, KeySpecInfo>> = {
  SYMMETRIC_DEFAULT: { family: 'symmetric', usages: ['ENCRYPT_DECRYPT'], encryptionAlgorithms: ['SYMMETRIC_DEFAULT'] },
  RSA_2048: rsa(2048),
  RSA_3072: rsa(3072),
  RSA_4096: rsa(4096),
  ECC_NIST_P256: ecc('prime256v1', 'ECDSA_SHA_256'),
  ECC_NIST_P384: ecc('secp384r1', 'ECDSA_SHA_384'),
  ECC_NIST_P521: ecc('secp521r1', 'ECDSA_SHA_512'),
  ECC_SECG_P256K1: ecc('secp256k1', 'ECDSA_SHA_256'),
  HMAC_224: hmac(224),
  HMAC_256: hmac(256),
  HMAC_384: hmac(384),
  HMAC_512: hmac(512),
};

/**
 * Key pair specs GenerateDataKeyPair accepts (API reference, GenerateDataKeyPair › KeyPairSpec). The quota layer owns
 * the list, since each spec has a request quota of its own; each is also a {@link KEY_SPECS} entry, whose modulus or
 * curve GenerateDataKeyPair uses.
 */
export { DATA_KEY_PAIR_SPECS };

/**
 * The deprecated CustomerMasterKeySpec of CreateKey accepts the older specs (API reference, CreateKey): the asymmetric
 * ones are the key pair specs, in the same order.
 */
export const CUSTOMER_MASTER_KEY_SPECS = [
  ...DATA_KEY_PAIR_SPECS,
  'SYMMETRIC_DEFAULT',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'SM2',
] as const;

/**
 * Every KeySpec the API knows (API reference, CreateKey › KeySpec): the older ones and those added since. The model
 * implements the ones in {@link KEY_SPECS}; the others are valid requests it answers as unsupported.
 */
export const API_KEY_SPECS = [
  ...CUSTOMER_MASTER_KEY_SPECS,
  'ECC_NIST_EDWARDS25519',
  'ML_DSA_44',
  'ML_DSA_65',
  'ML_DSA_87',
  'ML_KEM_512',
  'ML_KEM_768',
  'ML_KEM_1024',
] as const;

/** Hash behind each signing or MAC algorithm, with its digest length in bytes (for DIGEST messages). */
export const ALGORITHM_HASH: Readonly<Record<string, { hash: string; digestBytes: number }>> = {
  RSASSA_PSS_SHA_256: { hash: 'sha256', digestBytes: 32 },
  RSASSA_PSS_SHA_384: { hash: 'sha384', digestBytes: 48 },
  RSASSA_PSS_SHA_512: { hash: 'sha512', digestBytes: 64 },
  RSASSA_PKCS1_V1_5_SHA_256: { hash: 'sha256', digestBytes: 32 },
  RSASSA_PKCS1_V1_5_SHA_384: { hash: 'sha384', digestBytes: 48 },
  RSASSA_PKCS1_V1_5_SHA_512: { hash: 'sha512', digestBytes: 64 },
  ECDSA_SHA_256: { hash: 'sha256', digestBytes: 32 },
  ECDSA_SHA_384: { hash: 'sha384', digestBytes: 48 },
  ECDSA_SHA_512: { hash: 'sha512', digestBytes: 64 },
  HMAC_SHA_224: { hash: 'sha224', digestBytes: 28 },
  HMAC_SHA_256: { hash: 'sha256', digestBytes: 32 },
  HMAC_SHA_384: { hash: 'sha384', digestBytes: 48 },
  HMAC_SHA_512: { hash: 'sha512', digestBytes: 64 },
  RSAES_OAEP_SHA_1: { hash: 'sha1', digestBytes: 20 },
  RSAES_OAEP_SHA_256: { hash: 'sha256', digestBytes: 32 },
};
