/**
 * Matrix expansion: the cartesian product of the axes' values, each variant the base document with its values set
 * and validated like any scenario. A problem that only some variants have is reported once, under the smallest set of
 * axis values that explains it (`matrix[retry=exponential] fleets[0].retry.cap: must be ≥ base`).
 */
import { checkDocument } from './check.js';
import { ScenarioError, renderPath } from './errors.js';
import type { PathSegment, ScenarioProblem } from './errors.js';
import { normalizeScenario } from './normalize.js';
import { isPathPrefix, resolvePath, setAtPath, splitPath, unknownFieldOnPath } from './paths.js';
import type { Scenario, ScenarioDocument, Variant } from './types.js';
import { isRecord } from '../base/records.js';

/** A matrix is meant for side-by-side comparison; more variants than this is almost certainly a mistake. */
export const MAX_VARIANTS = 1000;

/** A problem and the document path its source position is looked up at. */
export interface Located {
  readonly path: string;
  readonly message: string;
  readonly at: readonly PathSegment[] | undefined;
}

/** An axis with the fields it sets: one, or every fleet's `retry` for the `retry` axis. */
export interface ResolvedAxis {
  readonly path: string;
  /** The distinct values, in the order written. */
  readonly values: readonly unknown[];
  /** Where each value sits in the matrix as written (duplicates left out), for source positions. */
  readonly sourceIndexes: readonly number[];
  readonly targets: readonly (readonly PathSegment[])[];
}

/** One problem, and the variants that have it. */
interface ProblemGroup {
  readonly path: string;
  readonly segments: readonly PathSegment[];
  readonly message: string;
  readonly variants: number[];
}

/** One point of the matrix before validation. */
interface VariantDraft {
  readonly name: string;
  readonly values: Record<string, unknown>;
  /** The value index chosen on each axis. */
  readonly choice: readonly number[];
  readonly document: ScenarioDocument;
}


/** A value as a variant name shows it: strings bare, anything else as compact JSON. */
export function renderAxisValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? 'null';
}

/** `key:value` pairs of an object, space-separated: `maxMessagesEncrypted:10 dedupeInFlight:true`. */
function fieldsLabel(fields: readonly [string, unknown][]): string {
  return fields.map(([key, field]) => `${key}:${renderAxisValue(field)}`).join(' ');
}

/**
 * Short labels for one axis's values, for variant names people read in a table: objects are named by a string field
 * they all have (`{ policy: full-jitter, base: 50ms }` → `full-jitter`) when that tells the axis's values apart, else
 * by that and their other fields (`full-jitter{base:50ms cap:2s}`); objects without such a field by their fields
 * (`maxMessagesEncrypted:10`); as compact JSON when nothing shorter is unique.
 */
export function axisLabels(values: readonly unknown[]): string[] {
  const records = values.filter(isRecord);
  // The naming field: a string field every object of the axis has (`policy` of retry policies).
  const primaryKey = Object.keys(records[0] ?? {}).find((key) => records.every((record) => typeof record[key] === 'string'));
  const short = values.map((value) => {
    if (!isRecord(value)) return renderAxisValue(value);
    return primaryKey === undefined ? fieldsLabel(Object.entries(value)) : String(value[primaryKey]);
  });
  if (new Set(short).size === values.length) return short;
  const long = values.map((value, index) => {
    if (!isRecord(value)) return renderAxisValue(value);
    const rest = Object.entries(value).filter(([, field]) => field !== short[index]);
    if (rest.length === Object.keys(value).length) return short[index] ?? '';
    return rest.length === 0 ? (short[index] ?? '') : `${short[index] ?? ''}{${fieldsLabel(rest)}}`;
  });
  return new Set(long).size === values.length ? long : values.map(renderAxisValue);
}

/**
 * The fields one axis sets: every fleet's `retry` for the `retry` axis, else the one field its dotted path names
 * (`fleets.web.workload.arrivalRate` → `fleets[0].workload.arrivalRate`); or what is wrong with the path.
 */
