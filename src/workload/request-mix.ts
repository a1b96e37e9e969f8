/**
 * Turns a fleet's operation mix into ready-made KMS requests. Everything a request needs that costs KMS calls to make
 * (ciphertexts to decrypt, signatures and MACs to verify) is prepared once before the run through a quota-free model
 * holding the same keys, so preparation never consumes the measured quota. Payloads are views of one random buffer:
 * choosing a request allocates nothing but the input object.
 */
import { randomBytes } from 'node:crypto';
import { bucketFor } from '../quota/index.js';
import type { KmsInput } from '../kms/types.js';
import { KEY_SPECS } from '../kms/key-specs.js';
import { isEnvelopeOperation } from '../metrics/cache-summary.js';
import { envelopeEntry, type EnvelopeFixture } from './envelope-mix.js';
import { randomInt, type KeyedRandom, type Random } from '../base/random.js';
import { serviceOperation, type ServiceOperationDef } from '../services/index.js';

export interface MixKey {
  readonly arn: string;
  readonly keySpec: string;
}

export interface MixEntrySpec {
  readonly op: string;
  readonly weight: number;
  readonly key?: string;
  readonly destinationKey?: string;
  readonly payloadBytes?: number | { readonly min: number; readonly max: number };
  readonly dataKeySpec?: string;
  readonly contexts?: number;
  readonly signingAlgorithm?: string;
  /** A service operation's resource and params (src/services); absent for KMS operations. */
  readonly service?: { readonly resource: string; readonly params: Readonly<Record<string, boolean | number | string>> };
}

/** One request, ready to send. */
export interface PlannedRequest {
  readonly operation: string;
  readonly input: KmsInput;
  /** The quota bucket the request is charged to (for per-bucket timelines). */
  readonly bucket: string;
  /** Which client of a closed workload sends it (selects a per-client data-key cache); unset in open workloads. */
  readonly client?: number;
  /**
   * The key of the request's draws (its global arrival number, or its closed client and iteration): its service
   * latency is drawn by it too (an envelope operation's data-key call included), so a shard of a run draws what the
   * whole run draws for the same request.
   */
  readonly draw?: number;
}

/** Synchronous access to a model with no quota, for preparation. */
export type PrepareCall = (operation: string, input: KmsInput) => Record<string, unknown>;

/** Prepared blobs and signatures per context index are capped: beyond this, contexts repeat their blobs' pattern. */
const MAX_PREPARED_PER_ENTRY = 1024;
const PAYLOAD_POOL_BYTES = 64 * 1024;
/** Distinct payloads per mix entry: views of the pool with sizes from the entry's range. */
const PAYLOAD_VIEWS = 256;

interface PreparedEntry {
  readonly weight: number;
  readonly make: (random: Random) => PlannedRequest;
}

function contextFor(index: number): Record<string, string> {
  return { tenant: `tenant-${index}` };
}

export class RequestMix {
  readonly #entries: PreparedEntry[];
  readonly #cumulative: number[];
  readonly #total: number;
  /** Messages for `envelopeDecrypt` entries, to be sealed in the fleet client's format before the run (engine). */
  readonly envelopeFixtures: EnvelopeFixture[] = [];

  constructor(mix: readonly MixEntrySpec[], keys: ReadonlyMap<string, MixKey>, prepare: PrepareCall, random: Random) {
    // Envelope payloads go up to megabytes: the pool holds the largest payload of the mix.
    const largest = Math.max(0, ...mix.map((e) => (typeof e.payloadBytes === 'number' ? e.payloadBytes : (e.payloadBytes?.max ?? 0))));
    const pool = randomBytes(Math.max(PAYLOAD_POOL_BYTES, largest));
    this.#entries = mix.map((entry) => prepareEntry(entry, keys, prepare, pool, random, this.envelopeFixtures));
    this.#cumulative = [];
    let sum = 0;
    for (const entry of this.#entries) {
      sum += entry.weight;
      this.#cumulative.push(sum);
    }
    this.#total = sum;
  }

