/**
 * Retry policies as data: a backoff formula, a cap on attempts and an optional retry token budget (retry-budget.ts).
 * The formulas are those of aws-kms-facts.md §4 (after the AWS Architecture Blog, "Exponential Backoff And Jitter",
 * 2015). `sdk-standard` and `sdk-adaptive` are not here: those runs use the SDK's own strategy. The names, option
 * shapes and their validator are in retry-options.ts.
 */
import type { Random } from '../base/random.js';
import { RetryBudget, type RetryKind } from './retry-budget.js';
import {
  RetryPolicyOptionsError,
  validateRetryPolicyOptions,
  type RetryPolicyName,
  type RetryPolicyOptions,
} from './retry-options.js';

export { SDK_STANDARD_TOKEN_BUDGET } from './retry-budget.js';
export type { RetryKind, RetryRefundMode, RetryTokenBudgetOptions } from './retry-budget.js';
export {
  MAX_RETRY_ATTEMPTS,
  RETRY_POLICY_NAMES,
  RetryPolicyOptionsError,
  validateRetryPolicyOptions,
  type ConstantBackoffOptions,
  type ExponentialBackoffOptions,
  type NoBackoffOptions,
  type NoRetryOptions,
  type RetryPolicyName,
  type RetryPolicyOptions,
  type RetryPolicyOptionsIssue,
} from './retry-options.js';

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
