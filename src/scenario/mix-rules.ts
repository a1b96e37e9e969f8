/**
 * The rules of a fleet's mix: each entry against the scenario's keys (a key where the operation needs one, of the type
 * it needs, in the fleet's region; the payload within what the key, and a ReEncrypt's destination key, takes), and
 * the data-key cache and Encryption SDK settings that only envelope operations use.
 */
import { KEY_SPECS } from '../kms/key-specs.js';
import { ENVELOPE_OPERATIONS } from '../metrics/cache-summary.js';
import { describeValue, didYouMean, listOf } from '../base/text.js';
import { isRecord } from '../base/records.js';
import { OP_RULES, payloadLimits } from './catalog.js';
import type { PathSegment } from './errors.js';
import type { Finding } from './issues.js';
import { cacheSchema, clientSchema, retrySchema, workloadSchema } from './schema.js';
import type { ParsedMixEntry } from './schema.js';
import type { MixOperation } from './types.js';
import { isServiceOperationName } from '../services/index.js';

/** A list field as a list (anything else as empty: the schema reports it). */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** What the rules know of a key; a field is `undefined` when it is invalid (the schema reports it). */
export interface KnownKey {
  readonly name: string;
  readonly region: string | undefined;
  readonly keySpec: string | undefined;
  readonly keyUsage: string | undefined;
}

/** Keys by name (the first entry of a name). */
export type KeyTable = ReadonlyMap<string, KnownKey>;

/**
 * A fleet's data-key cache and Encryption SDK settings: a cache serves only envelope operations; `partition: client`
 * needs clients (a closed workload); `client: esdk` runs only envelope operations, retries as the SDK does and has no
 * in-flight dedupe; `algorithmSuite` is the Encryption SDK's.
 */
export function checkEnvelopeFleet(fleet: Record<string, unknown>, base: PathSegment[], findings: Finding[]): void {
  const client = clientSchema.safeParse(fleet['client']);
  const cache = cacheSchema.safeParse(fleet['cache']);
  const ops = list(fleet['mix']).map((entry) => (isRecord(entry) ? entry['op'] : undefined));
  const envelopeOps = ops.filter((op) => typeof op === 'string' && (ENVELOPE_OPERATIONS as readonly string[]).includes(op));
  if (cache.success && cache.data !== undefined) {
    if (envelopeOps.length === 0) {
      findings.push({ segments: [...base, 'cache'], message: 'a data-key cache serves envelopeEncrypt and envelopeDecrypt; the mix has neither' });
    }
    const workload = workloadSchema.safeParse(fleet['workload']);
    if (cache.data.partition === 'client' && workload.success && workload.data.model === 'open') {
      findings.push({
        segments: [...base, 'cache', 'partition'],
        message: 'partition: client needs a closed workload (one cache per client); an open workload has no clients — use partition: fleet',
      });
    }
  }
  if (!client.success) return;
  if (client.data === 'esdk') {
    ops.forEach((op, index) => {
      if (typeof op === 'string' && !envelopeOps.includes(op)) {
        findings.push({
          segments: [...base, 'mix', index, 'op'],
          message: `client: esdk (the AWS Encryption SDK) runs envelopeEncrypt and envelopeDecrypt only, not ${op}`,
        });
      }
    });
    const retry = retrySchema.safeParse(fleet['retry']);
    if (retry.success && fleet['retry'] !== undefined && !retry.data.policy.startsWith('sdk-')) {
      findings.push({
        segments: [...base, 'retry', 'policy'],
        message: `client: esdk retries inside the SDK's KMS client: use sdk-standard or sdk-adaptive, not ${retry.data.policy}`,
      });
    }
    if (cache.success && cache.data?.dedupeInFlight === true) {
      findings.push({
        segments: [...base, 'cache', 'dedupeInFlight'],
        message: "the Encryption SDK's caching materials manager does not merge concurrent misses; dedupeInFlight needs client: direct or sdk",
      });
    }
  } else if (fleet['algorithmSuite'] !== undefined) {
    findings.push({ segments: [...base, 'algorithmSuite'], message: 'algorithmSuite is the Encryption SDK\'s: it needs client: esdk' });
  }
}

export interface FleetContext {
  readonly name: string;
  readonly region: string | undefined;
}

/** Resolves a key reference, reporting an unknown name, a key of the wrong type or one in another region. */
function resolveKey(
  name: string,
  op: MixOperation,
  segments: PathSegment[],
  fleet: FleetContext,
  keys: KeyTable,
  findings: Finding[],
): KnownKey | undefined {
  const key = keys.get(name);
  if (key === undefined) {
    const known = [...keys.keys()];
    const message =
      known.length === 0
        ? `unknown key "${name}": the scenario has no keys`
        : `unknown key "${name}"${didYouMean(name, known)}; keys are ${listOf(known, 'and')}`;
    findings.push({ segments, message });
    return undefined;
  }
  const rule = OP_RULES[op];
  const info = key.keySpec === undefined ? undefined : KEY_SPECS[key.keySpec];
  if (info !== undefined && key.keyUsage !== undefined) {
    if (!rule.families.includes(info.family) || (rule.usage !== undefined && key.keyUsage !== rule.usage)) {
      findings.push({ segments, message: `${op} needs ${rule.keyDescription}; key "${name}" is ${key.keySpec} with usage ${key.keyUsage}` });
    }
  }
  if (fleet.region !== undefined && key.region !== undefined && key.region !== fleet.region) {
    findings.push({
      segments,
      message: `key "${name}" is in ${key.region} but fleet "${fleet.name}" calls ${fleet.region}; a key is usable only in its own region`,
    });
  }
  return key;
}

