/**
 * Jest runs the TypeScript sources as native ESM (ts-jest, transpile only; `npm run typecheck` checks types).
 *
 * Two projects: `unit` — the pure core, the services, the stores they use on temporary files, the front end's
 * logic and the configuration: no server, no child process beyond a CLI's help, quick (`npm run test:unit`);
 * `integration` — everything else: HTTP, processes, the indexer CLI, relevance on the shared corpora, browsers.
 * `npm test` runs both: the whole suite, which CI runs (.ci/run).
 */
const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }] },
};

/** Folders (under test/) and files of the `unit` project. */
const UNIT_DIRS = ['core', 'services', 'similarity', 'entities', 'web'];
const UNIT_FILES = ['config.test.ts', 'cli.test.ts'];

export default {
  testTimeout: 120000,
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: [...UNIT_DIRS.map((d) => `<rootDir>/test/${d}/**/*.test.ts`), ...UNIT_FILES.map((f) => `<rootDir>/test/${f}`)],
    },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...UNIT_DIRS.map((d) => `<rootDir>/test/${d}/`), ...UNIT_FILES.map((f) => `<rootDir>/test/${f}$`)],
    },
  ],
};
