import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { IndexHost } from '../../src/index-host/index-host.js';
import { SuggestState } from '../../src/index-host/suggest-state.js';
import type { Store } from '../../src/storage/open-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { openSqliteFile } from '../../src/storage/sqlite-file.js';
import { makeArticle } from '../helpers/make-article.js';

/**
 * The search box's completions are kept by the index host beside its other indexes and follow the store's change
 * logs in the background: a request never reads the store for them, and after catching up the host answers as a
 * fresh build from the store.
 */

const LAVROV = 'Sergei Lavrov said on Tuesday in Moscow that talks with Beijing had gone well, Russian officials said.';
const OTHER = 'Prime Minister Rishi Sunak said in London on Wednesday that the budget would be presented in March.';

describe('query suggestions kept by the index host', () => {
  let dir: string;
  let indexer: Store;
  let hostDb: ReturnType<typeof openSqliteFile>;
  let host: IndexHost;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-suggestions-'));
    indexer = openStore(loadConfig({ DATA_DIR: dir, DEMO_DATA: 'off' }), 'indexer');
    await indexer.writes.upsert([makeArticle({ id: 'a1', title: 'Lavrov in Moscow talks', body: LAVROV })]);
    hostDb = openSqliteFile(path.join(dir, 'newsfind.db'), { what: 'store', schema: '' });
    host = new IndexHost(hostDb, { keyword: false, similarity: {}, entities: true, background: false });
  });
  afterEach(async () => {
    host.close();
    hostDb.close();
    await indexer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const shown = async (q: string) => (await host.suggestQueries(q, 10)).map((s) => `${s.kind}:${s.text}:${s.articles}`);
  const fresh = (q: string) => {
    const state = new SuggestState(hostDb);
    hostDb.transaction(() => state.rebuild())();
    return state.suggest(q, 10).map((s) => `${s.kind}:${s.text}:${s.articles}`);
  };

  it('when articles are added, changed and deleted, then after catching up the host answers as a fresh build', async () => {
    expect(await shown('serg')).toEqual(['people:Sergei Lavrov:1']);
    expect(await shown('lavrov')).toEqual(['people:Sergei Lavrov:1', 'title:Lavrov in Moscow talks:1']);
    await indexer.writes.upsert([
      makeArticle({ id: 'a2', title: 'Sunak budget in March', body: OTHER }),
      makeArticle({ id: 'a1', title: 'Weather in Moscow', body: 'It was cold in Moscow on Tuesday, officials said.' }),
    ]);
    // not applied yet: a request answers the applied state and does no catch-up
    expect(await shown('serg')).toEqual(['people:Sergei Lavrov:1']);
    while (!host.catchUpSlice());
    expect(await shown('serg')).toEqual([]);
    expect(await shown('suna')).toEqual(fresh('suna'));
    expect(await shown('suna')).toContain('people:Rishi Sunak:1');
    await indexer.writes.delete(['a2']);
    while (!host.catchUpSlice());
    expect(await shown('suna')).toEqual([]);
    for (const q of ['mos', 'weather', 'lon', 'rishi']) expect(await shown(q)).toEqual(fresh(q));
  });
});
