import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { IndexHost } from '../../src/index-host/index-host.js';
import { indexOverIpc, serveIndexOverIpc } from '../../src/index-host/ipc-index.js';
import type { Store } from '../../src/storage/open-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { openSqliteFile } from '../../src/storage/sqlite-file.js';
import { makeArticle } from '../helpers/make-article.js';
import { MeiliStub } from '../helpers/meili-stub.js';

/**
 * Story threads are kept by the index host over its similarity index (as in Meilisearch mode: no keyword index),
 * built in the background after a start and then following the store's change logs.
 */

const STRIKE = 'Dock workers at Port Valmora walked out on Monday over pay; the harbour strike halted container ships, the dockers union said.';
const STRIKE_2 = 'The harbour strike at Port Valmora entered its second day as dock workers and the dockers union rejected a pay offer; container ships waited.';
const OTHER = 'The central bank of Kestria kept its interest rate at four percent, citing inflation and the exchange rate.';
/** Added to STRIKE: the same copy group as STRIKE (estimated Jaccard ≥ 0.6), cosine 0.87 to it (below the related list's 0.95). */
const STRIKE_MORE = `${STRIKE} Talks with the port authority are due on Friday, a spokeswoman for the shipping lines said.`;

describe('story threads kept by the index host', () => {
  let dir: string;
  let indexer: Store;
  let hostDb: ReturnType<typeof openSqliteFile>;
  let host: IndexHost;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-stories-'));
    indexer = openStore(loadConfig({ DATA_DIR: dir, DEMO_DATA: 'off' }), 'indexer');
    await indexer.writes.upsert([
      makeArticle({ id: 'strike-1', title: 'Harbour strike halts Port Valmora', body: STRIKE, publishedAt: '2026-03-09T08:00:00Z' }),
      makeArticle({ id: 'strike-1-copy', title: 'Harbour strike halts Port Valmora', body: STRIKE, publishedAt: '2026-03-09T09:30:00Z' }),
      makeArticle({ id: 'rate', title: 'Kestria holds interest rate', body: OTHER, publishedAt: '2026-03-09T10:00:00Z' }),
      makeArticle({ id: 'strike-old', title: 'Harbour strike halts Port Valmora', body: STRIKE, publishedAt: '2026-01-02T08:00:00Z' }),
    ]);
    hostDb = openSqliteFile(path.join(dir, 'newsfind.db'), { what: 'store', schema: '' });
    host = new IndexHost(hostDb, { keyword: false, similarity: {}, background: false });
  });
  afterEach(async () => {
    host.close();
    hostDb.close();
    await indexer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const roles = async (id: string) => (await host.storyOf(id, 20))!.articles.map((a) => `${a.id}:${a.role}`);

  it('when the host starts, then the threads are built in the background and an article shows alone until then', async () => {
    expect(await host.storyOf('strike-1-copy', 20)).toMatchObject({ size: 1, complete: false, articles: [{ id: 'strike-1-copy', role: 'first' }] });
    while (!host.catchUpSlice());
    expect(await host.storyOf('strike-1-copy', 20)).toMatchObject({ id: 'strike-1', size: 2, complete: true });
    expect(await roles('strike-1-copy')).toEqual(['strike-1:first', 'strike-1-copy:copy']);
    expect(await roles('rate')).toEqual(['rate:first']);
    expect(await roles('strike-old')).toEqual(['strike-old:first']); // two months earlier: outside the window
    expect(await host.storyOf('nope', 20)).toBeUndefined();
  });

  it('when a follow-up arrives and an article is deleted, then after catching up the thread follows', async () => {
    while (!host.catchUpSlice());
    await indexer.writes.upsert([
      makeArticle({ id: 'strike-2', title: 'Port Valmora harbour strike enters second day', body: STRIKE_2, publishedAt: '2026-03-10T08:00:00Z' }),
    ]);
    while (!host.catchUpSlice());
    expect(await roles('strike-2')).toEqual(['strike-1:first', 'strike-1-copy:copy', 'strike-2:follow-up']);
    await indexer.writes.upsert([makeArticle({ id: 'strike-3', title: 'Port Valmora strike ends', body: STRIKE_2, publishedAt: '2026-03-11T08:00:00Z' })]);
    // committed, not applied yet: the article shows alone (never a 404 for an article the store returns)
    expect(await host.storyOf('strike-3', 20)).toMatchObject({ id: 'strike-3', size: 1, complete: false, articles: [{ id: 'strike-3', role: 'first' }] });
    while (!host.catchUpSlice());
    expect((await host.storyOf('strike-3', 20))!.size).toBe(4);
    await indexer.writes.delete(['strike-3']);
    await indexer.writes.delete(['strike-1']);
    while (!host.catchUpSlice());
    expect(await roles('strike-2')).toEqual(['strike-1-copy:first', 'strike-2:follow-up']);
  });

  it('when a batch is applied, then similarity has every article before the threads do, which say complete: false until then', async () => {
    const slicing = new IndexHost(hostDb, { keyword: false, similarity: {}, background: false, sliceMs: 0 });
    try {
      while (!slicing.catchUpSlice());
      const before = await slicing.generation();
      await indexer.writes.upsert(['a', 'b', 'c'].map((k, i) =>
        makeArticle({ id: `strike-2${k}`, title: 'Port Valmora harbour strike enters second day', body: STRIKE_2, publishedAt: `2026-03-10T${String(8 + i).padStart(2, '0')}:00:00Z` })));
      // a slice of 0 ms applies one article: three slices bring all three to similarity, the threads trail
      for (let i = 0; i < 3; i++) expect(slicing.catchUpSlice()).toBe(false);
      expect(await slicing.generation()).toBe(before + 3);
      expect(await slicing.storyOf('strike-2c', 20)).toMatchObject({ complete: false });
      while (!slicing.catchUpSlice());
      expect(await slicing.storyOf('strike-2c', 20)).toMatchObject({ id: 'strike-1', size: 5, complete: true });
    } finally {
      slicing.close();
    }
  });

  it('when a copy has a sentence added, then it is a copy as search collapses it (its copy group), though its cosine is 0.87', async () => {
    await indexer.writes.upsert([
      makeArticle({ id: 'strike-1-more', title: 'Harbour strike halts Port Valmora', body: STRIKE_MORE, publishedAt: '2026-03-09T11:00:00Z' }),
    ]);
    while (!host.catchUpSlice());
    expect(await roles('strike-1')).toEqual(['strike-1:first', 'strike-1-copy:copy', 'strike-1-more:copy']);
    // the copies search shows with strike-1; strike-old, a copy sent two months earlier, is in another story
    expect(indexer.copies.members([['strike-1', 'strike-1']]).get('strike-1')).toEqual({ count: 3, ids: ['strike-1-copy', 'strike-1-more', 'strike-old'] });
    expect(await roles('strike-old')).toEqual(['strike-old:first']);
  });

  it('when an article has no copy group (written before groups existed), then it is a follow-up, though it is identical to the first', async () => {
    hostDb.prepare('DELETE FROM copy_signatures WHERE id = ?').run('strike-1-copy');
    host.close();
    host = new IndexHost(hostDb, { keyword: false, similarity: {}, background: false });
    while (!host.catchUpSlice());
    expect(await roles('strike-1')).toEqual(['strike-1:first', 'strike-1-copy:follow-up']);
  });

  it('when the biggest stories of a period are asked, then stories of 2+ articles come, and the default period ends at the newest article', async () => {
    while (!host.catchUpSlice());
    const march = await host.stories({ from: Date.parse('2026-03-01'), to: Date.parse('2026-03-31'), limit: 10 });
    expect(march.stories).toEqual([
      { id: 'strike-1', title: 'Harbour strike halts Port Valmora', size: 2, articlesInPeriod: 2, firstPublishedAt: '2026-03-09T08:00:00.000Z', lastPublishedAt: '2026-03-09T09:30:00.000Z' },
    ]);
    expect(await host.stories({ limit: 10 })).toMatchObject({ from: '2026-03-03', to: '2026-03-09', stories: [{ id: 'strike-1' }] });
    expect((await host.stories({ from: Date.parse('2026-01-01'), to: Date.parse('2026-01-31'), limit: 10 })).stories).toEqual([]);
    // from alone: seven whole days from its day, whatever its time of day; never past the last day a date can name
    expect(await host.stories({ from: Date.parse('2026-03-03T10:00Z'), limit: 10 })).toMatchObject({ from: '2026-03-03', to: '2026-03-09' });
    expect(await host.stories({ from: Date.parse('9999-12-31'), limit: 10 })).toMatchObject({ from: '9999-12-31', to: '9999-12-31', stories: [] });
    await expect(host.stories({ from: Date.parse('2026-01-01'), to: Date.parse('2026-06-01'), limit: 10 })).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('when a worker asks over the IPC channel, then the story and the period list come through, and a bad period as invalid_request', async () => {
    while (!host.catchUpSlice());
    let toHost: ((message: unknown, reply: (m: unknown) => void) => void) | undefined;
    const toWorker: ((message: unknown) => void)[] = [];
    const json = (m: unknown) => JSON.parse(JSON.stringify(m)) as unknown;
    serveIndexOverIpc(host, (listener) => { toHost = listener; });
    const remote = indexOverIpc({
      send: (message) => setImmediate(() => toHost?.(json(message), (reply) => toWorker.forEach((l) => setImmediate(() => l(json(reply)))))),
      onMessage: (listener) => toWorker.push(listener),
    });
    expect((await remote.storyOf('strike-1-copy', 5))!.articles.map((a) => a.role)).toEqual(['first', 'copy']);
    expect(await remote.storyOf('nope', 5)).toBeUndefined();
    expect((await remote.stories({ limit: 5 })).stories.map((s) => s.id)).toEqual(['strike-1']);
    await expect(remote.stories({ from: 0, to: Date.parse('2026-06-01'), limit: 5 })).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('story roles in Meilisearch mode (the local stub; writes through the outbox)', () => {
  const MASTER = 'master-key-for-story-tests-0123456789';
  let stub: MeiliStub;
  let dir: string;
  let indexer: Store;

  beforeEach(async () => {
    stub = new MeiliStub(MASTER);
    await stub.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-stories-meili-'));
    indexer = openStore(loadConfig({ DATA_DIR: dir, SEARCH_ENGINE: 'meilisearch', MEILI_URL: stub.url, MEILI_MASTER_KEY: MASTER }), 'indexer');
  });
  afterEach(async () => {
    await indexer.close();
    await stub.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when copies are written, then the host (no keyword index) reads their copy groups from the store file and marks them copies', async () => {
    await indexer.writes.upsert([
      makeArticle({ id: 'strike-1', title: 'Harbour strike halts Port Valmora', body: STRIKE, publishedAt: '2026-03-09T08:00:00Z' }),
      makeArticle({ id: 'strike-1-more', title: 'Harbour strike halts Port Valmora', body: STRIKE_MORE, publishedAt: '2026-03-09T11:00:00Z' }),
      makeArticle({ id: 'strike-2', title: 'Port Valmora harbour strike enters second day', body: STRIKE_2, publishedAt: '2026-03-10T08:00:00Z' }),
      makeArticle({ id: 'rate', title: 'Kestria holds interest rate', body: OTHER, publishedAt: '2026-03-09T10:00:00Z' }),
    ]);
    const hostDb = openSqliteFile(path.join(dir, 'newsfind.db'), { what: 'store', schema: '' });
    const host = new IndexHost(hostDb, { keyword: false, similarity: {}, background: false });
    try {
      while (!host.catchUpSlice());
      expect((await host.storyOf('strike-2', 20))!.articles.map((a) => `${a.id}:${a.role}`)).toEqual([
        'strike-1:first',
        'strike-1-more:copy',
        'strike-2:follow-up',
      ]);
    } finally {
      host.close();
      hostDb.close();
    }
  });
});
