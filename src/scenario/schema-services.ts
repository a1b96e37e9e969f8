/**
 * The zod schemas of the AWS services a scenario models (src/services, docs/SERVICES.md): the resources (`secrets`,
 * `parameters`; S3 adds `buckets`), Parameter Store's throughput setting, the services' quota overrides, a fleet's
 * secret cache, and the fields a mix entry of a service operation takes — those come from the services' registry
 * (each operation's resource field and params), so a service added there needs no schema here for its mix fields.
 * Checks that span objects (a secret's key, a mix entry's secret in the fleet's region) live in service-rules.ts.
 */
import * as z from 'zod';
import {
  PARAMETER_STORE_THROUGHPUTS,
  SECRET_CACHE_PRESETS,
  SERVICE_DEFINITIONS,
  serviceQuotaName,
  type SecretCacheSetup,
  type SecretCacheStyle,
} from '../services/index.js';
import { describeValue, didYouMean, listOf } from '../base/text.js';
import { regionField } from './region-field.js';
import { bucketsSchema } from './schema-buckets.js';
import { duration, positiveInt, strict } from './schema-helpers.js';

const keyName = z.string().min(1);

/** Secrets Manager's secret names: 1–512 of letters, digits and `/_+=.@-` (API Reference, CreateSecret › Name). */
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/**
 * Parameter names: letters, digits and `_.-/`, at most 1,011 characters, a leading `/` for a hierarchy (Systems Manager
 * User Guide, "Parameter names"); names beginning `aws` or `ssm` are reserved.
 */
const PARAMETER_NAME = /^\/?[A-Za-z0-9_.\-/]{1,1011}$/;
/** A hierarchy has at most 15 levels (ibid., "Maximum number of parameter hierarchy levels"). */
const PARAMETER_LEVELS_MAX = 15;

/**
 * What Parameter Store refuses in a name the character rule lets through: a name with a `/` must be fully qualified
 * (a leading `/`: PutParameter answers "Parameter name must be a fully qualified name"), and every level between the
 * slashes must be non-empty — so no `/` alone, `a//b` or trailing `/` — and there are at most 15 levels.
 */
function parameterNameProblem(name: string): string | undefined {
  if (!name.includes('/')) return undefined;
  if (!name.startsWith('/')) return 'a name with / must be fully qualified: begin it with / (/app/db, not app/db)';
  const levels = name.slice(1).split('/');
  if (levels.some((level) => level === '')) return 'every level between slashes needs a name: no lone /, // or trailing /';
  if (levels.length > PARAMETER_LEVELS_MAX) return `a hierarchy has at most ${PARAMETER_LEVELS_MAX} levels; this one has ${levels.length}`;
  return undefined;
}

/** Largest secret value (SecretString): 65,536 bytes (Secrets Manager quotas page). */
export const SECRET_VALUE_MAX_BYTES = 65_536;
/** Largest SecureString value: 4 KB standard, 8 KB advanced ("Managing parameter tiers"). */
export const PARAMETER_VALUE_MAX_BYTES = { standard: 4096, advanced: 8192 } as const;
/** Versions a secret starts with: Secrets Manager keeps at most 100 unlabeled ones. */
export const SECRET_VERSIONS_MAX = 100;

export const secretEntrySchema = strict({
  name: z.string().regex(SECRET_NAME, {
    error: (issue) => `${describeValue(issue.input)} is not a secret name: 1 to 512 letters, digits and /_+=.@-`,
  }),
  key: keyName,
  versions: positiveInt.max(SECRET_VERSIONS_MAX).default(1),
  valueBytes: positiveInt.max(SECRET_VALUE_MAX_BYTES).default(64),
});

export const parameterEntrySchema = strict({
  name: z
    .string()
    .regex(PARAMETER_NAME, {
      error: (issue) => `${describeValue(issue.input)} is not a parameter name: letters, digits and _.-/ (a leading / for a hierarchy)`,
    })
    .refine((name) => !/^\/?(aws|ssm)/i.test(name), { error: 'names beginning with aws or ssm are reserved' })
    .superRefine((name, ctx) => {
      const problem = parameterNameProblem(name);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    }),
  key: keyName,
  tier: z.enum(['standard', 'advanced']).default('standard'),
  valueBytes: positiveInt.default(64),
}).refine((p) => p.valueBytes <= PARAMETER_VALUE_MAX_BYTES[p.tier], {
  path: ['valueBytes'],
  error: (issue) => {
    const p = issue.input as { tier: 'standard' | 'advanced' };
    return `must be ≤ ${PARAMETER_VALUE_MAX_BYTES[p.tier]} bytes for a ${p.tier} parameter`;
  },
});

