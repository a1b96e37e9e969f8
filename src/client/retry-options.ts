/**
 * Retry policy options: every policy name a fleet can give, the shape of each policy's options, and the one validator
 * of their values. The scenario schema runs this validator on a fleet's `retry` (src/scenario/layer-fields.ts), so what
 * `kms-bench validate` accepts is exactly what `createRetryPolicy` builds, with the same messages.
 *
 * `none` means no retry at all (one attempt). Retrying at once without backoff, which the blog's simulation calls "no
 * backoff", is `immediate`; `none` used to mean that, so `none` with `maxAttempts` > 1 is rejected with a pointer to
 * `immediate` rather than silently running one attempt where an old scenario expected several.
 */
import { OptionsError, optionsIssue, type OptionsIssue } from '../base/options-error.js';
import { isRecord } from '../base/records.js';
import { describeValue, didYouMean, listOf } from '../base/text.js';
import type { RetryTokenBudgetOptions } from './retry-budget.js';

/** `none` (no retry), `immediate` (no backoff) and the backoff formulas. */
export type RetryPolicyName =
  | 'none'
  | 'immediate'
  | 'constant'
  | 'exponential'
  | 'full-jitter'
  | 'equal-jitter'
  | 'decorrelated-jitter';

/** Every policy name, in the order of increasing sophistication. */
export const RETRY_POLICY_NAMES: readonly RetryPolicyName[] = [
  'none',
  'immediate',
  'constant',
  'exponential',
  'full-jitter',
  'equal-jitter',
  'decorrelated-jitter',
];

/** The SDK's own strategies, which the harness does not model (their numbers are the installed SDK's). */
export const SDK_RETRY_POLICY_NAMES = ['sdk-standard', 'sdk-adaptive'] as const;

/**
 * The most attempts (the first included) any policy may make. The SDK sets no ceiling of its own (its default is 3,
 * aws-kms-facts.md §4), and a retry token budget is only the limiter when attempts outlast it: the SDK's standard
 * bucket (500 tokens, 5 a retry) runs out after 100 retries, so the ceiling sits well above that. 10,000 keeps the
 * work of a run, and its estimate, bounded. The scenario schema and
 * `createRetryPolicy` both refuse more through {@link validateFleetRetryOptions}.
 */
export const MAX_RETRY_ATTEMPTS = 10_000;

interface RetryPolicyCommon {
  /** Total attempts including the first, 1 … {@link MAX_RETRY_ATTEMPTS}: 1 means never retry. */
  readonly maxAttempts: number;
  /** Absent: retries are limited by `maxAttempts` alone. */
  readonly tokenBudget?: RetryTokenBudgetOptions;
}

/**
 * Never retry: one attempt. `maxAttempts` is typed as 1 so that code reading any policy's attempts keeps working
 * (untyped input may leave it out); there is no budget, since there is no retry to limit.
 */
export interface NoRetryOptions {
  readonly policy: 'none';
  readonly maxAttempts: 1;
}

/** Retry at once, with no delay, up to `maxAttempts`. */
export interface NoBackoffOptions extends RetryPolicyCommon {
  readonly policy: 'immediate';
}

/** Wait `baseMs` before every retry. */
export interface ConstantBackoffOptions extends RetryPolicyCommon {
  readonly policy: 'constant';
  readonly baseMs: number;
}

/** Exponential backoff, plain or jittered: base `baseMs`, capped at `capMs`. */
export interface ExponentialBackoffOptions extends RetryPolicyCommon {
  readonly policy: 'exponential' | 'full-jitter' | 'equal-jitter' | 'decorrelated-jitter';
  readonly baseMs: number;
  readonly capMs: number;
}

/** A retry policy as a scenario gives it (times in milliseconds). */
export type RetryPolicyOptions = NoRetryOptions | NoBackoffOptions | ConstantBackoffOptions | ExponentialBackoffOptions;

/** A fleet retrying with the SDK's own strategy. */
export interface SdkRetryPolicyOptions {
  readonly policy: (typeof SDK_RETRY_POLICY_NAMES)[number];
  readonly maxAttempts: number;
}

/** Any retry policy a fleet can run: a harness policy or the SDK's own strategy. */
export type AnyRetryPolicyOptions = RetryPolicyOptions | SdkRetryPolicyOptions;

/** Every retry policy a fleet can name, the harness's then the SDK's: the one list the scenario schema offers. */
export const ALL_RETRY_POLICY_NAMES: readonly AnyRetryPolicyOptions['policy'][] = [...RETRY_POLICY_NAMES, ...SDK_RETRY_POLICY_NAMES];

/** One problem found in retry options (path e.g. `fleets[1].retry.cap`). */
export type RetryPolicyOptionsIssue = OptionsIssue;