export function axisTargets(document: ScenarioDocument, path: string): PathSegment[][] | string {
  if (path === 'retry') {
    const fleets = Array.isArray(document['fleets']) ? document['fleets'] : [];
    return fleets.map((_, index) => ['fleets', index, 'retry']);
  }
  const steps = splitPath(path);
  const resolved = typeof steps === 'string' ? steps : resolvePath(document, steps);
  if (typeof resolved === 'string') return resolved;
  if (resolved[0] === 'matrix') return 'the matrix cannot vary itself';
  return [resolved];
}

/** Resolves the `matrix` block of a document: which fields each axis sets, and what is wrong with the axes. */
export function resolveAxes(document: ScenarioDocument): { axes: ResolvedAxis[]; problems: Located[] } {
  const matrix = document['matrix'];
  const axes: ResolvedAxis[] = [];
  const problems: Located[] = [];
  if (!isRecord(matrix)) return { axes, problems };
  for (const [path, values] of Object.entries(matrix)) {
    if (!Array.isArray(values) || values.length === 0) continue; // the schema reports it
    const at = ['matrix', path];
    const problem = (message: string, where: readonly PathSegment[] = at): void => {
      problems.push({ path: `matrix.${path}`, message, at: where });
    };
    const targets = axisTargets(document, path);
    if (typeof targets === 'string') {
      problem(targets);
      continue;
    }
    const overlap = axes.find((other) =>
      other.targets.some((a) => targets.some((b) => isPathPrefix(a, b) || isPathPrefix(b, a))),
    );
    if (overlap !== undefined) {
      problem(`sets the same field as matrix.${overlap.path}`);
      continue;
    }
    const seen = new Map<string, number>();
    const distinct: unknown[] = [];
    const sourceIndexes: number[] = [];
    values.forEach((value, index) => {
      const id = JSON.stringify(value) ?? 'undefined';
      const first = seen.get(id);
      if (first === undefined) {
        seen.set(id, index);
        distinct.push(value);
        sourceIndexes.push(index);
      } else {
        problem(`duplicate value ${renderAxisValue(value)} (also [${first}])`, [...at, index]);
      }
    });
    axes.push({ path, values: distinct, sourceIndexes, targets });
  }
  const count = axes.reduce((product, axis) => product * axis.values.length, 1);
  if (count > MAX_VARIANTS) {
    problems.push({ path: 'matrix', message: `expands to ${count} variants; at most ${MAX_VARIANTS}`, at: ['matrix'] });
    return { axes: [], problems };
  }
  return { axes, problems };
}

/** Every variant of the matrix, first axis slowest, values in the order written. */
function variantDrafts(document: ScenarioDocument, axes: readonly ResolvedAxis[]): VariantDraft[] {
  const base = structuredClone(document);
  delete base['matrix'];
  const drafts: VariantDraft[] = [];
  const choice = axes.map(() => 0);
  const labels = axes.map((axis) => axisLabels(axis.values));
  for (;;) {
    const variantDocument = structuredClone(base);
    const values: Record<string, unknown> = {};
    axes.forEach((axis, index) => {
      const value = axis.values[choice[index] ?? 0];
      values[axis.path] = value;
      for (const target of axis.targets) setAtPath(variantDocument, target, structuredClone(value));
    });
    const name = axes.map((axis, index) => `${axis.path}=${labels[index]?.[choice[index] ?? 0] ?? ''}`).join(',');
    drafts.push({ name, values, choice: [...choice], document: variantDocument });
    let position = axes.length - 1;
    while (position >= 0 && (choice[position] ?? 0) + 1 >= (axes[position]?.values.length ?? 0)) choice[position--] = 0;
    if (position < 0) return drafts;
    choice[position] = (choice[position] ?? 0) + 1;
  }
}

/**
 * Validates every variant of a valid base document. Returns the problems: an axis path naming no field, and each
 * variant problem attributed to the axis values that cause it.
 */
