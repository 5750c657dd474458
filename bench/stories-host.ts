import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { IndexHost } from '../src/index-host/index-host.js';
import { openStore } from '../src/storage/open-store.js';
import { openSqliteFile } from '../src/storage/sqlite-file.js';
import { toArticle, articleInputSchema } from '../src/core/article.js';

/**
 * The index host's start with and without story threads over a store of `docs`: the build before the host answers
 * (the constructor), then the story threads' background build (catch-up slices until caught up), best of `runs`.
 */
export async function measureHostStart(docs: readonly unknown[], runs = 3): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-story-host-'));
  try {
    const indexer = openStore(loadConfig({ DATA_DIR: dir, DEMO_DATA: 'off' }), 'indexer');
    const articles = docs.map((d) => toArticle(articleInputSchema.parse(d)));
    for (let i = 0; i < articles.length; i += 1000) await indexer.writes.upsert(articles.slice(i, i + 1000));
    await indexer.close();
    const db = openSqliteFile(path.join(dir, 'newsfind.db'), { what: 'store', schema: '' });
    const lines: string[] = [];
    for (const stories of [false, true]) {
      let start = Number.POSITIVE_INFINITY;
      let background = Number.POSITIVE_INFINITY;
      for (let r = 0; r < runs; r++) {
        const t0 = performance.now();
        const host = new IndexHost(db, { keyword: true, similarity: {}, entities: true, stories, background: false });
        const t1 = performance.now();
        while (!host.catchUpSlice());
        const t2 = performance.now();
        host.close();
        start = Math.min(start, t1 - t0);
        background = Math.min(background, t2 - t1);
      }
      lines.push(`host start, ${articles.length} articles, stories ${stories ? 'on ' : 'off'}: build ${start.toFixed(0)} ms, then background catch-up ${background.toFixed(0)} ms (best of ${runs})`);
    }
    db.close();
    return lines;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
