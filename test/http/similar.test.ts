import type { Express } from 'express';
import request from 'supertest';
import type { Article } from '../../src/core/article.js';
import type { FieldIssue } from '../../src/core/errors.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { createApp } from '../../src/http/app.js';
import { SIMILAR_BODY_BYTES } from '../../src/http/similar-routes.js';
import { ingestArticles } from '../../src/services/ingest-articles.js';
import { DEFAULT_MIN_COSINE } from '../../src/core/similarity/find-similar.js';
import { Similarity } from '../../src/similarity/similarity.js';
import { makeArticle } from '../helpers/make-article.js';
import { fillerArticles, fillersFor } from '../helpers/similar-articles.js';

const STORIES: Article[] = [
  makeArticle({
    id: 'ember-eruption',
    title: 'Volcano on Ember Isle erupts again',
    body: 'Lava from the Ember Isle volcano reached the northern shore overnight. Geologists from Kestrel University measured the ash cloud.',
    url: 'https://news.example/ember-eruption',
    publishedAt: '2026-03-10T08:00:00Z',
    source: 'Kestrel Times',
    category: 'science',
  }),
  makeArticle({
    id: 'ember-eruption-wire',
    title: 'Volcano on Ember Isle erupts again',
    body: 'Overnight, lava from the Ember Isle volcano reached the northern shore overnight. Geologists from Kestrel University measured the ash cloud.',
    publishedAt: '2026-03-10T09:00:00Z',
    source: 'Bay Herald',
    category: 'science',
  }),
  makeArticle({
    id: 'ember-ash-schools',
    title: 'Ash from the Ember Isle volcano closes schools',
    body: 'Schools on Ember Isle stayed shut as volcano ash fell on the villages; geologists expect more lava.',
    publishedAt: '2026-01-20T08:00:00Z',
    source: 'Bay Herald',
    category: 'education',
  }),
  makeArticle({
    id: 'lava-field',
    title: 'Geologists map a new lava field',
    body: 'Kestrel University geologists mapped the lava field on the northern coast.',
    publishedAt: '2026-03-14T08:00:00Z',
    source: 'Kestrel Times',
    category: 'science',
  }),
  makeArticle({
    id: 'regatta',
    title: 'Rowers win the spring regatta',
    body: 'The rowing club won four races along the northern shore on a windy Saturday.',
    publishedAt: '2026-03-01T10:00:00Z',
    source: 'Bay Herald',
    category: 'sport',
  }),
  makeArticle({
    id: 'harbour-budget',
    title: 'Parliament passes the harbour budget',
    body: 'Members voted to repair the harbour wall and to buy two ferries.',
    publishedAt: '2026-03-12T15:30:00Z',
    source: 'Bay Herald',
    category: 'politics',
  }),
];
const CORPUS = [...STORIES, ...fillerArticles(fillersFor(4, STORIES.length))];
const NOW = Date.parse('2026-03-15T00:00:00Z');
const PROBLEM_JSON = /^application\/problem\+json/;

interface ProblemBody {
  code: string;
  status: number;
  detail: string;
  errors?: FieldIssue[];
}
interface HitBody {
  id: string;
  title: string;
  score: number;
  cosine: number;
  duplicate: boolean;
  category?: string;
  source?: string;
  terms?: { term: string; weight: number }[];
}

/** A fresh engine and similarity index holding `articles`, behind an app whose wall clock is `clock`. */
async function appWith(articles: readonly Article[], clock = () => NOW) {
  const engine = SqliteEngine.open({ file: ':memory:' });
  const similarity = Similarity.open(':memory:', { serve: true });
  const summary = await ingestArticles({ engine, similarity }, articles.map((value, i) => ({ location: `fixture:${i}`, value })));
  expect(summary.rejected).toBe(0);
  const app = createApp({ engine, similarity, now: () => performance.now(), clock, logError: () => {} });
  const close = async () => {
    similarity.close();
    await engine.close();
  };
  return { app, similarity, close };
}

const hitIds = (body: { hits: HitBody[] }) => body.hits.map((h) => h.id);
const problem = (res: request.Response) => JSON.parse(res.text) as ProblemBody;

