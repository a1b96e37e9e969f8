/**
 * Retry policies as data: a backoff formula, a cap on attempts and an optional retry token budget (retry-budget.ts).
 * The formulas are those of aws-kms-facts.md §4 (after the AWS Architecture Blog, "Exponential Backoff And Jitter",
 * 2015). `sdk-standard` and `sdk-adaptive` are not here: those runs use the SDK's own strategy.
 *
 * `none` means no retry at all (one attempt). Retrying at once without backoff, which the blog's simulation calls "no
 * backoff", is `immediate`; `none` used to mean that, so `none` with `maxAttempts` > 1 is rejected with a pointer to
 * `immediate` rather than silently running one attempt where an old scenario expected several.
 */
import type { Random } from '../base/random.js';
import { OptionsError, type OptionsIssue } from '../base/options-error.js';
import { RetryBudget, type RetryKind, type RetryTokenBudgetOptions } from './retry-budget.js';
import { isRecord } from '../base/records.js';

export { SDK_STANDARD_TOKEN_BUDGET } from './retry-budget.js';
export type { RetryKind, RetryRefundMode, RetryTokenBudgetOptions } from './retry-budget.js';

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

interface RetryPolicyCommon {
  /** Total attempts including the first: 1 means never retry. */
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

/** One problem found in retry options (path e.g. `fleets[1].retry.cap`). */
export type RetryPolicyOptionsIssue = OptionsIssue;

/** Thrown by {@link createRetryPolicy} when options are invalid; carries every problem at once. */
export class RetryPolicyOptionsError extends OptionsError {
  constructor(issues: readonly OptionsIssue[]) {
    super('RetryPolicyOptionsError', issues);
  }
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
  const budget = options['tokenBudget'];
  if (policy === 'none') {
    if (maxAttempts !== undefined && maxAttempts !== 1) {
      const got = JSON.stringify(maxAttempts);
      add('maxAttempts', `must be 1 or absent: policy none makes one attempt (no retry), got ${got}; to retry at once without backoff use policy immediate`);
    }
    if (budget !== undefined) add('tokenBudget', 'is not taken by policy none, which makes no retry to budget');
    return issues;
  }
  if (!isFiniteNumber(maxAttempts) || !Number.isInteger(maxAttempts) || maxAttempts < 1) {
    add('maxAttempts', `must be an integer ≥ 1, got ${JSON.stringify(maxAttempts)}`);
  }
  const base = options['baseMs'];
  const cap = options['capMs'];
  if (policy === 'constant') {
    if (!isFiniteNumber(base) || base < 0) add('base', `must be a non-negative number of milliseconds, got ${JSON.stringify(base)}`);
  } else if (policy !== 'immediate' && typeof policy === 'string' && (RETRY_POLICY_NAMES as readonly string[]).includes(policy)) {
    const baseOk = isFiniteNumber(base) && base > 0;
    if (!baseOk) add('base', `must be a positive number of milliseconds, got ${JSON.stringify(base)}`);
    if (!isFiniteNumber(cap) || cap <= 0) add('cap', `must be a positive number of milliseconds, got ${JSON.stringify(cap)}`);
    else if (baseOk && cap < base) add('cap', `must be ≥ ${path}.base (cap ${cap} ms < base ${base} ms)`);
  }
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

class BackoffPolicy implements RetryPolicy {
  readonly policy: RetryPolicyName;
  readonly maxAttempts: number;
  readonly #baseMs: number;
  readonly #capMs: number;
  readonly #random: Random;
  readonly #budget: RetryBudget | undefined;

  constructor(options: RetryPolicyOptions, random: Random) {
    this.policy = options.policy;
    // `none` is one attempt whatever the type system let through; validation has already refused anything else.
    this.maxAttempts = options.policy === 'none' ? 1 : options.maxAttempts;
    switch (options.policy) {
      case 'none':
      case 'immediate':
        this.#baseMs = 0;
        this.#capMs = 0;
        break;
      case 'constant':
        this.#baseMs = options.baseMs;
        this.#capMs = options.baseMs;
        break;
      default:
        this.#baseMs = options.baseMs;
        this.#capMs = options.capMs;
    }
    this.#random = random;
    const budget = options.policy === 'none' ? undefined : options.tokenBudget;
    this.#budget = budget === undefined ? undefined : new RetryBudget(budget);
  }

  get availableTokens(): number {
    return this.#budget === undefined ? Infinity : this.#budget.available;
  }

  nextDelayMs(retryIndex: number, previousDelayMs: number = this.#baseMs): number {
    const b = this.#baseMs;
    const c = this.#capMs;
    switch (this.policy) {
      case 'none': // never asked: one attempt leaves no retry to delay
      case 'immediate':
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
    return this.#budget === undefined ? true : this.#budget.tryAcquire(kind);
  }

  onSuccess(lastRetryKind?: RetryKind): void {
    this.#budget?.refund(lastRetryKind);
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
