import type { Express } from 'express';
import request from 'supertest';
import type { Article } from '../../src/core/article.js';
import { EngineUnavailableError } from '../../src/core/errors.js';
import type { FieldIssue } from '../../src/core/errors.js';
import type { SearchEngine, SearchRequest } from '../../src/engines/search-engine.js';
import { Similarity } from '../../src/similarity/similarity.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { createApp } from '../../src/http/app.js';
import { DEFAULT_HALF_LIFE_DAYS } from '../../src/http/search-query.js';

const ARTICLES: Article[] = [
  {
    id: 'ember-volcano',
    title: 'Volcano on Ember Isle erupts again',
    body: 'Lava reached the northern shore of Ember Isle overnight. Geologists from Kestrel University watched the eruption.',
    publishedAt: '2026-03-10T08:00:00.000Z',
    source: 'Kestrel Times',
    category: 'science',
    tags: ['volcano', 'islands'],
  },
  {
    id: 'harbour-budget',
    title: 'Parliament passes the harbour budget',
    body: 'After a long debate, members voted to repair the old harbour wall of Kestrel Bay and to buy two ferries.',
    publishedAt: '2026-03-12T15:30:00.000Z',
    source: 'Bay Herald',
    category: 'politics',
    tags: ['budget', 'harbour'],
  },
  {
    id: 'ferry-timetable',
    title: 'Ferry timetable changes in April',
    body: 'The new timetable follows the budget that parliament approved last week; the night ferry to Ember Isle ends.',
    publishedAt: '2026-03-13T07:00:00.000Z',
    source: 'Bay Herald',
    category: 'transport',
    tags: ['harbour'],
  },
  {
    id: 'tom-and-jerry-cafe',
    title: 'Tom <b>&</b> Jerry cafe opens on the quay',
    body: 'Two brothers opened a cafe serving smoked fish & chips beside the harbour.',
    publishedAt: '2026-03-14T11:00:00.000Z',
    source: 'Kestrel Times',
    category: 'food',
    tags: ['harbour', 'food'],
  },
  {
    id: 'regatta',
    title: 'Kestrel rowers win the spring regatta',
    body: 'The Kestrel rowing club won four of six races on a windy Saturday.',
    publishedAt: '2026-03-01T10:00:00.000Z',
    source: 'Bay Herald',
    category: 'sport',
  },
];

const PROBLEM_JSON = /^application\/problem\+json/;

interface ProblemBody {
  code: string;
  status: number;
  title: string;
  detail: string;
  errors?: FieldIssue[];
}

/** A SearchEngine whose every call fails with `error`. */
function failingEngine(error: Error): SearchEngine {
  const fail = async (): Promise<never> => {
    throw error;
  };
  // eslint-disable-next-line require-yield -- fails at its first step, as the engine does
  const failAll = async function* (): AsyncGenerator<never> {
    throw error;
  };
  return { upsert: fail, delete: fail, clear: fail, get: fail, search: fail, allResults: failAll, stats: fail, health: fail, sync: fail, findsNamedEntities: () => false, close: async () => undefined };
}

const emptySimilarity = Similarity.open(':memory:', { serve: true });

const appWith = (engine: SearchEngine, similarity: Similarity = emptySimilarity): Express =>
  createApp({ engine, similarity, now: () => performance.now(), clock: () => Date.now(), logError: () => {} });

