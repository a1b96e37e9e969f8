/**
 * Quota options: what a scenario (or `new KmsModel({ quotas })`) says about request quotas, validated up front so a
 * bad value fails before any work starts, with every problem named by its path.
 */
import { QUOTA_BUCKETS, isQuotaBucket } from './buckets.js';
import { QUOTA_PROFILE_NAMES, isQuotaProfileName } from './profiles.js';
import type { QuotaOverrides, QuotaProfileName } from './profiles.js';
import { OptionsError, type OptionsIssue } from '../base/options-error.js';
import { isRecord } from '../base/records.js';

/** How a bucket enforces its quota. */
export type QuotaEnforcement = 'fixed-window' | 'token-bucket';

/** The enforcement modes, the default first. */
export const QUOTA_ENFORCEMENTS: readonly QuotaEnforcement[] = ['fixed-window', 'token-bucket'];

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
}

/** Validated options with every default filled in. Plain data: structured-cloneable. */
export interface ResolvedQuotaOptions {
  readonly profile: QuotaProfileName;
  readonly enforcement: QuotaEnforcement;
  readonly burstSeconds: number;
  readonly overrides: QuotaOverrides;
  readonly capacity: number;
  readonly maxThreads: number;
}

/** One problem found in quota options (path e.g. `quotas.overrides.us-east-1.symmetric`). */
export type QuotaOptionsIssue = OptionsIssue;

/** Thrown when quota options are invalid; carries every problem at once. */
export class QuotaOptionsError extends OptionsError {
  constructor(issues: readonly OptionsIssue[]) {
    super('QuotaOptionsError', issues);
  }
}

const KNOWN_OPTIONS = ['profile', 'enforcement', 'burstSeconds', 'overrides', 'capacity', 'maxThreads'];
/**
 * The shape of an AWS region name (`us-east-1`, `us-gov-west-1`, `eusc-de-east-1`, …): the same pattern as
 * `REGION_NAME_PATTERN` in src/kms/regions.ts, which this layer cannot import (the model imports the quota board).
 */
const REGION_PATTERN = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/;


function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** A bucket name that differs only in case, for "did you mean" hints. */
function suggestBucket(name: string): string {
  const lower = name.toLowerCase();
  const match = QUOTA_BUCKETS.find((bucket) => bucket.toLowerCase() === lower);
  return match === undefined ? '' : ` (did you mean "${match}"?)`;
}

function validateOverrides(value: unknown, path: string, issues: QuotaOptionsIssue[]): QuotaOverrides {
  if (!isRecord(value)) {
    issues.push({ path, message: `${path} must be an object of regions, e.g. { "us-east-1": { "symmetric": 50 } }` });
    return {};
  }
  const out: Record<string, Record<string, number>> = {};
  for (const [region, buckets] of Object.entries(value)) {
    const regionPath = `${path}.${region}`;
    if (region !== '*' && !REGION_PATTERN.test(region)) {
      issues.push({
        path: regionPath,
        message: `${regionPath}: "${region}" is not an AWS region name (e.g. us-east-1), nor "*" for every region`,
      });
      continue;
    }
    if (!isRecord(buckets)) {
      issues.push({ path: regionPath, message: `${regionPath} must be an object of buckets, e.g. { "symmetric": 50 }` });
      continue;
    }
    const values: Record<string, number> = {};
    for (const [bucket, quota] of Object.entries(buckets)) {
      const bucketPath = `${regionPath}.${bucket}`;
      if (!isQuotaBucket(bucket)) {
        issues.push({
          path: bucketPath,
          message:
            `${bucketPath}: unknown bucket "${bucket}"${suggestBucket(bucket)}; expected symmetric, rsa, ecc, ` +
            `gdkp:<key pair spec>, custom-key-store or a management API name such as CreateKey`,
        });
      } else if (typeof quota !== 'number' || Number.isNaN(quota) || quota <= 0) {
        issues.push({ path: bucketPath, message: `${bucketPath} must be a positive number, got ${describe(quota)}` });
      } else {
        values[bucket] = quota;
      }
    }
    out[region] = values;
  }
  return out;
}

/**
 * Validates quota options and fills in defaults.
 *
 * @param input the options as given (anything: a parsed scenario's `quotas` field).
 * @param path the path the options sit at, used in messages (default `quotas`).
 * @throws QuotaOptionsError naming every bad option.
 */
export function validateQuotaOptions(input: unknown, path = 'quotas'): ResolvedQuotaOptions {
  const issues: QuotaOptionsIssue[] = [];
  const options = input === undefined ? {} : input;
  if (!isRecord(options)) throw new QuotaOptionsError([{ path, message: `${path} must be an object` }]);

  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.includes(key)) {
      issues.push({
        path: `${path}.${key}`,
        message: `${path}.${key} is not a quota option; expected ${KNOWN_OPTIONS.join(', ')}`,
      });
    }
  }

  let profile: QuotaProfileName = 'kms-current';
  if (options['profile'] !== undefined) {
    const value = options['profile'];
    if (typeof value === 'string' && isQuotaProfileName(value)) profile = value;
    else {
      const names = `${QUOTA_PROFILE_NAMES.slice(0, -1).join(', ')} or ${QUOTA_PROFILE_NAMES.at(-1) ?? ''}`;
      issues.push({ path: `${path}.profile`, message: `${path}.profile: unknown profile ${describe(value)}; expected ${names}` });
    }
  }

  let enforcement: QuotaEnforcement = 'fixed-window';
  if (options['enforcement'] !== undefined) {
    const value = options['enforcement'];
    if (value === 'fixed-window' || value === 'token-bucket') enforcement = value;
    else {
      issues.push({
        path: `${path}.enforcement`,
        message: `${path}.enforcement: unknown enforcement ${describe(value)}; expected fixed-window or token-bucket`,
      });
    }
  }

  let burstSeconds = 1;
  if (options['burstSeconds'] !== undefined) {
    const value = options['burstSeconds'];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) burstSeconds = value;
    else {
      issues.push({
        path: `${path}.burstSeconds`,
        message: `${path}.burstSeconds must be a positive, finite number of seconds, got ${describe(value)}`,
      });
    }
  }

  let capacity = DEFAULT_QUOTA_CAPACITY;
  if (options['capacity'] !== undefined) {
    const value = options['capacity'];
    if (typeof value === 'number' && Number.isInteger(value) && value >= 16 && value <= 1 << 20 && (value & (value - 1)) === 0) {
      capacity = value;
    } else {
      issues.push({
        path: `${path}.capacity`,
        message: `${path}.capacity must be a power of two from 16 to 1048576, got ${describe(value)}`,
      });
    }
  }

  let maxThreads = DEFAULT_QUOTA_MAX_THREADS;
  if (options['maxThreads'] !== undefined) {
    const value = options['maxThreads'];
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 4096) maxThreads = value;
    else {
      issues.push({
        path: `${path}.maxThreads`,
        message: `${path}.maxThreads must be an integer from 1 to 4096, got ${describe(value)}`,
      });
    }
  }

  const overrides = options['overrides'] === undefined ? {} : validateOverrides(options['overrides'], `${path}.overrides`, issues);

  if (issues.length > 0) throw new QuotaOptionsError(issues);
  return { profile, enforcement, burstSeconds, overrides, capacity, maxThreads };
}
