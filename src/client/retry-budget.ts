/**
 * The retry token budget of the harness's retry policies: a shared quota that retries draw from and successes refill,
 * after the AWS SDK for JavaScript v3 standard mode's retry quota. Its SDK-like defaults are not copied here but taken
 * from the installed SDK package (sdk-retry-table.ts), since the SDK's numbers changed in 2026.
 */
import { SDK_RETRY_TABLE } from './sdk-retry-table.js';

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
 * The SDK values quoted below are those of the installed package ({@link SDK_RETRY_TABLE}).
 */
export interface RetryTokenBudgetOptions {
  /** Tokens in a full budget (SDK: `initialTokens`, 500 in every table so far). */
  readonly capacity: number;
  /** Cost of retrying a throttle (SDK: `retryCost`, 5 in every table so far). */
  readonly retryCost: number;
  /**
   * Cost of retrying a transient error (SDK: `transientRetryCost`; 10 in the pre-2026 table, 14 in the 2026 one).
   * The SDK charges it for every retried error that is not a throttle (timeouts, connection errors, HTTP
   * 500/502/503/504); this harness classifies KMS 5xx errors as transient, so it charges them the same.
   */
  readonly timeoutCost: number;
  /** Tokens a success returns when its operation made no retry (SDK: `noRetryIncrement`, 1). */
  readonly successRefund: number;
  /** Default `refund-last-cost`. */
  readonly refundMode?: RetryRefundMode;
}

/**
 * The SDK for JavaScript v3 standard mode's retry quota as the installed SDK runs it (read at load time from its
 * package, see sdk-retry-table.ts; `result.json` records the table under `environment.sdkRetryTable`).
 */
export const SDK_STANDARD_TOKEN_BUDGET: Readonly<Required<RetryTokenBudgetOptions>> = Object.freeze({
  capacity: SDK_RETRY_TABLE.initialTokens,
  retryCost: SDK_RETRY_TABLE.retryCost,
  timeoutCost: SDK_RETRY_TABLE.transientRetryCost,
  successRefund: SDK_RETRY_TABLE.noRetryIncrement,
  refundMode: 'refund-last-cost',
});

/** The mutable state of one client's budget (options are validated by the policy before this is built). */
export class RetryBudget {
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

  /** Draws the retry's cost; false, drawing nothing, when too few tokens remain. */
  tryAcquire(kind: RetryKind): boolean {
    const cost = this.cost(kind);
    if (this.available < cost) return false;
    this.available -= cost;
    return true;
  }

  /** A success: the last retry's cost back (or `successRefund` without one), never above capacity. */
  refund(lastRetryKind: RetryKind | undefined): void {
    if (this.resetToFull) {
      this.available = this.capacity;
      return;
    }
    const refund = lastRetryKind === undefined ? this.successRefund : this.cost(lastRetryKind);
    this.available = Math.min(this.capacity, this.available + refund);
  }
}
