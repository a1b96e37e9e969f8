/**
 * The scenario fields whose values a layer validates: `quotas` (src/quota/options.ts) and a fleet's `retry`
 * (src/client/retry-options.ts). The schemas here give the shape — which keys each policy takes, duration syntax,
 * defaults — and run the layer's own validator for every value, reporting its issues at the scenario's fields. So
 * `kms-bench validate` accepts exactly what `kms-bench run` builds, and says why in the layer's words: one rule, one
 * message (issue #18: `retry.base: 0ms` used to validate and then fail the run).
 */
import * as z from 'zod';
import type { OptionsIssue } from '../base/options-error.js';
import { isRecord } from '../base/records.js';
import {
  RETRY_POLICY_NAMES,
  SDK_RETRY_POLICY_NAMES,
  validateFleetRetryOptions,
  type RetryPolicyName,
} from '../client/retry-options.js';
import { SDK_STANDARD_TOKEN_BUDGET } from '../client/retry-policy.js';
import { QUOTA_ENFORCEMENTS, checkQuotaOptions, validateQuotaOptions } from '../quota/index.js';
import { regionProblem } from './region-field.js';
import { duration, layerRule, strict } from './schema-helpers.js';
import type { BackoffPolicy, QuotaSpec, TokenBudgetSpec } from './types.js';

// ── quotas ────────────────────────────────────────────────────────────────────────────────────────────────────────

/** The quota options a scenario offers (the board's `capacity` and `maxThreads` are the engine's to size). */
const QUOTA_FIELDS = ['profile', 'enforcement', 'burstSeconds', 'overrides', 'store'] as const;

/**
 * The quota layer's issues, then the scenario's own rules on top: an override region must be one KMS has (the layer
 * checks only the shape of a region name, it cannot import KMS's table), and `burstSeconds` does nothing without a
 * token bucket.
 */
function quotaIssues(quotas: Record<string, unknown>): OptionsIssue[] {
  const issues = [...checkQuotaOptions(quotas).issues];
  const add = (field: string[], problem: string): void => {
    issues.push({ path: ['quotas', ...field].join('.'), message: problem, field, problem });
  };
  // Regions the layer refused (not shaped like a region name) are reported once, by the layer.
  const refused = new Set(issues.map((issue) => (issue.field?.[0] === 'overrides' ? issue.field[1] : undefined)));
  const overrides = quotas['overrides'];
  for (const region of isRecord(overrides) ? Object.keys(overrides) : []) {
    const problem = region === '*' || refused.has(region) ? undefined : regionProblem(region, ', nor "*" for every region');
    if (problem !== undefined) add(['overrides', region], problem);
  }
  const enforcement = quotas['enforcement'] ?? QUOTA_ENFORCEMENTS[0];
  // A value the layer already refused is reported once, by the layer: one problem per field.
  const burstRefused = issues.some((issue) => issue.field?.[0] === 'burstSeconds');
  if (quotas['burstSeconds'] !== undefined && !burstRefused && (QUOTA_ENFORCEMENTS as readonly unknown[]).includes(enforcement) && enforcement !== 'token-bucket') {
    add(['burstSeconds'], 'applies only to enforcement: token-bucket');
  }
  return issues;
}

/** `quotas`: the layer validates every value; the output is the scenario's {@link QuotaSpec}, defaults filled. */
export const quotasSchema = strict({
  profile: z.unknown().optional(),
  enforcement: z.unknown().optional(),
  burstSeconds: z.unknown().optional(),
  overrides: z.unknown().optional(),
  store: z.unknown().optional(),
})
  .check(layerRule(QUOTA_FIELDS, quotaIssues))
  .transform((quotas): QuotaSpec => {
    // The checks above passed, so the layer resolves these options without a complaint.
    const { profile, enforcement, burstSeconds, overrides, store } = validateQuotaOptions(quotas);
    // `memory` is the default and stays out of the scenario, so its hash (and the default run id) is today's.
    return { profile, enforcement, burstSeconds, overrides, ...(store.kind === 'redis' ? { store: store.url } : {}) };
  });

// ── retry ─────────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Defaults of the backoff policies: cap 20 s and 3 attempts as the SDK; base 100 ms is the SDK's pre-2026 transient
 * base (the 2026 table uses 50 ms for transient errors and 1 s for throttles: client/sdk-retry-table.ts).
 */
export const RETRY_DEFAULTS = { baseMs: 100, capMs: 20_000, maxAttempts: 3 } as const;
/** A token budget's defaults are the installed SDK's standard-mode retry quota (read from the package at load). */
const TOKEN_BUDGET_DEFAULTS = SDK_STANDARD_TOKEN_BUDGET;

