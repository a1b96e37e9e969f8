/**
 * The condition keys the model supplies, and where each reads its value in a request. Names are matched
 * case-insensitively, as IAM does ("Condition key names are not case-sensitive", IAM User Guide, "IAM JSON policy
 * elements: Condition"); values are compared as each operator says. Sources: Developer Guide, "AWS KMS condition keys"
 * (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html) and IAM User Guide, "AWS global
 * condition context keys". A key outside this table is refused when a policy is checked, never treated as absent.
 */
import { LIMITS } from './limits.js';
import { KMS_ACTIONS } from './policy-actions.js';
import type { AuthzRequest } from './policy-request.js';

/** How a key's values compare: which operator families apply to it. */
export type ConditionKeyType = 'string' | 'arn' | 'bool' | 'numeric';

/** A value from the request: absent, one value, or a set (multivalued keys). */
export type ConditionValue = string | readonly string[] | undefined;

export interface ConditionKeyDef {
  /** As AWS spells it. */
  readonly name: string;
  readonly type: ConditionKeyType;
  /** A set of values (use `ForAnyValue:` / `ForAllValues:`). */
  readonly multivalued: boolean;
  /**
   * The value depends only on the caller and the key (not on the request's parameters), so a condition on it is
   * decided once per (key, principal, action) and not on every request (authorize.ts).
   */
  readonly fixed?: boolean;
  readonly get: (request: AuthzRequest) => ConditionValue;
}

/**
 * What one service's policies may name: its actions (wildcards are expanded against this list when a policy is
 * compiled) and its condition keys. KMS's is the default (policy-condition-keys.ts); a service above the model (S3's
 * bucket policies, src/services/) brings its own, and the same grammar, operators and compiler serve both.
 */
export interface PolicyVocabulary {
  /** The service prefix of its actions, e.g. `kms`. */
  readonly service: string;
  readonly actions: readonly string[];
  /** The definition of a condition key as a policy names it, or undefined for one the service does not supply. */
  conditionKey(name: string): ConditionKeyDef | undefined;
}

type Fields = { readonly context: string; readonly algorithm: string };
const PLAIN: Fields = { context: 'EncryptionContext', algorithm: 'EncryptionAlgorithm' };
/** ReEncrypt's two actions read the source and destination halves of the request. */
const FIELDS_OF: Readonly<Record<string, Fields | undefined>> = {
  'kms:ReEncryptFrom': { context: 'SourceEncryptionContext', algorithm: 'SourceEncryptionAlgorithm' },
  'kms:ReEncryptTo': { context: 'DestinationEncryptionContext', algorithm: 'DestinationEncryptionAlgorithm' },
};
/** Actions whose requests carry an encryption algorithm; SYMMETRIC_DEFAULT when the request names none. */
const ALGORITHM_ACTIONS: ReadonlySet<string> = new Set([
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
]);

