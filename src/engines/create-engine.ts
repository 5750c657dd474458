import type { Config } from '../config.js';
import { storeFile } from '../config.js';
import { ConfigError } from '../config.js';
import type { SearchEngine } from './search-engine.js';
import { SqliteEngine } from './sqlite/sqlite-engine.js';

/** The engine the configuration names. */
export function createEngine(config: Config): SearchEngine {
  if (config.SEARCH_ENGINE === 'meilisearch') {
    throw new ConfigError([
      'SEARCH_ENGINE="meilisearch": the Meilisearch adapter is not in this build yet (issue 6); use "sqlite"',
    ]);
  }
  return SqliteEngine.open({ file: storeFile(config), vocabularyRefreshMs: config.VOCABULARY_REFRESH_MS });
}
