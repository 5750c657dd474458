import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteEngine } from '../src/engines/sqlite/sqlite-engine.js';
import { Entities } from '../src/entities/entities.js';
import { ingestArticles } from '../src/services/ingest-articles.js';
import { Similarity } from '../src/similarity/similarity.js';

/** The three stores a search with trends reads (engine, similarity, entities), filled through the ingest pipeline. */
export interface TrendStores {
  readonly engine: SqliteEngine;
  readonly similarity: Similarity;
  readonly entities: Entities;
  readonly now: () => number;
  /** The temporary folder holding the store files (entities.db, similarity.db, newsfind.db). */
  readonly dir: string;
  close(): Promise<void>;
}

/** Fresh stores in a temporary folder holding `records`; `close` closes them and removes the folder. */
export async function loadTrendStores(records: readonly unknown[]): Promise<TrendStores> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-trends-'));
  const engine = SqliteEngine.open({ file: path.join(dir, 'newsfind.db') });
  const similarity = Similarity.open(path.join(dir, 'similarity.db'), { serve: true });
  const entities = Entities.open(path.join(dir, 'entities.db'));
  await ingestArticles({ engine, similarity, entities }, records.map((value, i) => ({ location: `record ${i}`, value })));
  await engine.sync();
  await similarity.sync();
  return {
    engine,
    similarity,
    entities,
    now: () => performance.now(),
    dir,
    close: async () => {
      await engine.close();
      similarity.close();
      entities.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
