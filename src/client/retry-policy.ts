/**
 * Retry policies as data: a backoff formula, a cap on attempts and an optional retry token budget. The formulas are
 * those of aws-kms-facts.md §4 (after the AWS Architecture Blog, "Exponential Backoff And Jitter", 2015); the token
 * budget mirrors the AWS SDK for JavaScript v3 standard mode's retry quota (`@smithy/util-retry`). `sdk-standard` and
 * `sdk-adaptive` are not here: those runs use the SDK's own strategy.
 */
import type { Random } from '../workload/random.js';
import { OptionsError, type OptionsIssue } from '../options-error.js';

/** The backoff formulas. */
export type RetryPolicyName = 'none' | 'constant' | 'exponential' | 'full-jitter' | 'equal-jitter' | 'decorrelated-jitter';

/** Every policy name, in the order of increasing sophistication. */
export const RETRY_POLICY_NAMES: readonly RetryPolicyName[] = [
  'none',
  'constant',
  'exponential',
  'full-jitter',
  'equal-jitter',
  'decorrelated-jitter',
];

/** Why a retry is wanted: it decides what the retry costs from the token budget. */
export type RetryKind = 'throttle' | 'transient';

/**
 * What a success gives back to the budget.
 * - `refund-last-cost` (default): the cost of the operation's last retry, or `successRefund` when it made none. This
 *   is the SDK's standard mode as documented and as `@smithy/util-retry` ≥ 4.3.0 (April 2026) behaves.
 * - `reset-to-full`: the budget refills completely. `@smithy/util-retry` did this from May 2023 until 4.3.0, so the
 *   quota almost never limited retries; choose it to reproduce results from SDK versions of that period.
 */
export type RetryRefundMode = 'refund-last-cost' | 'reset-to-full';

/**
 * A retry token budget shared by every operation of one client, like the SDK's retry quota: each retry draws tokens,
 * a retry is refused when too few remain, and successes give tokens back. The first attempt of an operation is free.
 */
export interface RetryTokenBudgetOptions {
  /** Tokens in a full budget (SDK: 500). */
  readonly capacity: number;
  /** Cost of retrying a throttle (SDK: 5). */
  readonly retryCost: number;
  /**
   * Cost of retrying a transient error (SDK: 10, its `TIMEOUT_RETRY_COST`; 14 with `AWS_NEW_RETRIES_2026=true`).
   * The SDK charges this only for timeouts and connection errors and charges 5xx responses `retryCost`; this harness
   * classifies KMS 5xx errors as transient and charges them this cost.
   */
  readonly timeoutCost: number;
  /** Tokens a success returns when its operation made no retry (SDK: 1, `NO_RETRY_INCREMENT`). */
  readonly successRefund: number;
  /** Default `refund-last-cost`. */
  readonly refundMode?: RetryRefundMode;
}

/**
 * The SDK for JavaScript v3 standard mode's retry quota (aws-kms-facts.md §4; `@smithy/util-retry` constants
 * `INITIAL_RETRY_TOKENS`, `RETRY_COST`, `TIMEOUT_RETRY_COST`, `NO_RETRY_INCREMENT`), as of util-retry 4.3.0, April 2026.
 */
export const SDK_STANDARD_TOKEN_BUDGET: Readonly<Required<RetryTokenBudgetOptions>> = {
  capacity: 500,
  retryCost: 5,
  timeoutCost: 10,
  successRefund: 1,
  refundMode: 'refund-last-cost',
};

interface RetryPolicyCommon {
  /** Total attempts including the first: 1 means never retry. */
  readonly maxAttempts: number;
  /** Absent: retries are limited by `maxAttempts` alone. */
  readonly tokenBudget?: RetryTokenBudgetOptions;
}

