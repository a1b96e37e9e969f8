/**
 * Checks that span more than one object: unique names, key references (each mix entry's: mix-rules.ts), payload limits,
 * a fleet's region against its keys', SDK retry strategies against the client. They read the raw document and parse
 * each piece on its own, so a broken fleet does not hide the problems of another (every problem at once); a rule is
 * skipped where a piece it needs is itself invalid, since the schema already reports that piece.
 */
import type * as z from 'zod';
import { KEY_SPECS } from '../kms/key-specs.js';
import { DEFAULT_ACCOUNT_ID } from '../kms/callers.js';
import { formatDuration } from './duration.js';
import type { PathSegment } from './errors.js';
import type { Finding } from './issues.js';
import {
  clientSchema,
  fleetSchema,
  keyEntrySchema,
  mixEntrySchema,
  retrySchema,
  runDurationSchema,
  workloadSchema,
} from './schema.js';
import type { ParsedKeyEntry, ParsedMixEntry } from './schema.js';
import { isRecord } from '../base/records.js';
import { checkEnvelopeFleet, checkMixEntry, list, type KeyTable, type KnownKey } from './mix-rules.js';
import { principalFindings } from './principal-rules.js';
import { serviceFindings } from './service-rules.js';

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
  findings.push(...principalFindings(document));
  findings.push(...serviceFindings(document, keys));
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