describe('GET /api/articles/:id/similar', () => {
  let app: Express;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ app, close } = await appWith(CORPUS));
  });

  afterAll(async () => {
    await close();
  });

  it('when the article exists, then it is 200 with the source id and title and hits in the documented shape', async () => {
    const res = await request(app).get('/api/articles/ember-eruption/similar');
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    expect(res.body).toEqual({ id: 'ember-eruption', title: 'Volcano on Ember Isle erupts again', hits: expect.any(Array) });
    expect(res.body.hits.length).toBeGreaterThan(0);
    for (const hit of res.body.hits as HitBody[]) {
      expect(hit).toEqual(
        expect.objectContaining({
          id: expect.any(String),
          title: expect.any(String),
          score: expect.any(Number),
          cosine: expect.any(Number),
          duplicate: false,
        }),
      );
      expect(hit).not.toHaveProperty('terms');
      expect(hit).not.toHaveProperty('key');
      expect(hit).not.toHaveProperty('body');
      expect(hit.cosine).toBeGreaterThan(0);
      expect(hit.cosine).toBeLessThanOrEqual(1);
    }
    expect((res.body.hits as HitBody[]).find((h) => h.id === 'lava-field')).toEqual({
      id: 'lava-field',
      title: 'Geologists map a new lava field',
      publishedAt: '2026-03-14T08:00:00.000Z',
      source: 'Kestrel Times',
      category: 'science',
      score: expect.any(Number),
      cosine: expect.any(Number),
      duplicate: false,
    });
  });

  it('when any article is the source, then it is never among its own hits', async () => {
    for (const { id } of STORIES) {
      const res = await request(app).get(`/api/articles/${id}/similar`).query({ includeDuplicates: 'true', limit: '100' });
      expect(res.status).toBe(200);
      expect(hitIds(res.body)).not.toContain(id);
    }
  });

  it('when an article shares the story, then it ranks above one that only shares a word or two', async () => {
    const res = await request(app).get('/api/articles/ember-eruption/similar');
    const ids = hitIds(res.body);
    expect(ids).toContain('regatta');
    expect(ids.indexOf('ember-ash-schools')).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf('ember-ash-schools')).toBeLessThan(ids.indexOf('regatta'));
    expect(ids.indexOf('lava-field')).toBeLessThan(ids.indexOf('regatta'));
    expect(ids).not.toContain('harbour-budget');
  });

  it('when the id is unknown, then it is a 404 not_found problem naming it', async () => {
    const res = await request(app).get('/api/articles/no-such-story/similar');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(problem(res)).toMatchObject({ code: 'not_found', status: 404, detail: expect.stringContaining('no-such-story') });
  });

  describe('validation', () => {
    it.each([
      ['limit 0', 'limit=0', 'limit'],
      ['limit 101', 'limit=101', 'limit'],
      ['a non-numeric limit', 'limit=abc', 'limit'],
      ['a negative limit', 'limit=-3', 'limit'],
      ['limit given twice', 'limit=1&limit=2', 'limit'],
      ['sameCategory=maybe', 'sameCategory=maybe', 'sameCategory'],
      ['includeDuplicates=yes', 'includeDuplicates=yes', 'includeDuplicates'],
      ['explain=2', 'explain=2', 'explain'],
      ['a negative freshness', 'freshness=-1', 'freshness'],
      ['a zero freshness', 'freshness=0', 'freshness'],
      ['a non-numeric freshness', 'freshness=abc', 'freshness'],
      ['an invalid from date', 'from=2026-13-45', 'from'],
      ['an impossible from day', 'from=2026-02-30', 'from'],
      ['a to date that is not ISO', 'to=14%2F03%2F2026', 'to'],
      ['an unknown parameter', 'colour=red', '(root)'],
      ['minCosine above 1', 'minCosine=1.5', 'minCosine'],
      ['a negative minCosine', 'minCosine=-0.1', 'minCosine'],
      ['a non-numeric minCosine', 'minCosine=high', 'minCosine'],
    ])('when the request has %s, then it is 400 invalid_request naming the field', async (_case, query, path) => {
      const res = await request(app).get(`/api/articles/ember-eruption/similar?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      const body = problem(res);
      expect(body).toMatchObject({ code: 'invalid_request', status: 400 });
      expect(body.errors?.map((e) => e.path)).toEqual([path]);
      if (path === '(root)') expect(body.errors?.[0]?.message).toContain('colour');
    });

    it('when several parameters are wrong, then every one is listed', async () => {
      const res = await request(app).get('/api/articles/ember-eruption/similar?limit=0&sameCategory=maybe&freshness=abc');
      expect(res.status).toBe(400);
      expect(problem(res).errors?.map((e) => e.path).sort()).toEqual(['freshness', 'limit', 'sameCategory']);
    });

    it('when limit is 1 or 100, then it is accepted', async () => {
      expect((await request(app).get('/api/articles/ember-eruption/similar?limit=1')).body.hits).toHaveLength(1);
      expect((await request(app).get('/api/articles/ember-eruption/similar?limit=100')).status).toBe(200);
    });
  });

  it('when sameCategory is true, then only articles of the source category come', async () => {
    const all = await request(app).get('/api/articles/ember-eruption/similar');
    expect(hitIds(all.body)).toContain('ember-ash-schools');
    const res = await request(app).get('/api/articles/ember-eruption/similar?sameCategory=true');
    expect(res.status).toBe(200);
    expect(hitIds(res.body)).toEqual(['lava-field']);
    for (const hit of res.body.hits as HitBody[]) expect(hit.category).toBe('science');
  });

  it('when a source or a date range is given, then only matching articles come', async () => {
    const bySource = await request(app).get('/api/articles/ember-eruption/similar?source=Kestrel%20Times');
    expect(hitIds(bySource.body)).toEqual(['lava-field']);
    const byDate = await request(app).get('/api/articles/ember-eruption/similar?from=2026-03-01&to=2026-03-14');
    expect(hitIds(byDate.body).sort()).toEqual(['lava-field', 'regatta']);
    const dayOnly = await request(app).get('/api/articles/lava-field/similar?from=2026-03-10&to=2026-03-10&includeDuplicates=true');
    expect(hitIds(dayOnly.body).sort()).toEqual(['ember-eruption', 'ember-eruption-wire']); // 08:00 and 09:00 that day
  });

  it('when no minCosine is given, then hits below the documented default floor are left out', async () => {
    const all = (await request(app).get('/api/articles/regatta/similar?minCosine=0&limit=100')).body.hits as HitBody[];
    const floored = (await request(app).get('/api/articles/regatta/similar?limit=100')).body.hits as HitBody[];
    expect(floored).toEqual(all.filter((h) => h.cosine >= DEFAULT_MIN_COSINE));
    expect(floored.length).toBeLessThan(all.length);
  });

  it('when minCosine is given, then exactly the hits at or above it are listed, in the same order', async () => {
    const all = (await request(app).get('/api/articles/ember-eruption/similar?minCosine=0&limit=100')).body.hits as HitBody[];
    const floor = all[1]!.cosine;
    const res = await request(app).get(`/api/articles/ember-eruption/similar?minCosine=${floor}&limit=100`);
    expect(res.status).toBe(200);
    expect(res.body.hits).toEqual(all.filter((h) => h.cosine >= floor));
    expect((await request(app).get('/api/articles/ember-eruption/similar?minCosine=1')).body.hits).toEqual([]);
  });

  it('when duplicates are not asked for, then a near-copy is hidden; asked for, it comes flagged duplicate', async () => {
    const hidden = await request(app).get('/api/articles/ember-eruption/similar');
    expect(hitIds(hidden.body)).not.toContain('ember-eruption-wire');
    const shown = await request(app).get('/api/articles/ember-eruption/similar?includeDuplicates=true');
    const copy = (shown.body.hits as HitBody[]).find((h) => h.id === 'ember-eruption-wire');
    expect(copy).toMatchObject({ duplicate: true });
    expect(copy!.cosine).toBeGreaterThanOrEqual(0.95);
    expect(shown.body.hits[0].id).toBe('ember-eruption-wire');
    for (const hit of (shown.body.hits as HitBody[]).slice(1)) expect(hit.duplicate).toBe(false);
  });

  it('when explain is true, then every hit lists shared words with their weights', async () => {
    const res = await request(app).get('/api/articles/ember-eruption/similar?explain=true');
    const hits = res.body.hits as HitBody[];
    for (const hit of hits) {
      expect(hit.terms?.length).toBeGreaterThan(0);
      for (const t of hit.terms!) expect(t).toEqual({ term: expect.stringMatching(/^[a-z0-9]+$/), weight: expect.any(Number) });
    }
    expect(hits.find((h) => h.id === 'lava-field')?.terms?.map((t) => t.term)).toEqual(
      expect.arrayContaining(['lava', 'geologists', 'northern']),
    );
  });

  it('when answered, then it has an ETag and Cache-Control, and If-None-Match with that ETag gives 304 with no body', async () => {
    const first = await request(app).get('/api/articles/ember-eruption/similar?limit=3');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers['cache-control']).toMatch(/^public, max-age=\d+/);
    const again = await request(app).get('/api/articles/ember-eruption/similar?limit=3').set('If-None-Match', etag);
    expect(again.status).toBe(304);
    expect(again.text ?? '').toBe('');
    const inList = await request(app).get('/api/articles/ember-eruption/similar?limit=3').set('If-None-Match', `W/"stale", ${etag}`);
    expect(inList.status).toBe(304);
    const other = await request(app).get('/api/articles/ember-eruption/similar?limit=3').set('If-None-Match', 'W/"stale"');
    expect(other.status).toBe(200);
    expect(other.headers.etag).toBe(etag);
    const differentQuery = await request(app).get('/api/articles/ember-eruption/similar?limit=2');
    expect(differentQuery.headers.etag).not.toBe(etag);
  });
});

describe('GET /api/articles/:id/similar on a changing index', () => {
  it('when the index changes the answer, then the old ETag no longer matches', async () => {
    const { app, similarity, close } = await appWith(CORPUS);
    try {
      const first = await request(app).get('/api/articles/ember-eruption/similar');
      similarity.delete(['lava-field']);
      const res = await request(app).get('/api/articles/ember-eruption/similar').set('If-None-Match', first.headers.etag as string);
      expect(res.status).toBe(200);
      expect(hitIds(res.body)).not.toContain('lava-field');
    } finally {
      await close();
    }
  });

  it('when freshness is asked with a fixed clock, then a newer article overtakes an older, more similar one', async () => {
    const { app, close } = await appWith(CORPUS, () => NOW);
    try {
      const plain = hitIds((await request(app).get('/api/articles/ember-eruption/similar')).body);
      expect(plain.indexOf('ember-ash-schools')).toBeLessThan(plain.indexOf('lava-field'));
      const fresh = await request(app).get('/api/articles/ember-eruption/similar?freshness=7');
      expect(fresh.status).toBe(200);
      const ids = hitIds(fresh.body);
      expect(ids.indexOf('lava-field')).toBeLessThan(ids.indexOf('ember-ash-schools'));
      for (const hit of fresh.body.hits as HitBody[]) {
        const published = Date.parse(STORIES.find((s) => s.id === hit.id)!.publishedAt!);
        expect(hit.score).toBeCloseTo(hit.cosine * 0.5 ** ((NOW - published) / 86_400_000 / 7), 9);
      }
    } finally {
      await close();
    }
  });
});

// Product bug: with fewer than 2 / MAX_DOC_FREQ articles (14 at 0.15) no word shared by two articles gathers
// candidates (find-similar.ts, candidates()), so a small site gets no related articles at all.
describe('GET /api/articles/:id/similar on a small site', () => {
  it('when the site has only six articles, then the article on the same story is still found', async () => {
    const { app, close } = await appWith(STORIES);
    try {
      const res = await request(app).get('/api/articles/ember-eruption/similar');
      expect(res.status).toBe(200);
      expect(hitIds(res.body)).toContain('ember-ash-schools');
    } finally {
      await close();
    }
  });
});

describe('POST /api/similar', () => {
  let app: Express;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ app, close } = await appWith(CORPUS));
  });

  afterAll(async () => {
    await close();
  });

  it('when a text and title are sent, then it is 200 with related hits and Cache-Control no-store', async () => {
    const res = await request(app)
      .post('/api/similar')
      .send({ title: 'Ember Isle volcano', text: 'Geologists say lava and ash will keep falling on Ember Isle.' });
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(Object.keys(res.body)).toEqual(['hits']);
    const ids = hitIds(res.body);
    // the story and its wire copy are one story: only the better-ranked copy is listed (diversity)
    expect(ids.slice(0, 2).sort()).toEqual(['ember-ash-schools', 'ember-eruption']);
    expect(ids).not.toContain('ember-eruption-wire');
    expect(ids).not.toContain('harbour-budget');
    const both = await request(app).post('/api/similar').send({ title: 'Ember Isle volcano', text: 'Geologists say lava and ash will keep falling on Ember Isle.', includeDuplicates: true });
    expect(hitIds(both.body).slice(0, 3).sort()).toEqual(['ember-ash-schools', 'ember-eruption', 'ember-eruption-wire']);
    for (const hit of res.body.hits as HitBody[]) expect(hit).not.toHaveProperty('terms');
  });

  it('when options are sent as JSON numbers and booleans, then they apply', async () => {
    const res = await request(app)
      .post('/api/similar')
      .send({ text: 'Lava field mapped by geologists of Kestrel University', limit: 1, explain: true, source: ['Kestrel Times'] });
    expect(res.status).toBe(200);
    expect(hitIds(res.body)).toHaveLength(1);
    expect(res.body.hits[0].source).toBe('Kestrel Times');
    expect(res.body.hits[0].terms.length).toBeGreaterThan(0);
  });

  it('when the longest text is sent as escapes, then it is read; a body past 2 MiB is 413 whatever MAX_BODY_BYTES allows', async () => {
    const escaped = JSON.stringify({ text: 'lava '.repeat(40_000) }).replace(/[a-z ]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    expect(escaped.length).toBeGreaterThan(1_000_000);
    const longest = await request(app).post('/api/similar').set('Content-Type', 'application/json').send(escaped);
    expect(longest.status).toBe(200);
    const padded = JSON.stringify({ text: 'lava', pad: 'x'.repeat(SIMILAR_BODY_BYTES) });
    const res = await request(app).post('/api/similar').set('Content-Type', 'application/json').send(padded);
    expect(res.status).toBe(413);
    expect(problem(res).code).toBe('payload_too_large');
  });

  it('when the text shares no word with the corpus, then there are no hits', async () => {
    const res = await request(app).post('/api/similar').send({ text: 'Zyxwv qwerty plinth' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ hits: [] });
  });

  it.each([
    ['no text', { title: 'Volcano' }, 'text'],
    ['an empty text', { text: '   ' }, 'text'],
    ['a text that is not a string', { text: 42 }, 'text'],
    ['an unknown field', { text: 'volcano', colour: 'red' }, '(root)'],
    ['limit as a string', { text: 'volcano', limit: '5' }, 'limit'],
    ['limit 0', { text: 'volcano', limit: 0 }, 'limit'],
    ['includeDuplicates as a string', { text: 'volcano', includeDuplicates: 'true' }, 'includeDuplicates'],
    ['minCosine as a string', { text: 'volcano', minCosine: '0.1' }, 'minCosine'],
    ['minCosine above 1', { text: 'volcano', minCosine: 2 }, 'minCosine'],
    ['a negative freshness', { text: 'volcano', freshness: -1 }, 'freshness'],
    ['a bad date', { text: 'volcano', from: '2026-13-45' }, 'from'],
  ])('when the body has %s, then it is 400 invalid_request naming the field', async (_case, body, path) => {
    const res = await request(app).post('/api/similar').send(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    const p = problem(res);
    expect(p).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(p.errors?.map((e) => e.path)).toEqual([path]);
    if (path === '(root)') expect(p.errors?.[0]?.message).toContain('colour');
  });

  it('when the body is not JSON, then it is 400 invalid_request', async () => {
    const res = await request(app).post('/api/similar').set('Content-Type', 'application/json').send('{"text": ');
    expect(res.status).toBe(400);
    expect(problem(res)).toMatchObject({ code: 'invalid_request' });
  });
});