/** Retry at once, with no delay. */
export interface NoBackoffOptions extends RetryPolicyCommon {
  readonly policy: 'none';
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
export type RetryPolicyOptions = NoBackoffOptions | ConstantBackoffOptions | ExponentialBackoffOptions;

/** One problem found in retry options (path e.g. `fleets[1].retry.cap`). */
export type RetryPolicyOptionsIssue = OptionsIssue;

/** Thrown by {@link createRetryPolicy} when options are invalid; carries every problem at once. */
export class RetryPolicyOptionsError extends OptionsError {
  constructor(issues: readonly OptionsIssue[]) {
    super('RetryPolicyOptionsError', issues);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Every problem with `options`, each naming its field under `path` (the scenario's spelling: `base`, `cap`, since
 * scenario durations are converted to milliseconds before they get here). Empty when the options are valid.
 */
export function validateRetryPolicyOptions(options: unknown, path = 'retry'): RetryPolicyOptionsIssue[] {
  const issues: RetryPolicyOptionsIssue[] = [];
  const add = (field: string, message: string): void => {
    issues.push({ path: `${path}.${field}`, message: `${path}.${field} ${message}` });
  };
  if (!isRecord(options)) {
    return [{ path, message: `${path} must be an object with a policy, e.g. { policy: "full-jitter", ... }` }];
  }
  const policy = options['policy'];
  if (typeof policy !== 'string' || !(RETRY_POLICY_NAMES as readonly string[]).includes(policy)) {
    add('policy', `must be one of ${RETRY_POLICY_NAMES.join(', ')}, got ${JSON.stringify(policy)}`);
  }
  const maxAttempts = options['maxAttempts'];
  if (!isFiniteNumber(maxAttempts) || !Number.isInteger(maxAttempts) || maxAttempts < 1) {
    add('maxAttempts', `must be an integer ≥ 1, got ${JSON.stringify(maxAttempts)}`);
  }
  const base = options['baseMs'];
  const cap = options['capMs'];
  if (policy === 'constant') {
    if (!isFiniteNumber(base) || base < 0) add('base', `must be a non-negative number of milliseconds, got ${JSON.stringify(base)}`);
  } else if (policy !== 'none' && typeof policy === 'string' && (RETRY_POLICY_NAMES as readonly string[]).includes(policy)) {
    const baseOk = isFiniteNumber(base) && base > 0;
    if (!baseOk) add('base', `must be a positive number of milliseconds, got ${JSON.stringify(base)}`);
    if (!isFiniteNumber(cap) || cap <= 0) add('cap', `must be a positive number of milliseconds, got ${JSON.stringify(cap)}`);
    else if (baseOk && cap < base) add('cap', `must be ≥ ${path}.base (cap ${cap} ms < base ${base} ms)`);
  }
  const budget = options['tokenBudget'];
  if (budget !== undefined) {
    if (!isRecord(budget)) {
      add('tokenBudget', 'must be an object { capacity, retryCost, timeoutCost, successRefund }');
    } else {
      const capacity = budget['capacity'];
      if (!isFiniteNumber(capacity) || capacity <= 0) {
        add('tokenBudget.capacity', `must be a positive number, got ${JSON.stringify(capacity)}`);
      }
      for (const field of ['retryCost', 'timeoutCost', 'successRefund'] as const) {
        const value = budget[field];
        if (!isFiniteNumber(value) || value < 0) {
          add(`tokenBudget.${field}`, `must be a non-negative number, got ${JSON.stringify(value)}`);
        }
      }
      const mode = budget['refundMode'];
      if (mode !== undefined && mode !== 'refund-last-cost' && mode !== 'reset-to-full') {
        add('tokenBudget.refundMode', `must be refund-last-cost or reset-to-full, got ${JSON.stringify(mode)}`);
      }
    }
  }
  return issues;
}

/**
 * Per-operation retry state: the retry count, the previous delay (decorrelated jitter draws from it) and the cost of
 * the last retry (what a success refunds). One per logical operation; the policy it came from is shared.
 */
export interface RetryOperation {
  /** Retries granted so far. */
  readonly retries: number;
  /** True while another attempt is allowed by `maxAttempts` (attempts made so far = retries + 1). */
  readonly canRetry: boolean;
  /** Draws a retry from the client's token budget; false (and nothing drawn) when the budget is too low. */
  tryAcquireRetry(kind: RetryKind): boolean;
  /** The delay before the next retry, in ms; advances the sequence. */
  nextDelayMs(): number;
  /** Reports success: refunds the budget (the last retry's cost, or `successRefund` when there was none). */
  onSuccess(): void;
}

/** A retry policy for one client: the backoff formula, `maxAttempts` and the budget shared by its operations. */
export interface RetryPolicy {
  readonly policy: RetryPolicyName;
  /** Total attempts including the first. */
  readonly maxAttempts: number;
  /** Tokens left in the budget; `Infinity` without one. */
  readonly availableTokens: number;
  /**
   * The delay before retry number `retryIndex` (0 for the first retry), in ms. `previousDelayMs` is the delay this
   * operation slept before its previous retry, used only by decorrelated jitter (default: base, as for the first retry).
   * Jittered policies draw from the policy's random generator.
   */
  nextDelayMs(retryIndex: number, previousDelayMs?: number): number;
  /** Draws `retryCost` (throttle) or `timeoutCost` (transient) tokens; false, drawing nothing, when too few remain. */
  tryAcquireRetry(kind: RetryKind): boolean;
  /**
   * A success: returns the cost of the operation's last retry (`lastRetryKind`), or `successRefund` when it made none,
   * never above capacity; with `refundMode: 'reset-to-full'`, refills the budget.
   */
  onSuccess(lastRetryKind?: RetryKind): void;
  /** Per-operation state over this policy. */
  startOperation(): RetryOperation;
}

class Budget {
  readonly capacity: number;
  readonly retryCost: number;
  readonly timeoutCost: number;
  readonly successRefund: number;
  readonly resetToFull: boolean;
  available: number;

  constructor(options: RetryTokenBudgetOptions) {
    this.capacity = options.capacity;
    this.retryCost = options.retryCost;
    this.timeoutCost = options.timeoutCost;
    this.successRefund = options.successRefund;
    this.resetToFull = options.refundMode === 'reset-to-full';
    this.available = options.capacity;
  }

  cost(kind: RetryKind): number {
    return kind === 'throttle' ? this.retryCost : this.timeoutCost;
  }
}

class BackoffPolicy implements RetryPolicy {
  readonly policy: RetryPolicyName;
  readonly maxAttempts: number;
  readonly #baseMs: number;
  readonly #capMs: number;
  readonly #random: Random;
  readonly #budget: Budget | undefined;

  constructor(options: RetryPolicyOptions, random: Random) {
    this.policy = options.policy;
    this.maxAttempts = options.maxAttempts;
    this.#baseMs = options.policy === 'none' ? 0 : options.baseMs;
    this.#capMs = options.policy === 'none' || options.policy === 'constant' ? this.#baseMs : options.capMs;
    this.#random = random;
    this.#budget = options.tokenBudget === undefined ? undefined : new Budget(options.tokenBudget);
  }

  get availableTokens(): number {
    return this.#budget === undefined ? Infinity : this.#budget.available;
  }

  nextDelayMs(retryIndex: number, previousDelayMs: number = this.#baseMs): number {
    const b = this.#baseMs;
    const c = this.#capMs;
    switch (this.policy) {
      case 'none':
        return 0;
      case 'constant':
        return b;
      case 'exponential':
        return Math.min(c, b * 2 ** retryIndex);
      case 'full-jitter':
        return this.#random() * Math.min(c, b * 2 ** retryIndex);
      case 'equal-jitter': {
        const t = Math.min(c, b * 2 ** retryIndex);
        return t / 2 + this.#random() * (t / 2);
      }
      case 'decorrelated-jitter': {
        // sleep = min(cap, random_between(base, previous_sleep × 3)); previous_sleep starts at base. A previous
        // delay below base (never produced by this formula) is treated as base so the range stays ordered.
        const high = Math.max(b, previousDelayMs * 3);
        return Math.min(c, b + this.#random() * (high - b));
      }
    }
  }

  tryAcquireRetry(kind: RetryKind): boolean {
    const budget = this.#budget;
    if (budget === undefined) return true;
    const cost = budget.cost(kind);
    if (budget.available < cost) return false;
    budget.available -= cost;
    return true;
  }

  onSuccess(lastRetryKind?: RetryKind): void {
    const budget = this.#budget;
    if (budget === undefined) return;
    if (budget.resetToFull) {
      budget.available = budget.capacity;
      return;
    }
    const refund = lastRetryKind === undefined ? budget.successRefund : budget.cost(lastRetryKind);
    budget.available = Math.min(budget.capacity, budget.available + refund);
  }

  startOperation(): RetryOperation {
    return new PolicyOperation(this, this.#baseMs);
  }
}

class PolicyOperation implements RetryOperation {
  readonly #policy: RetryPolicy;
  #retries = 0;
  #delaysDrawn = 0;
  #previousDelayMs: number;
  #lastRetryKind: RetryKind | undefined;

  constructor(policy: RetryPolicy, baseMs: number) {
    this.#policy = policy;
    this.#previousDelayMs = baseMs;
  }

  get retries(): number {
    return this.#retries;
  }

  get canRetry(): boolean {
    return this.#retries + 1 < this.#policy.maxAttempts;
  }

  tryAcquireRetry(kind: RetryKind): boolean {
    if (!this.#policy.tryAcquireRetry(kind)) return false;
    this.#retries++;
    this.#lastRetryKind = kind;
    return true;
  }

  nextDelayMs(): number {
    const delay = this.#policy.nextDelayMs(this.#delaysDrawn, this.#previousDelayMs);
    this.#delaysDrawn++;
    this.#previousDelayMs = delay;
    return delay;
  }

  onSuccess(): void {
    this.#policy.onSuccess(this.#lastRetryKind);
  }
}

/**
 * Builds a policy for one client. `random` feeds the jitter (use a seeded stream so runs repeat); `path` prefixes
 * field names in error messages (`fleets[1].retry`).
 * @throws RetryPolicyOptionsError naming every bad field.
 */
export function createRetryPolicy(options: RetryPolicyOptions, random: Random, path = 'retry'): RetryPolicy {
  const issues = validateRetryPolicyOptions(options, path);
  if (issues.length > 0) throw new RetryPolicyOptionsError(issues);
  return new BackoffPolicy(options, random);
}
