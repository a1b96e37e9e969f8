/**
 * A fleet's validated retry policy as the engine consumes it (part of the scenario's types, types.ts, which
 * re-exports every name here): no retry, retries without backoff, a backoff formula, or the real SDK's own strategy,
 * with the optional retry token budget. Plain data, like the rest of a scenario.
 */
import type { RetryPolicyName, SdkRetryPolicyOptions } from '../client/retry-options.js';

/** A retry policy: no retry, retries without backoff, a backoff formula, or the SDK's own strategy. */
export type RetrySpec = NoRetrySpec | NoBackoffRetrySpec | BackoffRetrySpec | SdkRetrySpec;

/** Backoff formulas (aws-kms-facts.md §4) that take a base and a cap: the retry layer's names but none and immediate. */
export type BackoffPolicy = Exclude<RetryPolicyName, 'none' | 'immediate'>;

/** `none`: no retry, one attempt (a scenario may write `maxAttempts: 1`, nothing else). */
export interface NoRetrySpec {
  readonly policy: 'none';
  readonly maxAttempts: 1;
}

/** `immediate`: retry at once, without waiting (`maxAttempts: 1` disables retries). */
export interface NoBackoffRetrySpec {
  readonly policy: 'immediate';
  /** Attempts in total, including the first; ≥ 1. */
  readonly maxAttempts: number;
  readonly tokenBudget: TokenBudgetSpec | undefined;
}

/** The fields of every backoff policy (formulas with base b, cap c, attempt n: aws-kms-facts.md §4). */
export interface BackoffRetryFields {
  /** Default 100. */
  readonly baseMs: number;
  /** ≥ base; default 20 000. Unused by `constant`. */
  readonly capMs: number;
  /** Attempts in total, including the first; ≥ 1, default 3. */
  readonly maxAttempts: number;
  readonly tokenBudget: TokenBudgetSpec | undefined;
}

/**
 * A backoff formula. One union member per policy name, so `retry.policy === 'constant'` narrows (a member with a
 * union-typed discriminant would not be excluded by a comparison with one of its names).
 */
export type BackoffRetrySpec = { [P in BackoffPolicy]: BackoffRetryFields & { readonly policy: P } }[BackoffPolicy];

/** The real SDK's retry strategy (`client: sdk` only); one union member per name, as for {@link BackoffRetrySpec}. */
export type SdkRetrySpec = {
  [P in SdkRetryPolicy]: {
    readonly policy: P;
    /** Attempts in total, including the first; ≥ 1, default 3. */
    readonly maxAttempts: number;
  };
}[SdkRetryPolicy];

/** The SDK's own retry modes, as the retry layer names them. */
export type SdkRetryPolicy = SdkRetryPolicyOptions['policy'];

/**
 * A retry token budget like the SDK's retry quota; defaults are the installed SDK's standard-mode table
 * (client/sdk-retry-table.ts; with @smithy/core 3.41's 2026 table: 500, 5, 14, 1).
 */
export interface TokenBudgetSpec {
  /** Tokens in a full budget. */
  readonly capacity: number;
  /** Tokens a retry after a throttle costs. */
  readonly retryCost: number;
  /** Tokens a retry after a transient error (KMS 5xx) costs. */
  readonly timeoutCost: number;
  /** Tokens a success without retries gives back. */
  readonly successRefund: number;
}
