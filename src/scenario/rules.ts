/**
 * Checks that span more than one object: unique names, key references, each operation's key type and payload limits,
 * a fleet's region against its keys', SDK retry strategies against the client. They read the raw document and parse
 * each piece on its own, so a broken fleet does not hide the problems of another (every problem at once); a rule is
 * skipped where a piece it needs is itself invalid, since the schema already reports that piece.
 */
import type * as z from 'zod';
import { KEY_SPECS } from '../kms/key-specs.js';
import { DEFAULT_ACCOUNT_ID } from '../kms/callers.js';
import { ENVELOPE_OPERATIONS } from '../metrics/cache-summary.js';
import { OP_RULES, payloadLimits } from './catalog.js';
import { formatDuration } from './duration.js';
import type { PathSegment } from './errors.js';
import { describeValue, didYouMean, listOf } from '../base/text.js';
import type { Finding } from './issues.js';
import {
  cacheSchema,
  clientSchema,
  fleetSchema,
  keyEntrySchema,
  mixEntrySchema,
  retrySchema,
  runDurationSchema,
  workloadSchema,
} from './schema.js';
import type { ParsedKeyEntry, ParsedMixEntry } from './schema.js';
import type { MixOperation } from './types.js';
import { isRecord } from '../base/records.js';


function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Parses each field of an object on its own: the valid ones (with their defaults) and the names of the invalid ones,
 * so one bad field does not hide the rules about the others.
 */
function parseFields<T>(shape: Readonly<Record<string, z.ZodType>>, raw: unknown): { values: Partial<T>; invalid: ReadonlySet<string> } {
  const record = isRecord(raw) ? raw : {};
  const values: Record<string, unknown> = {};
  const invalid = new Set<string>();
  for (const [field, schema] of Object.entries(shape)) {
    const result = schema.safeParse(record[field]);
    if (result.success) values[field] = result.data;
    else invalid.add(field);
  }
  return { values: values as Partial<T>, invalid };
}

/** What the rules know of a key; a field is `undefined` when it is invalid (the schema reports it). */
interface KnownKey {
  readonly name: string;
  readonly region: string | undefined;
  readonly keySpec: string | undefined;
  readonly keyUsage: string | undefined;
}

/** Keys by name (the first entry of a name). */
type KeyTable = ReadonlyMap<string, KnownKey>;

/** Every cross-object problem of a document. */
export function crossFieldFindings(document: unknown): Finding[] {
  if (!isRecord(document)) return [];
  const findings: Finding[] = [];
  const keys = checkKeys(list(document['keys']), findings);
  const duration = runDurationSchema.safeParse(document['duration']);
  checkFleets(list(document['fleets']), keys, duration.success ? duration.data : undefined, findings);
  checkModelCrypto(document, findings);
  checkEsdkClock(document, findings);
  checkClosedThinkTime(document, findings);
  return findings;
}

/**
 * On the virtual clock an answer can take no simulated time (no service latency, a throttle, a cache hit): a closed
 * client with no think time and no `iterations` would then send requests forever without time moving.
 */
function checkClosedThinkTime(document: Record<string, unknown>, findings: Finding[]): void {
  if ((document['clock'] ?? 'wall') !== 'virtual') return;
  list(document['fleets']).forEach((fleet, index) => {
    const workload = isRecord(fleet) ? fleet['workload'] : undefined;
    // With `iterations` every client stops after its share, however little time passes.
    if (!isRecord(workload) || workload['model'] !== 'closed' || workload['iterations'] !== undefined) return;
    const think = workload['thinkTime'];
    if (think === undefined || think === null || /^0+(\.0*)?(ms|s|m|h)$/.test(String(think))) {
      findings.push({
        segments: ['fleets', index, 'workload', 'thinkTime'],
        message:
          'must be > 0 with clock: virtual unless iterations is set (a closed client whose answers take no simulated time would send requests forever at one instant)',
      });
    }
  });
}

/**
 * The Encryption SDK encrypts through Node streams, whose callbacks the virtual clock's scheduler cannot see: a
 * simulation would move time past requests still in flight. It runs on the wall clock only.
 */
function checkEsdkClock(document: Record<string, unknown>, findings: Finding[]): void {
  if ((document['clock'] ?? 'wall') !== 'virtual') return;
  list(document['fleets']).forEach((fleet, index) => {
    if (isRecord(fleet) && fleet['client'] === 'esdk') {
      findings.push({
        segments: ['fleets', index, 'client'],
        message: 'client: esdk runs on the wall clock only (the Encryption SDK works through Node streams the simulation cannot schedule)',
      });
    }
  });
}

/** `model.crypto: off` only makes sense in a simulation: a wall-clock run measures the real cost, ciphers included. */
function checkModelCrypto(document: Record<string, unknown>, findings: Finding[]): void {
  const model = document['model'];
  const clock = document['clock'] ?? 'wall';
  if (isRecord(model) && model['crypto'] === 'off' && clock === 'wall') {
    findings.push({
      segments: ['model', 'crypto'],
      message: 'crypto: off is only available with clock: virtual (a wall-clock run measures the real cryptography)',
    });
  }
}

