/**
 * YAML parsing with limits. The `yaml` package is run in its stages (parser → nesting check → composer) so that
 * nesting is measured on its concrete syntax tree, which it builds without recursion, before the composer and
 * `toJS`, which recurse once per level; aliases are budgeted ({@link INPUT_LIMITS.maxAliasCount}) and then expanded
 * into a plain tree whose size is bounded, so an alias bomb is refused before anything copies it.
 */
import { Composer, LineCounter, Parser, isMap, isScalar, visit } from 'yaml';
import type { CST, Document, Pair } from 'yaml';
import type { ScenarioProblem } from './errors.js';
import { INPUT_LIMITS, ScenarioInputError, atPosition } from './input-limits.js';
import type { TextPosition } from './input-limits.js';

/** A composed YAML document, where its text positions are, and its syntax problems (none thrown yet). */
export interface ParsedYaml {
  readonly document: Document;
  readonly lineCounter: LineCounter;
  /** Syntax errors, duplicate keys and a second document, one per position, each with its line and column. */
  readonly problems: readonly ScenarioProblem[];
}

const COMPOSE_OPTIONS = { uniqueKeys: true } as const;

function positionOf(lineCounter: LineCounter, offset: number): TextPosition {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/** Refuses a document nested deeper than {@link INPUT_LIMITS.maxNestingDepth}, naming where it crosses the limit. */
function checkNesting(tokens: readonly CST.Token[], lineCounter: LineCounter, sourceName: string): void {
  const stack: { token: CST.Token | null | undefined; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }));
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const { token, depth } = entry;
    if (token === null || token === undefined) continue;
    if (token.type === 'document') stack.push({ token: token.value, depth });
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    const level = depth + 1;
    if (level > INPUT_LIMITS.maxNestingDepth) {
      const at = positionOf(lineCounter, token.offset);
      throw new ScenarioInputError(
        `too deeply nested: more than ${INPUT_LIMITS.maxNestingDepth} levels of mappings and sequences${atPosition(at)}`,
        sourceName,
        at,
      );
    }
    for (const item of token.items) stack.push({ token: item.key, depth: level }, { token: item.value, depth: level });
  }
}

/** `"duration" at line 4, column 1 (first at line 3)`, or undefined when no key starts at `offset`. */
function duplicateKeyText(document: Document, lineCounter: LineCounter, offset: number): string | undefined {
  let text: string | undefined;
  const keyOf = (pair: Pair): unknown => (isScalar(pair.key) ? pair.key.value : pair.key);
  visit(document, {
    Pair: (_key, pair, path) => {
      const range = isScalar(pair.key) || isMap(pair.key) ? pair.key.range : undefined;
      if (range?.[0] !== offset) return undefined;
      const parent = path[path.length - 1];
      const first = isMap(parent) ? parent.items.find((other) => other !== pair && keyOf(other) === keyOf(pair)) : undefined;
      const firstStart = first !== undefined && isScalar(first.key) ? first.key.range?.[0] : undefined;
      const at = positionOf(lineCounter, offset);
      text =
        `${JSON.stringify(String(keyOf(pair)))} at line ${at.line}, column ${at.column}` +
        (firstStart === undefined ? '' : ` (first at line ${positionOf(lineCounter, firstStart).line})`);
      return visit.BREAK;
    },
  });
  return text;
}

/** The first line of a parser message, without the position the message may repeat. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * Parses YAML (or JSON, which is YAML) text into one document.
 *
 * @throws ScenarioInputError when the text is nested deeper than {@link INPUT_LIMITS.maxNestingDepth}; syntax
 *   problems are returned, not thrown, so a caller can prefer its JSON reading of the same text.
 */
export function parseYamlText(source: string, sourceName: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(source));
  checkNesting(tokens, lineCounter, sourceName);
  let document: Document | undefined;
  const problems: ScenarioProblem[] = [];
  const seen = new Set<number>();
  const add = (offset: number, message: string): void => {
    // One problem per position: a YAML error often cascades into a second one at the same place.
    if (seen.has(offset)) return;
    seen.add(offset);
    const at = positionOf(lineCounter, offset);
    problems.push({ path: '', message, line: at.line, column: at.column });
  };
  let secondDocumentAt: number | undefined;
  for (const composed of new Composer(COMPOSE_OPTIONS).compose(tokens, true, source.length)) {
    if (document === undefined) document = composed;
    else {
      secondDocumentAt = composed.range[0];
      break;
    }
  }
  // compose(…, forceDoc = true) yields a document even for empty text.
  if (document === undefined) throw new Error('the yaml composer returned no document');
  for (const error of document.errors) {
    const offset = Math.max(0, error.pos[0]);
    const at = positionOf(lineCounter, offset);
    const named = error.code === 'DUPLICATE_KEY' ? duplicateKeyText(document, lineCounter, offset) : undefined;
    add(
      offset,
      error.code === 'DUPLICATE_KEY'
        ? `duplicate key ${named ?? `at line ${at.line}, column ${at.column}`}: a mapping holds each key once`
        : `YAML syntax error: ${firstLine(error.message)}${atPosition(at)}`,
    );
  }
  if (secondDocumentAt !== undefined) {
    const at = positionOf(lineCounter, secondDocumentAt);
    add(secondDocumentAt, `YAML syntax error: Source contains multiple documents; a scenario file holds one${atPosition(at)}`);
  }
  return { document, lineCounter, problems };
}