/** The policies with a backoff formula: every harness policy but `none` and `immediate` (the client's list). */
export const BACKOFF_POLICIES = RETRY_POLICY_NAMES.filter(
  (name: RetryPolicyName): name is BackoffPolicy => name !== 'none' && name !== 'immediate',
);

const tokenBudgetSchema = strict({
  capacity: z.unknown().default(TOKEN_BUDGET_DEFAULTS.capacity),
  retryCost: z.unknown().default(TOKEN_BUDGET_DEFAULTS.retryCost),
  timeoutCost: z.unknown().default(TOKEN_BUDGET_DEFAULTS.timeoutCost),
  successRefund: z.unknown().default(TOKEN_BUDGET_DEFAULTS.successRefund),
}).transform((budget) => budget as TokenBudgetSpec); // numbers once the retry layer's check passed

const maxAttempts = z.unknown().default(RETRY_DEFAULTS.maxAttempts);

/**
 * `schema` with the retry layer's check over its fields, given as the run will build the options (`base`/`cap` in ms).
 * The check runs when `fields` parsed, even if another key of the object is unknown.
 */
function checkedByRetryLayer<S extends z.ZodObject>(schema: S, fields: readonly string[], options: (retry: z.output<S>) => Record<string, unknown>): S {
  return schema.check(layerRule<z.output<S>>(['policy', ...fields], (retry) => validateFleetRetryOptions(options(retry))));
}

/** Drops the fields a policy was not given, as the layer reads an absent option. */
function given(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** The cap a backoff policy runs with: as written, else the default — which `constant`, taking no cap, is not given. */
function capOf(retry: { readonly policy: BackoffPolicy; readonly cap?: number | undefined }): number | undefined {
  return retry.cap ?? (retry.policy === 'constant' ? undefined : RETRY_DEFAULTS.capMs);
}

// `none` used to retry at once up to maxAttempts; a maxAttempts above 1 is refused (by the layer) rather than ignored,
// so an old scenario's `{ policy: none, maxAttempts: 6 }` fails with the fix instead of silently running one attempt.
// A tokenBudget is in the shape so that the layer says why it is refused.
const noRetry = checkedByRetryLayer(
  strict(
    { policy: z.literal('none'), maxAttempts: z.unknown().optional(), tokenBudget: z.unknown().optional() },
    'policy none makes one attempt and takes only maxAttempts: 1 (policy immediate retries at once and takes maxAttempts and tokenBudget)',
  ),
  ['maxAttempts', 'tokenBudget'],
  (retry) => given(retry),
).transform(() => ({ policy: 'none' as const, maxAttempts: 1 as const }));

const immediateRetry = checkedByRetryLayer(
  strict(
    { policy: z.literal('immediate'), maxAttempts, tokenBudget: tokenBudgetSchema.optional() },
    'policy immediate retries at once and takes only maxAttempts and tokenBudget',
  ),
  ['maxAttempts', 'tokenBudget'],
  (retry) => given(retry),
).transform((retry) => ({ policy: retry.policy, maxAttempts: retry.maxAttempts as number, tokenBudget: retry.tokenBudget }));

const backoffRetry = checkedByRetryLayer(
  strict({
    policy: z.enum(BACKOFF_POLICIES),
    // Parsed here; their range (a zero base, a cap below the base) is the retry layer's.
    base: duration({ allowZero: true }).default(RETRY_DEFAULTS.baseMs),
    // No default here: `constant` takes no cap, and the layer refuses one that was written.
    cap: duration({ allowZero: true }).optional(),
    maxAttempts,
    tokenBudget: tokenBudgetSchema.optional(),
  }),
  ['base', 'cap', 'maxAttempts', 'tokenBudget'],
  (retry) => given({ policy: retry.policy, baseMs: retry.base, capMs: capOf(retry), maxAttempts: retry.maxAttempts, tokenBudget: retry.tokenBudget }),
).transform((retry) => ({
  policy: retry.policy,
  baseMs: retry.base,
  capMs: retry.cap ?? RETRY_DEFAULTS.capMs,
  maxAttempts: retry.maxAttempts as number,
  tokenBudget: retry.tokenBudget,
}));

const sdkRetry = checkedByRetryLayer(
  strict(
    { policy: z.enum(SDK_RETRY_POLICY_NAMES), maxAttempts },
    "the SDK's own strategies take only maxAttempts (the SDK sets its backoff and retry quota)",
  ),
  ['maxAttempts'],
  (retry) => given(retry),
).transform((retry) => ({ policy: retry.policy, maxAttempts: retry.maxAttempts as number }));

/** A retry policy; a bare string is shorthand for `{ policy: <string> }` with every default. */
export const retrySchema = z.preprocess(
  (value) => (typeof value === 'string' ? { policy: value } : value),
  z.discriminatedUnion('policy', [noRetry, immediateRetry, backoffRetry, sdkRetry]),
);
