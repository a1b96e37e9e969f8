/**
 * The zod schema of a scenario document: field types, ranges, names and unknown fields, plus the checks that need only
 * one object (`cap ≥ base`). Checks that span objects (key references, unique names) live in rules.ts. Each object
 * schema transforms its input into the normalized shape of types.ts where that needs no other part of the scenario.
 */
import * as z from 'zod';
import { KEY_STATES } from '../kms/keystore.js';
import { KEY_SPECS } from '../kms/key-specs.js';
import type { KeyUsage } from '../kms/key-specs.js';
import { isKeyIdFormat } from '../kms/ciphertext-blob.js';
import { LIMITS } from '../kms/limits.js';
import { KMS_OPERATIONS } from '../kms/types.js';
import { QUOTA_BUCKETS, QUOTA_PROFILE_NAMES, isQuotaBucket } from '../quota/index.js';
import type { QuotaEnforcement } from '../quota/index.js';
import {
  ACCOUNT_PATTERN,
  ALIAS_PATTERN,
  ENTRY_NAME_PATTERN,
  MIX_OPERATIONS,
  SCENARIO_NAME_PATTERN,
} from './catalog.js';
import { parseDuration } from './duration.js';
import { regionField } from './region-field.js';
import { pricesSchema } from './report-fields.js';
import { unknownKeysMessage } from './issues.js';
import { describeValue, didYouMean, listOf } from '../base/text.js';
import type { AlgorithmSuiteName, BackoffPolicy, ClientKind, ClockKind } from './types.js';
import { SDK_STANDARD_TOKEN_BUDGET } from '../client/retry-policy.js';
import { ALL_RETRY_POLICY_NAMES, SDK_RETRY_POLICY_NAMES } from '../client/retry-description.js';

/** Enforcement modes, as the quota module names them (checked against `QUOTA_ENFORCEMENTS` by a test). */
export const ENFORCEMENTS = ['fixed-window', 'token-bucket'] as const satisfies readonly QuotaEnforcement[];
export const CLIENTS = ['direct', 'sdk', 'esdk'] as const satisfies readonly ClientKind[];
export const CLOCKS = ['wall', 'virtual'] as const satisfies readonly ClockKind[];
export const BACKOFF_POLICIES = [
  'constant',
  'exponential',
  'full-jitter',
  'equal-jitter',
  'decorrelated-jitter',
] as const satisfies readonly BackoffPolicy[];
const SDK_POLICIES = SDK_RETRY_POLICY_NAMES;
/** Every retry policy name, in the order messages list them (the client's list: one home for the names). */
export const RETRY_POLICIES = ALL_RETRY_POLICY_NAMES;
const KEY_USAGES = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC'] as const satisfies readonly KeyUsage[];
const KEY_SPEC_NAMES = Object.keys(KEY_SPECS);

/**
 * Defaults of the backoff policies: cap 20 s and 3 attempts as the SDK; base 100 ms is the SDK's pre-2026 transient
 * base (the 2026 table uses 50 ms for transient errors and 1 s for throttles: client/sdk-retry-table.ts).
 */
export const RETRY_DEFAULTS = { baseMs: 100, capMs: 20_000, maxAttempts: 3 } as const;
/** A token budget's defaults are the installed SDK's standard-mode retry quota (read from the package at load). */
const TOKEN_BUDGET_DEFAULTS = SDK_STANDARD_TOKEN_BUDGET;

/** A strict object whose unknown keys are reported one by one, with a suggestion or the list of known keys. */
function strict<T extends z.core.$ZodLooseShape>(shape: T, hint?: string) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeysMessage(issue.keys, known, hint) : undefined),
  });
}

/**
 * Options of a check across fields of one object: it runs when those fields parsed cleanly, even if another field of
 * the object did not (zod skips checks after any issue by default), so it is reported with the object's other problems.
 */
function across(fields: readonly string[], path: string, error: string | ((issue: z.core.$ZodRawIssue) => string)) {
  return {
    path: [path],
    error,
    when: (payload: z.core.ParsePayload) =>
      !payload.issues.some((issue) =>
        issue.path === undefined || issue.path.length === 0
          ? issue.code !== 'unrecognized_keys' // not an object at all
          : fields.includes(String(issue.path[0])),
      ),
  };
}

/** A duration string (`'250ms'`, `'1.5s'`) parsed to milliseconds. */
function duration(options: { allowZero: boolean }) {
  return z.unknown().transform((value, ctx) => {
    if (value === undefined) {
      ctx.issues.push({ code: 'custom', message: 'required', input: value });
      return z.NEVER;
    }
    const parsed = parseDuration(value);
    if (!parsed.ok) {
      ctx.issues.push({ code: 'custom', message: parsed.message, input: value });
      return z.NEVER;
    }
    if (parsed.ms < 0 || (!options.allowZero && parsed.ms === 0)) {
      ctx.issues.push({ code: 'custom', message: options.allowZero ? 'must be ≥ 0' : 'must be > 0', input: value });
      return z.NEVER;
    }
    return parsed.ms;
  });
}