/** How many values a subtree holds once expanded, and how many levels of collections it spans. */
interface Extent {
  readonly values: number;
  readonly depth: number;
}

const childrenOf = (node: object): unknown[] => (Array.isArray(node) ? node : Object.values(node));
const isContainer = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

/**
 * Measures a value whose subtrees may be shared (one anchor, many aliases) as if every alias were expanded, without
 * expanding it: each shared subtree is measured once. Iterative, because expansion depth is not yet known.
 */
function measure(root: unknown, sourceName: string): Extent {
  const done = new Map<object, Extent>();
  const onPath = new Set<object>();
  const extentOf = (value: unknown): Extent => (isContainer(value) ? (done.get(value) ?? { values: 1, depth: 0 }) : { values: 1, depth: 0 });
  if (!isContainer(root)) return extentOf(root);
  const stack: { node: object; children: unknown[]; next: number }[] = [{ node: root, children: childrenOf(root), next: 0 }];
  onPath.add(root);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as (typeof stack)[number];
    if (frame.next < frame.children.length) {
      const child = frame.children[frame.next++];
      if (isContainer(child) && !done.has(child)) {
        if (onPath.has(child)) {
          throw new ScenarioInputError('a YAML alias refers to a mapping or sequence that contains it; a scenario must be a tree', sourceName);
        }
        onPath.add(child);
        stack.push({ node: child, children: childrenOf(child), next: 0 });
      }
      continue;
    }
    let values = 1;
    let depth = 0;
    for (const child of frame.children) {
      const extent = extentOf(child);
      values += extent.values;
      depth = Math.max(depth, extent.depth);
    }
    done.set(frame.node, { values, depth: depth + 1 });
    onPath.delete(frame.node);
    stack.pop();
  }
  return extentOf(root);
}

/** A tree copy of a value whose subtrees may be shared, so changing one fleet's aliased `mix` changes no other. */
function expand(value: unknown): unknown {
  if (!isContainer(value)) return value;
  if (Array.isArray(value)) return value.map(expand);
  // Object.fromEntries defines `__proto__` as a plain key, as the yaml package does, rather than setting a prototype.
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, expand(child)]));
}

/**
 * The document as plain data: a tree, with every alias expanded into its own copy.
 *
 * @throws ScenarioInputError when aliases exceed {@link INPUT_LIMITS.maxAliasCount} or expand past
 *   {@link INPUT_LIMITS.maxExpandedValues} values or {@link INPUT_LIMITS.maxNestingDepth} levels (an alias bomb), refer
 *   to their own ancestor, or name no anchor.
 */
export function yamlToData(document: Document, sourceName: string): unknown {
  let hasAliases = false;
  visit(document, {
    Alias: () => {
      hasAliases = true;
      return visit.BREAK;
    },
  });
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: INPUT_LIMITS.maxAliasCount });
  } catch (error) {
    // The yaml package throws ReferenceError for an alias budget overrun and for an alias with no anchor before it.
    if (!(error instanceof ReferenceError)) throw error;
    throw new ScenarioInputError(
      /Excessive alias count/.test(error.message)
        ? `too many YAML alias expansions: more than ${INPUT_LIMITS.maxAliasCount.toLocaleString('en-US')} (an alias bomb?)`
        : `YAML alias error: ${firstLine(error.message)}`,
      sourceName,
    );
  }
  if (!hasAliases) return data;
  const extent = measure(data, sourceName);
  if (extent.values > INPUT_LIMITS.maxExpandedValues) {
    throw new ScenarioInputError(
      `YAML aliases expand the document to more than ${INPUT_LIMITS.maxExpandedValues.toLocaleString('en-US')} values (an alias bomb?)`,
      sourceName,
    );
  }
  if (extent.depth > INPUT_LIMITS.maxNestingDepth) {
    throw new ScenarioInputError(
      `too deeply nested once YAML aliases are expanded: more than ${INPUT_LIMITS.maxNestingDepth} levels of mappings and sequences`,
      sourceName,
    );
  }
  return expand(data);
}
