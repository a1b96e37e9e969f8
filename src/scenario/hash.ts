/** A stable fingerprint of a scenario for reports: the same settings give the same hash, whatever the key order. */
import { createHash } from 'node:crypto';
import type { Scenario } from './types.js';

/** JSON with object keys sorted at every level; `undefined` fields are left out, as `JSON.stringify` does. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The sha256 (hex) of the normalized scenario's canonical JSON, without `document`: two files that differ only in
 * formatting, key order, or spelling a default out give the same hash.
 */
export function scenarioHash(scenario: Scenario): string {
  const { document: _document, ...settings } = scenario;
  return createHash('sha256').update(canonicalJson(settings)).digest('hex');
}

/**
 * The run id a shared quota store names the budgets by when none is given: `scenario-<first 16 hex digits of the
 * hash>`. Processes running the same scenario against the same store share its quota without being told, and a
 * different scenario (another quota, a changed fleet) never draws from theirs.
 */
export function defaultRunId(scenario: Scenario): string {
  return `scenario-${scenarioHash(scenario).slice(0, 16)}`;
}