  next(random: Random): PlannedRequest {
    const pick = random() * this.#total;
    let i = 0;
    while (i < this.#cumulative.length - 1 && pick >= (this.#cumulative[i] as number)) i++;
    return (this.#entries[i] as PreparedEntry).make(random);
  }

  /**
   * The request of item `key` of a keyed stream: its operation, payload and context drawn from `requests` at `key`,
   * so any thread or host makes the same request for the same key. The request carries `key` as its `draw`.
   */
  nextKeyed(requests: KeyedRandom, key: number): PlannedRequest {
    // Every `make` returns a fresh object: marking it is safe.
    const request = this.next(requests.at(key)) as { draw?: number };
    request.draw = key;
    return request as PlannedRequest;
  }
}

function keyOf(keys: ReadonlyMap<string, MixKey>, name: string | undefined, op: string): MixKey {
  const key = name === undefined ? undefined : keys.get(name);
  if (key === undefined) throw new Error(`mix: ${op} names unknown key "${String(name)}"`);
  return key;
}

function prepareEntry(
  entry: MixEntrySpec,
  keys: ReadonlyMap<string, MixKey>,
  prepare: PrepareCall,
  pool: Buffer,
  setupRandom: Random,
  fixtures: EnvelopeFixture[],
): PreparedEntry {
  const op = entry.op;
  const service = serviceOperation(op);
  if (service !== undefined) return serviceEntry(entry, service);
  const sizes = entry.payloadBytes ?? 256;
  const size = (random: Random): number =>
    typeof sizes === 'number' ? sizes : randomInt(random, sizes.min, sizes.max);
  // A fixed set of payload views (sizes and offsets drawn once from the setup stream): choosing a payload is an index,
  // not a new Buffer object per request.
  const views = Array.from({ length: PAYLOAD_VIEWS }, () => {
    const n = size(setupRandom);
    const at = randomInt(setupRandom, 0, pool.length - n);
    return pool.subarray(at, at + n);
  });
  const payload = (random: Random): Buffer => views[Math.floor(random() * PAYLOAD_VIEWS)] as Buffer;
  const contexts = entry.contexts ?? 0;
  const pickContext = (random: Random): number => (contexts === 0 ? -1 : randomInt(random, 0, contexts - 1));
  // One context object per index, shared by every request that uses it (the model only reads it), set on the input
  // object each request builds fresh: no copy of the input per request.
  const contextObjects = Array.from({ length: contexts }, (_, index) => contextFor(index));
  const withContext = (input: KmsInput, index: number, field = 'EncryptionContext'): KmsInput => {
    if (index >= 0) input[field] = contextObjects[index];
    return input;
  };
  const weight = entry.weight;

  if (op === 'GenerateRandom') {
    const bucket = bucketFor(op);
    return { weight, make: (r) => ({ operation: op, input: { NumberOfBytes: Math.min(1024, size(r)) }, bucket }) };
  }
  const key = keyOf(keys, entry.key, op);
  const info = KEY_SPECS[key.keySpec];
  const encryptionAlgorithm = info?.family === 'rsa' ? 'RSAES_OAEP_SHA_256' : undefined;
  const signingAlgorithm = entry.signingAlgorithm ?? info?.signingAlgorithms?.[0];
  const macAlgorithm = info?.macAlgorithms?.[0];
  // ReEncrypt's second key: the model charges it by both (`bucketFor`), so the mix tags it by both too.
  const destination = op === 'ReEncrypt' ? keyOf(keys, entry.destinationKey ?? entry.key, op) : undefined;
  // Envelope operations call GenerateDataKey or Decrypt: the symmetric bucket.
  const bucket = bucketFor(isEnvelopeOperation(op) ? 'GenerateDataKey' : op, key.keySpec, destination?.keySpec);
  const variants = Math.min(Math.max(contexts, 1), MAX_PREPARED_PER_ENTRY);

  switch (op) {
    case 'Encrypt':
      // One object shape per entry (no spread, no property added later): the model reads inputs on its hot path.
      return {
        weight,
        make: (r) => {
          const index = pickContext(r);
          const context = index < 0 ? undefined : contextObjects[index];
          const input: KmsInput =
            encryptionAlgorithm === undefined
              ? { KeyId: key.arn, Plaintext: payload(r), EncryptionContext: context }
              : { KeyId: key.arn, Plaintext: payload(r), EncryptionAlgorithm: encryptionAlgorithm, EncryptionContext: context };
          return { operation: op, input, bucket };
        },
      };
    case 'GenerateDataKey':
    case 'GenerateDataKeyWithoutPlaintext': {
      const spec = entry.dataKeySpec ?? 'AES_256';
      return { weight, make: (r) => ({ operation: op, input: withContext({ KeyId: key.arn, KeySpec: spec }, pickContext(r)), bucket }) };
    }
    case 'Decrypt':
    case 'ReEncrypt': {
      const blobs: Uint8Array[] = [];
      for (let i = 0; i < variants; i++) {
        const plaintext = payload(setupRandom);
        const input = withContext({ KeyId: key.arn, Plaintext: plaintext, ...alg(encryptionAlgorithm) }, contexts === 0 ? -1 : i);
        blobs.push(prepare('Encrypt', input)['CiphertextBlob'] as Uint8Array);
      }
      const reEncrypt = destination === undefined ? undefined : reEncryptFields(key, encryptionAlgorithm, destination);
      return {
        weight,
        make: (r) => {
          const index = randomInt(r, 0, variants - 1);
          const ctx = contexts === 0 ? -1 : index;
          const blob = blobs[index] as Uint8Array;
          const context = ctx < 0 ? undefined : contextObjects[ctx];
          const input: KmsInput =
            reEncrypt !== undefined
              ? {
                  CiphertextBlob: blob,
                  SourceKeyId: reEncrypt.SourceKeyId,
                  SourceEncryptionAlgorithm: reEncrypt.SourceEncryptionAlgorithm,
                  SourceEncryptionContext: context,
                  DestinationKeyId: reEncrypt.DestinationKeyId,
                  DestinationEncryptionAlgorithm: reEncrypt.DestinationEncryptionAlgorithm,
                }
              : encryptionAlgorithm === undefined
                ? { CiphertextBlob: blob, EncryptionContext: context }
                : { CiphertextBlob: blob, KeyId: key.arn, EncryptionAlgorithm: encryptionAlgorithm, EncryptionContext: context };
          return { operation: op, input, bucket };
        },
      };
    }
    case 'Sign':
      return {
        weight,
        make: (r) => ({ operation: op, input: { KeyId: key.arn, Message: payload(r), MessageType: 'RAW', SigningAlgorithm: signingAlgorithm }, bucket }),
      };
    case 'Verify':
    case 'VerifyMac': {
      const prepared: KmsInput[] = [];
      for (let i = 0; i < variants; i++) {
        const message = Buffer.from(payload(setupRandom));
        if (op === 'Verify') {
          const base = { KeyId: key.arn, Message: message, MessageType: 'RAW', SigningAlgorithm: signingAlgorithm };
          prepared.push({ ...base, Signature: prepare('Sign', base)['Signature'] });
        } else {
          const base = { KeyId: key.arn, Message: message, MacAlgorithm: macAlgorithm };
          prepared.push({ ...base, Mac: prepare('GenerateMac', base)['Mac'] });
        }
      }
      return { weight, make: (r) => ({ operation: op, input: prepared[randomInt(r, 0, variants - 1)] as KmsInput, bucket }) };
    }
    case 'GenerateMac':
      return { weight, make: (r) => ({ operation: op, input: { KeyId: key.arn, Message: payload(r), MacAlgorithm: macAlgorithm }, bucket }) };
    case 'envelopeEncrypt':
    case 'envelopeDecrypt':
      return {
        weight,
        // The shared context objects: the envelope and its cache remember a context's canonical form per object.
        make: envelopeEntry({ op, keyArn: key.arn, bucket, contexts, variants, payload, contextFor: (index) => contextObjects[index] ?? contextFor(index), setupRandom, fixtures }),
      };
    case 'DescribeKey':
    case 'GetPublicKey':
      return { weight, make: () => ({ operation: op, input: { KeyId: key.arn }, bucket }) };
    default:
      throw new Error(`mix: operation ${op} is not supported in a workload mix`);
  }
}

interface ReEncryptKeyFields {
  readonly SourceKeyId: string | undefined;
  readonly SourceEncryptionAlgorithm: string | undefined;
  readonly DestinationKeyId: string;
  readonly DestinationEncryptionAlgorithm: string | undefined;
}

/**
 * ReEncrypt's key fields, in one shape whatever the keys: an RSA blob is raw OAEP, so an RSA source is named with its
 * algorithm (as Decrypt's KeyId), and an RSA destination needs its algorithm; absent fields stay undefined.
 */
function reEncryptFields(source: MixKey, sourceAlgorithm: string | undefined, destination: MixKey): ReEncryptKeyFields {
  const destinationRsa = KEY_SPECS[destination.keySpec]?.family === 'rsa';
  return {
    SourceKeyId: sourceAlgorithm === undefined ? undefined : source.arn,
    SourceEncryptionAlgorithm: sourceAlgorithm,
    DestinationKeyId: destination.arn,
    DestinationEncryptionAlgorithm: destinationRsa ? 'RSAES_OAEP_SHA_256' : undefined,
  };
}

function alg(encryptionAlgorithm: string | undefined): KmsInput {
  return encryptionAlgorithm === undefined ? {} : { EncryptionAlgorithm: encryptionAlgorithm };
}

/**
 * A service operation's requests: one input object for the entry (the service reads it, nothing changes it), with the
 * resource in the operation's input field and each param in its own. Its metrics bucket is the service's name: the
 * per-second lines of the fleet's requests to it (the KMS calls it makes are the service's, counted by attribution).
 */
function serviceEntry(entry: MixEntrySpec, def: ServiceOperationDef): PreparedEntry {
  const input: KmsInput = { [def.inputField]: entry.service?.resource };
  for (const param of def.params ?? []) {
    const value = entry.service?.params[param.field] ?? param.default;
    if (value !== undefined) input[param.inputField] = value;
  }
  Object.freeze(input);
  // A fresh request per call, as every entry's `make` returns (nextKeyed marks it with its draw); the input is shared.
  return { weight: entry.weight, make: () => ({ operation: def.name, input, bucket: def.service }) };
}
