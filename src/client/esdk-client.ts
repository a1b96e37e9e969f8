/**
 * `client: esdk`: the real AWS Encryption SDK for JavaScript (`@aws-crypto/client-node`) doing envelope encryption.
 * Its `KmsKeyringNode` gets a `clientProvider` that routes every region to the model through the real aggregated
 * `KMS` client of `@aws-sdk/client-kms` (so the SDK's serializer, signer and retry strategy run), optionally wrapped
 * in the SDK's own `NodeCachingMaterialsManager` over `getLocalCryptographicMaterialsCache`. Every HTTP attempt is
 * reported to the logical operation that caused it through AsyncLocalStorage.
 *
 * The SDK's cache reads `Date.now()`, not the engine's clock: under the virtual clock its maxAge runs in real time.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as EsdkModuleType from '@aws-crypto/client-node';
import type { AlgorithmSuiteIdentifier, KeyringNode, NodeMaterialsManager } from '@aws-crypto/client-node';
import type * as KmsModuleType from '@aws-sdk/client-kms';
import type { KMS } from '@aws-sdk/client-kms';
import type { Clock } from '../base/time.js';
import type { KmsModel } from '../kms/model.js';
import { errorNameOf, type AttemptListener, type BenchClient, type SendResult } from './bench-client.js';
import { emptyCacheStats, type CacheStats } from './data-key-cache.js';
import { accessKeyIdFor, instrumentedHandler } from './sdk-client.js';
import { recordKeyUsage } from '../metrics/cache-stats.js';

// The Encryption SDK (CommonJS) loads only when a fleet uses it: it adds ~150 ms to every worker thread's start.
const require = createRequire(import.meta.url);
type EsdkModule = typeof EsdkModuleType;
let esdkModule: EsdkModule | undefined;
function esdk(): EsdkModule {
  esdkModule ??= require('@aws-crypto/client-node') as EsdkModule;
  return esdkModule;
}
function kmsClass(): typeof KMS {
  return (require('@aws-sdk/client-kms') as typeof KmsModuleType).KMS;
}

/**
 * Algorithm suites: the SDK's default (committing, ECDSA P-384 signed) or the unsigned committing one
 * (`AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY[_ECDSA_P384]`).
 */
export const ESDK_SUITES = {
  'committing-signed': 0x0578 as AlgorithmSuiteIdentifier,
  committing: 0x0478 as AlgorithmSuiteIdentifier,
} as const;
export type EsdkSuite = keyof typeof ESDK_SUITES;

/** The SDK caching materials manager's settings (maxAge in ms, as the JS SDK takes it). */
export interface EsdkCacheSettings {
  readonly capacity: number;
  readonly maxAgeMs: number;
  readonly maxMessagesEncrypted?: number;
  readonly maxBytesEncrypted?: number;
}

export interface EsdkSessionOptions {
  readonly model: KmsModel;
  readonly accountId?: string;
  /** The principal ARN the session's KMS clients sign as; absent: the account root. */
  readonly principal?: string;
  readonly suite?: EsdkSuite;
  /** Without it, no caching materials manager: every message calls KMS. */
  readonly cache?: EsdkCacheSettings;
  /** One cache per client (`partition: client`), picked by `PlannedRequest.client`; default one shared cache. */
  readonly perClient?: boolean;
  readonly retry?: { readonly mode: 'standard' | 'adaptive'; readonly maxAttempts: number };
  readonly clock?: Clock;
  readonly latencyMs?: () => number;
  readonly signal?: AbortSignal;
}

/** Thrown when a decrypted message's encryption context lacks a pair the caller expected. */
export class EncryptionContextMismatchError extends Error {
  constructor(key: string) {
    super(`the message's encryption context does not match: ${key} differs`);
    this.name = 'EncryptionContextMismatchError';
  }
}

