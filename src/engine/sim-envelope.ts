/**
 * `envelopeEncrypt` and `envelopeDecrypt` as steps of an event-driven operation (sim-operation.ts), with the fleet's
 * data-key cache: the same rules as the promise-driven envelope client (src/client/envelope-client.ts over
 * envelope.ts), taken from the same places — the cache's synchronous steps (look up, join a fetch in flight, begin,
 * complete or abandon a fetch), the envelope's KMS inputs and answer checks, its sealing and opening. What differs is
 * only the driving: where the promise path awaits a KMS call or another request's fetch, a step returns
 * {@link STEP_CALL} or {@link STEP_WAIT} and the operation comes back with the answer or when woken.
 *
 * With `crypto: off` the local AES-GCM of the payload is skipped as the model skips its ciphers: every cache decision,
 * KMS call, quota decision and count stays.
 */
import type { EnvelopeCaches } from '../client/envelope-caches.js';
import type { DataKeyCache, DataKeyMaterial } from '../client/data-key-cache.js';
import {
  dataKeyMaterialOf,
  decryptDataKeyInput,
  generateDataKeyInput,
  openWithDataKey,
  parseEnvelope,
  plaintextKeyOf,
  sealParts,
} from '../client/envelope.js';
import { errorNameOf } from '../client/bench-client.js';
import type { PlannedRequest } from '../workload/request-mix.js';

/** The operation is over: successful when `errorName` is undefined. */
export const STEP_DONE = 0;
/** A KMS call is needed (`callOperation`, `callInput`): come back with {@link EnvelopeStep.fetched} or `.failed`. */
export const STEP_CALL = 1;
/** Waiting for another request's fetch (dedupe): the cache calls the resume callback; then {@link EnvelopeStep.resumed}. */
export const STEP_WAIT = 2;
export type Step = typeof STEP_DONE | typeof STEP_CALL | typeof STEP_WAIT;

/** What every envelope operation of one fleet shares. */
export interface EnvelopeFleet {
  readonly caches: EnvelopeCaches;
  /** False with `crypto: off`: the payload is not enciphered locally. */
  readonly localCrypto: boolean;
}

type Context = Readonly<Record<string, string>> | undefined;
type Parts = ReturnType<typeof parseEnvelope>;

/**
 * A sealed fixture's parts, and its decrypt entry id per cache with the context object it was made under: fixtures
 * repeat, parsing them once suffices. The id depends on the context too, so it is reused only under the same one.
 */
const parsedMessages = new WeakMap<Uint8Array, { parts: Parts; ids: WeakMap<DataKeyCache, { context: Context; id: string }> }>();

/** One envelope operation's state; an operation keeps its step and reuses it for its next envelope request. */
export class EnvelopeStep {
  readonly #fleet: EnvelopeFleet;
  readonly #resume: () => void;
  /** The final error's name once {@link STEP_DONE} is returned; undefined on success. */
  errorName: string | undefined;
  callOperation: 'GenerateDataKey' | 'Decrypt' = 'GenerateDataKey';
  callInput: Record<string, unknown> = {};
  #encrypt = true;
  #cache: DataKeyCache | undefined;
  #id = '';
  #joined = false;
  #keyArn = '';
  #context: Context;
  #plaintext: Uint8Array = new Uint8Array(0);
  #parts: Parts | undefined;

  /** @param resume queues the operation's wake-up when a fetch it waits for settles. */
  constructor(fleet: EnvelopeFleet, resume: () => void) {
    this.#fleet = fleet;
    this.#resume = resume;
  }

  /** Starts `request` (an envelope operation) for closed-workload client `client` (unset in open workloads). */
  start(request: PlannedRequest, client: number | undefined): Step {
    const input = request.input as Record<string, unknown>;
    this.errorName = undefined;
    this.#joined = false;
    this.#keyArn = String(input['KeyId']);
    this.#context = input['EncryptionContext'] as Context;
    const cache = this.#fleet.caches.cacheFor(client);
    this.#cache = cache;
    this.#encrypt = request.operation === 'envelopeEncrypt';
    if (this.#encrypt) {
      this.#plaintext = input['Plaintext'] as Uint8Array;
      if (cache !== undefined) this.#id = cache.encryptEntryId(this.#keyArn, this.#context);
    } else {
      const message = input['Message'] as Uint8Array;
      try {
        this.#parse(message, cache);
      } catch (error) {
        return this.#fail(error);
      }
    }
    return this.#look();
  }

