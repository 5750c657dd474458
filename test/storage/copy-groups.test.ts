import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/config.js';
import type { Store } from '../../src/storage/open-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { MAX_COPY_IDS } from '../../src/storage/copy-groups.js';
import { makeArticle, searchRequest } from '../helpers/make-article.js';

/** Copy groups through the one write path: named in the write's transaction, kept by unchanged text, gone with the article. */
describe('copy groups on the store file', () => {
  let dataDir: string;
  let store: Store;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-copies-'));
    store = openStore(loadConfig({ DATA_DIR: dataDir }), 'indexer');
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const WIRE =
    'Union leaders in Kestria said on Monday that the ferry strike which halted crossings to the islands for nine days ' +
    'had ended after the operator agreed to raise wages by four percent and to hire forty more deckhands before summer.';
  const wire = (id: string, title: string, body = WIRE) => makeArticle({ id, title, body });
  const groups = (): Record<string, string> => {
    const db = new Database(path.join(dataDir, 'newsfind.db'), { readonly: true });
    try {
      return Object.fromEntries(db.prepare('SELECT id, copy_group FROM articles ORDER BY id').raw().all() as [string, string][]);
    } finally {
      db.close();
    }
  };

  it('when a syndicated copy arrives, then it joins the first article\'s group, and an unrelated article is alone', async () => {
    await store.writes.upsert([wire('courier-1', 'Ferry strike ends')]);
    await store.writes.upsert([
      wire('gazette-7', 'Kestria ferry strike is over', `${WIRE} Crossings resume on Tuesday.`),
      makeArticle({ id: 'fair', title: 'Harbour fair opens', body: 'The harbour fair opened with music and a parade of boats.' }),
    ]);
    expect(groups()).toEqual({ 'courier-1': 'courier-1', 'gazette-7': 'courier-1', fair: 'fair' });
    expect(store.copies.members([['courier-1', 'courier-1'], ['fair', 'fair']])).toEqual(new Map([['courier-1', { count: 1, ids: ['gazette-7'] }]]));
  });

  it('when copies come in one batch, then the later ones join the first one\'s group', async () => {
    await store.writes.upsert([wire('a', 'Strike ends'), wire('b', 'Strike ends'), wire('c', 'Strike over')]);
    expect(groups()).toEqual({ a: 'a', b: 'a', c: 'a' });
  });

  it('when the same article is written again, then its group stays; when its text changes, it is grouped anew', async () => {
    await store.writes.upsert([wire('a', 'Strike ends'), wire('b', 'Strike ends')]);
    await store.writes.upsert([wire('b', 'Strike ends')]);
    expect(groups().b).toBe('a');
    await store.writes.upsert([makeArticle({ id: 'b', title: 'Budget', body: 'The council passed the budget for the new library and two parks.' })]);
    expect(groups().b).toBe('b');
    expect(store.copies.members([['a', 'a']]).size).toBe(0);
  });

  it('when an article is deleted, then it leaves its group', async () => {
    await store.writes.upsert([wire('a', 'Strike ends'), wire('b', 'Strike ends'), wire('c', 'Strike ends')]);
    await store.writes.delete(['b']);
    expect(store.copies.members([['a', 'a']]).get('a')).toEqual({ count: 1, ids: ['c'] });
  });

  it('when the caller gives a group\'s size, then that size decides: none below 2, the whole count from it', async () => {
    await store.writes.upsert([wire('a', 'Strike ends'), wire('b', 'Strike ends')]);
    expect(store.copies.members([['a', 'a', 1]]).size).toBe(0);
    expect(store.copies.members([['a', 'a', 2]]).get('a')).toEqual({ count: 1, ids: ['b'] });
    const many = Array.from({ length: MAX_COPY_IDS + 5 }, (_, i) => wire(`w${String(i).padStart(2, '0')}`, 'Strike ends'));
    await store.writes.upsert(many);
    expect(store.copies.members([['w00', 'a', 40]]).get('w00')?.count).toBe(39);
  });

  it('when a group is large, then members lists the first ids and the whole count', async () => {
    const many = Array.from({ length: MAX_COPY_IDS + 5 }, (_, i) => wire(`w${String(i).padStart(2, '0')}`, 'Strike ends'));
    await store.writes.upsert(many);
    const found = store.copies.members([['w00', 'w00']]).get('w00');
    expect(found?.count).toBe(MAX_COPY_IDS + 4);
    expect(found?.ids).toHaveLength(MAX_COPY_IDS);
  });

  it('when a store written before copy groups is reconciled, then every article gets its group', async () => {
    await store.writes.upsert([wire('a', 'Strike ends'), wire('b', 'Strike ends')]);
    const db = new Database(path.join(dataDir, 'newsfind.db'));
    // as an earlier release left them: no signatures, no group in the row or the document, the hash of then
    db.exec(`DELETE FROM copy_signatures; DELETE FROM copy_bands;
      UPDATE articles SET copy_group = NULL, doc = json_remove(doc, '$.copyGroup'), content_hash = 'before'`);
    db.close();
    expect((await store.reconcile()).healed).toBe(2);
    expect(groups()).toEqual({ a: 'a', b: 'a' });
  });

  it('when the engine searches a store with copies, then a collapsed search shows one of them', async () => {
    const api = openStore(loadConfig({ DATA_DIR: dataDir }), 'api');
    try {
      await api.writes.upsert([wire('a', 'Strike ends'), wire('b', 'Strike ends'), makeArticle({ id: 'c', title: 'Strike talk', body: 'A strike was discussed.' })]);
      await api.engine.sync();
      const collapsed = await api.engine.search(searchRequest({ q: 'strike', collapse: true }));
      expect(collapsed.totalHits).toBe(2);
      expect((await api.engine.search(searchRequest({ q: 'strike' }))).totalHits).toBe(3);
    } finally {
      await api.close();
    }
  });
});