/** The Encryption SDK wired to the model. `encrypt` and `decrypt` report each KMS attempt to `onAttempt`. */
export class EsdkSession {
  readonly #attemptListener = new AsyncLocalStorage<AttemptListener>();
  readonly #clients = new Map<string, KMS>();
  readonly #managers = new Map<string, KeyringNode | NodeMaterialsManager>();
  readonly #options: EsdkSessionOptions;
  readonly #suiteId: AlgorithmSuiteIdentifier;
  readonly #esdk = esdk().buildClient(esdk().CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
  /** Per partition: the SDK's local cache and the partition name (random per manager, as the SDK does). */
  readonly #caches = new Map<number, { cache: ReturnType<EsdkModule['getLocalCryptographicMaterialsCache']>; id: string }>();

  constructor(options: EsdkSessionOptions) {
    this.#options = options;
    this.#suiteId = ESDK_SUITES[options.suite ?? 'committing-signed'];
  }

  /** The KMS client of a region, talking to the model. */
  #client(region: string): KMS {
    let client = this.#clients.get(region);
    if (client !== undefined) return client;
    const { model, accountId, principal, retry, clock, latencyMs, signal } = this.#options;
    const requestHandler = instrumentedHandler({
      model,
      attempts: this.#attemptListener,
      ...(accountId === undefined ? {} : { accountId }),
      ...(principal === undefined ? {} : { principal }),
      ...(clock === undefined ? {} : { clock }),
      ...(latencyMs === undefined ? {} : { latencyMs }),
      ...(signal === undefined ? {} : { signal }),
    });
    client = new (kmsClass())({
      region,
      credentials: { accessKeyId: accessKeyIdFor(accountId, principal), secretAccessKey: 'kms-bench' },
      requestHandler,
      maxAttempts: retry?.maxAttempts ?? 3,
      retryMode: retry?.mode ?? 'standard',
    });
    this.#clients.set(region, client);
    return client;
  }

  /** The keyring (uncached) or caching materials manager for a key and partition. */
  #manager(keyArn: string, client: number): KeyringNode | NodeMaterialsManager {
    const partition = this.#options.perClient === true ? client : 0;
    const id = `${partition}\u0000${keyArn}`;
    let manager = this.#managers.get(id);
    if (manager !== undefined) return manager;
    const { KmsKeyringNode, NodeCachingMaterialsManager, getLocalCryptographicMaterialsCache } = esdk();
    const keyring = new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider: (region: string) => this.#client(region) });
    const settings = this.#options.cache;
    if (settings === undefined) {
      manager = keyring;
    } else {
      let shared = this.#caches.get(partition);
      if (shared === undefined) {
        shared = { cache: getLocalCryptographicMaterialsCache(settings.capacity), id: randomUUID() };
        this.#caches.set(partition, shared);
      }
      manager = new NodeCachingMaterialsManager({
        backingMaterials: keyring,
        cache: shared.cache,
        // One partition per (cache, key): the SDK's cache key holds partition, suite and context, not the KMS key.
        partition: `${shared.id}/${keyArn}`,
        maxAge: settings.maxAgeMs,
        ...(settings.maxMessagesEncrypted === undefined ? {} : { maxMessagesEncrypted: settings.maxMessagesEncrypted }),
        ...(settings.maxBytesEncrypted === undefined ? {} : { maxBytesEncrypted: settings.maxBytesEncrypted }),
      });
    }
    this.#managers.set(id, manager);
    return manager;
  }

  /** Encrypts with the SDK; `onAttempt` hears every KMS attempt it makes. */
  async encrypt(
    keyArn: string,
    plaintext: Uint8Array,
    context: Readonly<Record<string, string>> | undefined,
    options: { onAttempt?: AttemptListener; partition?: number } = {},
  ): Promise<Buffer> {
    const manager = this.#manager(keyArn, options.partition ?? 0);
    const run = () =>
      this.#esdk.encrypt(manager, plaintext, { suiteId: this.#suiteId, ...(context === undefined ? {} : { encryptionContext: { ...context } }) });
    const { result } = options.onAttempt === undefined ? await run() : await this.#attemptListener.run(options.onAttempt, run);
    return result;
  }

  /** Decrypts with the SDK and checks that the message carries every pair of `context`. */
  async decrypt(
    keyArn: string,
    message: Uint8Array,
    context: Readonly<Record<string, string>> | undefined,
    options: { onAttempt?: AttemptListener; partition?: number } = {},
  ): Promise<Buffer> {
    const manager = this.#manager(keyArn, options.partition ?? 0);
    const run = () => this.#esdk.decrypt(manager, message);
    const { plaintext, messageHeader } = options.onAttempt === undefined ? await run() : await this.#attemptListener.run(options.onAttempt, run);
    for (const [key, value] of Object.entries(context ?? {})) {
      if (messageHeader.encryptionContext[key] !== value) {
        plaintext.fill(0);
        throw new EncryptionContextMismatchError(key);
      }
    }
    return plaintext;
  }

  destroy(): void {
    for (const client of this.#clients.values()) client.destroy();
    this.#clients.clear();
  }
}