const positiveInt = z.int().min(1);
const region = regionField();
const account = z.string({ error: (issue) => accountMessage(issue.input) }).regex(ACCOUNT_PATTERN, {
  error: (issue) => accountMessage(issue.input),
});
function accountMessage(input: unknown): string {
  if (typeof input === 'number') return `must be a string of 12 digits; quote it ("${input}") so YAML does not read a number`;
  return `must be an AWS account id of 12 digits, got ${describeValue(input)}`;
}
const entryName = z.string().regex(ENTRY_NAME_PATTERN, {
  error: (issue) => `${describeValue(issue.input)} is not a valid name: use letters, digits, '-' and '_' (no dots)`,
});

// ── quotas ────────────────────────────────────────────────────────────────────────────────────────────────────────

const bucketName = z.string().refine(isQuotaBucket, {
  error: (issue) =>
    `unknown bucket ${describeValue(issue.input)}${didYouMean(issue.input, QUOTA_BUCKETS)}; expected symmetric, rsa, ecc, ` +
    `gdkp:<key pair spec>, custom-key-store or a management API name such as CreateKey`,
});
const overrideRegion = regionField('*', ', nor "*" for every region');

export const quotasSchema = strict({
  profile: z.enum(QUOTA_PROFILE_NAMES).default('kms-current'),
  enforcement: z.enum(ENFORCEMENTS).default('fixed-window'),
  burstSeconds: z.number().positive().optional(),
  overrides: z.record(overrideRegion, z.record(bucketName, z.number().positive())).default({}),
})
  .refine(
    (quotas) => quotas.burstSeconds === undefined || quotas.enforcement === 'token-bucket',
    across(['burstSeconds', 'enforcement'], 'burstSeconds', 'applies only to enforcement: token-bucket'),
  )
  .transform((quotas) => ({ ...quotas, burstSeconds: quotas.burstSeconds ?? 1 }));

// ── keys ──────────────────────────────────────────────────────────────────────────────────────────────────────────

const alias = z
  .string()
  .max(LIMITS.aliasNameMaxChars)
  .regex(ALIAS_PATTERN, {
    error: (issue) => `${describeValue(issue.input)} is not an alias name: alias/ then letters, digits, ':', '/', '_', '-'`,
  })
  .refine((value) => !value.startsWith('alias/aws/'), { error: 'alias/aws/ is reserved for AWS managed keys' });

export const keyEntrySchema = strict({
  name: entryName,
  region,
  account: account.optional(),
  keySpec: z.enum(KEY_SPEC_NAMES as [string, ...string[]]).default('SYMMETRIC_DEFAULT'),
  keyUsage: z.enum(KEY_USAGES).optional(),
  aliases: z.array(alias).max(LIMITS.aliasesPerKeyMax).default([]),
  state: z.enum(KEY_STATES).default('Enabled'),
  keyId: z
    .string()
    .refine(isKeyIdFormat, { error: (issue) => `${describeValue(issue.input)} is not a key id (a UUID, or mrk- and 32 hex digits)` })
    .optional(),
}).refine(
  (key) => key.keyUsage === undefined || usagesOf(key.keySpec).includes(key.keyUsage),
  across(['keySpec', 'keyUsage'], 'keyUsage', (issue) => {
    const key = issue.input as { keySpec: string; keyUsage: string };
    return `${key.keyUsage} is not a usage of ${key.keySpec}; expected ${listOf(usagesOf(key.keySpec))}`;
  }),
);

function usagesOf(keySpec: string): readonly string[] {
  return KEY_SPECS[keySpec]?.usages ?? [];
}

// ── service latency ───────────────────────────────────────────────────────────────────────────────────────────────

const latencySchema = z.discriminatedUnion('distribution', [
  strict({ distribution: z.literal('constant'), ms: z.number().min(0) }),
  strict({ distribution: z.literal('lognormal'), medianMs: z.number().positive(), p99Ms: z.number().positive() }).refine(
    (latency) => latency.p99Ms >= latency.medianMs,
    across(['medianMs', 'p99Ms'], 'p99Ms', 'must be ≥ medianMs'),
  ),
]);
const latencyRegion = regionField('default', ', nor "default"');

// ── fleets ────────────────────────────────────────────────────────────────────────────────────────────────────────

