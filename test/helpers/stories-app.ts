import { performance } from 'node:perf_hooks';
import type { Express } from 'express';
import type { SearchEngine } from '../../src/engines/search-engine.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { Entities } from '../../src/entities/entities.js';
import { createApp } from '../../src/http/app.js';
import type { HttpOptions } from '../../src/http/http-options.js';
import { ingestArticles } from '../../src/services/ingest-articles.js';
import { Similarity } from '../../src/similarity/similarity.js';

/**
 * The API over in-memory stores (search, similarity, entities) holding `stories`, indexed through the ingestion
 * pipeline into `engine` (default: the embedded one) and applied by the index hosts, with `http` options; unexpected errors are ignored (tests assert on answers).
 */
export async function appOverStories(
  stories: readonly unknown[],
  http: Partial<HttpOptions>,
  engine: SearchEngine = SqliteEngine.open({ file: ':memory:' }),
): Promise<Express> {
  const similarity = Similarity.open(':memory:', { serve: true });
  const entities = Entities.open(':memory:');
  await ingestArticles({ engine, similarity, entities }, stories.map((value, i) => ({ location: `s${i}`, value })));
  await Promise.all([engine.sync(), similarity.sync()]); // the index hosts have applied every story
  return createApp({
    engine,
    similarity,
    entities,
    now: () => performance.now(),
    clock: () => Date.now(),
    logError: () => {},
    http,
  });
}
