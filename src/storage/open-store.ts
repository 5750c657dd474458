import type { QuerySuggester } from '../services/suggest-queries.js';
import type { StoriesQuery, StoryReader } from '../stories/story-port.js';
import type Database from 'better-sqlite3';
import type { Config } from '../config.js';
import { storeFile } from '../config.js';
import { Synonyms } from '../core/keyword/synonyms.js';
import { configuredSynonyms } from '../engines/synonyms-file.js';
import { createEngine } from '../engines/create-engine.js';
import { MeilisearchEngine } from '../engines/meilisearch/meilisearch-engine.js';
import type { SearchEngine } from '../engines/search-engine.js';
import { SqliteEngine } from '../engines/sqlite/sqlite-engine.js';
import { Entities } from '../entities/entities.js';
import { IndexHost } from '../index-host/index-host.js';
import type { IndexPort } from '../index-host/index-port.js';
import { deferredPort } from '../index-host/index-port.js';
import { ENTITY_SCHEMA } from '../entities/entity-store.js';
import type { LocalStore } from '../services/article-writes.js';
import { ArticleWrites } from '../services/article-writes.js';
import type { ReconcileReport } from '../services/reconcile.js';
import { reconcile } from '../services/reconcile.js';
import { Similarity } from '../similarity/similarity.js';
import { SIMILARITY_SCHEMA } from '../similarity/similarity-store.js';
import type { MergeReport } from './legacy-stores.js';
import { MERGE_SCHEMA, mergeLegacyStores } from './legacy-stores.js';
import { API_BUSY_TIMEOUT_MS, limitPageCache, openSqliteFile, storeFailure } from './sqlite-file.js';
import { EngineOutboxStore, OUTBOX_SCHEMA } from './engine-outbox-store.js';
import { COPY_SCHEMA, CopyGroups } from './copy-groups.js';
import type { CopyStore } from './copy-groups.js';
import { meiliCodec, meiliWritable, outboxLeaseMs } from './outbox-delivery.js';
import { StoreMismatches } from './store-mismatches.js';
import { MIRROR_SCHEMA, MirrorStore } from './mirror-store.js';

/** A process's view of the store: the engine, the similarity and entity stores, and the one write path over them. */
export interface Store {
  readonly engine: SearchEngine;
  readonly similarity: Similarity;
  readonly entities: Entities;
  /** The store file's transactions (and, embedded, its articles), for whoever builds the write path. */
  readonly local: LocalStore;
  /** The one write path (services/article-writes.ts), all or nothing per call on the embedded engine. */
  readonly writes: ArticleWrites;
  /** Meilisearch mode: the outbox of engine operations the write path appends to (engine-outbox-store.ts). */
  readonly outbox?: EngineOutboxStore;
  /** Legacy files (similarity.db, entities.db) merged into the store file when it was opened. */
  readonly merged: readonly MergeReport[];
  /**
   * Finds and heals articles present in one store and not another (services/reconcile.ts); `engine: true` also
   * reads Meilisearch's documents, every one (on demand: `npm run index -- --reconcile`).
   */
  reconcile(options?: { engine?: boolean }): Promise<ReconcileReport>;
  /** Story threads, from the index host (role `api` only). */
  readonly stories?: StoryReader;
  /** MEILI_MIRROR=on: the replica's mirror state (storage/mirror-store.ts), filled by its follower. */
  readonly mirror?: MirrorStore;
  /** The search box's completions, from the index host (role `api` only). */
  readonly suggestions?: QuerySuggester;
  /** Copy groups (storage/copy-groups.ts): a collapsed search's hits name their copies from here. */
  readonly copies: CopyStore;
  close(): Promise<void>;
}

/**
 * Opens DATA_DIR/newsfind.db once for the process, as `role` uses it: `api` answers queries (in-memory indexes,
 * writes wait 5 s for another process's); `writer` is the API's write thread (storage/write-thread.ts: no in-memory
 * indexes, writes wait 5 s unless `options.busyTimeoutMs` says otherwise); `indexer` only writes (no in-memory indexes, writes wait INDEXER_BUSY_TIMEOUT_MS). The file holds the similarity and entity tables, and on the embedded engine the
 * articles too, all on one connection, so that one transaction covers an article's every part. Legacy
 * similarity.db and entities.db are merged into it first (storage/legacy-stores.ts).
 */
