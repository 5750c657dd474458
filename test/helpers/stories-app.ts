import { performance } from 'node:perf_hooks';
import type { Express } from 'express';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { Entities } from '../../src/entities/entities.js';
import { createApp } from '../../src/http/app.js';
import type { HttpOptions } from '../../src/http/http-options.js';
import { ingestArticles } from '../../src/services/ingest-articles.js';
import { Similarity } from '../../src/similarity/similarity.js';

/**
 * The API over in-memory stores (search, similarity, entities) holding `stories`, indexed through the ingestion
 * pipeline and applied by the index hosts, with `http` options; unexpected errors are ignored (tests assert on answers).
 */
export async function appOverStories(stories: readonly unknown[], http: Partial<HttpOptions>): Promise<Express> {
  const engine = SqliteEngine.open({ file: ':memory:' });
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