/** Thrown by `createRetryPolicy` when options are invalid; carries every problem at once. */
export class RetryPolicyOptionsError extends OptionsError {
  constructor(issues: readonly OptionsIssue[]) {
    super('RetryPolicyOptionsError', issues);
  }
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A value of milliseconds as the messages show it: `0 ms`, or the value itself when it is not a number. */
function millis(value: unknown): string {
  return typeof value === 'number' ? `${value} ms` : describeValue(value);
}

/** Checks a harness policy's fields; `add(field, problem)` records each problem. */
function checkHarnessPolicy(options: Record<string, unknown>, policy: RetryPolicyName, add: (field: string, problem: string) => void): void {
  const maxAttempts = options['maxAttempts'];
  const budget = options['tokenBudget'];
  if (policy === 'none') {
    if (maxAttempts !== undefined && maxAttempts !== 1) {
      add('maxAttempts', `must be 1 or absent: policy none makes one attempt (no retry), got ${describeValue(maxAttempts)}; to retry at once without backoff use policy immediate`);
    }
    if (budget !== undefined) add('tokenBudget', 'is not taken by policy none, which makes no retry to budget');
    return;
  }
  checkMaxAttempts(maxAttempts, add);
  const base = options['baseMs'];
  const cap = options['capMs'];
  if (policy === 'constant') {
    if (!isFiniteNumber(base) || base < 0) add('base', `must be a non-negative number of milliseconds, got ${millis(base)}`);
    // A cap would be silently ignored: every delay is the base.
    if (cap !== undefined) add('cap', `is not taken by policy constant, which waits base before every retry (got cap ${millis(cap)}); remove cap, or use exponential for a capped backoff`);
  } else if (policy !== 'immediate') {
    // A zero base makes every delay of these formulas zero: the policy would silently be `immediate`.
    const baseOk = isFiniteNumber(base) && base > 0;
    if (!baseOk) add('base', `must be a positive number of milliseconds for ${policy}, got ${millis(base)} (to retry at once without backoff use policy immediate)`);
    if (!isFiniteNumber(cap) || cap <= 0) add('cap', `must be a positive number of milliseconds, got ${millis(cap)}`);
    else if (baseOk && cap < base) add('cap', `must be ≥ base (cap ${cap} ms < base ${base} ms)`);
  }
  if (budget !== undefined) checkTokenBudget(budget, add);
}

function checkMaxAttempts(maxAttempts: unknown, add: (field: string, problem: string) => void): void {
  if (!isFiniteNumber(maxAttempts) || !Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > MAX_RETRY_ATTEMPTS) {
    add('maxAttempts', `must be an integer ≥ 1 and ≤ ${MAX_RETRY_ATTEMPTS}, got ${describeValue(maxAttempts)}`);
  }
}

function checkTokenBudget(budget: unknown, add: (field: string, problem: string) => void): void {
  if (!isRecord(budget)) {
    add('tokenBudget', 'must be an object { capacity, retryCost, timeoutCost, successRefund }');
    return;
  }
  const capacity = budget['capacity'];
  // Tokens are whole, as the SDK's retry quota counts them.
  if (!isFiniteNumber(capacity) || !Number.isInteger(capacity) || capacity <= 0) add('tokenBudget.capacity', `must be a positive integer, got ${describeValue(capacity)}`);
  for (const field of ['retryCost', 'timeoutCost', 'successRefund'] as const) {
    const value = budget[field];
    if (!isFiniteNumber(value) || !Number.isInteger(value) || value < 0) add(`tokenBudget.${field}`, `must be a non-negative integer, got ${describeValue(value)}`);
  }
  const mode = budget['refundMode'];
  if (mode !== undefined && mode !== 'refund-last-cost' && mode !== 'reset-to-full') {
    add('tokenBudget.refundMode', `must be refund-last-cost or reset-to-full, got ${describeValue(mode)}`);
  }
}

function validate(options: unknown, path: string, names: readonly string[]): RetryPolicyOptionsIssue[] {
  const issues: RetryPolicyOptionsIssue[] = [];
  const add = (field: string, problem: string): void => {
    issues.push(optionsIssue(path, field.split('.'), problem));
  };
  if (!isRecord(options)) {
    return [{ path, message: `${path} must be an object with a policy, e.g. { policy: "full-jitter", ... }` }];
  }
  const policy = options['policy'];
  if (typeof policy !== 'string' || !names.includes(policy)) {
    add('policy', `must be one of ${listOf(names)}, got ${describeValue(policy)}${didYouMean(policy, names)}`);
  } else if ((SDK_RETRY_POLICY_NAMES as readonly string[]).includes(policy)) {
    // The SDK sets its own backoff and retry quota: only the attempts are the fleet's.
    checkMaxAttempts(options['maxAttempts'], add);
  } else {
    checkHarnessPolicy(options, policy as RetryPolicyName, add);
  }
  return issues;
}

/**
 * Every problem with harness retry options (`none` … `decorrelated-jitter`), each naming its field under `path` (the
 * scenario's spelling: `base`, `cap`, since scenario durations are converted to milliseconds before they get here).
 * Empty when the options are valid.
 */
export function validateRetryPolicyOptions(options: unknown, path = 'retry'): RetryPolicyOptionsIssue[] {
  return validate(options, path, RETRY_POLICY_NAMES);
}

/**
 * Every problem with a fleet's retry options: a harness policy as {@link validateRetryPolicyOptions} checks it, or one
 * of the SDK's own strategies, which take only `maxAttempts`. Empty when the options are valid.
 */
export function validateFleetRetryOptions(options: unknown, path = 'retry'): RetryPolicyOptionsIssue[] {
  return validate(options, path, ALL_RETRY_POLICY_NAMES);
}
