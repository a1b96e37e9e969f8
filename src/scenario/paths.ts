/**
 * Dotted paths into a scenario document, as `--set` and matrix axes write them: `duration`,
 * `quotas.overrides.us-east-1.symmetric`, `fleets.web.workload.arrivalRate` (a fleet or key by name),
 * `fleets[0].mix[1].weight` or `fleets.0.mix.1.weight` (by index); buckets by name too (`buckets.uploads.encryption.bucketKey`).
 */
import { renderPath } from './errors.js';
import type { PathSegment } from './errors.js';
import { describeValue, didYouMean, listOf } from '../base/text.js';
import type { Finding } from './issues.js';
import { isRecord } from '../base/records.js';

/** Lists whose entries a path may name by their `name` field. */
const NAMED_LISTS: Readonly<Record<string, string>> = { fleets: 'fleet', keys: 'key', buckets: 'bucket' };


/** Splits `a.b[0].c` into `['a', 'b', 0, 'c']`, or returns what is wrong with it. */
export function splitPath(text: string): PathSegment[] | string {
  if (text.trim() === '') return 'the path is empty';
  const segments: PathSegment[] = [];
  for (const part of text.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (match === null || (match[1] === '' && match[2] === '')) return `"${text}" is not a path like fleets.web.retry.cap`;
    if (match[1] !== '') segments.push(match[1] ?? '');
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
}

/**
 * Resolves a path against a document: names of fleets and keys become indexes. Missing object fields are fine (they
 * are created when set); a missing fleet name, an index out of range or a step into a scalar is not.
 */
export function resolvePath(document: unknown, steps: readonly PathSegment[]): PathSegment[] | string {
  const resolved: PathSegment[] = [];
  let current: unknown = document;
  for (const step of steps) {
    const where = resolved.length === 0 ? 'the scenario' : renderPath(resolved);
    if (Array.isArray(current)) {
      const index = listIndex(current, step, resolved.at(-1), where);
      if (typeof index === 'string') return index;
      resolved.push(index);
      current = current[index];
    } else if (isRecord(current) || current === undefined) {
      if (current === undefined && typeof step === 'number') return `${where} does not exist, so it has no entry [${step}]`;
      resolved.push(String(step));
      current = current?.[String(step)];
    } else {
      return `${where} is ${describeValue(current)}, not an object, so it has no field "${String(step)}"`;
    }
  }
  return resolved;
}

/** The index a step names in a list: a name (fleets, keys) or a number. */
function listIndex(list: readonly unknown[], step: PathSegment, listKey: PathSegment | undefined, where: string): number | string {
  const what = typeof listKey === 'string' ? NAMED_LISTS[listKey] : undefined;
  if (what !== undefined && typeof step === 'string') {
    const names = list.map((entry) => (isRecord(entry) && typeof entry['name'] === 'string' ? entry['name'] : undefined));
    const byName = names.indexOf(step);
    if (byName >= 0) return byName;
    if (!/^\d+$/.test(step)) {
      const known = names.filter((name): name is string => name !== undefined);
      return `no ${what} named "${step}"${didYouMean(step, known)}; ${what}s are ${listOf(known, 'and')}`;
    }
  }
  const index = typeof step === 'number' ? step : /^\d+$/.test(step) ? Number(step) : Number.NaN;
  if (Number.isNaN(index)) return `${where} is a list: "${step}" is not an index (write a number, e.g. [0])`;
  if (index >= list.length) return `${where} has no entry [${index}] (it has ${list.length})`;
  return index;
}

/**
 * Sets a value at resolved segments, creating missing objects on the way; `null` removes the field instead (so
 * `--set fleets.web.workload.maxInFlight=null` returns it to its default). Mutates `document`.
 */
export function setAtPath(document: Record<string, unknown>, segments: readonly PathSegment[], value: unknown): void {
  let current: Record<string, unknown> | unknown[] = document;
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i] as PathSegment;
    const next: unknown = Array.isArray(current) ? current[Number(segment)] : current[String(segment)];
    if (isRecord(next) || Array.isArray(next)) {
      current = next;
    } else {
      const created: Record<string, unknown> = {};
      if (Array.isArray(current)) current[Number(segment)] = created;
      else current[String(segment)] = created;
      current = created;
    }
  }
  const last = segments.at(-1);
  if (last === undefined) return;
  if (Array.isArray(current)) {
    current[Number(last)] = value;
  } else if (value === null) {
    delete current[String(last)];
  } else {
    current[String(last)] = value;
  }
}

/** True when `prefix` is `path` or one of its ancestors. */
export function isPathPrefix(prefix: readonly PathSegment[], path: readonly PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => segment === path[index]);
}

/**
 * Among a document's findings, the unrecognized key a target path runs through: a path that names no field of the
 * schema. `undefined` when the target exists.
 */
export function unknownFieldOnPath(findings: readonly Finding[], target: readonly PathSegment[]): Finding | undefined {
  return findings.find((finding) => finding.message.startsWith('unrecognized key') && isPathPrefix(finding.segments, target));
}
