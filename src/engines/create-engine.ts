import type { Config } from '../config.js';
import { storeFile } from '../config.js';
import { MeilisearchEngine } from './meilisearch/meilisearch-engine.js';
import type { SearchEngine } from './search-engine.js';
import { configuredSynonyms } from './synonyms-file.js';
import { SqliteEngine } from './sqlite/sqlite-engine.js';

/**
 * The engine the configuration names. `role` says what the process does with it: the API searches (the embedded
 * engine then keeps its in-memory index; Meilisearch is searched with the search-only key); the indexer only writes
 * (the embedded engine builds no index, refuses searches and waits INDEXER_BUSY_TIMEOUT_MS for another process's
 * write; Meilisearch is written with the admin key and writes are retried with backoff). Meilisearch keys come from
 * MEILI_SEARCH_KEY / MEILI_ADMIN_KEY, or are found or created through /keys with MEILI_MASTER_KEY on first use.
 */
export function createEngine(config: Config, role: 'api' | 'indexer'): SearchEngine {
  if (config.SEARCH_ENGINE === 'meilisearch') {
    return new MeilisearchEngine({
      url: config.MEILI_URL!, // required by the config schema in this mode
      index: config.MEILI_INDEX,
      keys: { masterKey: config.MEILI_MASTER_KEY, searchKey: config.MEILI_SEARCH_KEY, adminKey: config.MEILI_ADMIN_KEY },
      role,
      taskTimeoutMs: config.MEILI_TASK_TIMEOUT_MS,
      requestTimeoutMs: config.MEILI_REQUEST_TIMEOUT_MS,
      synonyms: configuredSynonyms(config),
      tombstoneRetentionDays: config.MEILI_TOMBSTONE_RETENTION_DAYS,
    });
  }
  return SqliteEngine.open({
    file: storeFile(config),
    // an indexer only writes (no in-memory index) and queues behind another process's writes; an API process (its
    // wait blocks every request) waits 5 s
    ...(role === 'indexer' ? { index: 'none' as const, busyTimeoutMs: config.INDEXER_BUSY_TIMEOUT_MS } : {}),
  });
}
