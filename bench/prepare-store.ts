import path from 'node:path';
import { SqliteEngine } from '../src/engines/sqlite/sqlite-engine.js';
import { Entities } from '../src/entities/entities.js';
import { ingestArticles, refreshEntities } from '../src/services/ingest-articles.js';
import { Similarity } from '../src/similarity/similarity.js';

/**
 * Indexes `docs` into a store in `dir` (search, similarity and entities), as the indexer does and as bench/load.ts
 * prepares its own; the built API then serves it with DATA_DIR=dir.
 */
export async function prepareStore(dir: string, docs: readonly unknown[]): Promise<void> {
  const engine = SqliteEngine.open({ file: path.join(dir, 'newsfind.db'), index: 'none' });
  const similarity = Similarity.open(path.join(dir, 'similarity.db'), { serve: false });
  const entities = Entities.open(path.join(dir, 'entities.db'));
  try {
    await ingestArticles({ engine, similarity, entities }, docs.map((value, i) => ({ location: `record ${i}`, value })));
    await refreshEntities({ engine, similarity, entities });
  } finally {
    await engine.close();
    similarity.close();
    entities.close();
  }
}
