import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { MeilisearchEngine } from '../../src/engines/meilisearch/meilisearch-engine.js';
import { createApp } from '../../src/http/app.js';
import { Similarity } from '../../src/similarity/similarity.js';
import { makeArticle } from '../helpers/make-article.js';
import { MeiliStub } from '../helpers/meili-stub.js';

/**
 * The API on the Meilisearch adapter when Meilisearch is down, slow or refusing: 503 problem+json with Retry-After
 * (502 for a refused key), /health and /ready report it, and answers come back by themselves once Meilisearch does.
 */

const MASTER = 'master-key-for-http-tests-0123456789';
const PROBLEM_JSON = /^application\/problem\+json/;

let stub: MeiliStub;
let engine: MeilisearchEngine;
let similarity: Similarity;

const appOn = (e: MeilisearchEngine) =>
  createApp({ engine: e, similarity, now: () => performance.now(), clock: () => Date.now(), logError: () => {} });

beforeEach(async () => {
  stub = new MeiliStub(MASTER);
  await stub.start();
  similarity = Similarity.open(':memory:', { serve: true });
  engine = new MeilisearchEngine({
    url: stub.url,
    index: 'articles',
    keys: { masterKey: MASTER },
    role: 'api',
    taskIntervalMs: 1,
    requestTimeoutMs: 300,
  });
  await engine.upsert([makeArticle({ id: 'harbour', title: 'Harbour reopens', body: 'The harbour reopened.' })]);
});

afterEach(async () => {
  await engine.close();
  similarity.close();
  await stub.stop();
});

describe('API on Meilisearch: failures', () => {
  it('when Meilisearch is unreachable, then search, article and /health answer 503 problem+json with Retry-After, and recover by themselves', async () => {
    const app = appOn(engine);
    expect((await request(app).get('/api/articles/harbour')).status).toBe(200);
    await stub.stop();
    for (const path of ['/api/search?q=harbour', '/api/articles/harbour', '/health', '/ready']) {
      const res = await request(app).get(path);
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toMatchObject({ status: 503, code: 'engine_unavailable' });
    }
    await stub.start();
    const back = await request(app).get('/api/search?q=harbour');
    expect(back.status).toBe(200);
    expect((await request(app).get('/health')).body).toEqual({ status: 'ok', engine: 'meilisearch', articles: 1 });
  });

  it('when Meilisearch answers 503 with Retry-After, then the API passes its delay on', async () => {
    stub.unavailable = { retryAfter: 7 };
    const res = await request(appOn(engine)).get('/api/search?q=harbour');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.body.detail).toMatch(/503/); // the stub answers as a proxy in front of Meilisearch: an empty 503
  });

  it('when Meilisearch is slower than MEILI_REQUEST_TIMEOUT_MS, then the API answers 503 instead of waiting', async () => {
    stub.delayMs = 1_000;
    const started = Date.now();
    const res = await request(appOn(engine)).get('/api/search?q=harbour');
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('engine_unavailable');
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('when Meilisearch refuses the key, then the API answers 502 engine_error without the key', async () => {
    const wrong = 'a-search-key-that-is-not-valid-0000';
    const refused = new MeilisearchEngine({ url: stub.url, index: 'articles', keys: { searchKey: wrong }, role: 'api' });
    const res = await request(appOn(refused)).get('/api/search?q=harbour');
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('engine_error');
    expect(JSON.stringify(res.body)).not.toContain(wrong);
  });

  it('when /health answers, then it names the engine and count but never a key', async () => {
    const res = await request(appOn(engine)).get('/health');
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(MASTER);
    for (const key of stub.listKeys()) expect(text).not.toContain(key.key);
  });
});

describe('API on Meilisearch: end to end', () => {
  const ADMIN = 'admin-api-key-for-writes-0123456789';
  const STORIES = [
    { id: 'glacier-a', title: 'Glacier survey funding approved', body: 'Parliament approved money for the glacier survey in the north.' },
    { id: 'glacier-b', title: 'Glacier survey begins', body: 'Scientists start the glacier survey in the north this spring.' },
    { id: 'ferry', title: 'Ferry timetable', body: 'Boats leave the harbour every hour from May.' },
  ];

  it('when articles are posted, then they are in Meilisearch and the similarity store, and get and similar answer', async () => {
    const app = createApp({
      engine, similarity, now: () => performance.now(), clock: () => Date.now(), logError: () => {}, http: { adminApiKey: ADMIN },
    });
    const posted = await request(app).post('/api/articles').set('X-Api-Key', ADMIN).send(STORIES);
    expect(posted.status).toBe(200);
    expect(posted.body).toMatchObject({ read: 3, indexed: 3, unchanged: 0, rejected: 0 });
    expect(stub.documents('articles').map((d) => d.id).sort()).toEqual(['ferry', 'glacier-a', 'glacier-b', 'harbour']);
    const again = await request(app).post('/api/articles').set('X-Api-Key', ADMIN).send(STORIES);
    expect(again.body).toMatchObject({ indexed: 0, unchanged: 3 });
    expect((await request(app).get('/api/articles/glacier-b')).body).toMatchObject({ id: 'glacier-b', title: 'Glacier survey begins' });
    const similar = await request(app).get('/api/articles/glacier-a/similar');
    expect(similar.status).toBe(200);
    expect(similar.body.hits[0].id).toBe('glacier-b');
    const deleted = await request(app).delete('/api/articles/ferry').set('X-Api-Key', ADMIN);
    expect(deleted.status).toBe(204);
    expect(stub.documents('articles').map((d) => d.id)).not.toContain('ferry');
  });
});