function encryptionContext(request: AuthzRequest): Readonly<Record<string, unknown>> | undefined {
  const field = (FIELDS_OF[request.action] ?? PLAIN).context;
  const value = request.input[field];
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

function stringField(request: AuthzRequest, field: string): string | undefined {
  const value = request.input[field];
  return typeof value === 'string' ? value : undefined;
}

/** `kms:ViaService` holds `<service>.<region>.amazonaws.com`; a context naming just the service (`s3`) is expanded. */
function viaService(request: AuthzRequest): string | undefined {
  const service = request.ctx.viaService;
  if (service === undefined || service === '') return undefined;
  return service.includes('.') ? service : `${service}.${request.ctx.region}.amazonaws.com`;
}

const bool = (value: boolean | undefined): string | undefined => (value === undefined ? undefined : value ? 'true' : 'false');

const KEYS: readonly ConditionKeyDef[] = [
  { name: 'kms:CallerAccount', type: 'string', multivalued: false, fixed: true, get: (r) => r.principal.accountId },
  { name: 'kms:ViaService', type: 'string', multivalued: false, get: viaService },
  {
    name: 'kms:EncryptionContextKeys',
    type: 'string',
    multivalued: true,
    get: (r) => {
      const context = encryptionContext(r);
      return context === undefined ? undefined : Object.keys(context);
    },
  },
  {
    name: 'kms:EncryptionAlgorithm',
    type: 'string',
    multivalued: false,
    get: (r) => (ALGORITHM_ACTIONS.has(r.action) ? (stringField(r, (FIELDS_OF[r.action] ?? PLAIN).algorithm) ?? 'SYMMETRIC_DEFAULT') : undefined),
  },
  {
    name: 'kms:SigningAlgorithm',
    type: 'string',
    multivalued: false,
    get: (r) => (r.action === 'kms:Sign' || r.action === 'kms:Verify' ? stringField(r, 'SigningAlgorithm') : undefined),
  },
  {
    name: 'kms:MessageType',
    type: 'string',
    multivalued: false,
    get: (r) => (r.action === 'kms:Sign' || r.action === 'kms:Verify' ? (stringField(r, 'MessageType') ?? 'RAW') : undefined),
  },
  { name: 'kms:MacAlgorithm', type: 'string', multivalued: false, get: (r) => stringField(r, 'MacAlgorithm') },
  { name: 'kms:DataKeyPairSpec', type: 'string', multivalued: false, get: (r) => stringField(r, 'KeyPairSpec') },
  {
    name: 'kms:KeySpec',
    type: 'string',
    multivalued: false,
    fixed: true,
    // A key's attribute, or for CreateKey the attribute the request asks for (so does kms:KeyUsage, kms:KeyOrigin, …).
    get: (r) =>
      r.key !== undefined
        ? r.key.keySpec
        : r.action === 'kms:CreateKey'
          ? (stringField(r, 'KeySpec') ?? stringField(r, 'CustomerMasterKeySpec') ?? 'SYMMETRIC_DEFAULT')
          : undefined,
  },
  {
    name: 'kms:KeyUsage',
    type: 'string',
    multivalued: false,
    fixed: true,
    get: (r) =>
      r.key !== undefined ? r.key.keyUsage : r.action === 'kms:CreateKey' ? (stringField(r, 'KeyUsage') ?? 'ENCRYPT_DECRYPT') : undefined,
  },
  {
    name: 'kms:KeyOrigin',
    type: 'string',
    multivalued: false,
    fixed: true,
    get: (r) => (r.key !== undefined ? 'AWS_KMS' : r.action === 'kms:CreateKey' ? (stringField(r, 'Origin') ?? 'AWS_KMS') : undefined),
  },
  {
    name: 'kms:MultiRegion',
    type: 'bool',
    multivalued: false,
    fixed: true,
    get: (r) =>
      bool(r.key !== undefined ? r.key.multiRegion : r.action === 'kms:CreateKey' ? r.input.MultiRegion === true : undefined),
  },
  {
    name: 'kms:BypassPolicyLockoutSafetyCheck',
    type: 'bool',
    multivalued: false,
    get: (r) =>
      r.action === 'kms:CreateKey' || r.action === 'kms:PutKeyPolicy' ? bool(r.input.BypassPolicyLockoutSafetyCheck === true) : undefined,
  },
  {
    name: 'kms:ScheduleKeyDeletionPendingWindowInDays',
    type: 'numeric',
    multivalued: false,
    get: (r) =>
      r.action === 'kms:ScheduleKeyDeletion'
        ? String(typeof r.input.PendingWindowInDays === 'number' ? r.input.PendingWindowInDays : LIMITS.pendingWindowDefaultDays)
        : undefined,
  },
  {
    name: 'kms:RotationPeriodInDays',
    type: 'numeric',
    multivalued: false,
    get: (r) =>
      r.action === 'kms:EnableKeyRotation'
        ? String(typeof r.input.RotationPeriodInDays === 'number' ? r.input.RotationPeriodInDays : LIMITS.rotationPeriodDefaultDays)
        : undefined,
  },
  {
    name: 'kms:RequestAlias',
    type: 'string',
    multivalued: false,
    get: (r) => {
      const keyId = stringField(r, 'KeyId');
      if (keyId === undefined) return undefined;
      const at = keyId.indexOf('alias/');
      return at >= 0 ? keyId.slice(at) : undefined;
    },
  },
  { name: 'aws:PrincipalArn', type: 'arn', multivalued: false, fixed: true, get: (r) => r.principal.principalArn },
  { name: 'aws:PrincipalAccount', type: 'string', multivalued: false, fixed: true, get: (r) => r.principal.accountId },
  { name: 'aws:ViaAWSService', type: 'bool', multivalued: false, get: (r) => bool(viaService(r) !== undefined) },
  /** Every request the model answers came over TLS as far as policies are concerned: the SDK only speaks HTTPS to KMS. */
  { name: 'aws:SecureTransport', type: 'bool', multivalued: false, fixed: true, get: () => 'true' },
];

const BY_LOWER_NAME: ReadonlyMap<string, ConditionKeyDef> = new Map(KEYS.map((def) => [def.name.toLowerCase(), def]));
const CONTEXT_PREFIX = 'kms:encryptioncontext:';

/**
 * The definition of a condition key as a policy names it, or undefined for a key the model does not supply.
 * `kms:EncryptionContext:<context-key>` reads one pair of the encryption context; the context key is matched
 * case-insensitively, like the rest of the condition key name (Developer Guide, "kms:EncryptionContext:context-key":
 * "the key name … is not case sensitive"; use kms:EncryptionContextKeys to require a case).
 */
export function conditionKey(name: string): ConditionKeyDef | undefined {
  const lower = name.toLowerCase();
  const known = BY_LOWER_NAME.get(lower);
  if (known !== undefined) return known;
  if (!lower.startsWith(CONTEXT_PREFIX) || lower.length === CONTEXT_PREFIX.length) return undefined;
  const contextKey = name.slice(CONTEXT_PREFIX.length);
  const contextKeyLower = contextKey.toLowerCase();
  return {
    name: `kms:EncryptionContext:${contextKey}`,
    type: 'string',
    multivalued: false,
    get: (r) => {
      const context = encryptionContext(r);
      if (context === undefined) return undefined;
      const exact = context[contextKey];
      if (typeof exact === 'string') return exact;
      for (const k of Object.keys(context)) {
        const value = context[k];
        if (typeof value === 'string' && k.toLowerCase() === contextKeyLower) return value;
      }
      return undefined;
    },
  };
}

/** Every condition key name the model supplies (for error messages and docs). */
export const CONDITION_KEY_NAMES: readonly string[] = [...KEYS.map((def) => def.name), 'kms:EncryptionContext:<context-key>'];

/** KMS's actions and condition keys: what key policies and identity policies are compiled against. */
export const KMS_POLICY_VOCABULARY: PolicyVocabulary = Object.freeze({ service: 'kms', actions: KMS_ACTIONS, conditionKey });
