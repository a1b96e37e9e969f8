/**
 * The rules of the AWS services' part of a scenario that span objects: each resource's key (known, a symmetric
 * encryption key — every modelled service requires one), unique resource names, and each fleet's service operations
 * (the resource they name exists, lives in the fleet's region unless it is an S3 bucket, the entry carries only that
 * operation's fields, the fleet's client is `direct`), and a fleet's secret cache (it needs a read to cache).
 */
import { describeValue, didYouMean, listOf } from '../base/text.js';
import { isRecord } from '../base/records.js';
import { SERVICE_DEFINITIONS, isServiceOperationName, serviceOperation } from '../services/index.js';
import type { PathSegment } from './errors.js';
import type { Finding } from './issues.js';
import { list, type KeyTable } from './mix-rules.js';
import { secretsCacheSchema } from './schema-services.js';
import { workloadSchema } from './schema-workload.js';

/** The resource kinds the services read, and the scenario field each sits in (the same name). */
const RESOURCE_KINDS: readonly string[] = [...new Set(SERVICE_DEFINITIONS.flatMap((d) => d.operations.map((op) => op.resourceKind)))];

/** Every field a service operation's mix entry may carry, with the operations it belongs to. */
const SERVICE_FIELDS: ReadonlyMap<string, readonly string[]> = (() => {
  const fields = new Map<string, string[]>();
  for (const definition of SERVICE_DEFINITIONS) {
    for (const op of definition.operations) {
      for (const field of [op.resourceField, ...(op.params ?? []).map((p) => p.field)]) fields.set(field, [...(fields.get(field) ?? []), op.name]);
    }
  }
  return fields;
})();

/** The fields of a KMS operation's mix entry, which a service operation takes none of. */
const KMS_FIELDS = ['key', 'destinationKey', 'payloadBytes', 'dataKeySpec', 'contexts', 'signingAlgorithm'] as const;

/**
 * Resources a fleet may reach from another region. S3 serves a bucket to callers anywhere (bucket names are global) and
 * the model makes its KMS calls in the bucket's region (s3-service.ts, the caller's route); secrets and parameters are
 * regional, reachable only through their own region's endpoint.
 */
const CROSS_REGION_KINDS: ReadonlySet<string> = new Set(['buckets']);

/** What the rules know of a resource: its region — its own, else its key's (undefined when neither is known). */
interface KnownResource {
  readonly region: string | undefined;
}

/** Every problem of the services' part of a document. */
export function serviceFindings(document: Record<string, unknown>, keys: KeyTable): Finding[] {
  const findings: Finding[] = [];
  const resources = new Map<string, Map<string, KnownResource>>();
  for (const kind of RESOURCE_KINDS) resources.set(kind, checkResources(kind, list(document[kind]), keys, findings));
  list(document['fleets']).forEach((fleet, index) => {
    if (isRecord(fleet)) checkFleet(fleet, ['fleets', index], resources, findings);
  });
  return findings;
}

function checkResources(kind: string, raw: unknown[], keys: KeyTable, findings: Finding[]): Map<string, KnownResource> {
  const known = new Map<string, KnownResource>();
  raw.forEach((entry, index) => {
    if (!isRecord(entry)) return;
    const name = entry['name'];
    // A resource names its key at `key`, or (an S3 bucket) at `encryption.key`, beside a region of its own.
    const encryption = isRecord(entry['encryption']) ? entry['encryption'] : undefined;
    const keyAt: PathSegment[] = encryption === undefined ? [kind, index, 'key'] : [kind, index, 'encryption', 'key'];
    const keyName = encryption === undefined ? entry['key'] : encryption['key'];
    const ownRegion = typeof entry['region'] === 'string' ? entry['region'] : undefined;
    let region: string | undefined = ownRegion;
    if (typeof keyName === 'string' && !keyName.startsWith('arn:')) {
      const key = keys.get(keyName);
      if (key === undefined) {
        const names = [...keys.keys()];
        findings.push({
          segments: keyAt,
          message: names.length === 0 ? `unknown key "${keyName}": the scenario has no keys` : `unknown key "${keyName}"${didYouMean(keyName, names)}; keys are ${listOf(names, 'and')}`,
        });
      } else {
        region = ownRegion ?? key.region;
        if (ownRegion !== undefined && key.region !== undefined && key.region !== ownRegion) {
          findings.push({ segments: keyAt, message: `key "${keyName}" is in ${key.region}; ${singular(kind)} "${String(name)}" is in ${ownRegion}, and S3 encrypts only with a key of the bucket's region` });
        }
        if (key.keySpec !== undefined && (key.keySpec !== 'SYMMETRIC_DEFAULT' || (key.keyUsage !== undefined && key.keyUsage !== 'ENCRYPT_DECRYPT'))) {
          findings.push({
            segments: keyAt,
            message: `key "${keyName}" is ${key.keySpec}; AWS services encrypt only with symmetric encryption keys (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT)`,
          });
        }
      }
    }
    // A resource that names its region (an S3 bucket) lives there; one that does not lives in its key's.
    if (typeof entry['region'] === 'string') region = entry['region'];
    if (typeof name !== 'string') return;
    if (known.has(name)) {
      const earlier = raw.findIndex((other) => isRecord(other) && other['name'] === name);
      findings.push({ segments: [kind, index, 'name'], message: `duplicate ${singular(kind)} name "${name}" (also ${kind}[${earlier}])` });
    } else {
      known.set(name, { region });
    }
  });
  return known;
}

