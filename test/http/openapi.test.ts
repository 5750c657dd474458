import { performance } from 'node:perf_hooks';
import type { Express } from 'express';
import request from 'supertest';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { createApp } from '../../src/http/app.js';
import { Entities } from '../../src/entities/entities.js';
import {
  articleSchema,
  entitiesResponseSchema,
  entityProfileSchema,
  healthSchema,
  problemSchema,
  readySchema,
  searchResponseSchema,
  similarResponseSchema,
  similarTextResponseSchema,
} from '../../src/http/response-schemas.js';
import { ingestArticles } from '../../src/services/ingest-articles.js';
import { Similarity } from '../../src/similarity/similarity.js';
import { makeArticle } from '../helpers/make-article.js';

/** The OpenAPI document is generated from the response schemas; real responses must parse with them (no drift). */
describe('OpenAPI contract', () => {
  let app: Express;
  let ids: string[];

  beforeAll(async () => {
    const engine = SqliteEngine.open({ file: ':memory:' });
    const similarity = Similarity.open(':memory:', { serve: true });
    const articles = [
      makeArticle({ title: 'Harbour strike ends in Port Aldric', body: 'Dock workers in Port Aldric vote to end the harbour strike.', category: 'world', tags: ['labour'], url: 'https://news.example/a', publishedAt: '2026-03-01T10:00:00Z', source: 'Herald' }),
      makeArticle({ title: 'Port Aldric dockers return', body: 'After the harbour strike, dock workers in Port Aldric return to work.', category: 'world' }),
      makeArticle({ title: 'Chip plant opens', body: 'A chip plant opens near Lirenne with two thousand jobs, Mayor Odile Brancart said.', category: 'tech' }),
    ];
    ids = articles.map((a) => a.id);
    const entities = Entities.open(':memory:');
    await ingestArticles({ engine, similarity, entities }, articles.map((value, i) => ({ location: `a${i}`, value })));
    app = createApp({ engine, similarity, entities, now: () => performance.now(), clock: () => Date.now(), logError: () => {} });
  });

  it('when /openapi.json is fetched, then it is an OpenAPI 3.1 document describing every API route', async () => {
    const res = await request(app).get('/openapi.json');
    expect(res.status).toBe(200);
    const doc = JSON.parse(res.text) as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/articles', '/api/articles/{id}', '/api/articles/{id}/similar', '/api/articles/{id}/story', '/api/stories', '/api/entities', '/api/entities/{type}/{name}', '/api/suggest',
        '/api/search', '/api/similar', '/health', '/metrics', '/ready',
        '/api/events', '/api/analytics/queries', '/api/analytics/related',
        '/api/saved-searches', '/api/saved-searches/{id}', '/api/saved-searches/{id}/feed',
      ].sort(),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['SearchResponse', 'Problem', 'SimilarResponse']));
    const params = (doc.paths['/api/search']!['get'] as { parameters: { name: string }[] }).parameters.map((p) => p.name);
    expect(params).toEqual(expect.arrayContaining(['q', 'page', 'perPage', 'sort', 'match', 'category', 'facets']));
  });

  it('when /docs is opened, then the browsable page and its assets are served from this host', async () => {
    const page = await request(app).get('/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('/docs/assets/swagger-ui-bundle.js');
    expect((await request(app).get('/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
    expect((await request(app).get('/docs/init.js')).text).toContain('/openapi.json');
  });

  it('when each route answers, then its body matches the documented schema exactly', async () => {
    const body = async (path: string) => JSON.parse((await request(app).get(path)).text) as unknown;
    searchResponseSchema.parse(await body('/api/search?q=harbor%20strike&facets=category,source,tags'));
    searchResponseSchema.parse(await body('/api/search?q=&sort=oldest'));
    articleSchema.parse(await body(`/api/articles/${ids[0]}`));
    expect(entitiesResponseSchema.parse(await body('/api/entities?q=odile')).entities).toHaveLength(1);
    entityProfileSchema.parse(await body('/api/entities/person/Odile%20Brancart'));
    problemSchema.parse(await body('/api/entities/person/Nobody'));
    similarResponseSchema.parse(await body(`/api/articles/${ids[0]}/similar?explain=true&includeDuplicates=true`));
    healthSchema.parse(await body('/health'));
    readySchema.parse(await body('/ready'));
    problemSchema.parse(await body('/api/search?perPage=0'));
    problemSchema.parse(await body('/api/articles/nope'));
    problemSchema.parse(await body('/nowhere'));
    const posted = await request(app).post('/api/similar').send({ text: 'dock workers strike in the harbour', explain: true });
    similarTextResponseSchema.parse(JSON.parse(posted.text));
  });

  it('when a response carries a field the schema does not describe, then the contract check fails', () => {
    expect(() => healthSchema.parse({ status: 'ok', engine: 'sqlite', articles: 1, extra: true })).toThrow();
  });
});