describe('HTTP API', () => {
  let engine: SqliteEngine;
  let app: Express;

  beforeAll(async () => {
    engine = SqliteEngine.open({ file: ':memory:' });
    await engine.upsert(ARTICLES);
    app = appWith(engine);
  });

  afterAll(async () => {
    await engine.close();
  });

  describe('GET /health', () => {
    it('when the engine answers, then it is 200 with the engine name and article count', async () => {
      const res = await request(app).get('/health');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok', engine: 'sqlite', articles: ARTICLES.length });
    });
  });

  describe('GET /api/search', () => {
    it('when the query matches, then the result has the documented shape and hits have no body', async () => {
      const res = await request(app).get('/api/search').query({ q: 'volcano' });
      expect(res.status).toBe(200);
      expect(res.type).toBe('application/json');
      expect(res.body).toEqual({
        query: 'volcano',
        hits: [
          {
            id: 'ember-volcano',
            title: 'Volcano on Ember Isle erupts again',
            publishedAt: '2026-03-10T08:00:00.000Z',
            source: 'Kestrel Times',
            category: 'science',
            tags: ['volcano', 'islands'],
            highlight: { title: '<mark>Volcano</mark> on Ember Isle erupts again', snippet: expect.any(String) },
          },
        ],
        totalHits: 1,
        page: 1,
        perPage: 20,
        totalPages: 1,
        facets: {},
        collapsed: true,
        processingTimeMs: expect.any(Number),
      });
      expect(res.body.processingTimeMs).toBeGreaterThanOrEqual(0);
      expect(res.body.hits[0]).not.toHaveProperty('body');
    });

    it('when a title holds HTML and "&", then the highlight escapes them and marks only the match', async () => {
      const res = await request(app).get('/api/search').query({ q: 'jerry cafe ' });
      expect(res.status).toBe(200);
      expect(res.body.hits[0].id).toBe('tom-and-jerry-cafe');
      expect(res.body.hits[0].title).toBe('Tom <b>&</b> Jerry cafe opens on the quay');
      expect(res.body.hits[0].highlight.title).toBe('Tom &lt;b&gt;&amp;&lt;/b&gt; <mark>Jerry</mark> <mark>cafe</mark> opens on the quay');
    });

    it('when a word has a typo, then the article holding it in its title comes first', async () => {
      const res = await request(app).get('/api/search').query({ q: 'parliment ' });
      expect(res.status).toBe(200);
      expect(res.body.hits.map((h: { id: string }) => h.id)).toEqual(['harbour-budget', 'ferry-timetable']);
      expect(res.body.hits[0].highlight.title).toContain('<mark>Parliament</mark>');
    });

    it('when the last word is being typed, then it matches as a prefix', async () => {
      const res = await request(app).get('/api/search').query({ q: 'volc' });
      expect(res.body.hits.map((h: { id: string }) => h.id)).toEqual(['ember-volcano']);
      expect(res.body.hits[0].highlight.title).toBe('<mark>Volcano</mark> on Ember Isle erupts again');
    });

    it('when a word is excluded, then no hit holds it', async () => {
      const res = await request(app).get('/api/search').query({ q: 'harbour -budget' });
      expect(res.status).toBe(200);
      expect(res.body.hits.map((h: { id: string }) => h.id)).toEqual(['tom-and-jerry-cafe']);
      expect(res.body.totalHits).toBe(1);
    });

    it('when words are quoted, then only articles holding the exact phrase match', async () => {
      const res = await request(app).get('/api/search').query({ q: '"night ferry"' });
      expect(res.body.hits.map((h: { id: string }) => h.id)).toEqual(['ferry-timetable']);
    });

    it('when the query is empty, then every article is returned, newest first', async () => {
      const res = await request(app).get('/api/search');
      expect(res.status).toBe(200);
      expect(res.body.totalHits).toBe(ARTICLES.length);
      expect(res.body.hits.map((h: { id: string }) => h.id)).toEqual([
        'tom-and-jerry-cafe',
        'ferry-timetable',
        'harbour-budget',
        'ember-volcano',
        'regatta',
      ]);
    });

    it('when a filter is repeated, then its values are OR-ed', async () => {
      const res = await request(app).get('/api/search?q=harbour&category=politics&category=food');
      expect(res.status).toBe(200);
      expect(res.body.hits.map((h: { id: string }) => h.id).sort()).toEqual(['harbour-budget', 'tom-and-jerry-cafe']);
      expect(res.body.totalHits).toBe(2);
    });

    it('when filters on different fields are given, then they are AND-ed', async () => {
      const res = await request(app).get('/api/search?source=Bay%20Herald&tag=harbour&tag=volcano');
      expect(res.status).toBe(200);
      expect(res.body.hits.map((h: { id: string }) => h.id).sort()).toEqual(['ferry-timetable', 'harbour-budget']);
    });

    it('when a date range is given, then only articles published in it are returned, both days included', async () => {
      const res = await request(app).get('/api/search?from=2026-03-12&to=2026-03-13');
      expect(res.status).toBe(200);
      expect(res.body.hits.map((h: { id: string }) => h.id)).toEqual(['ferry-timetable', 'harbour-budget']);
    });

    it('when facets are asked as a comma list, then each is counted over the matches', async () => {
      const res = await request(app).get('/api/search?q=harbour&facets=category,tags');
      expect(res.status).toBe(200);
      expect(res.body.facets).toEqual({
        category: { food: 1, politics: 1 },
        tags: { harbour: 2, budget: 1, food: 1 },
      });
    });

    it('when facets are asked as repeated parameters, then each is counted', async () => {
      const res = await request(app).get('/api/search?facets=source&facets=category');
      expect(res.status).toBe(200);
      expect(res.body.facets.source).toEqual({ 'Bay Herald': 3, 'Kestrel Times': 2 });
      expect(Object.keys(res.body.facets).sort()).toEqual(['category', 'source']);
    });

    it('when paging, then page and perPage are applied and totalPages counts them', async () => {
      const res = await request(app).get('/api/search?perPage=2&page=3');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ page: 3, perPage: 2, totalHits: 5, totalPages: 3 });
      expect(res.body.hits.map((h: { id: string }) => h.id)).toEqual(['regatta']);
    });

    describe('validation', () => {
      it.each([
        ['an unknown parameter', 'q=oil&colour=red', '(root)', 'colour'],
        ['perPage 0', 'perPage=0', 'perPage', 'perPage'],
        ['perPage 101', 'perPage=101', 'perPage', 'perPage'],
        ['page 0', 'page=0', 'page', 'page'],
        ['a non-numeric page', 'page=two', 'page', 'page'],
        ['a negative page', 'page=-1', 'page', 'page'],
        ['q over 512 characters', `q=${'a'.repeat(513)}`, 'q', 'q'],
        ['a bad sort', 'sort=popular', 'sort', ''],
        ['a bad match', 'match=any', 'match', ''],
        ['a bad date', 'from=2026-13-45', 'from', 'from'],
        ['a date that is not ISO', 'to=14%2F03%2F2026', 'to', 'to'],
        ['from after to', 'from=2026-03-14&to=2026-03-01', 'from', 'from'],
        ['page × perPage over 10,000', 'page=101&perPage=100', 'page', '10000'],
        ['an unknown facet', 'facets=category,colour', 'facets', 'facets'],
        ['q given twice', 'q=oil&q=gas', 'q', 'q'],
        ['page given twice', 'page=1&page=2', 'page', 'page'],
        ['a zero freshness', 'freshness=0', 'freshness', 'freshness'],
        ['a non-numeric freshness', 'freshness=abc', 'freshness', 'half-life'],
        ['freshness over a century', 'freshness=40000', 'freshness', '36500'],
      ])('when the request has %s, then it is 400 invalid_request naming the field', async (_case, query, path, inMessage) => {
        const res = await request(app).get(`/api/search?${query}`);
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
        const body = JSON.parse(res.text) as ProblemBody;
        expect(body).toMatchObject({ code: 'invalid_request', status: 400 });
        const issue = body.errors?.find((e) => e.path === path || e.path.startsWith(`${path}.`));
        expect(issue).toBeDefined();
        expect(issue?.message.replace(/[ ,]/g, '')).toContain(inMessage);
      });

      // Product bug: Date.parse rolls 2026-02-30 over to 2026-03-02 instead of refusing it.
      it('when a date is an impossible day, then it is 400 naming the field', async () => {
        const res = await request(app).get('/api/search?from=2026-02-30');
        expect(res.status).toBe(400);
        expect((JSON.parse(res.text) as ProblemBody).errors?.map((e) => e.path)).toEqual(['from']);
      });

      it('when freshness is given, defaulted or off, then the engine is asked for it with the wall clock rounded down to the minute', async () => {
        const asked: SearchRequest[] = [];
        const recording: SearchEngine = {
          ...failingEngine(new Error('not called')),
          findsNamedEntities: () => false,
          search: async (req: SearchRequest) => {
            asked.push(req);
            return { hits: [], totalHits: 0, page: req.page, perPage: req.perPage, totalPages: 0, facets: {} };
          },
        };
        const clock = Date.parse('2026-03-20T10:15:42.500Z');
        const fixed = createApp({ engine: recording, similarity: emptySimilarity, now: () => performance.now(), clock: () => clock, logError: () => {} });
        expect((await request(fixed).get('/api/search?q=volcano&freshness=2.5')).status).toBe(200);
        expect((await request(fixed).get('/api/search?q=volcano')).status).toBe(200);
        expect((await request(fixed).get('/api/search?q=volcano&freshness=off')).status).toBe(200);
        expect(asked[0]!.freshness).toEqual({ halfLifeDays: 2.5, now: Date.parse('2026-03-20T10:15:00Z') });
        expect(asked[1]!.freshness).toEqual({ halfLifeDays: DEFAULT_HALF_LIFE_DAYS, now: Date.parse('2026-03-20T10:15:00Z') });
        expect(asked[2]).not.toHaveProperty('freshness');
      });

      it('when several parameters are wrong, then every one is listed', async () => {
        const res = await request(app).get('/api/search?perPage=0&sort=popular&match=any');
        expect(res.status).toBe(400);
        const body = JSON.parse(res.text) as ProblemBody;
        expect(body.errors?.map((e) => e.path).sort()).toEqual(['match', 'perPage', 'sort']);
      });

      it('when page × perPage is exactly 10,000, then it is accepted', async () => {
        const res = await request(app).get('/api/search?page=100&perPage=100');
        expect(res.status).toBe(200);
        expect(res.body.hits).toEqual([]);
      });
    });
  });

  describe('GET /api/articles/:id', () => {
    it('when the article exists, then it is 200 with the whole article, body included', async () => {
      const res = await request(app).get('/api/articles/tom-and-jerry-cafe');
      expect(res.status).toBe(200);
      expect(res.body).toEqual(ARTICLES[3]);
    });

    it('when the article does not exist, then it is a 404 not_found problem', async () => {
      const res = await request(app).get('/api/articles/no-such-story');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(JSON.parse(res.text)).toMatchObject({
        code: 'not_found',
        status: 404,
        detail: expect.stringContaining('no-such-story'),
        instance: '/api/articles/no-such-story',
      });
    });
  });

  describe('errors and headers', () => {
    it('when the route does not exist, then it is a 404 route_not_found problem', async () => {
      const res = await request(app).get('/api/nothing-here');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(JSON.parse(res.text)).toMatchObject({ code: 'route_not_found', status: 404 });
    });

    it('when the method is not served, then it is a route_not_found problem too', async () => {
      const res = await request(app).delete('/api/search');
      expect(res.status).toBe(404);
      expect(JSON.parse(res.text)).toMatchObject({ code: 'route_not_found' });
    });

    it('when any response is sent, then there is no x-powered-by header', async () => {
      for (const path of ['/health', '/api/search?q=oil', '/api/nothing-here']) {
        const res = await request(app).get(path);
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('when the engine throws a plain Error, then it is a 500 internal problem that leaks nothing and is logged', async () => {
      const logged: unknown[] = [];
      const secret = new Error('SQLITE_CORRUPT at /srv/secret/path.db');
      const failing = createApp({
        engine: failingEngine(secret),
        similarity: emptySimilarity,
        now: () => performance.now(),
        clock: () => Date.now(),
        logError: (e) => logged.push(e),
      });
      const res = await request(failing).get('/api/search?q=oil');
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      const body = JSON.parse(res.text) as ProblemBody;
      expect(body).toMatchObject({ code: 'internal', status: 500 });
      expect(res.text).not.toContain('secret');
      expect(res.text).not.toContain('SQLITE_CORRUPT');
      expect(res.text).not.toMatch(/\bat .+:\d+:\d+/);
      expect(body).not.toHaveProperty('stack');
      expect(logged).toEqual([secret]);
    });

    it('when the engine is unavailable, then it is 503 engine_unavailable with Retry-After', async () => {
      const unavailable = appWith(failingEngine(new EngineUnavailableError('store is busy', { retryAfterSeconds: 7 })));
      const res = await request(unavailable).get('/api/search?q=oil');
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.headers['retry-after']).toBe('7');
      expect(JSON.parse(res.text)).toMatchObject({ code: 'engine_unavailable', status: 503 });
    });

    it('when the engine is unavailable at a health check, then it is 503 with the default Retry-After', async () => {
      const unavailable = appWith(failingEngine(new EngineUnavailableError('store closed')));
      const res = await request(unavailable).get('/health');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(JSON.parse(res.text)).toMatchObject({ code: 'engine_unavailable' });
    });
  });
});
