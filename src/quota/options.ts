/**
 * Quota options: what a scenario (or `new KmsModel({ quotas })`) says about request quotas, validated up front so a
 * bad value fails before any work starts, with every problem named by its path.
 */
import { QUOTA_BUCKETS, isQuotaBucket } from './buckets.js';
import { MIN_QUOTA_PER_SEC, QUOTA_ENFORCEMENTS, type QuotaEnforcement } from './limiters.js';
import { QUOTA_PROFILE_NAMES } from './profiles.js';
import type { QuotaOverrides, QuotaProfileName } from './profiles.js';
import { OptionsError, optionsIssue, type OptionsIssue } from '../base/options-error.js';
import { isRecord } from '../base/records.js';
import { describeValue, didYouMean, listOf } from '../base/text.js';
import { isRegionName } from '../base/region-name.js';
import { checkQuotaStore, MEMORY_STORE, type QuotaStoreSpec } from './store-options.js';

export { QUOTA_ENFORCEMENTS, type QuotaEnforcement } from './limiters.js';

/** Default number of (account, region, bucket) slots a board holds. */
export const DEFAULT_QUOTA_CAPACITY = 4096;

/** Default number of distinct threads that may attach to one board (each gets its own block of counters). */
export const DEFAULT_QUOTA_MAX_THREADS = 64;

/** Quota options as a scenario gives them; everything is optional. */
export interface QuotaOptions {
  /** Which table of quotas to start from. Default `kms-current`. */
  readonly profile?: QuotaProfileName;
  /**
   * `fixed-window` (default): a budget per one-second interval, rejecting for the rest of the interval once used, as
   * KMS documents. `token-bucket`: GCRA with a burst of `burstSeconds` worth of requests.
   */
  readonly enforcement?: QuotaEnforcement;
  /** Token bucket only: the burst, in seconds of quota (default 1: a full second's worth at once). */
  readonly burstSeconds?: number;
  /** Per-region, per-bucket values in requests per second; region `*` applies everywhere. */
  readonly overrides?: QuotaOverrides;
  /** Slots in the shared table, one per (account, region, bucket) used: a power of two, default 4096. */
  readonly capacity?: number;
  /** Distinct threads that may use the board over its life (1 to 4096, default 64). */
  readonly maxThreads?: number;
  /**
   * Where the budgets live: `memory` (default: shared memory, the threads of one process) or
   * `redis://host:port[/db][?lease=N&fault=local|fail-open|fail-closed&share=N&timeoutMs=N]` (several processes and
   * hosts; src/quota/store-options.ts).
   */
  readonly store?: string | QuotaStoreSpec;
  /**
   * Names the budgets in a shared store: processes that give the same run id (and store) draw from one quota. Letters,
   * digits and `._:-`, at most 128 characters; default `kms-bench`.
   */
  readonly runId?: string;
}

/** Validated options with every default filled in. Plain data: structured-cloneable. */
export interface ResolvedQuotaOptions {
  readonly profile: QuotaProfileName;
  readonly enforcement: QuotaEnforcement;
  readonly burstSeconds: number;
  readonly overrides: QuotaOverrides;
  readonly capacity: number;
  readonly maxThreads: number;
  readonly store: QuotaStoreSpec;
  readonly runId: string;
}

/** One problem found in quota options (path e.g. `quotas.overrides.us-east-1.symmetric`). */
export type QuotaOptionsIssue = OptionsIssue;

/** Thrown when quota options are invalid; carries every problem at once. */
export class QuotaOptionsError extends OptionsError {
  constructor(issues: readonly OptionsIssue[]) {
    super('QuotaOptionsError', issues);
  }
}

const KNOWN_OPTIONS = ['profile', 'enforcement', 'burstSeconds', 'overrides', 'capacity', 'maxThreads', 'store', 'runId'];

/** The run id when none is given. */
export const DEFAULT_QUOTA_RUN_ID = 'kms-bench';

/** A run id goes into Redis keys between `:` separators and into file names of reports: a plain word. */
const RUN_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Whether `value` can be a run id; the problem otherwise. */
export function runIdProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && RUN_ID_PATTERN.test(value)) return undefined;
  return `must be 1 to 128 letters, digits, ".", "_", ":" or "-", got ${describeValue(value)}`;
}

/**
 * A board's run id: a run id, or one with the engine's per-variant suffix `/v<index>`. The `/` is outside the run id
 * rule, so a suffixed id never equals an id a user gave (`x:v1` stays run `x:v1`, apart from run `x`'s variant 1).
 */
function boardRunIdProblem(value: unknown): string | undefined {
  const variant = typeof value === 'string' ? /^(.*)\/v[1-9][0-9]*$/.exec(value) : null;
  return runIdProblem(variant === null ? value : variant[1]);
}