/**
 * Sums the hits and misses an ESDK fleet saw: an operation that made no KMS attempt was served from the cache. With
 * the SDK's cache, per-key maxima, key age and evictions are not observable and flagged so (`stats.observed`);
 * without it every message has its own key, so they are known exactly.
 */
export class EsdkCacheCounter {
  readonly stats: CacheStats = emptyCacheStats();
  constructor(readonly cached: boolean) {
    if (cached) this.stats.observed = { keyMaxima: false, evictions: false };
  }
  count(operation: 'envelopeEncrypt' | 'envelopeDecrypt', attempts: number, plaintextBytes: number): void {
    const encrypt = operation === 'envelopeEncrypt';
    if (!this.cached) {
      // Uncached, every message has its own data key.
      if (encrypt) recordKeyUsage(this.stats, 1, plaintextBytes, 0);
      return;
    }
    if (attempts === 0) {
      if (encrypt) this.stats.encryptHits++;
      else this.stats.decryptHits++;
    } else if (encrypt) {
      // Each miss is one GenerateDataKey, so one data key; the SDK's cache hides how many messages each served, so
      // the per-key maxima and key age stay 0 and are flagged unobserved (the summary shows them as unknown).
      this.stats.encryptMisses++;
      this.stats.dataKeys++;
    } else {
      this.stats.decryptMisses++;
    }
    if (encrypt) {
      this.stats.messages++;
      this.stats.bytes += plaintextBytes;
    }
  }
}


/**
 * A {@link BenchClient} over the Encryption SDK for `envelopeEncrypt` and `envelopeDecrypt` requests (inputs as the
 * envelope workload plans them: `KeyId`, `Plaintext` or `Message`, `EncryptionContext`).
 */
export function createEsdkClient(options: EsdkSessionOptions): BenchClient & { readonly session: EsdkSession } {
  const session = new EsdkSession(options);
  // The SDK's cache exposes no counters: an operation that made no KMS attempt was served from it.
  const counter = new EsdkCacheCounter(options.cache !== undefined);
  return {
    session,
    cacheStats: () => ({ cached: options.cache !== undefined, stats: structuredClone(counter.stats) }),
    async send(request, onAttempt): Promise<SendResult> {
      let attempts = 0;
      const listener: AttemptListener = (outcome) => {
        attempts++;
        onAttempt(outcome);
      };
      const input = request.input as Record<string, unknown>;
      const keyArn = String(input['KeyId']);
      const context = input['EncryptionContext'] as Record<string, string> | undefined;
      const partition = request.client ?? 0;
      try {
        if (request.operation === 'envelopeEncrypt') {
          const plaintext = input['Plaintext'] as Uint8Array;
          await session.encrypt(keyArn, plaintext, context, { onAttempt: listener, partition });
          counter.count('envelopeEncrypt', attempts, plaintext.byteLength);
        } else if (request.operation === 'envelopeDecrypt') {
          await session.decrypt(keyArn, input['Message'] as Uint8Array, context, { onAttempt: listener, partition });
          counter.count('envelopeDecrypt', attempts, 0);
        } else {
          return { ok: false, errorName: 'UnsupportedOperation', attempts: 0 };
        }
        return { ok: true, attempts };
      } catch (error) {
        return { ok: false, errorName: errorNameOf(error), attempts };
      }
    },
    destroy() {
      session.destroy();
    },
  };
}
