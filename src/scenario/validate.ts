/**
 * Validation of a whole scenario document: the schema and cross-field rules on the document, then its matrix (every
 * variant), all problems reported together with their paths and, when the text is known, their source positions.
 */
import { checkDocument } from './check.js';
import { ScenarioError, renderPath } from './errors.js';
import type { PathSegment, ScenarioProblem } from './errors.js';
import { resolveAxes, validateVariants } from './matrix.js';
import type { Located } from './matrix.js';
import { describeValue } from '../base/text.js';
import { normalizeScenario } from './normalize.js';
import { thresholdFindings } from './thresholds.js';
import { isPathPrefix } from './paths.js';
import type { Scenario } from './types.js';
import { isRecord } from '../base/records.js';

/** A source position, 1-based. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Options of {@link validateScenario}. */
export interface ValidateOptions {
  /** Where the document came from, for messages (a file name). */
  readonly sourceName?: string;
  /** Finds the position of a path in the source text (the loader passes one). */
  readonly locate?: (segments: readonly PathSegment[]) => SourcePosition | undefined;
  /** Paths set by `--set`: problems under them have no position in the file. */
  readonly overridden?: readonly (readonly PathSegment[])[];
}


/**
 * Validates a raw scenario document (parsed YAML or JSON, after `--set` overrides) and returns it normalized.
 *
 * @throws ScenarioError with every problem of the document and of each matrix variant.
 */
export function validateScenario(document: unknown, options: ValidateOptions = {}): Scenario {
  if (document === null || document === undefined) {
    throw new ScenarioError([{ path: '', message: 'the scenario is empty' }], options.sourceName);
  }
  if (!isRecord(document)) {
    const message = `a scenario is a mapping of fields (name, duration, fleets, …), not ${describeValue(document)}`;
    throw new ScenarioError([{ path: '', message }], options.sourceName);
  }
  const located: Located[] = [];
  const base = checkDocument(document);
  if (!base.ok) {
    located.push(...base.findings.map((finding) => ({ path: renderPath(finding.segments), message: finding.message, at: finding.segments })));
  }
  const { axes, problems } = resolveAxes(document);
  located.push(...problems);
  // Variants are checked only against a valid base, or every variant would repeat the base's problems; the axes
  // that resolved are checked even when another axis did not.
  if (base.ok && axes.length > 0) located.push(...validateVariants(document, axes));
  located.push(...thresholdFindings(document, axes));
  if (!base.ok || located.length > 0) throw new ScenarioError(positioned(located, options), options.sourceName);
  return normalizeScenario(base.parsed, structuredClone(document));
}

/** Adds source positions and puts the problems in document order (a stable sort: same place, same order). */
function positioned(located: readonly Located[], options: ValidateOptions): ScenarioProblem[] {
  const problems = located.map((problem): ScenarioProblem => {
    const at = problem.at;
    const overridden = at !== undefined && (options.overridden ?? []).some((target) => isPathPrefix(target, at));
    const position = at === undefined || overridden ? undefined : options.locate?.(at);
    return position === undefined
      ? { path: problem.path, message: problem.message }
      : { path: problem.path, message: problem.message, line: position.line, column: position.column };
  });
  const order = (problem: ScenarioProblem): number => (problem.line ?? Number.MAX_SAFE_INTEGER) * 1e6 + (problem.column ?? 0);
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => order(a.problem) - order(b.problem) || a.index - b.index)
    .map(({ problem }) => problem);
}
