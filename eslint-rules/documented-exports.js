// @ts-check
/**
 * `kms-bench/documented-exports`: every name the public barrel (src/index.ts) exports carries a `/** … *\/` comment
 * where it is declared.
 *
 * The barrel only re-exports, and a comment on a re-export reaches no reader: editors and the emitted `.d.ts` show the
 * comment on the declaration. Rules that look at one file at a time (eslint-plugin-jsdoc's `publicOnly`) cannot see
 * that declaration in another file, so this rule follows each exported name — through `export … from`, `export *`
 * and `import` + `export` — to the file that declares it, parses that file with the TypeScript parser and reads the
 * comment there. Following the syntax is enough because the barrel names only relative modules; it costs a few files'
 * parsing, where asking the type checker (typed linting) built the whole program and doubled `npm run lint`'s time.
 * A name documented on any of its declarations (an overload, a merged interface) passes; a name the rule cannot follow
 * to a declaration fails too, so the rule never passes by not looking.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

/**
 * True when `doc` sits directly above the code it documents: nothing but spaces and one line break between them. A
 * blank line in between means the comment is about something else — TypeScript attaches every leading `/** … *\/`
 * to the next statement, so a file's header comment would otherwise count as its first declaration's doc.
 */
function isAdjacent(doc) {
  const owner = doc.parent;
  const source = doc.getSourceFile();
  const between = source.text.slice(doc.end, owner.getStart(source));
  return /^[ \t]*(\r?\n)?[ \t]*$/.test(between);
}

/** True when the declaration has a JSDoc comment with some text or a tag (an empty `/** *\/` says nothing). */
function hasDoc(declaration) {
  // A `const`'s comment belongs to its statement (`/** … */ export const a = 1`); TypeScript finds it from the name.
  return ts.getJSDocCommentsAndTags(declaration).some((doc) => {
    // A tag (`@param` of a parameter) counts as its comment does.
    if (!ts.isJSDoc(doc)) return ts.isJSDoc(doc.parent) && isAdjacent(doc.parent);
    if (!isAdjacent(doc)) return false;
    const text = typeof doc.comment === 'string' ? doc.comment : (doc.comment ?? []).map((part) => part.text).join('');
    return text.trim() !== '' || (doc.tags ?? []).length > 0;
  });
}

/** The `.ts` file a relative specifier (`./x.js`, `./dir/index.js`) names, or undefined. */
function resolveModule(fromFile, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = join(dirname(fromFile), specifier);
  return [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')].find((file) => existsSync(file));
}

/** Each file parsed once per linted barrel (cleared by `create`, so an editor's long-lived ESLint sees edits). */
const parsed = new Map();
function sourceOf(file) {
  let source = parsed.get(file);
  if (source === undefined) {
    source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    parsed.set(file, source);
  }
  return source;
}

const DECLARATIONS = [ts.isFunctionDeclaration, ts.isClassDeclaration, ts.isInterfaceDeclaration, ts.isTypeAliasDeclaration, ts.isEnumDeclaration];

/**
 * The declarations of `name` as module `file` exports it: declared there, or followed through its re-exports and
 * imports. Empty when the name cannot be followed.
 */
function declarationsOf(file, name, seen = new Set()) {
  const key = `${file}#${name}`;
  if (seen.has(key)) return [];
  seen.add(key);
  const source = sourceOf(file);
  const found = [];
  const follow = (specifier, imported) => {
    const target = resolveModule(file, specifier);
    return target === undefined ? [] : declarationsOf(target, imported, seen);
  };
  /** The local binding `local` of this file: a declaration, or an import to follow. */
  const local = (localName) => {
    const out = [];
    for (const statement of source.statements) {
      if (DECLARATIONS.some((is) => is(statement)) && statement.name?.text === localName) out.push(statement);
      if (ts.isVariableStatement(statement)) {
        for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === localName) out.push(d);
      }
      const bindings = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : undefined;
      if (bindings !== undefined && ts.isNamedImports(bindings) && ts.isStringLiteral(statement.moduleSpecifier)) {
        const spec = bindings.elements.find((element) => element.name.text === localName);
        if (spec !== undefined) out.push(...follow(statement.moduleSpecifier.text, (spec.propertyName ?? spec.name).text));
      }
    }
    return out;
  };
  for (const statement of source.statements) {
    const exported = ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (exported && DECLARATIONS.some((is) => is(statement)) && statement.name?.text === name) found.push(statement);
    if (exported && ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === name) found.push(d);
    }
    if (!ts.isExportDeclaration(statement)) continue;
    const from = statement.moduleSpecifier !== undefined && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
    const clause = statement.exportClause;
    if (clause === undefined && from !== undefined) found.push(...follow(from, name));
    if (clause !== undefined && ts.isNamedExports(clause)) {
      for (const element of clause.elements) {
        if (element.name.text !== name) continue;
        const original = (element.propertyName ?? element.name).text;
        found.push(...(from === undefined ? local(original) : follow(from, original)));
      }
    }
  }
  return found;
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'every name src/index.ts exports has a TSDoc comment where it is declared' },
    messages: {
      undocumented:
        "'{{name}}' is part of the public API (src/index.ts) but its declaration in {{file}} has no /** … */ comment; " +
        'document it there, where editors and the .d.ts show it',
      unresolved: "cannot follow '{{name}}' to its declaration (only relative `export … from` and `import` are followed)",
      exportAll: 'the public barrel names every export: `export *` would make whatever a module exports public',
    },
    schema: [],
  },
  create(context) {
    parsed.clear();
    const file = context.filename;
    return {
      ExportSpecifier(node) {
        const name = node.exported.type === 'Identifier' ? node.exported.name : String(node.exported.value);
        const declarations = declarationsOf(file, name);
        if (declarations.length === 0) return context.report({ node, messageId: 'unresolved', data: { name } });
        if (declarations.some(hasDoc)) return undefined;
        const where = relative(context.cwd, declarations[0].getSourceFile().fileName);
        return context.report({ node, messageId: 'undocumented', data: { name, file: where } });
      },
      'ExportNamedDeclaration > :declaration'(node) {
        const names = node.type === 'VariableDeclaration' ? node.declarations.map((d) => (d.id.type === 'Identifier' ? d.id.name : '')) : [node.id?.name ?? ''];
        for (const name of names.filter((n) => n !== '')) {
          if (!declarationsOf(file, name).some(hasDoc)) context.report({ node, messageId: 'undocumented', data: { name, file: relative(context.cwd, file) } });
        }
      },
      ExportAllDeclaration(node) {
        context.report({ node, messageId: 'exportAll' });
      },
    };
  },
};
