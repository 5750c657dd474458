import type { Config } from '../config.js';
import { storeFile } from '../config.js';
import { ConfigError } from '../config.js';
import type { SearchEngine } from './search-engine.js';
import { SqliteEngine } from './sqlite/sqlite-engine.js';

/**
 * The engine the configuration names. `role` says what the process does with it: the API searches (the embedded
 * engine then keeps its in-memory index); the indexer only writes, and skips building that index.
 */
export function createEngine(config: Config, role: 'api' | 'indexer'): SearchEngine {
  if (config.SEARCH_ENGINE === 'meilisearch') {
    throw new ConfigError([
      'SEARCH_ENGINE="meilisearch": the Meilisearch adapter is not in this build yet (issue 6); use "sqlite"',
    ]);
  }
  return SqliteEngine.open({
    file: storeFile(config),
    vocabularyRefreshMs: config.VOCABULARY_REFRESH_MS,
    ranker: role === 'api' ? 'memory' : 'fts5',
  });
}
