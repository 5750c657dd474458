import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Express } from 'express';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/http/app.js';
import { searchResponseSchema } from '../../src/http/response-schemas.js';
import type { Store } from '../../src/storage/open-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { makeArticle } from '../helpers/make-article.js';

/** `collapse` on `GET /api/search`, over a real store whose write path names the copy groups. */
describe('GET /api/search collapses copies', () => {
  let dir: string;
  let store: Store;
  let app: Express;
  const WIRE =
    'Gold rose to a three-month high in Zurich on Tuesday as the dollar weakened and traders bought bullion ahead of the ' +
    'central bank meeting, dealers said, adding that warrant bonds linked to the metal were also in demand.';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-collapse-http-'));
    store = openStore(loadConfig({ DATA_DIR: dir, DEMO_DATA: 'off' }), 'api');
    await store.writes.upsert([
      makeArticle({ id: 'wire', title: 'Gold price at three-month high', body: WIRE, category: 'markets' }),
      makeArticle({ id: 'copy-1', title: 'Gold price at three-month high', body: WIRE, category: 'markets' }),
      makeArticle({ id: 'copy-2', title: 'Gold price hits three-month high', body: `${WIRE} Silver followed.`, category: 'markets' }),
      makeArticle({ id: 'own', title: 'Gold price and the mines', body: 'Mining companies said the gold price helps them hire.', category: 'mining' }),
    ]);
    await store.engine.sync();
    app = createApp({
      engine: store.engine, similarity: store.similarity, entities: store.entities, copies: store.copies,
      now: () => performance.now(), clock: () => Date.now(), logError: () => {},
    });
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when copies match, then they come back as one hit naming the others, and totals and facets count groups', async () => {
    const res = await request(app).get('/api/search?q=gold%20price&facets=category');
    expect(res.status).toBe(200);
    const body = searchResponseSchema.parse(res.body);
    expect(body.collapsed).toBe(true);
    expect(body.totalHits).toBe(2);
    expect(body.facets).toEqual({ category: { markets: 1, mining: 1 } });
    const wire = body.hits.find((h) => h.copyGroup === 'wire')!;
    expect(wire.copies).toBe(2);
    expect([wire.id, ...wire.copyIds!].sort()).toEqual(['copy-1', 'copy-2', 'wire']);
    expect(body.hits.find((h) => h.id === 'own')).not.toHaveProperty('copies');
  });

  it('when collapse=false, then every copy is a hit and none names copies', async () => {
    const body = searchResponseSchema.parse((await request(app).get('/api/search?q=gold%20price&collapse=false&facets=category')).body);
    expect(body.collapsed).toBe(false);
    expect(body.totalHits).toBe(4);
    expect(body.facets).toEqual({ category: { markets: 3, mining: 1 } });
    expect(body.hits.some((h) => h.copies !== undefined)).toBe(false);
  });

  it('when a listing without words collapses, then it lists one article per group', async () => {
    const body = searchResponseSchema.parse((await request(app).get('/api/search?category=markets')).body);
    expect(body.totalHits).toBe(1);
    expect(body.hits[0]!.copies).toBe(2);
  });

  it('when matches are exported, then every copy is a line unless collapse=true is asked', async () => {
    const lines = async (query: string) => (await request(app).get(`/api/search?${query}`).buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => done(null, text));
    })).body as string;
    const count = (text: string) => text.split('\n').filter((l) => l.trim() !== '').length;
    expect(count(await lines('q=gold%20price&format=jsonl'))).toBe(4);
    expect(count(await lines('q=gold%20price&format=jsonl&collapse=true'))).toBe(2);
  });

  it('when collapse is not true or false, then 400 problem+json names it', async () => {
    const res = await request(app).get('/api/search?q=gold&collapse=maybe');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(JSON.stringify(res.body.errors)).toContain('collapse');
  });
});
