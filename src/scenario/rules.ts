/**
 * Checks that span more than one object: unique names, key references, each operation's key type and payload limits,
 * a fleet's region against its keys', SDK retry strategies against the client. They read the raw document and parse
 * each piece on its own, so a broken fleet does not hide the problems of another (every problem at once); a rule is
 * skipped where a piece it needs is itself invalid, since the schema already reports that piece.
 */
import { KEY_SPECS } from '../kms/key-specs.js';
import { OP_RULES, payloadLimits } from './catalog.js';
import type { PathSegment } from './errors.js';
import { describeValue, didYouMean, listOf } from './issues.js';
import type { Finding } from './issues.js';
import { clientSchema, keyEntrySchema, mixEntrySchema, retrySchema, runDurationSchema, workloadSchema } from './schema.js';
import type { ParsedKeyEntry, ParsedMixEntry } from './schema.js';
import { formatDuration } from './duration.js';
import { DEFAULT_ACCOUNT_ID } from '../kms/model.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Keys by name: the parsed entry, or `null` when the name exists but its entry is invalid. */
type KeyTable = ReadonlyMap<string, ParsedKeyEntry | null>;

/** Every cross-object problem of a document. */
export function crossFieldFindings(document: unknown): Finding[] {
  if (!isRecord(document)) return [];
  const findings: Finding[] = [];
  const keys = checkKeys(list(document['keys']), findings);
  const duration = runDurationSchema.safeParse(document['duration']);
  checkFleets(list(document['fleets']), keys, duration.success ? duration.data : undefined, findings);
  return findings;
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
  const table = new Map<string, ParsedKeyEntry | null>();
  const aliases = new Map<string, string>();
  const keyIds = new Map<string, number>();
  rawKeys.forEach((raw, index) => {
    const name = isRecord(raw) ? raw['name'] : undefined;
    const parsed = keyEntrySchema.safeParse(raw);
    if (typeof name === 'string' && !table.has(name)) table.set(name, parsed.success ? parsed.data : null);
    if (!parsed.success) return;
    const key = parsed.data;
    // Alias names are unique within an account and region (API reference, CreateAlias).
    const partition = `${key.account ?? DEFAULT_ACCOUNT_ID}/${key.region}`;
    key.aliases.forEach((alias, aliasIndex) => {
      const owner = aliases.get(`${partition}/${alias}`);
      if (owner === undefined) aliases.set(`${partition}/${alias}`, key.name);
      else {
        findings.push({
          segments: ['keys', index, 'aliases', aliasIndex],
          message: `alias ${alias} already names key "${owner}" in ${key.region}; an alias names one key per account and region`,
        });
      }
    });
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
    const region = typeof fleet['region'] === 'string' ? fleet['region'] : undefined;
    list(fleet['mix']).forEach((entry, entryIndex) => {
      const parsed = mixEntrySchema.safeParse(entry);
      if (parsed.success) checkMixEntry(parsed.data, [...base, 'mix', entryIndex], { name: fleetName, region }, keys, findings);
    });
  });
}

interface FleetContext {
  readonly name: string;
  readonly region: string | undefined;
}

/** Resolves a key reference, reporting an unknown name, a key of the wrong type or one in another region. */
function resolveKey(
  name: string,
  op: ParsedMixEntry['op'],
  segments: PathSegment[],
  fleet: FleetContext,
  keys: KeyTable,
  findings: Finding[],
): ParsedKeyEntry | undefined {
  if (!keys.has(name)) {
    const known = [...keys.keys()];
    const message =
      known.length === 0
        ? `unknown key "${name}": the scenario has no keys`
        : `unknown key "${name}"${didYouMean(name, known)}; keys are ${listOf(known)}`;
    findings.push({ segments, message });
    return undefined;
  }
  const key = keys.get(name);
  if (key === undefined || key === null) return undefined;
  const rule = OP_RULES[op];
  const info = KEY_SPECS[key.keySpec];
  const usage = key.keyUsage ?? info?.usages[0];
  if (info === undefined || !rule.families.includes(info.family) || (rule.usage !== undefined && usage !== rule.usage)) {
    findings.push({ segments, message: `${op} needs ${rule.keyDescription}; key "${name}" is ${key.keySpec} with usage ${String(usage)}` });
    return undefined;
  }
  if (fleet.region !== undefined && key.region !== fleet.region) {
    findings.push({
      segments,
      message: `key "${name}" is in ${key.region} but fleet "${fleet.name}" calls ${fleet.region}; a key is usable only in its own region`,
    });
  }
  return key;
}

