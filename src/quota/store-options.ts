/**
 * Where a board keeps its budgets: `memory` (the default; shared memory, the threads of one process) or a Redis URL
 * (several processes and hosts drawing from one budget). Parsed and checked up front, every problem named by its path,
 * so a bad `--quota-store` or `quotas.store` fails before any work starts.
 *
 * `redis://host:port[/db][?lease=N&fault=POLICY&share=N&timeoutMs=N]`
 */
import { optionsIssue, type OptionsIssue } from '../base/options-error.js';
import { isRecord } from '../base/records.js';
import { describeValue, didYouMean, listOf } from '../base/text.js';

/** What a process does with a decision while Redis cannot be reached or answers too slowly (docs/QUOTA-STORE.md). */
export type QuotaFaultPolicy = 'fail-open' | 'fail-closed' | 'local';

/** The fault policies, the default first. */
export const QUOTA_FAULT_POLICIES: readonly QuotaFaultPolicy[] = ['local', 'fail-open', 'fail-closed'];

/**
 * Default lease: tokens taken from Redis per round trip. 50 keeps one process at 100k decisions/s to ~2,000 round
 * trips/s (loopback Redis answers a script in ~0.1–0.3 ms), while a window's leftover tokens stranded in other
 * processes stay small against KMS quotas of hundreds to tens of thousands per second (docs/QUOTA-STORE.md).
 */
export const DEFAULT_QUOTA_LEASE = 50;
/**
 * Default timeout on every Redis call: a decision never waits on Redis (it is answered from the lease in hand), so this
 * bounds only how long a refill may take before the process switches to its fault policy. 250 ms is a quarter of a
 * quota window: long enough for a loaded host, short enough to fall back within the window.
 */
export const DEFAULT_QUOTA_TIMEOUT_MS = 250;

/** Budgets in this process's shared memory. */
export interface MemoryStoreSpec {
  readonly kind: 'memory';
}

/** Budgets in Redis, leased in blocks of `lease` tokens. */
export interface RedisStoreSpec {
  readonly kind: 'redis';
  /** The URL as given, without user or password. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly lease: number;
  readonly fault: QuotaFaultPolicy;
  /** `local` policy: the quota is split across this many processes while Redis is away (default 1: all of it). */
  readonly share: number;
  readonly timeoutMs: number;
}

export type QuotaStoreSpec = MemoryStoreSpec | RedisStoreSpec;

export const MEMORY_STORE: MemoryStoreSpec = { kind: 'memory' };

const QUERY_OPTIONS = ['lease', 'fault', 'share', 'timeoutMs'];

/** A whole number in `[min, max]` from a query value, or an issue. */
function wholeNumber(params: URLSearchParams, name: string, fallback: number, min: number, max: number, at: (problem: string) => void): number {
  const text = params.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (/^\d+$/.test(text) && value >= min && value <= max) return value;
  at(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return fallback;
}

/**
 * The store a `quotas.store` value names, or the problems with it (each at `path`, e.g. `quotas.store`).
 * @param value `memory`, a `redis://` URL, or absent (memory).
 */
export function checkQuotaStore(input: unknown, path: string): { spec?: QuotaStoreSpec; issues: OptionsIssue[] } {
  // A resolved spec comes back when a board is rebuilt from shared options in another thread: check its URL again.
  const value = isRecord(input) && (input['kind'] === 'memory' || input['kind'] === 'redis') ? (input['kind'] === 'memory' ? 'memory' : input['url']) : input;
  if (value === undefined || value === 'memory') return { spec: MEMORY_STORE, issues: [] };
  const issues: OptionsIssue[] = [];
  const at = (problem: string): void => void issues.push(optionsIssue(path, [], problem, ': '));
  const example = 'e.g. redis://127.0.0.1:6379/0?lease=50';
  if (typeof value !== 'string') {
    at(`must be "memory" or a redis:// URL (${example}), got ${describeValue(value)}`);
    return { issues };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    at(`${JSON.stringify(value)} is neither "memory" nor a URL; expected a redis:// URL, ${example}`);
    return { issues };
  }
  if (url.protocol !== 'redis:') {
    at(`unsupported scheme "${url.protocol.replace(/:$/, '')}" in ${JSON.stringify(value)}; expected "memory" or redis:// (${example})`);
    return { issues };
  }
  if (url.hostname === '') at(`${JSON.stringify(value)} names no host; ${example}`);
  if (url.username !== '' || url.password !== '') at('must not carry a user or password (they would be written into reports); use a Redis reachable without AUTH, e.g. on a private network');
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!(/^\d*$/.test(dbText) && db <= 15)) at(`database ${JSON.stringify(dbText)} must be a number from 0 to 15 (the path of redis://host:port/db)`);
  const params = url.searchParams;
  for (const key of params.keys()) {
    if (!QUERY_OPTIONS.includes(key)) at(`unknown option "${key}"${didYouMean(key, QUERY_OPTIONS)}; expected ${listOf(QUERY_OPTIONS)}`);
  }
  const queryAt = (problem: string): void => at(problem);
  const lease = wholeNumber(params, 'lease', DEFAULT_QUOTA_LEASE, 1, 1_000_000, queryAt);
  const share = wholeNumber(params, 'share', 1, 1, 10_000, queryAt);
  const timeoutMs = wholeNumber(params, 'timeoutMs', DEFAULT_QUOTA_TIMEOUT_MS, 1, 60_000, queryAt);
  const faultText = params.get('fault') ?? 'local';
  const fault = (QUOTA_FAULT_POLICIES as readonly string[]).includes(faultText) ? (faultText as QuotaFaultPolicy) : undefined;
  if (fault === undefined) at(`fault must be ${listOf(QUOTA_FAULT_POLICIES)}, got ${JSON.stringify(faultText)}${didYouMean(faultText, QUOTA_FAULT_POLICIES)}`);
  if (issues.length > 0 || fault === undefined) return { issues };
  const shown = `redis://${url.host}${url.pathname}${url.search}`;
  return { spec: { kind: 'redis', url: shown, host: url.hostname.replace(/^\[|\]$/g, ''), port, db, lease, fault, share, timeoutMs }, issues };
}
