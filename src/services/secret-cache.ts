/**
 * Client-side secret caches with the semantics of AWS's own (aws-kms-facts.md §6: client caches default to 1 h in the
 * Java/Python libraries, 300 s in the Lambda extension and agent). Two styles, because they spend KMS calls
 * differently:
 *
 * - `caching-client` — the AWS Secrets Manager caching libraries for Java, Python, .NET and Go
 *   (aws/aws-secretsmanager-caching-python, cache/items.py and config.py; the Java library has the same structure): a
 *   cached secret is refreshed with **DescribeSecret** (no KMS call) at a jittered interval, uniform in
 *   [ttl/2, ttl] (`randint(round(ttl / 2), ttl)`); a version's value is fetched with GetSecretValue (one Decrypt)
 *   once per version id and kept, so KMS is called again only when the secret's current version changes. At most
 *   `maxSecrets` secrets (default 1,024, LRU). A refresh that fails leaves the cached value served and retries after
 *   1 s × 2^failures, at most 1 h (`exception_retry_delay_base` 1, `growth_factor` 2, `delay_max` 3,600). With no
 *   value to serve, a read before that retry time re-raises the stored error and sends nothing (items.py keeps the
 *   exception and raises it until `_next_retry_time`).
 * - `lambda-extension` — the AWS Parameters and Secrets Lambda Extension and the Secrets Manager Agent: a secret is
 *   served for `ttl` (default 300 s) after its fetch, then fetched again with GetSecretValue (one Decrypt); at most
 *   `maxSecrets` (default 1,000). A failed fetch is an error.
 *
 * Concurrent misses of one secret are not merged (each makes its own requests), as in the Encryption SDK's cache: an
 * upper bound on the requests of a cold start, where the Java and Python libraries serialise on a lock.
 *
 * A read is a small state machine ({@link SecretRead}) so both engine drivers — the promise-driven client and the
 * event-driven simulator — run it step by step with the fleet's retry policy around each request, from one set of
 * rules.
 */
import type { Random } from '../base/random.js';
import type { TimeSource } from '../base/time.js';
import type { ServiceInput, ServiceOutput } from './types.js';

/** The cache styles (see the module comment). */
export type SecretCacheStyle = 'caching-client' | 'lambda-extension';

/** A fleet's secret cache. */
export interface SecretCacheSetup {
  readonly style: SecretCacheStyle;
  /** caching-client: the refresh interval (DescribeSecret); lambda-extension: how long a fetched value is served. */
  readonly ttlMs: number;
  readonly maxSecrets: number;
  /** `fleet` (default): one cache for the fleet; `client`: one per client of a closed workload. */
  readonly partition: 'fleet' | 'client';
}

/** The named presets: each library's defaults. */
export const SECRET_CACHE_PRESETS: Readonly<Record<SecretCacheStyle, SecretCacheSetup>> = Object.freeze({
  // aws-secretsmanager-caching-python config.py: max_cache_size 1024, secret_refresh_interval 3600 (s); the Java
  // library's SecretCacheConfiguration: DEFAULT_MAX_CACHE_SIZE 1024, DEFAULT_CACHE_ITEM_TTL 1 h.
  'caching-client': { style: 'caching-client', ttlMs: 3_600_000, maxSecrets: 1024, partition: 'fleet' },
  // AWS Lambda Developer Guide, "Use Secrets Manager secrets in Lambda functions": SECRETS_MANAGER_TTL default 300 s,
  // PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE default 1000; the Secrets Manager Agent: ttl_seconds 300, cache_size 1000.
  'lambda-extension': { style: 'lambda-extension', ttlMs: 300_000, maxSecrets: 1000, partition: 'fleet' },
});

/** caching-client's retry after a failed refresh: 1 s × 2^failures, at most 1 h (config.py). */
const RETRY_BASE_MS = 1000;
const RETRY_MAX_MS = 3_600_000;

