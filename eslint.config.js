// @ts-check
import js from '@eslint/js';
import jsdoc from 'eslint-plugin-jsdoc';
import tseslint from 'typescript-eslint';
import documentedExports from './eslint-rules/documented-exports.js';

export default tseslint.config(
  { ignores: ['dist/', 'reports/', 'node_modules/', 'coverage/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  // The public API is documented (DESIGN.md, "Conventions": TSDoc on public symbols). src/api/ is the library's front
  // door: every declaration it exports has a /** … */ comment.
  {
    files: ['src/api/**/*.ts'],
    plugins: { jsdoc },
    rules: {
      'jsdoc/require-jsdoc': [
        'error',
        {
          publicOnly: { esm: true },
          require: { FunctionDeclaration: true, ClassDeclaration: true },
          contexts: ['TSInterfaceDeclaration', 'TSTypeAliasDeclaration', 'TSEnumDeclaration', 'VariableDeclaration'],
          checkConstructors: false,
          // The fixer inserts an empty stub, which documents nothing.
          enableFixer: false,
        },
      ],
    },
  },
  // Whatever src/index.ts exports is public wherever it is declared: the rule follows each name to its declaration.
  {
    files: ['src/index.ts'],
    plugins: { 'kms-bench': { rules: { 'documented-exports': documentedExports } } },
    rules: { 'kms-bench/documented-exports': 'error' },
  },
);