function validateOverrides(value: unknown, path: string, issues: QuotaOptionsIssue[]): QuotaOverrides {
  const at = (field: readonly string[], problem: string, separator: ' ' | ': ' = ' '): void => {
    issues.push(optionsIssue(path, ['overrides', ...field], problem, separator));
  };
  if (!isRecord(value)) {
    at([], 'must be an object of regions, e.g. { "us-east-1": { "symmetric": 50 } }');
    return {};
  }
  const out: Record<string, Record<string, number>> = {};
  for (const [region, buckets] of Object.entries(value)) {
    if (region !== '*' && !isRegionName(region)) {
      at([region], `"${region}" is not an AWS region name (e.g. us-east-1), nor "*" for every region`, ': ');
      continue;
    }
    if (!isRecord(buckets)) {
      at([region], 'must be an object of buckets, e.g. { "symmetric": 50 }');
      continue;
    }
    const values: Record<string, number> = {};
    for (const [bucket, quota] of Object.entries(buckets)) {
      if (!isQuotaBucket(bucket)) {
        at(
          [region, bucket],
          `unknown bucket "${bucket}"${didYouMean(bucket, QUOTA_BUCKETS)}; expected symmetric, rsa, ecc, ` +
            `gdkp:<key pair spec>, custom-key-store or a management API name such as CreateKey`,
          ': ',
        );
      } else if (typeof quota !== 'number' || Number.isNaN(quota) || quota <= 0) {
        at([region, bucket], `must be a positive number, got ${describeValue(quota)}`);
      } else if (quota < MIN_QUOTA_PER_SEC) {
        at([region, bucket], `must be at least ${MIN_QUOTA_PER_SEC.toFixed(6)} requests per second (one per 11.6 days), got ${describeValue(quota)}`);
      } else {
        values[bucket] = quota;
      }
    }
    out[region] = values;
  }
  return out;
}

/** A named option that must be one of `names`: its value, or `fallback` with an issue recorded. */
function oneOf<T extends string>(options: Record<string, unknown>, field: string, what: string, names: readonly T[], fallback: T, path: string, issues: QuotaOptionsIssue[]): T {
  const value = options[field];
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (names as readonly string[]).includes(value)) return value as T;
  issues.push(optionsIssue(path, [field], `unknown ${what} ${describeValue(value)}; expected ${listOf(names)}${didYouMean(value, names)}`, ': '));
  return fallback;
}

/** A numeric option: its value when `valid` accepts it, else `fallback` with `problem` recorded. */
function numeric(options: Record<string, unknown>, field: string, fallback: number, valid: (value: number) => boolean, problem: string, path: string, issues: QuotaOptionsIssue[]): number {
  const value = options[field];
  if (value === undefined) return fallback;
  if (typeof value === 'number' && valid(value)) return value;
  issues.push(optionsIssue(path, [field], `${problem}, got ${describeValue(value)}`));
  return fallback;
}

/**
 * Every problem with quota options, and the options with defaults filled in when there is none. The scenario schema
 * reports these issues at the fields of the scenario; {@link validateQuotaOptions} throws them.
 *
 * @param input the options as given (anything: a parsed scenario's `quotas` field).
 * @param path the path the options sit at, used in messages (default `quotas`).
 */
export function checkQuotaOptions(input: unknown, path = 'quotas'): { options?: ResolvedQuotaOptions; issues: QuotaOptionsIssue[] } {
  const issues: QuotaOptionsIssue[] = [];
  const options = input === undefined ? {} : input;
  if (!isRecord(options)) return { issues: [{ path, message: `${path} must be an object` }] };

  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.includes(key)) {
      issues.push(optionsIssue(path, [key], `is not a quota option${didYouMean(key, KNOWN_OPTIONS)}; expected ${listOf(KNOWN_OPTIONS)}`));
    }
  }
  const profile = oneOf(options, 'profile', 'profile', QUOTA_PROFILE_NAMES, 'kms-current', path, issues);
  const enforcement = oneOf(options, 'enforcement', 'enforcement', QUOTA_ENFORCEMENTS, 'fixed-window', path, issues);
  const burstSeconds = numeric(options, 'burstSeconds', 1, (v) => Number.isFinite(v) && v > 0, 'must be a positive, finite number of seconds', path, issues);
  const capacity = numeric(
    options,
    'capacity',
    DEFAULT_QUOTA_CAPACITY,
    (v) => Number.isInteger(v) && v >= 16 && v <= 1 << 20 && (v & (v - 1)) === 0,
    'must be a power of two from 16 to 1048576',
    path,
    issues,
  );
  const maxThreads = numeric(options, 'maxThreads', DEFAULT_QUOTA_MAX_THREADS, (v) => Number.isInteger(v) && v >= 1 && v <= 4096, 'must be an integer from 1 to 4096', path, issues);
  const overrides = options['overrides'] === undefined ? {} : validateOverrides(options['overrides'], path, issues);
  const stored = checkQuotaStore(options['store'], `${path}.store`);
  issues.push(...stored.issues.map((issue) => ({ ...issue, field: ['store'] })));
  const runId = options['runId'] ?? DEFAULT_QUOTA_RUN_ID;
  const runIdIssue = boardRunIdProblem(runId);
  if (runIdIssue !== undefined) issues.push(optionsIssue(path, ['runId'], runIdIssue));
  if (issues.length > 0) return { issues };
  const store = stored.spec ?? MEMORY_STORE;
  return { options: { profile, enforcement, burstSeconds, overrides, capacity, maxThreads, store, runId: runId as string }, issues };
}

/**
 * Validates quota options and fills in defaults.
 *
 * @param input the options as given (anything: a parsed scenario's `quotas` field).
 * @param path the path the options sit at, used in messages (default `quotas`).
 * @throws QuotaOptionsError naming every bad option.
 */
export function validateQuotaOptions(input: unknown, path = 'quotas'): ResolvedQuotaOptions {
  const { options, issues } = checkQuotaOptions(input, path);
  if (options === undefined) throw new QuotaOptionsError(issues);
  return options;
}
