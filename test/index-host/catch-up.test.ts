import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import type { Article } from '../../src/core/article.js';
import { loadConfig } from '../../src/config.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { createApp } from '../../src/http/app.js';
import { IndexHost } from '../../src/index-host/index-host.js';
import { Similarity } from '../../src/similarity/similarity.js';
import type { Store } from '../../src/storage/open-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { openSqliteFile } from '../../src/storage/sqlite-file.js';
import { makeArticle } from '../helpers/make-article.js';

/**
 * Propagation off the request path: another connection (an indexer) commits a bulk load while the API serves.
 * The index host applies it in the background, article by article on both indexes; requests never apply changes,
 * never 404 on /similar for an article the store returns, and always rank with the in-memory index.
 */

const WORDS = ['harbour', 'ferry', 'storm', 'council', 'budget', 'grain', 'wheat', 'cocoa', 'tariff', 'shipping', 'bank', 'loan', 'mine', 'copper', 'strike', 'union', 'river', 'flood', 'school', 'rail'];

/** Filler article `i`: a few of the words above, so that similarity finds neighbours. */
function filler(prefix: string, i: number): Article {
  const pick = (k: number) => WORDS[(i * 7 + k * 3) % WORDS.length]!;
  const words = Array.from({ length: 30 }, (_, k) => pick(k % 6));
  return makeArticle({ id: `${prefix}-${i}`, title: `${pick(0)} ${pick(1)} report ${i}`, body: `${words.join(' ')}. Officials said more on day ${i}.` });
}

/** Articles for `q=volcker rates` whose order the bucket rules decide (words, typo, proximity, attribute). */
const volcker = [
  makeArticle({ id: 'v-title', title: 'Volcker rates warning', body: 'The chairman spoke to the committee on Tuesday.' }),
  makeArticle({ id: 'v-apart', title: 'Volcker speaks', body: 'He said that interest rates would stay where they were.' }),
  makeArticle({ id: 'v-typo', title: "Voclker's rates view", body: 'A short note on the chairman.' }),
  makeArticle({ id: 'v-one', title: 'Committee notes', body: 'Volcker was not present at the meeting.' }),
];
const old = makeArticle({ id: 'v-old', title: 'Markets', body: 'Traders watched volcker rates closely all week.' });

const QUERY = '/api/search?q=volcker%20rates&perPage=50';

function tempConfig() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-catch-up-'));
  return { dir, config: loadConfig({ DATA_DIR: dir, DEMO_DATA: 'off' }) };
}

const appOn = (store: Pick<Store, 'engine' | 'similarity' | 'local'>): Express =>
  createApp({ engine: store.engine, similarity: store.similarity, local: store.local, now: () => performance.now(), clock: () => Date.now(), logError: () => {} });

const idsOf = (body: { hits: { id: string }[] }) => body.hits.map((h) => h.id);

/** True when the ids common to `a` and `b` come in the same order in both. */
function sameRelativeOrder(a: readonly string[], b: readonly string[]): boolean {
  const inB = a.filter((id) => b.includes(id));
  const inA = b.filter((id) => a.includes(id));
  return inB.join() === inA.join();
}

describe('index host catch-up (one process, the API and an indexer on the same store file)', () => {
  let dir: string;
  let api: Store;
  let indexer: Store;

  beforeEach(() => {
    const made = tempConfig();
    dir = made.dir;
    indexer = openStore(made.config, 'indexer');
    api = openStore(made.config, 'api');
  });
  afterEach(async () => {
    await api.close();
    await indexer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when another connection commits 1,500 articles at once, then /similar never answers 404 for an article /api/articles returns, at any moment of the catch-up', async () => {
    const app = appOn(api);
    const bulk = Array.from({ length: 1_500 }, (_, i) => filler('bulk', i));
    await indexer.writes.upsert(bulk);
    const probes = bulk.filter((_, i) => i % 97 === 0 || i === bulk.length - 1).map((a) => a.id);
    let caughtUp = false;
    let rounds = 0;
    while (!caughtUp && rounds < 500) {
      rounds++;
      for (const id of probes) {
        const article = await request(app).get(`/api/articles/${id}`);
        expect(article.status).toBe(200); // the store has every article committed
        const similar = await request(app).get(`/api/articles/${id}/similar`);
        expect([id, similar.status]).toEqual([id, 200]);
      }
      const found = await request(app).get('/api/search?q=report&perPage=1&collapse=false');
      caughtUp = found.body.totalHits === bulk.length;
    }
    expect(caughtUp).toBe(true);
  });
});

