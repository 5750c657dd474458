import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteEngine } from '../src/engines/sqlite/sqlite-engine.js';
import { ingestArticles } from '../src/services/ingest-articles.js';
import { Similarity } from '../src/similarity/similarity.js';
import type { KnownItemQuery } from './corpus.js';
import type { Searcher } from './peers.js';

/**
 * Copies of one story as the related list defines them (TF-IDF cosine ≥ 0.95, `duplicate` in a similarity answer),
 * over a similarity index of its own; each article's copies are asked once, when a result list first holds it.
 */
export async function copyFinder(docs: readonly unknown[]): Promise<{ copies: (id: string) => Promise<ReadonlySet<string>>; close: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-copies-'));
  const engine = SqliteEngine.open({ file: path.join(dir, 'newsfind.db'), index: 'none' });
  const similarity = Similarity.open(path.join(dir, 'similarity.db'), { serve: true, cacheEntries: 0 });
  await ingestArticles({ engine, similarity }, docs.map((value, i) => ({ location: `record ${i}`, value })));
  await similarity.sync();
  const known = new Map<string, ReadonlySet<string>>();
  return {
    copies: async (id) => {
      let found = known.get(id);
      if (!found) {
        const answer = await similarity.similarTo(id, { limit: 20, includeDuplicates: true });
        found = new Set((answer?.hits ?? []).filter((h) => h.duplicate).map((h) => h.id));
        known.set(id, found);
      }
      return found;
    },
    close: async () => {
      await engine.close();
      similarity.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Share of queries whose top 10 holds two or more copies of one story. */
export async function duplicateRate(
  search: Searcher,
  queries: readonly KnownItemQuery[],
  copies: (id: string) => Promise<ReadonlySet<string>>,
): Promise<number> {
  let withCopies = 0;
  for (const query of queries) {
    const top = search(query.q).slice(0, 10);
    const held = new Set(top);
    let found = false;
    for (const id of top) {
      for (const copy of await copies(id)) if (held.has(copy)) found = true;
      if (found) break;
    }
    if (found) withCopies++;
  }
  return queries.length === 0 ? 0 : withCopies / queries.length;
}
