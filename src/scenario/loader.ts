/**
 * Reading scenario files: bytes checked to be UTF-8 text of a sane size (`scenario-bytes.ts`), YAML or JSON (by
 * extension, else by content) parsed within nesting and alias limits (`yaml-read.ts`), syntax errors with their line
 * and column, then `--set` overrides, then validation with every problem placed in the source.
 */
import { isNode } from 'yaml';
import type { Document, LineCounter } from 'yaml';
import { ScenarioError } from './errors.js';
import type { PathSegment } from './errors.js';
import { applyOverridesWithTargets } from './overrides.js';
import { decodeScenarioText, readScenarioBytes } from './scenario-bytes.js';
import type { Scenario } from './types.js';
import { validateScenario } from './validate.js';
import type { SourcePosition } from './validate.js';
import { parseYamlText, yamlToData } from './yaml-read.js';

/** Options of {@link parseScenarioText} and {@link loadScenarioFile}. */
export interface LoadOptions {
  /** `--set path=value` overrides, applied before validation (see {@link applyOverrides}). */
  readonly sets?: readonly string[];
}

/** A parsed source text: the raw document, and where each of its paths sits in the text. */
export interface ScenarioSource {
  readonly document: unknown;
  readonly locate: (segments: readonly PathSegment[]) => SourcePosition | undefined;
}

/** `.json` files are JSON; a file with another name is sniffed: JSON when it starts with `{` and parses as JSON. */
function jsonMode(text: string, sourceName: string): 'json' | 'sniff' | 'yaml' {
  if (/\.json$/i.test(sourceName)) return 'json';
  if (/\.ya?ml$/i.test(sourceName)) return 'yaml';
  return /^\s*\{/.test(text) ? 'sniff' : 'yaml';
}

function positionOf(text: string, offset: number): SourcePosition {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split('\n').length;
  return { line, column: before.length - before.lastIndexOf('\n') };
}

/** The first line of a JSON.parse message, without the position it repeats. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/ in JSON at position \d+.*$/, '');
}

function locator(document: Document, lineCounter: LineCounter): ScenarioSource['locate'] {
  return (segments) => {
    for (let length = segments.length; length >= 0; length--) {
      const node: unknown = length === 0 ? document.contents : document.getIn(segments.slice(0, length), true);
      if (isNode(node) && node.range !== undefined && node.range !== null) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        return { line, column: col };
      }
    }
    return undefined;
  };
}

/**
 * Parses scenario text into a raw document, without validating it.
 *
 * @throws ScenarioError for a syntax error (YAML or JSON), a duplicate key (named), or more than one YAML document,
 *   each with its line and column; a one-line ScenarioInputError (input-limits.ts) for text nested too
 *   deeply or an alias bomb.
 */
export function readScenarioText(text: string, sourceName: string): ScenarioSource {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const { document: yamlDocument, lineCounter, problems: syntaxProblems } = parseYamlText(source, sourceName);

  const mode = jsonMode(source, sourceName);
  if (mode !== 'yaml') {
    let document: unknown;
    try {
      document = JSON.parse(source) as unknown;
    } catch (error) {
      if (mode === 'json') throw jsonSyntaxError(error, source, sourceName);
    }
    if (document !== undefined) {
      // JSON.parse keeps the last of two equal keys silently; the YAML reading of the same text catches it.
      const duplicates = syntaxProblems.filter((problem) => problem.message.startsWith('duplicate key'));
      if (duplicates.length > 0) throw new ScenarioError(duplicates, sourceName);
      const locate = syntaxProblems.length === 0 ? locator(yamlDocument, lineCounter) : () => undefined;
      return { document, locate };
    }
  }

  if (syntaxProblems.length > 0) throw new ScenarioError(syntaxProblems, sourceName);
  return { document: yamlToData(yamlDocument, sourceName), locate: locator(yamlDocument, lineCounter) };
}

function jsonSyntaxError(error: unknown, source: string, sourceName: string): ScenarioError {
  const message = error instanceof Error ? error.message : String(error);
  const offset = /position (\d+)/.exec(message);
  const at = positionOf(source, offset === null ? source.length : Number(offset[1]));
  return new ScenarioError(
    [{ path: '', message: `JSON syntax error: ${firstLine(message)} (line ${at.line}, column ${at.column})`, ...at }],
    sourceName,
  );
}

/**
 * Parses and validates scenario text (YAML or JSON).
 *
 * @param sourceName the file name, used to choose JSON (`.json`) or YAML and in messages.
 * @throws ScenarioError with every problem: syntax, bad `--set` overrides, or invalid fields, each with its path and,
 *   where it has one, its line in the text.
 */
export function parseScenarioText(text: string, sourceName: string, options: LoadOptions = {}): Scenario {
  const { document, locate } = readScenarioText(text, sourceName);
  const sets = options.sets ?? [];
  if (sets.length === 0) return validateScenario(document, { sourceName, locate });
  let overridden;
  try {
    overridden = applyOverridesWithTargets(document, sets);
  } catch (error) {
    if (error instanceof ScenarioError) throw new ScenarioError(error.problems, sourceName);
    throw error;
  }
  return validateScenario(overridden.document, { sourceName, locate, overridden: overridden.targets });
}

/**
 * Reads, parses and validates a scenario file.
 *
 * @throws ScenarioInputError (input-limits.ts, a ScenarioError) when the file cannot be read or is not a scenario at all:
 *   too large, not UTF-8 text, nested too deeply, an alias bomb; ScenarioError when the scenario is invalid.
 */
export async function loadScenarioFile(path: string, options: LoadOptions = {}): Promise<Scenario> {
  const bytes = await readScenarioBytes(path);
  return parseScenarioText(decodeScenarioText(bytes, path), path, options);
}
