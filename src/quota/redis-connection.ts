/**
 * One thread's connection to the Redis that holds a run's budgets, and its health. A lease is taken with one script
 * call; every call is bounded by the store's timeout, and a failure marks the connection unhealthy: decisions then
 * follow the run's fault policy until a probe (a lease taken at most every `probeMs`) succeeds. ioredis reconnects on
 * its own, with backoff, for as long as the process lives; commands are never queued while it is away, so a lease
 * asked for during an outage cannot be granted later to nobody.
 */
import type { Redis as RedisClient } from 'ioredis';
import { FIXED_WINDOW_LUA, TOKEN_BUCKET_LUA } from './redis-scripts.js';
import type { RedisStoreSpec } from './store-options.js';

/** What a lease request got. */
export interface LeaseGrant {
  readonly granted: number;
  /** Token bucket: when the next token conforms, in the store's clock (ns). */
  readonly retryAtNs?: number;
}

type ScriptCall = (key: string, ...args: (string | number)[]) => Promise<unknown>;

/** Longest pause between reconnection attempts. */
const MAX_RECONNECT_MS = 1_000;

export class RedisConnection {
  readonly #spec: RedisStoreSpec;
  #client: RedisClient | undefined;
  #connecting: Promise<void> | undefined;
  #healthy = true;
  #nextProbeNs = 0;
  #closed = false;
  /** How long after a failure the next lease request may go out: the timeout, at most 100 ms. */
  readonly #probeNs: number;

  constructor(spec: RedisStoreSpec) {
    this.#spec = spec;
    this.#probeNs = Math.min(spec.timeoutMs, 100) * 1e6;
  }

  /** False from a failed call until a later one succeeds. */
  get healthy(): boolean {
    return this.#healthy;
  }

  /** Whether a lease request may be sent now: always while healthy, once per probe interval while not. */
  maySend(nowNs: number): boolean {
    return !this.#closed && (this.#healthy || nowNs >= this.#nextProbeNs);
  }

  /**
   * Connects (once); resolves when connected, or after the timeout (a few times over) when Redis cannot be reached —
   * never rejects: an unreachable Redis is a fault the policy answers, not a crash.
   */
  connect(): Promise<void> {
    this.#connecting ??= this.#open();
    return this.#connecting;
  }

  async #open(): Promise<void> {
    const { Redis } = await import('ioredis');
    const { host, port, db, timeoutMs } = this.#spec;
    const client = new Redis({
      host,
      port,
      db,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: timeoutMs * 4,
      commandTimeout: timeoutMs,
      retryStrategy: (times: number) => (this.#closed ? null : Math.min(times * 50, MAX_RECONNECT_MS)),
    });
    // Errors surface on the calls that fail; the event would otherwise be printed by ioredis.
    client.on('error', () => undefined);
    client.defineCommand('kmsBenchFixedWindow', { numberOfKeys: 1, lua: FIXED_WINDOW_LUA });
    client.defineCommand('kmsBenchTokenBucket', { numberOfKeys: 1, lua: TOKEN_BUCKET_LUA });
    this.#client = client;
    await this.#bounded(client.connect(), timeoutMs * 4).catch(() => this.#fail(0));
  }

  /** Takes up to `n` tokens of a fixed window. Rejects on any failure (already counted against health). */
  fixedWindow(key: string, limit: number, n: number, expiryMs: number, nowNs: number): Promise<LeaseGrant> {
    return this.#call('kmsBenchFixedWindow', nowNs, key, limit, n, Math.ceil(expiryMs)).then((granted) => ({ granted: Number(granted) }));
  }

  /** Takes up to `n` conforming GCRA tokens. Rejects on any failure (already counted against health). */
  tokenBucket(key: string, nowNs: number, intervalNs: number, toleranceNs: number, n: number): Promise<LeaseGrant> {
    return this.#call('kmsBenchTokenBucket', nowNs, key, String(nowNs), intervalNs, toleranceNs, n).then((reply) => {
      const [granted, retryAt] = reply as [number, string];
      return { granted: Number(granted), retryAtNs: Number(retryAt) };
    });
  }

  async #call(script: string, nowNs: number, key: string, ...args: (string | number)[]): Promise<unknown> {
    await this.connect();
    const call = (this.#client as unknown as Record<string, ScriptCall> | undefined)?.[script];
    if (call === undefined || this.#closed) throw new Error('quota store closed');
    try {
      const reply = await this.#bounded(call.call(this.#client, key, ...args), this.#spec.timeoutMs);
      this.#healthy = true;
      return reply;
    } catch (error) {
      this.#fail(nowNs);
      throw error;
    }
  }

  #fail(nowNs: number): void {
    this.#healthy = false;
    this.#nextProbeNs = nowNs + this.#probeNs;
  }

  /** ioredis' commandTimeout bounds a command sent; this bounds everything else (a connect, a stalled socket). */
  #bounded<T>(promise: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
      timer.unref();
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  /** Drops the connection at once (no QUIT round trip, which could wait on a Redis that is gone). */
  close(): void {
    this.#closed = true;
    this.#client?.disconnect();
  }
}
