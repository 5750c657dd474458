import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteEngine } from '../src/engines/sqlite/sqlite-engine.js';
import type { IngestSummary } from '../src/services/ingest-articles.js';
import { ingestArticles } from '../src/services/ingest-articles.js';
import { COPY_SCHEMA, CopyGroups } from '../src/storage/copy-groups.js';
import { API_BUSY_TIMEOUT_MS, openSqliteFile } from '../src/storage/sqlite-file.js';
import type { KnownItemQuery } from './corpus.js';
import type { Searcher } from './peers.js';

/**
 * Our embedded engine on a fresh store in a temporary folder, filled with `records` through the ingest pipeline,
 * with the copy groups the service's write path names (storage/copy-groups.ts) in the same transactions.
 */
export async function loadOurEngine(records: readonly unknown[]): Promise<{ engine: SqliteEngine; dir: string; summary: IngestSummary }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-bench-'));
  const file = path.join(dir, 'newsfind.db');
  const db = openSqliteFile(file, { what: 'store', schema: COPY_SCHEMA, busyTimeoutMs: API_BUSY_TIMEOUT_MS });
  const engine = SqliteEngine.onDatabase(db, { file });
  const local = { transaction: <T>(work: () => T): T => db.transaction(work).immediate(), articles: engine };
  const summary = await ingestArticles({ engine, local, copies: new CopyGroups(db) }, records.map((value, i) => ({ location: `record ${i}`, value })));
  await engine.sync();
  return { engine, dir, summary };
}

/**
 * Our engine as a top-10 searcher (relevance order, default `last` strategy). `collapse`: one hit per copy group;
 * `byGroup`: each hit named by its copy group (Article.copyGroup), so that a hit standing for the wanted article
 * counts as finding it — score it against {@link byCopyGroup} queries.
 */
export function ourSearcher(engine: SqliteEngine, options: { collapse?: boolean; byGroup?: boolean } = {}): Searcher {
  return (q) =>
    engine
      .searchSync({ q, page: 1, perPage: 10, sort: 'relevance', match: 'last', filters: {}, facets: [], ...(options.collapse ? { collapse: true } : {}) })
      .hits.map((h) => (options.byGroup ? h.article.copyGroup ?? h.article.id : h.article.id));
}

/** Known-item queries whose target is named by its copy group, for a collapsed {@link ourSearcher}. */
export function byCopyGroup(engine: SqliteEngine, queries: readonly KnownItemQuery[]): KnownItemQuery[] {
  return queries.map((query) => ({ ...query, target: engine.getNow(query.target)?.copyGroup ?? query.target }));
}