/** Reports a repeated `name` in a list of named entries. */
function checkUniqueNames(entries: unknown[], what: string, base: string, findings: Finding[]): void {
  const first = new Map<string, number>();
  entries.forEach((entry, index) => {
    const name = isRecord(entry) ? entry['name'] : undefined;
    if (typeof name !== 'string') return;
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, index);
    else findings.push({ segments: [base, index, 'name'], message: `duplicate ${what} name "${name}" (also ${base}[${earlier}])` });
  });
}

function checkKeys(rawKeys: unknown[], findings: Finding[]): KeyTable {
  checkUniqueNames(rawKeys, 'key', 'keys', findings);
  const table = new Map<string, KnownKey>();
  const aliases = new Map<string, string>();
  const keyIds = new Map<string, number>();
  rawKeys.forEach((raw, index) => {
    const { values: key, invalid } = parseFields<ParsedKeyEntry>(keyEntrySchema.shape, raw);
    const name = isRecord(raw) && typeof raw['name'] === 'string' ? raw['name'] : undefined;
    if (name !== undefined && !table.has(name)) {
      const keySpec = invalid.has('keySpec') ? undefined : key.keySpec;
      const keyUsage = invalid.has('keyUsage') || keySpec === undefined ? undefined : (key.keyUsage ?? KEY_SPECS[keySpec]?.usages[0]);
      table.set(name, { name, region: key.region, keySpec, keyUsage });
    }
    // Alias names are unique within an account and region (API reference, CreateAlias).
    if (key.region !== undefined && !invalid.has('account') && key.name !== undefined) {
      const partition = `${key.account ?? DEFAULT_ACCOUNT_ID}/${key.region}`;
      (key.aliases ?? []).forEach((alias, aliasIndex) => {
        const owner = aliases.get(`${partition}/${alias}`);
        if (owner === undefined) aliases.set(`${partition}/${alias}`, key.name ?? '');
        else {
          findings.push({
            segments: ['keys', index, 'aliases', aliasIndex],
            message: `alias ${alias} already names key "${owner}" in ${key.region}; an alias names one key per account and region`,
          });
        }
      });
    }
    if (key.keyId !== undefined) {
      const earlier = keyIds.get(key.keyId);
      if (earlier === undefined) keyIds.set(key.keyId, index);
      else findings.push({ segments: ['keys', index, 'keyId'], message: `duplicate key id (also keys[${earlier}])` });
    }
  });
  return table;
}

function checkFleets(rawFleets: unknown[], keys: KeyTable, durationMs: number | undefined, findings: Finding[]): void {
  checkUniqueNames(rawFleets, 'fleet', 'fleets', findings);
  rawFleets.forEach((fleet, index) => {
    if (!isRecord(fleet)) return;
    const base: PathSegment[] = ['fleets', index];
    const client = clientSchema.safeParse(fleet['client']);
    const retry = retrySchema.safeParse(fleet['retry']);
    if (client.success && client.data === 'direct' && retry.success && retry.data.policy.startsWith('sdk-')) {
      findings.push({
        segments: [...base, 'retry', 'policy'],
        message: `${retry.data.policy} is the AWS SDK's own retry strategy and needs client: sdk`,
      });
    }
    const workload = workloadSchema.safeParse(fleet['workload']);
    if (workload.success && workload.data.model === 'open' && durationMs !== undefined) {
      const stagesMs = workload.data.stages.reduce((sum, stage) => sum + stage.durationMs, 0);
      if (stagesMs > durationMs) {
        findings.push({
          segments: [...base, 'workload', 'stages'],
          message: `the stages last ${formatDuration(stagesMs)}, longer than the scenario's duration ${formatDuration(durationMs)}`,
        });
      }
    }
    const fleetName = typeof fleet['name'] === 'string' ? fleet['name'] : `#${index}`;
    const regionResult = fleetSchema.shape.region.safeParse(fleet['region']);
    const region = regionResult.success ? regionResult.data : undefined;
    list(fleet['mix']).forEach((entry, entryIndex) => {
      const fields = parseFields<ParsedMixEntry>(mixEntrySchema.shape, entry);
      const given = isRecord(entry) ? entry : {};
      checkMixEntry(fields, given, [...base, 'mix', entryIndex], { name: fleetName, region }, keys, findings);
    });
    checkEnvelopeFleet(fleet, base, findings);
  });
}

/**
 * A fleet's data-key cache and Encryption SDK settings: a cache serves only envelope operations; `partition: client`
 * needs clients (a closed workload); `client: esdk` runs only envelope operations, retries as the SDK does and has no
 * in-flight dedupe; `algorithmSuite` is the Encryption SDK's.
 */
function checkEnvelopeFleet(fleet: Record<string, unknown>, base: PathSegment[], findings: Finding[]): void {
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

interface FleetContext {
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

function checkMixEntry(
  fields: { values: Partial<ParsedMixEntry>; invalid: ReadonlySet<string> },
  given: Readonly<Record<string, unknown>>,
  base: PathSegment[],
  fleet: FleetContext,
  keys: KeyTable,
  findings: Finding[],
): void {
  const { values: entry, invalid } = fields;
  const op = entry.op;
  if (op === undefined) return; // missing or unknown: the schema reports it, and every rule below depends on it
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