export function validateVariants(document: ScenarioDocument, axes: readonly ResolvedAxis[]): Located[] {
  const drafts = variantDrafts(document, axes);
  const axisProblems = new Map<string, Located>();
  const grouped = new Map<string, ProblemGroup>();
  drafts.forEach((draft, variantIndex) => {
    const result = checkDocument(draft.document);
    if (result.ok) return;
    for (const finding of result.findings) {
      const axis = axes.find((candidate) => candidate.targets.some((target) => unknownFieldOnPath([finding], target)));
      if (axis !== undefined) {
        const rest = finding.message.slice('unrecognized key'.length);
        axisProblems.set(axis.path, {
          path: `matrix.${axis.path}`,
          message: `${renderPath(finding.segments)} does not exist${rest}`,
          at: ['matrix', axis.path],
        });
        continue;
      }
      const path = renderPath(finding.segments);
      const id = `${path}\u0000${finding.message}`;
      const group = grouped.get(id) ?? { path, segments: finding.segments, message: finding.message, variants: [] };
      group.variants.push(variantIndex);
      grouped.set(id, group);
    }
  });
  const problems = [...axisProblems.values()];
  for (const group of grouped.values()) problems.push(...attribute(group, drafts, axes));
  return problems;
}

/** Names the variants a problem occurs in: by the axis values they share when they are exactly that slice. */
function attribute(
  group: ProblemGroup,
  drafts: readonly VariantDraft[],
  axes: readonly ResolvedAxis[],
): Located[] {
  const chosen = group.variants.map((index) => drafts[index]?.choice ?? []);
  const first = chosen[0] ?? [];
  const constant = axes.map((_, axis) => chosen.every((choice) => choice[axis] === first[axis]));
  const sliceSize = axes.reduce((product, axis, index) => (constant[index] === true ? product : product * axis.values.length), 1);
  // An axis with one value is constant in every variant, so slicing cannot tell whether it is involved: it is named
  // when the problem is about the field it sets (or a field on the way there), or when nothing else explains it.
  const segments = group.segments;
  const fixed = constant.map((isConstant, index) => {
    const axis = axes[index];
    if (!isConstant || axis === undefined) return false;
    return axis.values.length > 1 || axis.targets.some((target) => isPathPrefix(target, segments) || isPathPrefix(segments, target));
  });
  if (!fixed.some(Boolean)) fixed.splice(0, fixed.length, ...constant);
  const where = (prefix: string): string => (group.path === '' ? prefix : `${prefix} ${group.path}`);
  if (sliceSize === group.variants.length) {
    const parts = axes.flatMap((axis, index) =>
      fixed[index] === true ? [`${axis.path}=${renderAxisValue(axis.values[first[index] ?? 0])}`] : [],
    );
    const firstFixed = axes.findIndex((_, index) => fixed[index] === true);
    const axis = axes[firstFixed];
    const at = axis === undefined ? ['matrix'] : ['matrix', axis.path, axis.sourceIndexes[first[firstFixed] ?? 0] ?? 0];
    return [{ path: where(`matrix[${parts.length === 0 ? 'every variant' : parts.join(',')}]`), message: group.message, at }];
  }
  return group.variants.map((index) => ({
    path: where(`matrix[${drafts[index]?.name ?? ''}]`),
    message: group.message,
    at: ['matrix'],
  }));
}

/**
 * The variants of a scenario: one named `default` when it has no matrix; otherwise the cartesian product of the
 * axes, first axis slowest, each named like `retry=full-jitter,quotas.profile=kms-2019` and validated.
 *
 * @throws ScenarioError when a variant is invalid (never for a scenario returned by the loader, which checks them all).
 */
export function expandMatrix(scenario: Scenario): Variant[] {
  if (scenario.matrix.length === 0) return [{ name: 'default', values: {}, scenario }];
  const document: ScenarioDocument = {
    ...scenario.document,
    matrix: Object.fromEntries(scenario.matrix.map((axis) => [axis.path, axis.values])),
  };
  const { axes, problems } = resolveAxes(document);
  if (problems.length > 0) throw new ScenarioError(problems.map(toProblem));
  return variantDrafts(document, axes).map((draft) => {
    const result = checkDocument(draft.document);
    if (!result.ok) {
      throw new ScenarioError(
        result.findings.map((finding) => ({ path: `matrix[${draft.name}] ${renderPath(finding.segments)}`, message: finding.message })),
      );
    }
    return { name: draft.name, values: draft.values, scenario: normalizeScenario(result.parsed, draft.document) };
  });
}

function toProblem(located: Located): ScenarioProblem {
  return { path: located.path, message: located.message };
}