/** The most plaintext bytes a key takes (Infinity when its spec is unknown). */
function payloadMax(key: KnownKey | undefined): number {
  return key?.keySpec === undefined ? Infinity : (payloadLimits('plaintext', key.keySpec)?.max ?? Infinity);
}

export function checkMixEntry(
  fields: { values: Partial<ParsedMixEntry>; invalid: ReadonlySet<string> },
  given: Readonly<Record<string, unknown>>,
  base: PathSegment[],
  fleet: FleetContext,
  keys: KeyTable,
  findings: Finding[],
): void {
  const { values: entry, invalid } = fields;
  // Missing or unknown: the schema reports it, and every rule below depends on it. A service operation's entry is
  // service-rules.ts's to check.
  if (entry.op === undefined || isServiceOperationName(entry.op)) return;
  const op = entry.op as MixOperation;
  const rule = OP_RULES[op];
  const at = (field: string): PathSegment[] => [...base, field];
  let key: KnownKey | undefined;
  let destination: KnownKey | undefined;
  if (!rule.takesKey) {
    if (given['key'] !== undefined) findings.push({ segments: at('key'), message: `${op} takes no key` });
  } else if (given['key'] === undefined) {
    findings.push({ segments: at('key'), message: `required: ${op} needs ${rule.keyDescription}` });
  } else if (entry.key !== undefined) {
    key = resolveKey(entry.key, op, at('key'), fleet, keys, findings);
  }

  if (given['destinationKey'] !== undefined) {
    if (op !== 'ReEncrypt') findings.push({ segments: at('destinationKey'), message: 'only ReEncrypt takes a destinationKey' });
    else if (entry.destinationKey !== undefined) destination = resolveKey(entry.destinationKey, op, at('destinationKey'), fleet, keys, findings);
  }

  if (given['dataKeySpec'] !== undefined) {
    if (rule.payload !== 'dataKey') {
      findings.push({ segments: at('dataKeySpec'), message: 'only GenerateDataKey and GenerateDataKeyWithoutPlaintext take a dataKeySpec' });
    } else if (given['payloadBytes'] !== undefined) {
      findings.push({ segments: at('dataKeySpec'), message: 'give payloadBytes (NumberOfBytes) or dataKeySpec, not both' });
    }
  }

  if (given['payloadBytes'] !== undefined) {
    if (rule.payload === 'none') {
      findings.push({ segments: at('payloadBytes'), message: `${op} sends no payload` });
    } else if (entry.payloadBytes !== undefined && (rule.payload !== 'plaintext' || key?.keySpec !== undefined)) {
      // Plaintext limits depend on the key, so they are checked only once the key resolved.
      // ReEncrypt's plaintext must also fit its destination key (an RSA one takes less than a symmetric source).
      const limitKey = destination !== undefined && payloadMax(destination) < payloadMax(key) ? destination : key;
      const limits = payloadLimits(rule.payload, limitKey?.keySpec);
      const bytes = entry.payloadBytes;
      const fixed = typeof bytes === 'number';
      const [min, max] = fixed ? [bytes, bytes] : [bytes.min, bytes.max];
      const field = (bound: 'min' | 'max'): PathSegment[] => (fixed ? at('payloadBytes') : [...at('payloadBytes'), bound]);
      if (limits !== undefined && max > limits.max) {
        const withKey = rule.payload === 'plaintext' && limitKey !== undefined ? ` with ${String(limitKey.keySpec)} keys` : '';
        findings.push({ segments: field('max'), message: `must be ≤ ${limits.max}: the most ${op} accepts${withKey}` });
      }
      if (limits !== undefined && min < limits.min) findings.push({ segments: field('min'), message: `must be ≥ ${limits.min}` });
    }
  }

  if (entry.contexts !== undefined && entry.contexts > 0 && !invalid.has('contexts')) {
    const family = key?.keySpec === undefined ? undefined : KEY_SPECS[key.keySpec]?.family;
    if (!rule.contexts) findings.push({ segments: at('contexts'), message: `${op} takes no encryption context` });
    else if (family !== undefined && family !== 'symmetric') {
      findings.push({
        segments: at('contexts'),
        message: `an encryption context needs a symmetric key; key "${key?.name ?? ''}" is ${String(key?.keySpec)}`,
      });
    }
  }

  if (given['signingAlgorithm'] !== undefined) {
    if (op !== 'Sign' && op !== 'Verify') {
      findings.push({ segments: at('signingAlgorithm'), message: 'only Sign and Verify take a signingAlgorithm' });
    } else if (entry.signingAlgorithm !== undefined && key?.keySpec !== undefined) {
      const allowed = KEY_SPECS[key.keySpec]?.signingAlgorithms ?? [];
      if (!allowed.includes(entry.signingAlgorithm)) {
        findings.push({
          segments: at('signingAlgorithm'),
          message: `${describeValue(entry.signingAlgorithm)} is not a signing algorithm of ${key.keySpec}; expected ${listOf(allowed)}`,
        });
      }
    }
  }
}
