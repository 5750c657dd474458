import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Express } from 'express';
import fc from 'fast-check';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/http/app.js';
import { storyListSchema, storyResponseSchema } from '../../src/http/response-schemas.js';
import type { Store } from '../../src/storage/open-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { makeArticle } from '../helpers/make-article.js';

const STRIKE = 'Dock workers at Port Valmora walked out on Monday over pay; the harbour strike halted container ships, the dockers union said.';
const STRIKE_2 = 'The harbour strike at Port Valmora entered its second day as dock workers and the dockers union rejected a pay offer; container ships waited.';
const OTHER = 'The central bank of Kestria kept its interest rate at four percent, citing inflation and the exchange rate.';

/** `GET /api/articles/:id/story` and `GET /api/stories` over a real store and its index host (an API process of one worker). */
describe('story routes', () => {
  let dir: string;
  let store: Store;
  let app: Express;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-stories-http-'));
    store = openStore(loadConfig({ DATA_DIR: dir, DEMO_DATA: 'off' }), 'api');
    await store.writes.upsert([
      makeArticle({ id: 'strike-1', title: 'Harbour strike halts Port Valmora', body: STRIKE, publishedAt: '2026-03-09T08:00:00Z', url: 'https://news.example/strike' }),
      makeArticle({ id: 'strike-1-copy', title: 'Harbour strike halts Port Valmora', body: STRIKE, publishedAt: '2026-03-09T09:30:00Z' }),
      makeArticle({ id: 'strike-2', title: 'Port Valmora harbour strike enters second day', body: STRIKE_2, publishedAt: '2026-03-10T08:00:00Z' }),
      makeArticle({ id: 'rate', title: 'Kestria holds interest rate', body: OTHER, publishedAt: '2026-03-09T10:00:00Z' }),
    ]);
    await store.engine.sync();
    app = createApp({
      engine: store.engine, similarity: store.similarity, stories: store.stories!, copies: store.copies,
      now: () => performance.now(), clock: () => Date.now(), logError: () => {},
    });
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when an article of a story is asked, then its thread comes in time order with first report, copy and follow-up', async () => {
    const res = await request(app).get('/api/articles/strike-2/story');
    expect(res.status).toBe(200);
    expect(res.headers['etag']).toBeDefined();
    const story = storyResponseSchema.parse(res.body);
    expect(story).toMatchObject({ id: 'strike-1', size: 3, offset: 0, complete: true });
    expect(story.articles.map((a) => [a.id, a.role])).toEqual([['strike-1', 'first'], ['strike-1-copy', 'copy'], ['strike-2', 'follow-up']]);
    expect(story.articles[0]).toMatchObject({ url: 'https://news.example/strike', publishedAt: '2026-03-09T08:00:00.000Z' });
    const one = storyResponseSchema.parse((await request(app).get('/api/articles/strike-1/story?limit=1')).body);
    expect(one.articles.map((a) => a.id)).toEqual(['strike-1']);
  });

  it('when a story has a copy, then it is the copy search collapses with the first report ("+ 1 copy")', async () => {
    const search = await request(app).get('/api/search?q=harbour+strike');
    expect(search.status).toBe(200);
    const hits = search.body.hits as { id: string; copyIds?: string[] }[];
    const groups = hits.map((h) => [h.id, ...(h.copyIds ?? [])].sort());
    expect(groups).toContainEqual(['strike-1', 'strike-1-copy']);
    const story = storyResponseSchema.parse((await request(app).get('/api/articles/strike-1/story')).body);
    expect(story.articles.filter((a) => a.role === 'copy').map((a) => a.id)).toEqual(['strike-1-copy']);
  });

  it('when the biggest stories of a period are asked, then the multi-article stories come with their counts', async () => {
    const res = await request(app).get('/api/stories?from=2026-03-01&to=2026-03-31');
    expect(res.status).toBe(200);
    const list = storyListSchema.parse(res.body);
    expect(list).toMatchObject({ from: '2026-03-01', to: '2026-03-31', complete: true });
    expect(list.stories).toEqual([
      { id: 'strike-1', title: 'Harbour strike halts Port Valmora', url: 'https://news.example/strike', size: 3, articlesInPeriod: 3, firstPublishedAt: '2026-03-09T08:00:00.000Z', lastPublishedAt: '2026-03-10T08:00:00.000Z' },
    ]);
    expect(storyListSchema.parse((await request(app).get('/api/stories?to=2026-03-09')).body).stories[0]).toMatchObject({ articlesInPeriod: 2 });
    expect(storyListSchema.parse((await request(app).get('/api/stories')).body)).toMatchObject({ from: '2026-03-04', to: '2026-03-10' });
  });

  it('when the article is unknown, then 404 problem+json', async () => {
    const res = await request(app).get('/api/articles/nope/story');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('not_found');
  });

  it('when a parameter is bad, then 400 problem+json names the rule', async () => {
    for (const query of [
      '/api/articles/strike-1/story?limit=0', '/api/articles/strike-1/story?limit=101', '/api/articles/strike-1/story?limit=x',
      '/api/articles/strike-1/story?other=1', '/api/stories?limit=51', '/api/stories?from=2026-02-30', '/api/stories?from=2026-03-10&to=2026-03-01',
      '/api/stories?from=2026-01-01&to=2026-06-01', '/api/stories?from=a&from=b',
    ]) {
      const res = await request(app).get(query);
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('invalid_request');
    }
  });

  it('when the story routes get arbitrary ids and parameters, then they never answer 500 and every refusal is problem+json', async () => {
    const value = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('0', '1', '20', '100', '101', '-1', '1e3', '2026-03-01', '2026-02-30', '2026-03-09T10:00:00Z', '1970-01-01', '9999-12-31'));
    const params = fc.array(fc.tuple(fc.constantFrom('limit', 'from', 'to', 'q', 'limit'), value), { maxLength: 4 });
    const encode = (pairs: [string, string][]) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constant('strike-1'), fc.string({ maxLength: 20 })), params, async (id, pairs) => {
        for (const path of [`/api/articles/${encodeURIComponent(id || 'x')}/story?${encode(pairs)}`, `/api/stories?${encode(pairs)}`]) {
          const res = await request(app).get(path);
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
            expect(typeof res.body.code).toBe('string');
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
