/**
 * The zod schema of a scenario document: field types, ranges, names and unknown fields, plus the checks that need only
 * one object (`p99Ms ≥ medianMs`). The values of `quotas` and of a fleet's `retry` are the quota and retry layers' to
 * judge (layer-fields.ts). Checks that span objects (key references, unique names) live in rules.ts. Each object
 * schema transforms its input into the normalized shape of types.ts where that needs no other part of the scenario.
 */
import * as z from 'zod';
import { KEY_STATES } from '../kms/keystore.js';
import { KEY_SPECS } from '../kms/key-specs.js';
import type { KeyUsage } from '../kms/key-specs.js';
import { isKeyIdFormat } from '../kms/ciphertext-blob.js';
import { LIMITS } from '../kms/limits.js';
import {
  ACCOUNT_PATTERN,
  ALIAS_PATTERN,
  ENTRY_NAME_PATTERN,
  SCENARIO_NAME_PATTERN,
} from './catalog.js';
import { quotasSchema, retrySchema } from './layer-fields.js';
import { keyPolicySchema, principalsSchema } from './principals.js';
import { LATENESS_DEFAULTS, LATENESS_LIMITS, type LatenessSpec } from './lateness.js';
import { regionField } from './region-field.js';
import { pricesSchema } from './report-fields.js';
import { planBlockSchema } from './plan-block.js';
import { across, duration, positiveInt, strict } from './schema-helpers.js';
import { latencySchema } from './schema-latency.js';
import { faultsSchema } from './faults.js';
import { mixEntrySchema, workloadSchema } from './schema-workload.js';
import { secretsCacheSchema, servicesFields } from './schema-services.js';
import { describeValue, listOf } from '../base/text.js';
import type { AlgorithmSuiteName, ClientKind, ClockKind } from './types.js';
import { ALL_RETRY_POLICY_NAMES } from '../client/retry-options.js';

export { BACKOFF_POLICIES, RETRY_DEFAULTS, quotasSchema, retrySchema } from './layer-fields.js';
export { mixEntrySchema, workloadSchema } from './schema-workload.js';

export const CLIENTS = ['direct', 'sdk', 'esdk'] as const satisfies readonly ClientKind[];
export const CLOCKS = ['wall', 'virtual'] as const satisfies readonly ClockKind[];
/** Every retry policy name, in the order messages list them (the client's list: one home for the names). */
export const RETRY_POLICIES = ALL_RETRY_POLICY_NAMES;
const KEY_USAGES = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC'] as const satisfies readonly KeyUsage[];
const KEY_SPEC_NAMES = Object.keys(KEY_SPECS);

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
  policy: keyPolicySchema.optional(),
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

const latencyRegion = regionField('default', ', nor "default"');

// ── fleets ────────────────────────────────────────────────────────────────────────────────────────────────────────

// A fleet's `workload` and `mix` entries: schema-workload.ts.

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
  /** A `principals` name (principal-rules.ts); absent: the account root, as before principals existed. */
  principal: entryName.optional(),
  /** The client-side cache of Secrets Manager reads (schema-services.ts). */
  secretsCache: secretsCacheSchema.optional(),
});

// ── scenario ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** `duration` of the whole run: more than zero. */
export const runDurationSchema = duration({ allowZero: false });

/**
 * `model`: how the KMS model runs. `crypto: off` skips ciphers (virtual clock only; checked in rules.ts).
 * `chargeDenied`: whether a denied request draws from the quota (the model's option, whose default and source are
 * documented there); left out of the output unless true, so a scenario that does not use it keeps its hash.
 */
export const modelSchema = strict({
  crypto: z.enum(['real', 'off']).default('real'),
  chargeDenied: z.boolean().default(false),
}).transform(({ crypto, chargeDenied }) => ({ crypto, ...(chargeDenied ? { chargeDenied: true as const } : {}) }));

/** `lateness`: when a start counts as late (lateness.ts has the default and why). */
export const latenessSchema = strict({
  threshold: duration({ allowZero: false })
    .refine((ms) => ms <= LATENESS_LIMITS.maxThresholdMs, {
      error: `must be at most ${LATENESS_LIMITS.maxThresholdMs}ms (one quota window: a start that late is in another window)`,
    })
    .default(LATENESS_DEFAULTS.thresholdMs),
}).transform((lateness): LatenessSpec => ({ thresholdMs: lateness.threshold }));

/**
 * One threshold expression: a string, or k6's object form with `abortOnFail` (end the run the first time it fails
 * while running) and `delayAbortEval` (run time before it is first checked): see threshold-aborts.ts.
 */
const thresholdObject = strict({
  threshold: z.string(),
  abortOnFail: z.boolean().default(false),
  delayAbortEval: duration({ allowZero: true }).optional(),
});
type ThresholdEntry = string | z.output<typeof thresholdObject>;
type Issues = { issues: unknown[] };

/** One expression, its issues at `path`; undefined when it has any. */
function thresholdEntry(value: unknown, ctx: Issues, path: (string | number)[]): ThresholdEntry | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.issues.push({ code: 'custom', message: `must be an expression string, { threshold, abortOnFail, delayAbortEval } or a list of them, got ${describeValue(value)}`, path, input: value });
    return undefined;
  }
  const parsed = thresholdObject.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.issues.push({ code: 'custom', message: issue.message, path: [...path, ...issue.path], input: value });
  return undefined;
}

// Not a z.union: a union that fails names neither branch's problem ("a string or an object"), where an object's own
// issues (a bad delayAbortEval, a mistyped abortOnFail) are what the user needs.
const thresholdEntries = z.unknown().transform((value, ctx): ThresholdEntry[] => {
  const items = Array.isArray(value) ? (value as unknown[]) : [value];
  const entries = items.map((item, index) => thresholdEntry(item, ctx as unknown as Issues, Array.isArray(value) ? [index] : []));
  return entries.every((entry): entry is ThresholdEntry => entry !== undefined) ? entries : z.NEVER;
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
  principals: principalsSchema.default({}),
  keys: z.array(keyEntrySchema).default([]),
  // The AWS services' resources and settings (schema-services.ts); optional, so a scenario without them keeps its hash.
  ...servicesFields,
  serviceLatency: z.record(latencyRegion, latencySchema).default({}),
  lateness: latenessSchema.prefault({}),
  fleets: z.array(fleetSchema).min(1),
  thresholds: z
    .record(
      z.string(),
      thresholdEntries,
    )
    .default({}),
  prices: pricesSchema.optional(),
  matrix: z.record(z.string(), z.array(z.unknown()).min(1)).optional(),
  plan: planBlockSchema.optional(),
  faults: faultsSchema,
});

/** The scenario as the schema outputs it, before the defaults that depend on other fields. */
export type ParsedScenario = z.output<typeof scenarioSchema>;
export type ParsedFleet = z.output<typeof fleetSchema>;
export type ParsedKeyEntry = z.output<typeof keyEntrySchema>;
export type ParsedMixEntry = z.output<typeof mixEntrySchema>;