interface CachedSecret {
  /** caching-client: the current version id as DescribeSecret last said; lambda-extension: the fetched version. */
  versionId: string | undefined;
  /** Values fetched, by version id (caching-client keeps up to 10 versions per secret, as the library does). */
  readonly values: Map<string, ServiceOutput>;
  /** When the entry must be refreshed (caching-client) or re-fetched (lambda-extension). */
  refreshAtMs: number;
  /** caching-client after a failed refresh: no refresh before this. */
  retryAtMs: number;
  failures: number;
  /** caching-client: the error of the last failed refresh, re-raised until `retryAtMs` when no value is held. */
  error: string | undefined;
}

/** One fleet's (or one client's) secret cache. */
export class SecretCache {
  readonly setup: SecretCacheSetup;
  readonly #time: TimeSource;
  readonly #random: Random;
  readonly #entries = new Map<string, CachedSecret>();

  constructor(setup: SecretCacheSetup, time: TimeSource, random: Random) {
    this.setup = setup;
    this.#time = time;
    this.#random = random;
  }

  nowMs(): number {
    return this.#time.nowNs() / 1e6;
  }

  /** The entry of `secretId`, touched (most recently used); made when absent, the oldest evicted past `maxSecrets`. */
  entry(secretId: string): CachedSecret {
    let entry = this.#entries.get(secretId);
    if (entry !== undefined) {
      this.#entries.delete(secretId);
      this.#entries.set(secretId, entry);
      return entry;
    }
    entry = { versionId: undefined, values: new Map(), refreshAtMs: -Infinity, retryAtMs: -Infinity, failures: 0, error: undefined };
    this.#entries.set(secretId, entry);
    if (this.#entries.size > this.setup.maxSecrets) this.#entries.delete(this.#entries.keys().next().value as string);
    return entry;
  }

  /** The next refresh time after a successful DescribeSecret: uniform in [ttl/2, ttl], whole seconds as the library draws. */
  nextRefreshMs(nowMs: number): number {
    const ttlS = this.setup.ttlMs / 1000;
    const low = Math.round(ttlS / 2);
    const seconds = low + Math.floor(this.#random() * (Math.floor(ttlS) - low + 1));
    return nowMs + seconds * 1000;
  }

  /** How many secrets are cached. */
  get size(): number {
    return this.#entries.size;
  }
}

/** What a read asks next. */
export const READ_DONE = 0;
export const READ_CALL = 1;
export type ReadStep = typeof READ_DONE | typeof READ_CALL;

/** The version id DescribeSecret says is current (`AWSCURRENT`). */
function currentVersion(output: ServiceOutput): string | undefined {
  const stages = output['VersionIdsToStages'] as Record<string, readonly string[]> | undefined;
  for (const [id, labels] of Object.entries(stages ?? {})) if (labels.includes('AWSCURRENT')) return id;
  return undefined;
}

const DESCRIBING = 1;
const FETCHING = 2;

/**
 * One read of a secret through a cache, step by step: {@link start}, then for each {@link READ_CALL} the driver makes
 * `callOperation` with `callInput` (retried by the fleet's policy) and reports {@link succeeded} or {@link failed},
 * until {@link READ_DONE}: then `ok`, `errorName` and `hit` say how it ended. Reusable: one per operation slot.
 */
export class SecretRead {
  callOperation = '';
  callInput: ServiceInput = {};
  ok = false;
  errorName: string | undefined;
  /** The read was answered with no request to the service. */
  hit = false;
  #cache: SecretCache | undefined;
  #entry: CachedSecret | undefined;
  #secretId = '';
  #phase = 0;

  /** Starts a read of `secretId`. */
  start(cache: SecretCache, secretId: string): ReadStep {
    this.#cache = cache;
    this.#secretId = secretId;
    this.ok = false;
    this.hit = false;
    this.errorName = undefined;
    const entry = cache.entry(secretId);
    this.#entry = entry;
    const now = cache.nowMs();
    const cached = entry.versionId === undefined ? undefined : entry.values.get(entry.versionId);
    if (cached !== undefined && (now < entry.refreshAtMs || now < entry.retryAtMs)) return this.#done(true, undefined, true);
    // Nothing to serve and still backing off: the library raises the stored error again without a request.
    if (cached === undefined && entry.error !== undefined && now < entry.retryAtMs) return this.#done(false, entry.error, false);
    if (cache.setup.style === 'lambda-extension') return this.#fetch(undefined);
    this.#phase = DESCRIBING;
    this.callOperation = 'secretsmanager:DescribeSecret';
    this.callInput = { SecretId: secretId };
    return READ_CALL;
  }

  /** The current call succeeded with `output`. */
  succeeded(output: ServiceOutput): ReadStep {
    const cache = this.#cache as SecretCache;
    const entry = this.#entry as CachedSecret;
    const now = cache.nowMs();
    if (this.#phase === DESCRIBING) {
      entry.versionId = currentVersion(output);
      entry.refreshAtMs = cache.nextRefreshMs(now);
      entry.failures = 0;
      entry.retryAtMs = -Infinity;
      entry.error = undefined;
      if (entry.versionId !== undefined && entry.values.has(entry.versionId)) return this.#done(true, undefined, false);
      return this.#fetch(entry.versionId);
    }
    const versionId = typeof output['VersionId'] === 'string' ? output['VersionId'] : (entry.versionId ?? '');
    entry.versionId = versionId;
    entry.values.set(versionId, output);
    // The library keeps ten versions per secret (LRUCache(10)).
    if (entry.values.size > 10) entry.values.delete(entry.values.keys().next().value as string);
    if (cache.setup.style === 'lambda-extension') entry.refreshAtMs = now + cache.setup.ttlMs;
    return this.#done(true, undefined, false);
  }

  /** The current call failed for good (the fleet's retries spent) with error `errorName`. */
  failed(errorName: string): ReadStep {
    const cache = this.#cache as SecretCache;
    const entry = this.#entry as CachedSecret;
    if (cache.setup.style === 'caching-client') {
      const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** entry.failures);
      entry.failures++;
      entry.retryAtMs = cache.nowMs() + delay;
      entry.error = errorName;
      // The library serves what it holds when a refresh fails (items.py: it raises only when it has no value).
      const stale = entry.versionId === undefined ? undefined : entry.values.get(entry.versionId);
      if (stale !== undefined) return this.#done(true, undefined, false);
    }
    return this.#done(false, errorName, false);
  }

  #fetch(versionId: string | undefined): ReadStep {
    this.#phase = FETCHING;
    this.callOperation = 'secretsmanager:GetSecretValue';
    this.callInput = versionId === undefined ? { SecretId: this.#secretId } : { SecretId: this.#secretId, VersionId: versionId };
    return READ_CALL;
  }

  #done(ok: boolean, errorName: string | undefined, hit: boolean): ReadStep {
    this.ok = ok;
    this.errorName = errorName;
    this.hit = hit;
    this.#entry = undefined;
    this.#cache = undefined;
    this.callInput = {};
    return READ_DONE;
  }
}

/** A fleet's secret caches: one for the fleet, or one per client of a closed workload (`partition: client`). */
export class SecretCaches {
  readonly setup: SecretCacheSetup;
  readonly #time: TimeSource;
  readonly #random: Random;
  readonly #byClient = new Map<number, SecretCache>();
  #fleet: SecretCache | undefined;

  constructor(setup: SecretCacheSetup, time: TimeSource, random: Random) {
    this.setup = setup;
    this.#time = time;
    this.#random = random;
  }

  /** The cache a request of client `client` (undefined in open workloads) reads through. */
  cacheFor(client: number | undefined): SecretCache {
    if (this.setup.partition === 'fleet' || client === undefined) return (this.#fleet ??= new SecretCache(this.setup, this.#time, this.#random));
    let cache = this.#byClient.get(client);
    if (cache === undefined) {
      cache = new SecretCache(this.setup, this.#time, this.#random);
      this.#byClient.set(client, cache);
    }
    return cache;
  }
}
