/**
 * The import graph of src/: every static `import … from` and `export … from` with a relative path (type-only ones
 * included), and every lazy `import('./…')` or `require('./…')` with a literal path, resolved to files, and the two rules the layers keep (DESIGN.md, "Layers and data flow"): no file-level
 * cycle, and every arrow between folders pointing down the layer order.
 *
 * The TypeScript parser reads the imports, not a regular expression, so an import split over lines, a comment or a
 * string that looks like one cannot fool it. Everything works on a map of path → source text, so the test can check the
 * checker on graphs it makes up.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import ts from 'typescript';

/** The layer name of the files directly in src/ (not a folder name, so no folder can take it). */
export const TOP_LEVEL = '(src/*.ts)';

/**
 * The layers, bottom to top. A folder may import from its own folder and from folders below it. `api/` is the library's
 * front door; `plan/` searches over runs through it; the last rank is the top: `cli/` and the files directly in src/
 * (`index.ts`) are entry points over the same library, so they may import each other; nothing imports them.
 * engine → scenario needs no exception: engine sits above scenario. `services/` (AWS services calling KMS on a caller's
 * behalf) sits above `kms/` and `quota/`, below everything that sends fleet requests or counts them (metrics merges
 * its attribution counters).
 */
export const LAYER_ORDER: readonly (readonly string[])[] = [
  ['base'],
  ['quota'],
  ['kms'],
  ['protocol'],
  ['services'],
  ['metrics'],
  ['workload'],
  ['client'],
  ['scenario'],
  ['engine'],
  ['serve'],
  ['report'],
  ['api'],
  ['plan'],
  ['cli', TOP_LEVEL],
];

/** One import of one file, as written and as resolved. */
export interface ImportEdge {
  /** The importing file, `src/kms/model.ts`. */
  readonly from: string;
  /** The imported file, or undefined when no file of the graph matches the specifier. */
  readonly to: string | undefined;
  readonly specifier: string;
  /** 1-based line of the import. */
  readonly line: number;
  /** `import type`, `export type`, or every named binding marked `type`: erased from the emitted JavaScript. */
  readonly typeOnly: boolean;
}

/** Every `.ts` file under `root` (a directory relative to `cwd`), as a map of path (with `/`) → source text. */
export function readSources(cwd: string, root = 'src'): Map<string, string> {
  const sources = new Map<string, string>();
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) sources.set(relative(cwd, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(join(cwd, root));
  return sources;
}

function isTypeOnly(statement: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (clause === undefined) return false; // `import './x.js'` runs the module
    if (clause.isTypeOnly) return true;
    const bindings = clause.namedBindings;
    // `import { type A, type B }` is erased like `import type`; one value binding (or a default) keeps it.
    if (clause.name !== undefined || bindings === undefined || !ts.isNamedImports(bindings)) return false;
    return bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
  }
  if (statement.isTypeOnly) return true;
  const clause = statement.exportClause;
  return clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
}

