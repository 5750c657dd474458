import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteEngine } from '../src/engines/sqlite/sqlite-engine.js';
import type { IngestSummary } from '../src/services/ingest-articles.js';
import { ingestArticles } from '../src/services/ingest-articles.js';
import type { Searcher } from './peers.js';

/** Our embedded engine on a fresh store in a temporary folder, filled with `records` through the ingest pipeline. */
export async function loadOurEngine(records: readonly unknown[]): Promise<{ engine: SqliteEngine; dir: string; summary: IngestSummary }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-bench-'));
  const engine = SqliteEngine.open({ file: path.join(dir, 'newsfind.db') });
  const summary = await ingestArticles({ engine }, records.map((value, i) => ({ location: `record ${i}`, value })));
  return { engine, dir, summary };
}

/** Our engine as a top-10 searcher (relevance order, default `last` strategy). */
export function ourSearcher(engine: SqliteEngine): Searcher {
  return (q) =>
    engine
      .searchSync({ q, page: 1, perPage: 10, sort: 'relevance', match: 'last', filters: {}, facets: [] })
      .hits.map((h) => h.article.id);
}
