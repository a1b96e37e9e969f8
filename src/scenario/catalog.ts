/**
 * What each operation of a workload mix needs: which keys it accepts, what payload it sends and its size limits.
 * Limits come from the model's tables (src/kms/limits.ts, src/kms/key-specs.ts; aws-kms-facts.md §3).
 */
import { LIMITS } from '../kms/limits.js';
import { KEY_SPECS } from '../kms/key-specs.js';
import type { KeyFamily, KeyUsage } from '../kms/key-specs.js';
import type { KmsOperation } from '../kms/types.js';
import type { EnvelopeOperation } from '../metrics/cache-summary.js';
import type { MixOperation } from './types.js';

/** Every operation a mix can issue, in the order messages list them. */
export const MIX_OPERATIONS = [
  'Encrypt',
  'Decrypt',
  'ReEncrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateRandom',
  'Sign',
  'Verify',
  'GenerateMac',
  'VerifyMac',
  'DescribeKey',
  'GetPublicKey',
  'envelopeEncrypt',
  'envelopeDecrypt',
] as const satisfies readonly (MixOperation & (KmsOperation | EnvelopeOperation))[];

/** The largest envelope payload: megabytes are the point, and each worker holds one payload pool of this size. */
export const ENVELOPE_MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

/** What an operation sends besides the key. */
export type PayloadKind =
  /** Encrypt's plaintext: 1..4096 bytes for symmetric keys, the RSA-OAEP limit for RSA keys. */
  | 'plaintext'
  /** `NumberOfBytes` (1..1024), or `dataKeySpec`. */
  | 'dataKey'
  /** GenerateRandom's `NumberOfBytes` (1..1024). */
  | 'numberOfBytes'
  /** Sign / GenerateMac message: 1..4096 bytes. */
  | 'message'
  /** Envelope encryption's payload, encrypted locally: 1 byte to 64 MiB. */
  | 'envelope'
  | 'none';

/** One operation's requirements. */
export interface OpRule {
  /** Whether the operation takes a key. */
  readonly takesKey: boolean;
  /** Key families it accepts, when it takes a key. */
  readonly families: readonly KeyFamily[];
  /** Key usage the key must have, when one is required. */
  readonly usage: KeyUsage | undefined;
  /** The kind of key, for messages: "a symmetric encryption key". */
  readonly keyDescription: string;
  readonly payload: PayloadKind;
  /** Whether the operation takes an encryption context (symmetric keys only). */
  readonly contexts: boolean;
}

const ENCRYPTION: OpRule = {
  takesKey: true,
  families: ['symmetric', 'rsa'],
  usage: 'ENCRYPT_DECRYPT',
  keyDescription: 'an ENCRYPT_DECRYPT key (SYMMETRIC_DEFAULT or RSA)',
  payload: 'plaintext',
  contexts: true,
};
const DATA_KEY: OpRule = {
  takesKey: true,
  families: ['symmetric'],
  usage: 'ENCRYPT_DECRYPT',
  keyDescription: 'a symmetric encryption key (SYMMETRIC_DEFAULT)',
  payload: 'dataKey',
  contexts: true,
};
const SIGNING: OpRule = {
  takesKey: true,
  families: ['rsa', 'ecc'],
  usage: 'SIGN_VERIFY',
  keyDescription: 'a SIGN_VERIFY key (RSA or ECC)',
  payload: 'message',
  contexts: false,
};
const MAC: OpRule = {
  takesKey: true,
  families: ['hmac'],
  usage: 'GENERATE_VERIFY_MAC',
  keyDescription: 'an HMAC key (HMAC_224, HMAC_256, HMAC_384 or HMAC_512)',
  payload: 'message',
  contexts: false,
};

/** Requirements by operation (AWS KMS API reference, each operation's KeyId and request parameters). */
export const OP_RULES: Readonly<Record<MixOperation, OpRule>> = {
  Encrypt: ENCRYPTION,
  Decrypt: ENCRYPTION,
  ReEncrypt: ENCRYPTION,
  GenerateDataKey: DATA_KEY,
  GenerateDataKeyWithoutPlaintext: DATA_KEY,
  GenerateRandom: { takesKey: false, families: [], usage: undefined, keyDescription: 'no key', payload: 'numberOfBytes', contexts: false },
  Sign: SIGNING,
  Verify: SIGNING,
  GenerateMac: MAC,
  VerifyMac: MAC,
  DescribeKey: {
    takesKey: true,
    families: ['symmetric', 'rsa', 'ecc', 'hmac'],
    usage: undefined,
    keyDescription: 'any key',
    payload: 'none',
    contexts: false,
  },
  GetPublicKey: {
    takesKey: true,
    families: ['rsa', 'ecc'],
    usage: undefined,
    keyDescription: 'an asymmetric key (RSA or ECC)',
    payload: 'none',
    contexts: false,
  },
  envelopeEncrypt: { ...DATA_KEY, payload: 'envelope' },
  envelopeDecrypt: { ...DATA_KEY, payload: 'envelope' },
};

/** Payload size when a mix entry gives none: the size of an AES-256 data key, under every limit. */
export const DEFAULT_PAYLOAD_BYTES = 32;

/** SHA-256 digest length: RSAES_OAEP_SHA_256 is the stricter of the two OAEP algorithms. */
const OAEP_SHA256_HASH_BYTES = 32;

/**
 * The byte range a payload of this kind may take with this key spec. For RSA plaintext it is the RSAES_OAEP_SHA_256
 * limit (k − 2·hLen − 2: 190 / 318 / 446 bytes), which also fits RSAES_OAEP_SHA_1, so either algorithm works
 * (aws-kms-facts.md §3).
 */
export function payloadLimits(kind: PayloadKind, keySpec: string | undefined): { min: number; max: number } | undefined {
  switch (kind) {
    case 'plaintext': {
      const bits = keySpec === undefined ? undefined : KEY_SPECS[keySpec]?.modulusBits;
      if (bits !== undefined) return { min: 1, max: bits / 8 - 2 * OAEP_SHA256_HASH_BYTES - 2 };
      return { min: 1, max: LIMITS.symmetricPlaintextMaxBytes };
    }
    case 'dataKey':
    case 'numberOfBytes':
      return { min: LIMITS.numberOfBytesMin, max: LIMITS.numberOfBytesMax };
    case 'message':
      return { min: 1, max: LIMITS.messageMaxBytes };
    case 'envelope':
      return { min: 1, max: ENVELOPE_MAX_PAYLOAD_BYTES };
    case 'none':
      return undefined;
  }
}

/** Scenario names end up in directory names: no separators, no leading dot. */
export const SCENARIO_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

/** Fleet and key names appear in `--set` and matrix paths, so they cannot contain dots. */
export const ENTRY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** AWS account ids: 12 digits. */
export const ACCOUNT_PATTERN = /^\d{12}$/;

/** Alias names (API reference, CreateAlias › AliasName); `alias/aws/` is reserved for AWS managed keys. */
export const ALIAS_PATTERN = /^alias\/[a-zA-Z0-9:/_-]+$/;
