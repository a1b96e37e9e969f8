/**
 * The `documented-exports` lint rule, run through ESLint's Linter on small barrels and declaration files written to a
 * temporary directory: only a `/** … *\/` directly above a declaration documents it, never a file header comment that
 * a blank line separates from it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Linter } from 'eslint';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
// @ts-expect-error -- a plain-JS rule module (checked by its own `@ts-check`), without a declaration file
import documentedExports from '../eslint-rules/documented-exports.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'documented-exports-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The rule's messages for a barrel exporting `Thing` from a module whose text is `declaration`. */
function lint(declaration: string): string[] {
  writeFileSync(join(dir, 'decl.ts'), declaration);
  const linter = new Linter({ configType: 'flat', cwd: dir });
  const config = [
    {
      plugins: { 'kms-bench': { rules: { 'documented-exports': documentedExports } } },
      rules: { 'kms-bench/documented-exports': 'error' as const },
    },
  ];
  // The rule reads the barrel from disk too, to follow its names.
  const barrel = "export { Thing } from './decl.js';\n";
  writeFileSync(join(dir, 'index.js'), barrel);
  const messages = linter.verify(barrel, config, { filename: join(dir, 'index.js') });
  return messages.map((message) => message.message);
}

describe('documented-exports', () => {
  test.each([
    ['an interface', '/** A thing. */\nexport interface Thing { a: number }\n'],
    ['a const, through its statement', '/** A thing. */\nexport const Thing = 1;\n'],
    ['a declaration under a header kept apart by a blank line', '/** The header. */\n\n/** A thing. */\nexport function Thing(): void {}\n'],
    ['a header directly on the declaration', '/** The only comment, directly above. */\nexport class Thing {}\n'],
  ])('%s with its own doc passes', (_, source) => {
    expect(lint(source)).toEqual([]);
  });

  test.each([
    ['the file header is not the first declaration’s doc', '/** The header of the file. */\n\nexport interface Thing { a: number }\n'],
    ['a doc a blank line above is not the doc', 'const x = 1;\n/** About something else. */\n\nexport type Thing = number;\n'],
    ['an empty doc says nothing', '/** */\nexport interface Thing { a: number }\n'],
    ['no comment at all', 'export interface Thing { a: number }\n'],
    ['a line comment is not a doc', '// A thing.\nexport interface Thing { a: number }\n'],
  ])('%s: fails', (_, source) => {
    const messages = lint(source);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^'Thing' is part of the public API .* has no \/\*\* … \*\/ comment/);
  });

  test('a name that cannot be followed is reported, not passed', () => {
    expect(lint('/** Other. */\nexport const Other = 1;\n')).toEqual([
      "cannot follow 'Thing' to its declaration (only relative `export … from` and `import` are followed)",
    ]);
  });
});