function singular(kind: string): string {
  return kind.endsWith('s') ? kind.slice(0, -1) : kind;
}

function checkFleet(fleet: Record<string, unknown>, base: PathSegment[], resources: ReadonlyMap<string, ReadonlyMap<string, KnownResource>>, findings: Finding[]): void {
  const region = typeof fleet['region'] === 'string' ? fleet['region'] : undefined;
  const name = typeof fleet['name'] === 'string' ? fleet['name'] : `#${String(base[1])}`;
  const mix = list(fleet['mix']);
  const ops = mix.map((entry) => (isRecord(entry) && typeof entry['op'] === 'string' ? entry['op'] : undefined));
  mix.forEach((entry, index) => {
    if (!isRecord(entry)) return;
    const at = (field: string): PathSegment[] => [...base, 'mix', index, field];
    const op = ops[index];
    const def = op === undefined ? undefined : serviceOperation(op);
    if (def === undefined) {
      // A KMS operation (or an unknown one, the schema's to report): no service field belongs on it.
      if (op !== undefined && isServiceOperationName(op)) return;
      for (const [field, owners] of SERVICE_FIELDS) {
        if (entry[field] === undefined) continue;
        const services = [...new Set(owners.map((owner) => owner.slice(0, owner.indexOf(':'))))];
        findings.push({ segments: at(field), message: `${field} is a field of the ${listOf(services.map((s) => `${s}:*`), 'and')} operations, not of ${String(op)}` });
      }
      return;
    }
    const client = fleet['client'] ?? 'direct';
    if (client !== 'direct') {
      findings.push({
        segments: at('op'),
        message: `${def.name} runs on client: direct (the in-process service model); fleet "${name}" has client: ${describeValue(client)}`,
      });
    }
    for (const field of KMS_FIELDS) {
      if (entry[field] !== undefined) findings.push({ segments: at(field), message: `${def.name} takes no ${field}: the service chooses its own KMS calls` });
    }
    const own = new Set([def.resourceField, ...(def.params ?? []).map((p) => p.field)]);
    for (const field of SERVICE_FIELDS.keys()) {
      if (!own.has(field) && entry[field] !== undefined) findings.push({ segments: at(field), message: `${field} is not a field of ${def.name}${own.size > 0 ? `; it takes ${listOf([...own])}` : ''}` });
    }
    const resourceName = entry[def.resourceField];
    if (resourceName === undefined) {
      findings.push({ segments: at(def.resourceField), message: `required: ${def.name} names a ${singular(def.resourceKind)} (${def.resourceKind}[].name)` });
      return;
    }
    if (typeof resourceName !== 'string') return; // the schema reports it
    const known = resources.get(def.resourceKind) ?? new Map<string, KnownResource>();
    const resource = known.get(resourceName);
    if (resource === undefined) {
      const names = [...known.keys()];
      findings.push({
        segments: at(def.resourceField),
        message:
          names.length === 0
            ? `unknown ${singular(def.resourceKind)} "${resourceName}": the scenario has no ${def.resourceKind}`
            : `unknown ${singular(def.resourceKind)} "${resourceName}"${didYouMean(resourceName, names)}; ${def.resourceKind} are ${listOf(names, 'and')}`,
      });
    } else if (region !== undefined && resource.region !== undefined && resource.region !== region && !CROSS_REGION_KINDS.has(def.resourceKind)) {
      findings.push({
        segments: at(def.resourceField),
        message: `${singular(def.resourceKind)} "${resourceName}" is in ${resource.region} but fleet "${name}" calls ${region}; a ${singular(def.resourceKind)} is reachable only in its own region`,
      });
    }
  });
  checkSecretsCache(fleet, base, ops, findings);
}

function checkSecretsCache(fleet: Record<string, unknown>, base: PathSegment[], ops: readonly (string | undefined)[], findings: Finding[]): void {
  const cache = secretsCacheSchema.safeParse(fleet['secretsCache']);
  if (!cache.success || cache.data === undefined) return;
  const cacheable = ops.filter((op) => op !== undefined && serviceOperation(op)?.cacheable === true);
  if (cacheable.length === 0) {
    findings.push({ segments: [...base, 'secretsCache'], message: 'a secret cache serves secretsmanager:GetSecretValue; the mix has none' });
  }
  const workload = workloadSchema.safeParse(fleet['workload']);
  if (cache.data.partition === 'client' && workload.success && workload.data.model === 'open') {
    findings.push({
      segments: [...base, 'secretsCache', 'partition'],
      message: 'partition: client needs a closed workload (one cache per client); an open workload has no clients — use partition: fleet',
    });
  }
}
