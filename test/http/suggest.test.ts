import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Express } from 'express';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/http/app.js';
import { searchResponseSchema, suggestResponseSchema } from '../../src/http/response-schemas.js';
import type { Store } from '../../src/storage/open-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { makeArticle } from '../helpers/make-article.js';

/** `GET /api/suggest` (and the `suggestion` of `/api/search`) over a real store and its index host (as an API process of one worker holds it). */
describe('GET /api/suggest', () => {
  let dir: string;
  let store: Store;
  let app: Express;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-suggest-http-'));
    store = openStore(loadConfig({ DATA_DIR: dir, DEMO_DATA: 'off' }), 'api');
    await store.writes.upsert([
      makeArticle({ id: 's1', title: 'Gold price rises in Zurich', body: 'Foreign Minister Sergei Lavrov said gold would rise, officials said.' }),
      makeArticle({ id: 's2', title: 'Gold price falls again', body: 'Sergei Lavrov said on Monday that the talks went well.' }),
      makeArticle({ id: 's3', title: 'Gold price steady', body: 'Traders in London were calm.' }),
    ]);
    await store.engine.sync();
    app = createApp({
      engine: store.engine, similarity: store.similarity, entities: store.entities, suggestions: store.suggestions!,
      now: () => performance.now(), clock: () => Date.now(), logError: () => {},
    });
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when a prefix is typed, then frequent phrases and entities starting with it come first, in the documented shape', async () => {
    const res = await request(app).get('/api/suggest?q=gold%20p');
    expect(res.status).toBe(200);
    const body = suggestResponseSchema.parse(res.body);
    expect(body.query).toBe('gold p');
    expect(body.suggestions[0]).toEqual({ text: 'Gold price', type: 'phrase', articles: 3 });
    expect(body.suggestions.slice(1).map((s) => s.type)).toEqual(['title', 'title', 'title']);
    const serg = suggestResponseSchema.parse((await request(app).get('/api/suggest?q=Serg&limit=1')).body);
    expect(serg.suggestions).toEqual([{ text: 'Sergei Lavrov', type: 'person', articles: 2 }]);
  });

  it('when q is missing, empty, only punctuation or too long, or limit is out of range, then 400 problem+json names the field', async () => {
    for (const query of ['', 'q=', 'q=%20%21', `q=${'a'.repeat(101)}`, 'q=gold&limit=0', 'q=gold&limit=21', 'q=gold&limit=x', 'q=a&q=b', 'q=gold&other=1']) {
      const res = await request(app).get(`/api/suggest?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
  });

  it('when a search matched a word only through a typo, then its answer says what it shows results for', async () => {
    const body = searchResponseSchema.parse((await request(app).get('/api/search?q=gold%20prcie%20')).body);
    expect(body.suggestion).toBe('gold price');
    expect(searchResponseSchema.parse((await request(app).get('/api/search?q=gold%20price')).body).suggestion).toBeUndefined();
  });

  it('when nothing completes the query, then the list is empty', async () => {
    expect((await request(app).get('/api/suggest?q=zzyzx')).body).toEqual({ query: 'zzyzx', suggestions: [] });
  });
});