export function openStore(config: Config, role: 'api' | 'writer' | 'indexer', index?: IndexPort, options: { busyTimeoutMs?: number } = {}): Store {
  const file = storeFile(config);
  const busyTimeoutMs = options.busyTimeoutMs ?? (role === 'indexer' ? config.INDEXER_BUSY_TIMEOUT_MS : API_BUSY_TIMEOUT_MS);
  const mirrored = config.MEILI_MIRROR === 'on';
  const schema = SIMILARITY_SCHEMA + ENTITY_SCHEMA + MERGE_SCHEMA + OUTBOX_SCHEMA + COPY_SCHEMA + (mirrored ? MIRROR_SCHEMA : '');
  const db = openSqliteFile(file, { what: 'store', schema, busyTimeoutMs });
  if (role === 'api') limitPageCache(db); // a serving process's reads: SQLite's default cache, not the driver's 16 MiB
  try {
    const merged = file === ':memory:' ? [] : mergeLegacyStores(db, config.DATA_DIR);
    const embedded = config.SEARCH_ENGINE === 'sqlite';
    // An API process asks `index` (the cluster primary's index host), else holds the one host itself (index-host.ts).
    let ownHost: IndexHost | undefined;
    const served = role === 'api' ? (index ?? deferredPort(() => ownHost!)) : undefined;
    const sqlite = embedded ? SqliteEngine.onDatabase(db, { file, index: served ?? 'none' }) : undefined;
    const engine = sqlite ?? createEngine(config, role === 'indexer' ? 'indexer' : 'api'); // the write thread writes as the API does
    const similarity = Similarity.onDatabase(db, { serve: role === 'api', ...(served ? { index: served } : {}) });
    if (role === 'api' && !index) ownHost = hostIndexes(db, config);
    const entities = Entities.onDatabase(
      db,
      served && {
        suggest: (q, kind, limit) => served.suggestEntities(q, kind, limit),
        named: (text) => served.namedEntities(text),
        counts: () => served.entityCounts(),
        articlesOf: (refs) => served.entityArticles(refs),
        resolve: (kind, text) => served.resolveEntity(kind, text),
      },
    );
    // Meilisearch with a key that writes: engine operations join the local transactions (engine-outbox-store.ts)
    const outbox = meiliWritable(config) ? new EngineOutboxStore(db, { codec: meiliCodec, ...outboxLeaseMs(config) }) : undefined;
    const local = localStore(db, { similarity, entities }, { articles: sqlite, outbox });
    const copies = new CopyGroups(db);
    const writes = new ArticleWrites({ engine, similarity, entities, local, copies });
    const scan = new StoreMismatches(db, { withArticles: embedded });
    const mirror = mirrored ? new MirrorStore(db, writes) : undefined;
    return {
      engine,
      similarity,
      entities,
      ...(served ? { suggestions: { suggestQueries: (q: string, limit: number) => served.suggestQueries(q, limit) } } : {}),
      ...(served ? { stories: { storyOf: (id: string, limit: number) => served.storyOf(id, limit), stories: (q: StoriesQuery) => served.stories(q) } } : {}),
      local,
      writes,
      copies,
      ...(outbox ? { outbox } : {}),
      ...(mirror ? { mirror } : {}),
      merged,
      reconcile: (options = {}) =>
        reconcile({ engine, scan, writes, ...(options.engine && engine instanceof MeilisearchEngine ? { engineDocuments: engine } : {}) }),
      close: async () => {
        ownHost?.close();
        await engine.close();
        similarity.close();
        entities.close();
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The service's one copy of the in-memory indexes over the store file `db` (index-host.ts): keyword (embedded
 * engine) and similarity, following the store in the background. The cluster primary holds it for the workers.
 */
export function hostIndexes(db: Database.Database, config: Config): IndexHost {
  return new IndexHost(db, {
    keyword: config.SEARCH_ENGINE === 'sqlite',
    synonyms: new Synonyms(configuredSynonyms(config)),
    similarity: { idfExponent: config.SIMILARITY_IDF_EXPONENT, cacheEntries: config.SIMILARITY_CACHE_ENTRIES },
    entities: true,
  });
}

/** Transactions of the store file's connection; a rolled-back one makes the stores drop what they cached of it. */
function localStore(
  db: Database.Database,
  caches: { similarity: Similarity; entities: Entities },
  { articles, outbox }: { articles: SqliteEngine | undefined; outbox: EngineOutboxStore | undefined },
): LocalStore {
  return {
    ...(articles ? { articles } : {}),
    ...(outbox ? { outbox } : {}),
    transaction: <T>(work: () => T): T => {
      try {
        return db.transaction(work).immediate();
      } catch (error) {
        caches.similarity.afterRollback();
        caches.entities.afterRollback();
        throw storeFailure(db, 'store', error);
      }
    },
  };
}
