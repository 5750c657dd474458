import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import type { Express } from 'express';
import request from 'supertest';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { createApp } from '../../src/http/app.js';
import { ingestArticles } from '../../src/services/ingest-articles.js';
import { Similarity } from '../../src/similarity/similarity.js';
import { makeArticle } from '../helpers/make-article.js';

/**
 * Arbitrary strings and parameter combinations thrown at the read routes: whatever comes in, the answer is a
 * 2xx/4xx (never a 500) within the request, and every 4xx is problem+json with a code.
 */
const PARAMS = ['q', 'page', 'perPage', 'sort', 'match', 'category', 'source', 'tag', 'from', 'to', 'facets',
  'limit', 'sameCategory', 'freshness', 'includeDuplicates', 'minCosine', 'explain', 'x', ''];
const value = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('1', '0', '-1', '101', '1e9', 'NaN', '0.5', '.06', '1.0', 'true', 'newest', 'all', 'category,tags', '2026-02-30', '"', '*', 'NEAR(a b)', '-x', 'a OR b'),
);
const query = fc.array(fc.tuple(fc.constantFrom(...PARAMS), value), { maxLength: 6 });
const encode = (pairs: [string, string][]) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

describe('HTTP fuzzing', () => {
  let app: Express;

  beforeAll(async () => {
    const engine = SqliteEngine.open({ file: ':memory:' });
    const similarity = Similarity.open(':memory:', { serve: true });
    const articles = ['Harbour strike ends in Port Aldric', 'Port Aldric dock workers vote', 'Chip maker opens plant']
      .map((title, i) => makeArticle({ title, body: `${title}. Story number ${i} with <b>markup</b> & more.`, category: i < 2 ? 'world' : 'tech' }));
    await ingestArticles({ engine, similarity }, articles.map((value, i) => ({ location: `a${i}`, value })));
    app = createApp({ engine, similarity, now: () => performance.now(), clock: () => Date.now(), logError: () => {}, http: { rateLimitPerMinute: 0 } });
  });

  const check = (res: request.Response) => {
    expect(res.status).toBeLessThan(500);
    if (res.status >= 400) {
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(typeof JSON.parse(res.text).code).toBe('string');
    }
  };

  it('when /api/search gets arbitrary parameters, then it never answers 500', async () => {
    await fc.assert(fc.asyncProperty(query, async (pairs) => check(await request(app).get(`/api/search?${encode(pairs)}`))), { numRuns: 300 });
  });

  it('when /api/articles/:id/similar gets arbitrary ids and parameters, then it never answers 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 30 }), query, async (id, pairs) => {
        check(await request(app).get(`/api/articles/${encodeURIComponent(id || 'x')}/similar?${encode(pairs)}`));
      }),
      { numRuns: 300 },
    );
  });

  it('when POST /api/similar gets arbitrary JSON, then it never answers 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (body) => {
        check(await request(app).post('/api/similar').set('Content-Type', 'application/json').send(JSON.stringify(body)));
      }),
      { numRuns: 200 },
    );
  });
});
