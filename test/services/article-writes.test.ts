import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import type { EntityWriter } from '../../src/entities/entity-port.js';
import { ArticleWrites } from '../../src/services/article-writes.js';
import type { Store } from '../../src/storage/open-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { makeArticle } from '../helpers/make-article.js';
import { disagreements, storeContents } from '../helpers/store-contents.js';

/** The write path on the embedded engine: one transaction per call, so a failing step undoes the steps before it. */
describe('ArticleWrites on the store file', () => {
  let dataDir: string;
  let store: Store;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-writes-'));
    store = openStore(loadConfig({ DATA_DIR: dataDir }), 'indexer');
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** The store's entity writer, with `commit` (the last step of a write) failing. */
  const failingCommit = (entities: EntityWriter): EntityWriter => ({
    enrich: (a) => entities.enrich(a),
    commit: () => {
      throw new Error('disk full');
    },
    delete: (ids) => entities.delete(ids),
    clear: () => entities.clear(),
    toRefresh: () => entities.toRefresh(),
    refreshed: (g) => entities.refreshed(g),
    held: (a) => entities.held(a),
  });

  const ferry = makeArticle({ id: 'ferry', title: 'Ferry strike ends', body: 'Union leader Ivo Brann said the Kestria ferry strike ended.' });
  const pier = makeArticle({ id: 'pier', title: 'New pier opens', body: 'Mara Vint opened the new quayside pier in Valmora.' });

  it('when the last step of a write fails, then the article is in no store, and the next write succeeds whole', async () => {
    const failing = new ArticleWrites({ engine: store.engine, similarity: store.similarity, entities: failingCommit(store.entities), local: store.local });
    await expect(failing.upsert([ferry])).rejects.toThrow('disk full');
    const after = storeContents(dataDir);
    expect([after.articles.size, after.vectors.size, after.entities.size]).toEqual([0, 0, 0]);
    expect(await store.writes.upsert([ferry, pier])).toEqual({ indexed: 2, unchanged: 0 });
    expect(disagreements(storeContents(dataDir))).toEqual([]);
    expect(await store.reconcile()).toEqual({ mismatched: 0, healed: 0, orphansRemoved: 0 });
  });

  it('when an article is deleted, then it leaves every store at once', async () => {
    await store.writes.upsert([ferry, pier]);
    expect(await store.writes.delete(['ferry', 'unknown'])).toEqual({ deleted: 1, fromSimilarity: 1 });
    const contents = storeContents(dataDir);
    expect([...contents.articles.keys()]).toEqual(['pier']);
    expect(disagreements(contents)).toEqual([]);
  });

  it('when the same articles are written again, then nothing changes (content hashes)', async () => {
    await store.writes.upsert([ferry, pier]);
    expect(await store.writes.upsert([ferry, pier])).toEqual({ indexed: 0, unchanged: 2 });
  });

  it('when the store is cleared, then every store is empty', async () => {
    await store.writes.upsert([ferry, pier]);
    expect(await store.writes.clear()).toBe(2);
    const contents = storeContents(dataDir);
    expect([contents.articles.size, contents.vectors.size, contents.entities.size]).toEqual([0, 0, 0]);
  });
});