const stageSchema = strict({ duration: duration({ allowZero: true }), target: z.number().min(0) }).transform((stage) => ({
  durationMs: stage.duration,
  targetRatePerSec: stage.target,
}));

const openWorkload = strict({
  model: z.literal('open'),
  arrivalRate: z.number().min(0).optional(),
  stages: z.array(stageSchema).default([]),
  poisson: z.boolean().default(false),
  maxInFlight: positiveInt.optional(),
})
  .refine(
    (open) => open.arrivalRate !== undefined || open.stages.length > 0,
    across(['arrivalRate', 'stages'], 'arrivalRate', 'required (or give stages)'),
  )
  .transform((open) => ({
    model: open.model,
    arrivalRatePerSec: open.arrivalRate ?? 0,
    stages: open.stages,
    poisson: open.poisson,
    maxInFlight: open.maxInFlight,
  }));

const closedWorkload = strict({
  model: z.literal('closed'),
  clients: positiveInt,
  thinkTime: duration({ allowZero: true }).default(0),
  iterations: positiveInt.optional(),
}).transform((closed) => ({
  model: closed.model,
  clients: closed.clients,
  thinkTimeMs: closed.thinkTime,
  iterations: closed.iterations,
}));

export const workloadSchema = z.discriminatedUnion('model', [openWorkload, closedWorkload]);

const mixOperation = z.enum(MIX_OPERATIONS, {
  error: (issue) =>
    typeof issue.input === 'string' && (KMS_OPERATIONS as readonly string[]).includes(issue.input)
      ? `${issue.input} is not available in a workload mix; expected ${listOf(MIX_OPERATIONS)}`
      : undefined,
});

const payloadBytes = z.union([
  positiveInt,
  strict({ min: positiveInt, max: positiveInt }).refine(
    (range) => range.max >= range.min,
    across(['min', 'max'], 'max', 'must be ≥ min'),
  ),
]);

export const mixEntrySchema = strict({
  op: mixOperation,
  weight: z.number().positive().default(1),
  key: z.string().optional(),
  destinationKey: z.string().optional(),
  payloadBytes: payloadBytes.optional(),
  dataKeySpec: z.enum(['AES_128', 'AES_256']).optional(),
  contexts: z.int().min(0).default(0),
  signingAlgorithm: z.string().optional(),
});

const tokenBudgetSchema = strict({
  capacity: positiveInt.default(TOKEN_BUDGET_DEFAULTS.capacity),
  retryCost: z.int().min(0).default(TOKEN_BUDGET_DEFAULTS.retryCost),
  timeoutCost: z.int().min(0).default(TOKEN_BUDGET_DEFAULTS.timeoutCost),
  successRefund: z.int().min(0).default(TOKEN_BUDGET_DEFAULTS.successRefund),
});

const maxAttempts = positiveInt.default(RETRY_DEFAULTS.maxAttempts);

// `none` used to retry at once up to maxAttempts; a maxAttempts above 1 is refused rather than ignored, so an old
// scenario's `{ policy: none, maxAttempts: 6 }` fails with the fix instead of silently running one attempt.
const noRetry = strict(
  {
    policy: z.literal('none'),
    maxAttempts: z
      .literal(1, {
        error: (issue) =>
          `policy none makes one attempt (no retry), got ${describeValue(issue.input)}; ` +
          'to retry at once without backoff use policy immediate',
      })
      .default(1),
  },
  'policy none makes one attempt and takes only maxAttempts: 1 (policy immediate retries at once and takes maxAttempts and tokenBudget)',
);

const immediateRetry = strict(
  { policy: z.literal('immediate'), maxAttempts, tokenBudget: tokenBudgetSchema.optional() },
  'policy immediate retries at once and takes only maxAttempts and tokenBudget',
).transform((retry) => ({ policy: retry.policy, maxAttempts: retry.maxAttempts, tokenBudget: retry.tokenBudget }));

const backoffRetry = strict({
  policy: z.enum(BACKOFF_POLICIES),
  base: duration({ allowZero: true }).default(RETRY_DEFAULTS.baseMs),
  cap: duration({ allowZero: true }).default(RETRY_DEFAULTS.capMs),
  maxAttempts,
  tokenBudget: tokenBudgetSchema.optional(),
})
  .refine((retry) => retry.cap >= retry.base, across(['base', 'cap'], 'cap', 'must be ≥ base'))
  .transform((retry) => ({
    policy: retry.policy,
    baseMs: retry.base,
    capMs: retry.cap,
    maxAttempts: retry.maxAttempts,
    tokenBudget: retry.tokenBudget,
  }));

const sdkRetry = strict(
  { policy: z.enum(SDK_POLICIES), maxAttempts },
  "the SDK's own strategies take only maxAttempts (the SDK sets its backoff and retry quota)",
);

