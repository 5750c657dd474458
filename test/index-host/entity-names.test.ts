import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import type { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { EntityNamesState } from '../../src/entities/entity-names-state.js';
import { IndexHost } from '../../src/index-host/index-host.js';
import type { Store } from '../../src/storage/open-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { openSqliteFile } from '../../src/storage/sqlite-file.js';
import { makeArticle } from '../helpers/make-article.js';

/**
 * Entity names (autocomplete, entity detection in queries, the entity gauge) are kept by the index host and
 * followed through `ent_changes` in the background: a request never re-reads the whole list, and the host's list
 * always equals one built from the store.
 */

const story = (id: string, body: string) => makeArticle({ id, title: `Report ${id}`, body });
const QIN = 'Chinese Foreign Minister Qin Gang met Russian Foreign Minister Sergei Lavrov in Beijing on Monday, the ministry said.';
const LAVROV = 'Sergei Lavrov said on Tuesday in Moscow that talks with Beijing had gone well, Russian officials said.';
const OTHER = 'Prime Minister Rishi Sunak said in London on Wednesday that the budget would be presented in March.';

describe('entity names kept by the index host', () => {
  let dir: string;
  let indexer: Store;
  let hostDb: ReturnType<typeof openSqliteFile>;
  let host: IndexHost;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-entity-names-'));
    indexer = openStore(loadConfig({ DATA_DIR: dir, DEMO_DATA: 'off' }), 'indexer');
    await indexer.writes.upsert([story('a1', QIN), story('a2', LAVROV)]);
    hostDb = openSqliteFile(path.join(dir, 'newsfind.db'), { what: 'store', schema: '' });
    host = new IndexHost(hostDb, { keyword: false, entities: true, background: false });
  });
  afterEach(async () => {
    host.close();
    hostDb.close();
    await indexer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The list a fresh build from the store gives, as [kind, name, articles], in autocomplete order. */
  const fromStore = () => {
    const fresh = new EntityNamesState(hostDb);
    hostDb.transaction(() => fresh.rebuild())();
    return fresh.suggestNow('', undefined, 1_000).map((e) => [e.kind, e.name, e.articles]);
  };
  const fromHost = async () => (await host.suggestEntities('', undefined, 1_000)).map((e) => [e.kind, e.name, e.articles]);

  it('when articles are added, changed and deleted, then after catching up the host answers as a fresh build from the store', async () => {
    expect((await host.suggestEntities('lavr', 'people', 5)).map((e) => [e.name, e.articles])).toEqual([['Sergei Lavrov', 2]]);
    await indexer.writes.upsert([story('a3', OTHER), story('a2', 'The weather in Moscow was cold on Tuesday, officials said.')]);
    await indexer.writes.delete(['a1']);
    // not applied yet: the host answers its applied state, a request does no catch-up
    expect((await host.suggestEntities('lavr', 'people', 5)).map((e) => e.articles)).toEqual([2]);
    while (!host.catchUpSlice());
    expect(await host.suggestEntities('lavr', 'people', 5)).toEqual([]);
    expect((await host.namedEntities('rishi sunak')).map((e) => e.name)).toEqual(['Rishi Sunak']);
    expect(await fromHost()).toEqual(fromStore());
    expect((await host.entityCounts()).people).toBe(fromStore().filter(([kind]) => kind === 'people').length);
  });

  it('when a namesake arrives or leaves, then the surname index follows (person=Lavrov: alias, then ambiguous, then alias again)', async () => {
    expect(await host.resolveEntity('people', 'LAVROV')).toEqual({ match: 'alias', names: ['Sergei Lavrov'] });
    await indexer.writes.upsert([story('a3', 'Violinist Anna Lavrov played in Vienna on Friday. Anna Lavrov said the hall was full.')]);
    while (!host.catchUpSlice());
    expect(await host.resolveEntity('people', 'lavrov')).toEqual({
      match: 'ambiguous',
      candidates: [
        { kind: 'people', name: 'Sergei Lavrov', articles: 2 },
        { kind: 'people', name: 'Anna Lavrov', articles: 1 },
      ],
      more: 0,
    });
    await indexer.writes.delete(['a3']);
    while (!host.catchUpSlice());
    expect(await host.resolveEntity('people', 'lavrov')).toEqual({ match: 'alias', names: ['Sergei Lavrov'] });
    expect(await host.resolveEntity('people', 'Qin Gang')).toEqual({ match: 'name', names: ['Qin Gang'] });
    expect(await host.resolveEntity('orgs', 'lavrov')).toEqual({ match: 'unknown' });
  });

  it('when an article keeps an entity while it changes, then that entity stays listed throughout', async () => {
    await indexer.writes.upsert([story('a2', `${LAVROV} Markets in Moscow were calm.`)]);
    while (!host.catchUpSlice()) expect((await host.namedEntities('Sergei Lavrov')).length).toBe(1);
    expect((await host.namedEntities('sergei lavrov')).map((e) => e.articles)).toEqual([2]);
  });

  it('when the service holds the host, then the API reads names through it (no list of its own)', async () => {
    const api = openStore(loadConfig({ DATA_DIR: dir, DEMO_DATA: 'off' }), 'api');
    try {
      expect((await api.entities.suggest('qin', 'people', 5)).map((e) => e.name)).toEqual(['Qin Gang']);
      await indexer.writes.upsert([story('a4', 'Qin Gang spoke to reporters in Beijing on Friday, the ministry said.')]);
      await (api.engine as SqliteEngine).sync();
      expect((await api.entities.suggest('qin', 'people', 5)).map((e) => e.articles)).toEqual([2]);
    } finally {
      await api.close();
    }
  });
});
