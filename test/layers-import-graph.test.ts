/**
 * One straight column of layers (DESIGN.md, "Layers and data flow"): src/ has no file-level import cycle, and every
 * import between folders points down base < quota < kms < protocol < metrics < workload < client < scenario < engine
 * < report < cli (with api/ and src/index.ts at the top beside cli/). Type-only imports count: a cycle through types
 * still ties two files together. A failure lists each offending import by file and line.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { importCycles, importEdges, importsOf, layerViolations, readSources, unresolvedImports } from './support/import-graph.js';

const ROOT = join(import.meta.dirname, '..');

describe('src/ import graph', () => {
  const edges = importEdges(readSources(ROOT));

  test('reads the imports it checks', () => {
    // A guard against a checker that finds nothing and so passes: the tree has hundreds of relative imports.
    expect(edges.length).toBeGreaterThan(300);
    expect(unresolvedImports(edges)).toEqual([]);
  });

  test('has no file-level cycle', () => {
    expect(importCycles(edges)).toEqual([]);
  });

  test('every import between folders points down the layers', () => {
    expect(layerViolations(edges)).toEqual([]);
  });
});

describe('the checker', () => {
  test('reads imports split over lines, re-exports, side-effect imports, and tells type-only ones apart', () => {
    const source = [
      "import {",
      "  a,",
      "  b,",
      "} from './a.js';",
      "import type { T } from './t.js';",
      "import { type U, type V } from './u.js';",
      "import { type W, x } from './w.js';",
      "export { y } from './y.js';",
      "export type { Z } from './z.js';",
      "import './side.js';",
      "import { readFileSync } from 'node:fs';",
      "// import { nope } from './comment.js';",
      "const text = \"import { nope } from './string.js'\";",
    ].join('\n');
    expect(importsOf('src/kms/x.ts', source)).toEqual([
      { specifier: './a.js', line: 1, typeOnly: false },
      { specifier: './t.js', line: 5, typeOnly: true },
      { specifier: './u.js', line: 6, typeOnly: true },
      { specifier: './w.js', line: 7, typeOnly: false },
      { specifier: './y.js', line: 8, typeOnly: false },
      { specifier: './z.js', line: 9, typeOnly: true },
      { specifier: './side.js', line: 10, typeOnly: false },
    ]);
  });

  test('reads lazy imports and requires with a literal path, and skips packages and computed paths', () => {
    const source = [
      "import { createRequire } from 'node:module';",
      'const require = createRequire(import.meta.url);',
      'export async function load(name: string) {',
      "  const { a } = await import('../engine/lazy.js');",
      "  const b = require('./required.js');",
      "  const c = createRequire(import.meta.url)('./at-once.js');",
      "  await import('zod'); await import(name); require('node:fs');",
      '  return [a, b, c];',
      '}',
    ].join('\n');
    expect(importsOf('src/kms/x.ts', source)).toEqual([
      { specifier: '../engine/lazy.js', line: 4, typeOnly: false },
      { specifier: './required.js', line: 5, typeOnly: false },
      { specifier: './at-once.js', line: 6, typeOnly: false },
    ]);
    const sources = new Map([
      ['src/kms/x.ts', source],
      ['src/engine/lazy.ts', 'export const a = 1;'],
    ]);
    expect(layerViolations(importEdges(sources)).length).toBe(1);
  });

  test('finds a cycle through a type-only import and names the arrows', () => {
    const sources = new Map([
      ['src/engine/run.ts', "import { simulate } from './simulate.js';"],
      ['src/engine/simulate.ts', "import type { VariantRun } from './run.js';"],
      ['src/engine/plan.ts', "import { simulate } from './simulate.js';"],
    ]);
    expect(importCycles(importEdges(sources))).toEqual(['src/engine/run.ts:1 → src/engine/simulate.ts:1 (type) → src/engine/run.ts']);
  });

  test('reports an arrow up the layers, and a folder the order does not know, by file', () => {
    const sources = new Map([
      ['src/kms/model.ts', "import { createKmsRequestHandler } from '../protocol/request-handler.js';"],
      ['src/protocol/request-handler.ts', "import type { KmsCallable } from '../kms/types.js';"],
      ['src/kms/types.ts', ''],
      ['src/index.ts', "export { startKmsServer } from './cli/serve.js';\nimport './widgets/search.js';"],
      ['src/cli/serve.ts', "import { KmsModel } from '../index.js';"],
      ['src/widgets/search.ts', ''],
    ]);
    expect(layerViolations(importEdges(sources))).toEqual([
      'src/index.ts:2 imports src/widgets/search.ts ((src/*.ts) → widgets, runtime): folder widgets is not in the layer order (test/support/import-graph.ts)',
      'src/kms/model.ts:1 imports src/protocol/request-handler.ts (kms → protocol, runtime): points up',
    ]);
  });
});
