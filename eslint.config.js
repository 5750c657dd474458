import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Layering rules from STYLE.md: core imports nothing above it; services and http never import an engine adapter. */
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'test-output/', 'scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: restrict([
      { group: ['**/engines/**', '**/services/**', '**/http/**', '**/similarity/**', '**/config*', '**/main*'], message: 'core is pure: it imports nothing above it' },
      { group: ['node:fs', 'node:fs/*', 'node:net', 'node:http', 'node:child_process', 'better-sqlite3', 'express', 'meilisearch'], message: 'core does no I/O' },
    ]),
  },
  {
    // core/stories builds on core/similarity (its sibling, '../similarity/'); the similarity store above core is '../../similarity/'
    files: ['src/core/stories/**/*.ts'],
    rules: restrict([
      { group: ['**/engines/**', '**/services/**', '**/http/**', '../../similarity/**', '**/config*', '**/main*'], message: 'core is pure: it imports nothing above it' },
      { group: ['node:fs', 'node:fs/*', 'node:net', 'node:http', 'node:child_process', 'better-sqlite3', 'express', 'meilisearch'], message: 'core does no I/O' },
    ]),
  },
  {
    files: ['src/services/**/*.ts', 'src/http/**/*.ts'],
    rules: restrict([
      { group: ['**/engines/sqlite/**', '**/engines/meilisearch/**', 'better-sqlite3', 'meilisearch'], message: 'services and http use the engine port, never an adapter' },
    ]),
  },
  {
    files: ['web/src/**/*.ts'],
    rules: restrict([
      { group: ['node:*'], message: 'the front end runs in browsers' },
      { group: ['../*'], message: 'the front end is bundled on its own: it talks to the server over HTTP only' },
    ]),
  },
);
