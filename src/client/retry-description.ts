/**
 * A retry policy in words, for reports and summaries: people act on these numbers, and `none` vs `immediate` or a
 * bare `maxAttempts: 6` is easy to misread, so the sentence says what the policy does rather than repeating its name.
 */
import { ALL_RETRY_POLICY_NAMES, type AnyRetryPolicyOptions } from './retry-options.js';
import type { RetryTokenBudgetOptions } from './retry-budget.js';

export { ALL_RETRY_POLICY_NAMES, SDK_RETRY_POLICY_NAMES } from './retry-options.js';
export type { AnyRetryPolicyOptions, SdkRetryPolicyOptions } from './retry-options.js';

const NAMES = ALL_RETRY_POLICY_NAMES;

/** `50 ms`, `2 s`, `1.5 s`: milliseconds below a second, seconds from there (at most three decimals). */
function duration(ms: number): string {
  return ms >= 1_000 ? `${Number((ms / 1_000).toFixed(3))} s` : `${Number(ms.toFixed(3))} ms`;
}

function attempts(maxAttempts: number): string {
  return maxAttempts === 1 ? 'one attempt only' : `up to ${maxAttempts} attempts`;
}

function budget(tokenBudget: RetryTokenBudgetOptions | undefined): string {
  if (tokenBudget === undefined) return '';
  const refill = tokenBudget.refundMode === 'reset-to-full' ? ', refilled by every success' : '';
  return (
    `, token budget ${tokenBudget.capacity} (${tokenBudget.retryCost} per throttle retry, ` +
    `${tokenBudget.timeoutCost} per transient retry${refill})`
  );
}

/**
 * One line describing a retry policy, e.g. `full-jitter, base 50 ms, cap 2 s, up to 4 attempts`,
 * `none (no retry: one attempt)`, `immediate (retries at once, no backoff, up to 6 attempts)` or
 * `sdk-standard (the SDK's own strategy, up to 3 attempts)`. A token budget is appended when there is one.
 * @throws RangeError when `policy` is not a retry policy (reports read it from JSON, so the type is not a guarantee).
 */
export function describeRetryPolicy(policy: AnyRetryPolicyOptions): string {
  const name: unknown = (policy as { policy?: unknown } | null | undefined)?.policy;
  if (typeof name !== 'string' || !(NAMES as readonly string[]).includes(name)) {
    throw new RangeError(`not a retry policy: ${JSON.stringify(policy)}; its policy must be one of ${NAMES.join(', ')}`);
  }
  switch (policy.policy) {
    case 'none':
      return 'none (no retry: one attempt)';
    case 'immediate':
      return `immediate (retries at once, no backoff, ${attempts(policy.maxAttempts)})${budget(policy.tokenBudget)}`;
    case 'constant':
      return `constant, ${duration(policy.baseMs)} between attempts, ${attempts(policy.maxAttempts)}${budget(policy.tokenBudget)}`;
    case 'sdk-standard':
    case 'sdk-adaptive':
      return `${policy.policy} (the SDK's own strategy, ${attempts(policy.maxAttempts)})`;
    default:
      return (
        `${policy.policy}, base ${duration(policy.baseMs)}, cap ${duration(policy.capMs)}, ` +
        `${attempts(policy.maxAttempts)}${budget(policy.tokenBudget)}`
      );
  }
}