function checkMixEntry(
  entry: ParsedMixEntry,
  base: PathSegment[],
  fleet: FleetContext,
  keys: KeyTable,
  findings: Finding[],
): void {
  const rule = OP_RULES[entry.op];
  const at = (field: string): PathSegment[] => [...base, field];
  let key: ParsedKeyEntry | undefined;
  if (!rule.takesKey) {
    if (entry.key !== undefined) findings.push({ segments: at('key'), message: `${entry.op} takes no key` });
  } else if (entry.key === undefined) {
    findings.push({ segments: at('key'), message: `required: ${entry.op} needs ${rule.keyDescription}` });
  } else {
    key = resolveKey(entry.key, entry.op, at('key'), fleet, keys, findings);
  }

  if (entry.destinationKey !== undefined) {
    if (entry.op !== 'ReEncrypt') findings.push({ segments: at('destinationKey'), message: 'only ReEncrypt takes a destinationKey' });
    else resolveKey(entry.destinationKey, entry.op, at('destinationKey'), fleet, keys, findings);
  }

  if (entry.dataKeySpec !== undefined) {
    if (rule.payload !== 'dataKey') {
      findings.push({ segments: at('dataKeySpec'), message: 'only GenerateDataKey and GenerateDataKeyWithoutPlaintext take a dataKeySpec' });
    } else if (entry.payloadBytes !== undefined) {
      findings.push({ segments: at('dataKeySpec'), message: 'give payloadBytes (NumberOfBytes) or dataKeySpec, not both' });
    }
  }

  if (entry.payloadBytes !== undefined) {
    if (rule.payload === 'none') {
      findings.push({ segments: at('payloadBytes'), message: `${entry.op} sends no payload` });
    } else if (rule.payload !== 'plaintext' || key !== undefined) {
      // Plaintext limits depend on the key, so they are checked only once the key resolved.
      const limits = payloadLimits(rule.payload, key?.keySpec);
      const bytes = entry.payloadBytes;
      const fixed = typeof bytes === 'number';
      const [min, max] = fixed ? [bytes, bytes] : [bytes.min, bytes.max];
      const field = (bound: 'min' | 'max'): PathSegment[] => (fixed ? at('payloadBytes') : [...at('payloadBytes'), bound]);
      if (limits !== undefined && max > limits.max) {
        const withKey = rule.payload === 'plaintext' && key !== undefined ? ` with a ${key.keySpec} key` : '';
        findings.push({ segments: field('max'), message: `must be ≤ ${limits.max}: the most ${entry.op} accepts${withKey}` });
      }
      if (limits !== undefined && min < limits.min) findings.push({ segments: field('min'), message: `must be ≥ ${limits.min}` });
    }
  }

  if (entry.contexts > 0) {
    if (!rule.contexts) findings.push({ segments: at('contexts'), message: `${entry.op} takes no encryption context` });
    else if (key !== undefined && KEY_SPECS[key.keySpec]?.family !== 'symmetric') {
      findings.push({
        segments: at('contexts'),
        message: `an encryption context needs a symmetric key; key "${key.name}" is ${key.keySpec}`,
      });
    }
  }

  if (entry.signingAlgorithm !== undefined) {
    if (entry.op !== 'Sign' && entry.op !== 'Verify') {
      findings.push({ segments: at('signingAlgorithm'), message: 'only Sign and Verify take a signingAlgorithm' });
    } else if (key !== undefined) {
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