/** A retry policy; a bare string is shorthand for `{ policy: <string> }` with every default. */
export const retrySchema = z.preprocess(
  (value) => (typeof value === 'string' ? { policy: value } : value),
  z.discriminatedUnion('policy', [noRetry, immediateRetry, backoffRetry, sdkRetry]),
);

export const clientSchema = z.enum(CLIENTS).default('direct');

/** Defaults of a data-key cache (aws-kms-facts.md §5: AWS's examples use maxAge 60 s, capacity 10–100). */
export const CACHE_DEFAULTS = {
  capacity: 100,
  maxAgeMs: 60_000,
  maxMessagesEncrypted: 2 ** 32,
  maxBytesEncrypted: Number.MAX_SAFE_INTEGER,
  partition: 'fleet',
  dedupeInFlight: false,
} as const;

const cacheObject = strict({
  capacity: positiveInt.default(CACHE_DEFAULTS.capacity),
  maxAge: duration({ allowZero: false }).default(CACHE_DEFAULTS.maxAgeMs),
  maxMessagesEncrypted: positiveInt.max(CACHE_DEFAULTS.maxMessagesEncrypted).default(CACHE_DEFAULTS.maxMessagesEncrypted),
  maxBytesEncrypted: positiveInt.max(CACHE_DEFAULTS.maxBytesEncrypted).default(CACHE_DEFAULTS.maxBytesEncrypted),
  partition: z.enum(['fleet', 'client']).default(CACHE_DEFAULTS.partition),
  dedupeInFlight: z.boolean().default(CACHE_DEFAULTS.dedupeInFlight),
}).transform((cache) => ({
  capacity: cache.capacity,
  maxAgeMs: cache.maxAge,
  maxMessagesEncrypted: cache.maxMessagesEncrypted,
  maxBytesEncrypted: cache.maxBytesEncrypted,
  partition: cache.partition,
  dedupeInFlight: cache.dedupeInFlight,
}));

/** A fleet's data-key cache: `off` (or `false`) for none, or its settings (`{}` for every default). */
export const cacheSchema = z.preprocess(
  (value) => (value === 'off' || value === false ? undefined : value),
  // A union rather than `.optional()` so a bad object reports its own fields (the validator picks the branch whose
  // type matched); anything else is "must be undefined or an object".
  z.union([z.undefined(), cacheObject]),
);

export const ALGORITHM_SUITES = ['committing-signed', 'committing'] as const satisfies readonly AlgorithmSuiteName[];

export const fleetSchema = strict({
  name: entryName,
  region,
  account: account.optional(),
  client: clientSchema,
  workload: workloadSchema,
  mix: z.array(mixEntrySchema).min(1),
  retry: retrySchema.optional(),
  cache: cacheSchema.optional(),
  algorithmSuite: z.enum(ALGORITHM_SUITES).optional(),
});

// ── scenario ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** `duration` of the whole run: more than zero. */
export const runDurationSchema = duration({ allowZero: false });

/** `model`: how the KMS model runs. `crypto: off` skips ciphers (virtual clock only; checked in rules.ts). */
export const modelSchema = strict({
  crypto: z.enum(['real', 'off']).default('real'),
});

export const scenarioSchema = strict({
  name: z.string().regex(SCENARIO_NAME_PATTERN, {
    error: (issue) =>
      `${describeValue(issue.input)} is not a valid scenario name: use a-z, 0-9, '.', '-', '_', starting with a letter or digit`,
  }),
  description: z.string().optional(),
  seed: z.int().default(1),
  duration: runDurationSchema,
  clock: z.enum(CLOCKS).default('wall'),
  workers: positiveInt.optional(),
  model: modelSchema.prefault({}),
  quotas: quotasSchema.prefault({}),
  keys: z.array(keyEntrySchema).default([]),
  serviceLatency: z.record(latencyRegion, latencySchema).default({}),
  fleets: z.array(fleetSchema).min(1),
  thresholds: z
    .record(
      z.string(),
      z.union([z.string(), z.array(z.string())]).transform((value) => (typeof value === 'string' ? [value] : value)),
    )
    .default({}),
  prices: pricesSchema.optional(),
  matrix: z.record(z.string(), z.array(z.unknown()).min(1)).optional(),
});

/** The scenario as the schema outputs it, before the defaults that depend on other fields. */
export type ParsedScenario = z.output<typeof scenarioSchema>;
export type ParsedFleet = z.output<typeof fleetSchema>;
export type ParsedKeyEntry = z.output<typeof keyEntrySchema>;
export type ParsedMixEntry = z.output<typeof mixEntrySchema>;
