/**
 * `--set path=value` overrides, applied to the raw document before validation, so an override is checked exactly
 * like the file (`--set duration=5s --set fleets.web.workload.arrivalRate=500`).
 */
import { checkDocument } from './check.js';
import { ScenarioError, renderPath } from './errors.js';
import type { PathSegment, ScenarioProblem } from './errors.js';
import { axisTargets } from './matrix.js';
import { resolvePath, setAtPath, splitPath, unknownFieldOnPath } from './paths.js';
import type { ScenarioDocument } from './types.js';
import { parseYamlText, yamlToData } from './yaml-read.js';
import { isRecord } from '../base/records.js';

/** The overridden document and the fields the overrides set. */
export interface AppliedOverrides {
  readonly document: ScenarioDocument;
  readonly targets: readonly (readonly PathSegment[])[];
}


function resolvedTarget(document: ScenarioDocument, pathText: string): PathSegment[] | string {
  const steps = splitPath(pathText);
  return typeof steps === 'string' ? steps : resolvePath(document, steps);
}

/**
 * The target of `--set matrix.<axis>=[…]`. A matrix axis is keyed by a dotted path itself, so everything after
 * `matrix.` is one key (`matrix["fleets.web.workload.arrivalRate"]`), not a walk into nested objects. An axis already
 * in the file that sets the same field under another spelling (`fleets[0].workload.arrivalRate`) is the one replaced,
 * so the override never leaves two axes fighting over one field.
 */
function matrixAxisTarget(document: ScenarioDocument, axis: string): PathSegment[] | string {
  const targets = axisTargets(document, axis);
  if (typeof targets === 'string') return `matrix axis ${JSON.stringify(axis)}: ${targets}`;
  const matrix = document['matrix'];
  const same = JSON.stringify(targets);
  const existing = isRecord(matrix) ? Object.keys(matrix).find((key) => JSON.stringify(axisTargets(document, key)) === same) : undefined;
  return ['matrix', existing ?? axis];
}

/**
 * Applies `--set` overrides to a raw scenario document and returns a new document (the input is not changed).
 *
 * Each override is `path=value`: the path is dotted, naming fleets and keys by name or any list entry by index
 * (`fleets.web.retry.cap`, `fleets[0].mix[1].weight`, `quotas.overrides.us-east-1.symmetric`); the value is read as
 * YAML (`5s`, `500`, `true`, `"111122223333"`, `{ policy: none }`), and an empty value or `null` removes the field so
 * its default applies. Missing objects on the way are created; fields the schema does not know are refused. A matrix
 * axis is named by its own path after `matrix.` (`matrix.fleets.web.workload.arrivalRate=[100, 200]`).
 *
 * @throws ScenarioError naming every bad override: malformed, a fleet or key that does not exist, a path through a
 *   scalar, or a field that is not part of the scenario format.
 */
export function applyOverrides(raw: unknown, sets: readonly string[]): ScenarioDocument {
  return applyOverridesWithTargets(raw, sets).document;
}

/** {@link applyOverrides}, also returning the resolved path of every override (for source positions). */
export function applyOverridesWithTargets(raw: unknown, sets: readonly string[]): AppliedOverrides {
  const document: ScenarioDocument = isRecord(raw) ? structuredClone(raw) : {};
  const problems: ScenarioProblem[] = [];
  const applied: { pathText: string; target: PathSegment[]; removes: boolean }[] = [];
  for (const set of sets) {
    const equals = set.indexOf('=');
    const pathText = (equals < 0 ? set : set.slice(0, equals)).trim();
    const problem = (message: string): void => {
      problems.push({ path: `--set ${pathText}`, message });
    };
    if (equals < 0) {
      problem(`expected path=value, e.g. --set duration=5s`);
      continue;
    }
    let value: unknown;
    try {
      // The scenario file's reader: the same nesting and alias bounds apply to a value given on the command line.
      const parsed = parseYamlText(set.slice(equals + 1), `--set ${pathText}`);
      const [syntax] = parsed.problems;
      if (syntax !== undefined) {
        problem(`the value is not valid YAML: ${syntax.message}`);
        continue;
      }
      value = yamlToData(parsed.document, `--set ${pathText}`);
    } catch (error) {
      problem(`the value is not valid YAML: ${(error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''}`);
      continue;
    }
    const target = pathText.startsWith('matrix.') ? matrixAxisTarget(document, pathText.slice('matrix.'.length)) : resolvedTarget(document, pathText);
    if (typeof target === 'string') {
      problem(target);
      continue;
    }
    setAtPath(document, target, value ?? null);
    applied.push({ pathText, target, removes: value === null || value === undefined });
  }
  if (applied.length > 0) {
    // A removed field is put back as a placeholder, so removing a field the format does not have is refused too.
    const probe = structuredClone(document);
    for (const { target, removes } of applied) if (removes) setAtPath(probe, target, 0);
    const result = checkDocument(probe);
    const findings = result.ok ? [] : result.findings;
    for (const { pathText, target } of applied) {
      const unknown = unknownFieldOnPath(findings, target);
      if (unknown !== undefined) {
        const rest = unknown.message.slice('unrecognized key'.length);
        problems.push({ path: `--set ${pathText}`, message: `${renderPath(unknown.segments)} does not exist${rest}` });
      }
    }
  }
  if (problems.length > 0) throw new ScenarioError(problems);
  return { document, targets: applied.map(({ target }) => target) };
}