describe('index host stepped by hand (no background catch-up): what requests see while it is behind', () => {
  let dir: string;
  let indexer: Store;
  let hostDb: ReturnType<typeof openSqliteFile>;
  let servingDb: ReturnType<typeof openSqliteFile>;
  let host: IndexHost;
  let app: Express;
  let engine: SqliteEngine;
  let similarity: Similarity;

  beforeEach(async () => {
    const made = tempConfig();
    dir = made.dir;
    indexer = openStore(made.config, 'indexer');
    await indexer.writes.upsert([old, ...Array.from({ length: 50 }, (_, i) => filler('seed', i))]);
    const file = path.join(dir, 'newsfind.db');
    hostDb = openSqliteFile(file, { what: 'store', schema: '' });
    host = new IndexHost(hostDb, { keyword: true, similarity: {}, background: false });
    servingDb = openSqliteFile(file, { what: 'store', schema: '' });
    engine = SqliteEngine.onDatabase(servingDb, { file, index: host });
    similarity = Similarity.onDatabase(servingDb, { serve: true, index: host });
    app = createApp({ engine, similarity, now: () => performance.now(), clock: () => Date.now(), logError: () => {} });
  });
  afterEach(async () => {
    host.close();
    await engine.close();
    servingDb.close();
    hostDb.close();
    await indexer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when a bulk commit is pending, then requests answer the old state however many are made (a request never applies changes)', async () => {
    const before = (await request(app).get(QUERY)).body;
    expect(idsOf(before)).toEqual(['v-old']);
    const bulk = [...Array.from({ length: 600 }, (_, i) => filler('bulk', i)), ...volcker];
    await indexer.writes.upsert(bulk);
    for (let i = 0; i < 20; i++) {
      const now = (await request(app).get(QUERY)).body;
      expect([idsOf(now), now.totalHits]).toEqual([['v-old'], 1]);
    }
    expect((await request(app).get('/api/search?q=report&perPage=1&collapse=false')).body.totalHits).toBe(50);
    while (!host.catchUpSlice());
    expect(idsOf((await request(app).get(QUERY)).body)).toEqual(['v-title', 'v-old', 'v-apart', 'v-typo', 'v-one']);
  });

  it('when the host applies a bulk commit step by step, then every answer ranks as after the catch-up, and every stored article has neighbours', async () => {
    const bulk = [volcker[3]!, ...Array.from({ length: 400 }, (_, i) => filler('bulk', i)), volcker[2]!, volcker[0]!, ...Array.from({ length: 400 }, (_, i) => filler('more', i)), volcker[1]!];
    await indexer.writes.upsert(bulk);
    const answers: string[][] = [];
    let steps = 0;
    for (;;) {
      const done = host.catchUpSlice();
      steps++;
      answers.push(idsOf((await request(app).get(QUERY)).body));
      for (const a of [volcker[0]!, volcker[1]!, bulk[200]!, bulk[700]!]) {
        if ((await request(app).get(`/api/articles/${a.id}`)).status === 200) {
          expect([a.id, (await request(app).get(`/api/articles/${a.id}/similar`)).status]).toEqual([a.id, 200]);
        }
      }
      if (done) break;
    }
    expect(steps).toBeGreaterThan(1); // several intermediate states were seen
    const final = idsOf((await request(app).get(QUERY)).body);
    expect(final).toEqual(['v-title', 'v-old', 'v-apart', 'v-typo', 'v-one']);
    for (const answer of answers) expect([answer, sameRelativeOrder(answer, final)]).toEqual([answer, true]);
  });
});