/** `parameterStore`: the account's throughput setting (parameter-store-data.ts). */
export const parameterStoreSchema = strict({
  throughput: z.enum(PARAMETER_STORE_THROUGHPUTS as unknown as ['standard', 'higher']).default('standard'),
});

/** Every quota name a scenario may override (`<service>:<name>`), from the services' tables. */
export const SERVICE_QUOTA_NAMES: readonly string[] = SERVICE_DEFINITIONS.flatMap((d) => d.quotas.map(serviceQuotaName));

const serviceQuotaName_ = z.string().refine((name) => SERVICE_QUOTA_NAMES.includes(name), {
  error: (issue) => `unknown service quota ${describeValue(issue.input)}${didYouMean(String(issue.input), SERVICE_QUOTA_NAMES)}; expected ${listOf(SERVICE_QUOTA_NAMES)}`,
});

/** `serviceQuotas`: per region (or `*`), per quota name, requests per second. */
export const serviceQuotasSchema = z.record(
  regionField('*', ', nor "*"'),
  z.record(serviceQuotaName_, z.number().positive().max(1e9)),
);

const SECRET_CACHE_STYLES = Object.keys(SECRET_CACHE_PRESETS) as [SecretCacheStyle, ...SecretCacheStyle[]];

const secretCacheObject = strict({
  style: z.enum(SECRET_CACHE_STYLES).default('caching-client'),
  ttl: duration({ allowZero: false }).optional(),
  maxSecrets: positiveInt.max(1_000_000).optional(),
  partition: z.enum(['fleet', 'client']).default('fleet'),
}).transform((cache): SecretCacheSetup => {
  const preset = SECRET_CACHE_PRESETS[cache.style];
  return { style: cache.style, ttlMs: cache.ttl ?? preset.ttlMs, maxSecrets: cache.maxSecrets ?? preset.maxSecrets, partition: cache.partition };
});

/**
 * A fleet's `secretsCache`: `off` (or `false`, the default) for none, a preset's name (`caching-client`: 1 h, 1,024
 * secrets; `lambda-extension`: 300 s, 1,000), or `{ style, ttl, maxSecrets, partition }` (style `caching-client` by
 * default, the style's preset filling what is not given).
 */
export const secretsCacheSchema = z.preprocess(
  (value) => (value === 'off' || value === false ? undefined : typeof value === 'string' && value in SECRET_CACHE_PRESETS ? { style: value } : value),
  z.union([z.undefined(), secretCacheObject], {
    error: (issue) =>
      typeof issue.input === 'string'
        ? `unknown secret cache ${describeValue(issue.input)}; expected off, ${listOf(SECRET_CACHE_STYLES)} or { ttl, maxSecrets }`
        : undefined,
  }),
);

const PARAM_KINDS = {
  boolean: z.boolean(),
  positiveInt,
  string: z.string().min(1),
} as const;

/**
 * The fields a mix entry of a service operation may carry, from the registry: each operation's resource field (a
 * name), and its params by kind. All optional here; service-rules.ts says which belong to which operation.
 */
export function serviceMixFields(): Record<string, z.ZodType> {
  const fields: Record<string, z.ZodType> = {};
  for (const definition of SERVICE_DEFINITIONS) {
    for (const op of definition.operations) {
      fields[op.resourceField] = z.string().min(1).optional();
      for (const param of op.params ?? []) fields[param.field] = PARAM_KINDS[param.kind].optional();
    }
  }
  return fields;
}

/** The top-level fields of the services, added to the scenario's schema. */
export const servicesFields = {
  buckets: bucketsSchema.optional(),
  secrets: z.array(secretEntrySchema).optional(),
  parameters: z.array(parameterEntrySchema).optional(),
  parameterStore: parameterStoreSchema.optional(),
  serviceQuotas: serviceQuotasSchema.optional(),
};
