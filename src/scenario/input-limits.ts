/**
 * How big and how deep a scenario file may be, and the error a file fails with when it is not a scenario at all
 * (unreadable, binary, the wrong encoding, too large, too deeply nested, an alias bomb). These checks run before the
 * YAML library builds anything, because the library's own failure modes on such input are a stack overflow, an
 * out-of-memory abort or minutes of CPU — never a message a user can act on.
 */
import { ScenarioError } from './errors.js';

/**
 * Limits on scenario input. A real scenario is a few kilobytes, at most eight levels deep
 * (`matrix.fleets.x.cache.…`), and reuses an anchor once per fleet; each limit is far above that and far below where
 * the harness or the `yaml` package (2.x) breaks.
 */
export const INPUT_LIMITS = {
  /**
   * Bytes in a scenario file. The `yaml` package parses roughly 100–200 KB per second of adversarial text, so 1 MiB
   * bounds the worst case to seconds; a generated scenario with a thousand fleets written out in full is ~500 KB.
   */
  maxFileBytes: 1024 * 1024,
  /**
   * Levels of mappings and sequences. The `yaml` composer recurses once per level and overflows the stack at about
   * 800 levels of flow collections (and runs out of memory building its error message past a few thousand).
   */
  maxNestingDepth: 64,
  /**
   * The `yaml` package's `maxAliasCount`: how often one anchor may be used, times the aliases inside it. Its default,
   * 100, refuses a scenario with 120 fleets sharing one `mix: *m`; 10,000 fits thousands of fleets sharing several
   * anchors, while a billion-laughs file (nine levels of nine aliases, 9^9 strings) exceeds it at its sixth level;
   * the five levels it lets through expand to 59,049 strings, which {@link INPUT_LIMITS.maxExpandedValues} bounds.
   */
  maxAliasCount: 10_000,
  /**
   * Values (scalars, mappings, sequences) in the document once every alias is expanded. The library shares one object
   * between an anchor and its aliases, but the harness copies, hashes and stores the scenario as a tree, so a large
   * anchor aliased many times costs its expanded size. A thousand fully written fleets are ~50,000 values.
   */
  maxExpandedValues: 1_000_000,
} as const;

/** Where in the text a problem is, when known (1-based). */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/**
 * A file that cannot be read as a scenario at all. It is a {@link ScenarioError} (exit 2 everywhere a scenario error
 * is), but it has exactly one problem about the whole file, so it renders as one line:
 * `invalid scenario x.yaml: file is UTF-16; save it as UTF-8`.
 */
export class ScenarioInputError extends ScenarioError {
  constructor(message: string, sourceName: string, position?: TextPosition) {
    super([{ path: '', message, ...(position ?? {}) }], sourceName);
    this.name = 'ScenarioInputError';
    this.message = this.format();
  }

  override format(): string {
    return `invalid scenario ${this.sourceName ?? 'scenario'}: ${this.problems[0]?.message ?? 'unreadable'}`;
  }
}

/** ` (line 3, column 7)`, the way every loader message places itself. */
export function atPosition(position: TextPosition | undefined): string {
  return position === undefined ? '' : ` (line ${position.line}, column ${position.column})`;
}
