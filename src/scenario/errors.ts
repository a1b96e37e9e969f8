/**
 * The one error a scenario can fail with: every problem found, each with the path of the field it is about, so a user
 * fixes a file in one pass (DESIGN.md, principle 5).
 */

/** A path into a scenario document: object keys and array indexes. */
export type PathSegment = string | number;

/** One thing wrong with a scenario. */
export interface ScenarioProblem {
  /**
   * Where, rendered like `fleets[1].retry.cap` (empty for the document as a whole, e.g. a syntax error). Problems of
   * one matrix variant start with the variant, e.g. `matrix[retry=exponential] fleets[0].retry.cap`.
   */
  readonly path: string;
  /** What is wrong, without the path: `must be ≥ base`. */
  readonly message: string;
  /** 1-based line in the source text, when known. */
  readonly line?: number;
  /** 1-based column in the source text, when known. */
  readonly column?: number;
}

/** Thrown for an unreadable or invalid scenario, a bad `--set`, or a bad matrix; carries every problem at once. */
export class ScenarioError extends Error {
  /** Every problem found, in document order where the source positions are known. */
  readonly problems: readonly ScenarioProblem[];
  /** The file (or other source) the scenario came from, when known. */
  readonly sourceName: string | undefined;

  constructor(problems: readonly ScenarioProblem[], sourceName?: string) {
    super(renderReport(problems, sourceName));
    this.name = 'ScenarioError';
    this.problems = problems;
    this.sourceName = sourceName;
  }

  /** The problems as `path: message` lines, one per problem (what tests and `--json` output compare). */
  lines(): string[] {
    return this.problems.map(problemLine);
  }

  /** A report for the terminal: a header, then one indented line per problem with its source position. */
  format(): string {
    return renderReport(this.problems, this.sourceName);
  }
}

/** `path: message`, or only the message for a problem about the whole document. */
export function problemLine(problem: ScenarioProblem): string {
  return problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`;
}

function renderReport(problems: readonly ScenarioProblem[], sourceName: string | undefined): string {
  const source = sourceName ?? 'scenario';
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const header = sourceName === undefined ? `invalid scenario: ${count}` : `invalid scenario ${sourceName}: ${count}`;
  const lines = problems.map((problem) => {
    // A problem about the whole document (a syntax error) already says where it is.
    const where =
      problem.line === undefined || problem.path === ''
        ? ''
        : ` (${source}:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`})`;
    return `  ${problemLine(problem)}${where}`;
  });
  return [header, ...lines].join('\n');
}

const PLAIN_KEY = /^[^.[\]"'\s]+$/;

/** Renders a path like `fleets[1].retry.cap`; a key that would be ambiguous is quoted: `matrix["quotas.profile"]`. */
export function renderPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