  /** The fetch this operation waited for has settled: look again, as `joined`. */
  resumed(): Step {
    return this.#look();
  }

  /** The KMS call succeeded with `output`: the key is used (and cached), the operation is done. */
  fetched(output: Record<string, unknown>): Step {
    const cache = this.#cache;
    try {
      if (this.#encrypt) {
        let material: DataKeyMaterial;
        try {
          material = dataKeyMaterialOf(output, this.#keyArn);
        } catch (error) {
          cache?.abandonFetch(this.#id);
          throw error;
        }
        if (cache === undefined) {
          // Recorded once sealed, as the promise path records after envelopeEncrypt succeeds.
          const step = this.#seal(material, false);
          if (this.errorName === undefined) this.#fleet.caches.recordUncachedMessage(this.#plaintext.byteLength);
          return step;
        }
        const lease = cache.completeEncryptFetch(this.#id, material, this.#plaintext.byteLength);
        return this.#seal(material, lease.cached);
      }
      let key: Uint8Array;
      try {
        key = plaintextKeyOf(output);
      } catch (error) {
        cache?.abandonFetch(this.#id);
        throw error;
      }
      const parts = this.#parts as Parts;
      if (cache !== undefined) cache.completeDecryptFetch(this.#id, key, parts.encryptedKey);
      return this.#open(key, cache !== undefined);
    } catch (error) {
      return this.#fail(error);
    }
  }

  /** The KMS call failed for good: nothing is cached; requests waiting for this fetch look again. */
  failed(): void {
    this.#cache?.abandonFetch(this.#id);
  }

  #parse(message: Uint8Array, cache: DataKeyCache | undefined): void {
    let parsed = parsedMessages.get(message);
    if (parsed === undefined) {
      parsed = { parts: parseEnvelope(message), ids: new WeakMap() };
      parsedMessages.set(message, parsed);
    }
    this.#parts = parsed.parts;
    if (cache === undefined) return;
    let known = parsed.ids.get(cache);
    if (known === undefined || known.context !== this.#context) {
      known = { context: this.#context, id: cache.decryptEntryId(parsed.parts.encryptedKey, this.#context) };
      parsed.ids.set(cache, known);
    }
    this.#id = known.id;
  }

  /** A cache lookup (or, without a cache, the KMS call at once), as the promise path's loop makes it. */
  #look(): Step {
    const cache = this.#cache;
    if (cache !== undefined) {
      if (this.#encrypt) {
        const material = cache.useEncryptKey(this.#id, this.#plaintext.byteLength, this.#joined);
        if (material !== undefined) return this.#seal(material, true);
      } else {
        const key = cache.useDecryptKey(this.#id, this.#joined);
        if (key !== undefined) return this.#open(key, true);
      }
      if (cache.fetchInFlight(this.#id)) {
        this.#joined = true;
        cache.joinFetch(this.#id, this.#resume);
        return STEP_WAIT;
      }
      cache.beginFetch(this.#encrypt ? 'encrypt' : 'decrypt', this.#id);
    }
    if (this.#encrypt) {
      this.callOperation = 'GenerateDataKey';
      this.callInput = generateDataKeyInput(this.#keyArn, this.#context);
    } else {
      this.callOperation = 'Decrypt';
      this.callInput = decryptDataKeyInput((this.#parts as Parts).encryptedKey, this.#context, this.#keyArn);
    }
    return STEP_CALL;
  }

  /** Seals the payload (used at once: the cache may zero a cached key after this step); an uncached key is zeroed. */
  #seal(material: DataKeyMaterial, cached: boolean): Step {
    try {
      if (this.#fleet.localCrypto) sealParts(material.plaintext, material.encrypted, this.#plaintext, this.#context);
      return STEP_DONE;
    } catch (error) {
      return this.#fail(error);
    } finally {
      if (!cached) material.plaintext.fill(0);
    }
  }

  #open(key: Uint8Array, cached: boolean): Step {
    try {
      if (this.#fleet.localCrypto) openWithDataKey(key, this.#parts as Parts, this.#context);
      return STEP_DONE;
    } catch (error) {
      return this.#fail(error);
    } finally {
      if (!cached) key.fill(0);
    }
  }

  #fail(error: unknown): Step {
    this.errorName = errorNameOf(error);
    return STEP_DONE;
  }
}