/** The relative static imports and re-exports of one file. */
export function importsOf(file: string, source: string): { specifier: string; line: number; typeOnly: boolean }[] {
  const parsed = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: { specifier: string; line: number; typeOnly: boolean }[] = [];
  for (const statement of parsed.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    const specifier = statement.moduleSpecifier;
    if (specifier === undefined || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
    const line = parsed.getLineAndCharacterOfPosition(statement.getStart(parsed)).line + 1;
    found.push({ specifier: specifier.text, line, typeOnly: isTypeOnly(statement) });
  }
  // Lazy edges load code too: `import('./x.js')` and `require('./x.js')` (a `require` made by `createRequire`, or
  // `createRequire(...)('./x.js')` at once), wherever they are written, when the specifier is a string literal.
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isLazyLoad(node)) {
      const [argument] = node.arguments;
      if (argument !== undefined && ts.isStringLiteralLike(argument) && argument.text.startsWith('.')) {
        const line = parsed.getLineAndCharacterOfPosition(node.getStart(parsed)).line + 1;
        found.push({ specifier: argument.text, line, typeOnly: false });
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(parsed, visit);
  return found;
}

/** `import(…)`, `require(…)` or `createRequire(…)(…)`. */
function isLazyLoad(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (callee.kind === ts.SyntaxKind.ImportKeyword) return true;
  if (ts.isIdentifier(callee)) return callee.text === 'require';
  return ts.isCallExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'createRequire';
}

/** Resolves a relative specifier as NodeNext does for this project: `./x.js` is `./x.ts`; a folder is its index.ts. */
function resolve(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, `${base}/index.ts`];
  return candidates.find((candidate) => files.has(candidate));
}

/** Every relative import of every file in `sources`, resolved against the same files. */
export function importEdges(sources: ReadonlyMap<string, string>): ImportEdge[] {
  const files = new Set(sources.keys());
  const edges: ImportEdge[] = [];
  for (const [from, source] of sources) {
    for (const found of importsOf(from, source)) edges.push({ from, ...found, to: resolve(from, found.specifier, files) });
  }
  return edges;
}

/** The layer of a file under src/: its first folder, or the top-level name for a file directly in src/. */
export function layerOf(file: string): string {
  const parts = file.split('/');
  return parts.length <= 2 ? TOP_LEVEL : (parts[1] as string);
}

function rankOf(layer: string): number | undefined {
  const rank = LAYER_ORDER.findIndex((group) => group.includes(layer));
  return rank < 0 ? undefined : rank;
}

function describeEdge(edge: ImportEdge): string {
  const kind = edge.typeOnly ? 'type-only' : 'runtime';
  const arrow = `${layerOf(edge.from)} → ${edge.to === undefined ? '?' : layerOf(edge.to)}`;
  return `${edge.from}:${edge.line} imports ${edge.to ?? edge.specifier} (${arrow}, ${kind})`;
}

/** Every arrow between folders that does not point down, or leaves a folder the order does not name; one line each. */
export function layerViolations(edges: readonly ImportEdge[]): string[] {
  const lines: string[] = [];
  for (const edge of edges) {
    if (edge.to === undefined) continue;
    const [from, to] = [layerOf(edge.from), layerOf(edge.to)];
    if (from === to) continue;
    const [fromRank, toRank] = [rankOf(from), rankOf(to)];
    if (fromRank === undefined || toRank === undefined) {
      lines.push(`${describeEdge(edge)}: folder ${fromRank === undefined ? from : to} is not in the layer order (test/support/import-graph.ts)`);
    } else if (toRank > fromRank) {
      lines.push(`${describeEdge(edge)}: points up`);
    }
  }
  return lines.sort();
}

/** Imports whose relative path names no file: they would hide an arrow from the other checks. */
export function unresolvedImports(edges: readonly ImportEdge[]): string[] {
  return edges.filter((edge) => edge.to === undefined).map(describeEdge).sort();
}

/**
 * Every file-level cycle, one per strongly connected component (Tarjan), as a closed path `a → b → … → a` with each
 * arrow's line, so the message shows which imports to cut.
 */
export function importCycles(edges: readonly ImportEdge[]): string[] {
  const next = new Map<string, ImportEdge[]>();
  for (const edge of edges) {
    if (edge.to === undefined) continue;
    next.set(edge.from, [...(next.get(edge.from) ?? []), edge]);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file) as number);
    stack.push(file);
    onStack.add(file);
    for (const { to } of next.get(file) ?? []) {
      const target = to as string;
      if (!index.has(target)) {
        connect(target);
        low.set(file, Math.min(low.get(file) as number, low.get(target) as number));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file) as number, index.get(target) as number));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    const selfLoop = (next.get(file) ?? []).some((edge) => edge.to === file);
    if (component.length > 1 || selfLoop) components.push(component.sort());
  };
  for (const file of [...next.keys()].sort()) if (!index.has(file)) connect(file);
  return components.map((component) => cyclePath(component, next)).sort();
}

/** One cycle through the first file of a component, found breadth-first inside it (so it is a shortest one). */
function cyclePath(component: readonly string[], next: ReadonlyMap<string, readonly ImportEdge[]>): string {
  const members = new Set(component);
  const start = component[0] as string;
  const cameBy = new Map<string, ImportEdge>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const file = queue[head] as string;
    for (const edge of next.get(file) ?? []) {
      const target = edge.to as string;
      if (!members.has(target) || cameBy.has(target)) continue;
      cameBy.set(target, edge);
      if (target === start) break;
      queue.push(target);
    }
    if (cameBy.has(start)) break;
  }
  const arrows: ImportEdge[] = [];
  for (let at = start; arrows.length === 0 || at !== start; ) {
    const edge = cameBy.get(at) as ImportEdge;
    arrows.unshift(edge);
    at = edge.from;
  }
  const path = arrows.map((edge) => `${edge.from}:${edge.line}${edge.typeOnly ? ' (type)' : ''}`).join(' → ');
  const others = component.length > arrows.length ? ` [component of ${component.length}: ${component.join(', ')}]` : '';
  return `${path} → ${start}${others}`;
}
