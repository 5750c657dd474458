import { performance } from 'node:perf_hooks';
import type { Express } from 'express';
import request from 'supertest';
import { MeilisearchEngine } from '../../src/engines/meilisearch/meilisearch-engine.js';
import { Entities } from '../../src/entities/entities.js';
import { createApp } from '../../src/http/app.js';
import { entityProfileSchema, problemSchema, searchResponseSchema } from '../../src/http/response-schemas.js';
import { ingestArticles } from '../../src/services/ingest-articles.js';
import { Similarity } from '../../src/similarity/similarity.js';
import { MeiliStub } from '../helpers/meili-stub.js';
import { appOverStories } from '../helpers/stories-app.js';
import { RESOLUTION_STORIES } from './entity-resolution.stories.js';

/**
 * Forgiving entity filters (issue 17, item 6): names are resolved by the service before any engine is asked, so
 * the embedded engine and the Meilisearch adapter (on the stub, which answers as Meilisearch v1.50) answer alike.
 */

const MASTER = 'master-key-for-resolution-tests-0123';
let stub: MeiliStub | undefined;
const closers: (() => unknown)[] = [];

async function meiliApp(): Promise<Express> {
  stub = new MeiliStub(MASTER);
  await stub.start();
  const engine = new MeilisearchEngine({ url: stub.url, index: 'articles', keys: { masterKey: MASTER }, role: 'api', taskIntervalMs: 1 });
  const similarity = Similarity.open(':memory:', { serve: true });
  const entities = Entities.open(':memory:');
  closers.push(() => engine.close(), () => similarity.close(), () => entities.close(), () => stub?.stop());
  await ingestArticles({ engine, similarity, entities }, RESOLUTION_STORIES.map((value, i) => ({ location: `s${i}`, value })));
  return createApp({ engine, similarity, entities, now: () => performance.now(), clock: () => Date.now(), logError: () => {}, http: {} });
}

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const ENGINES: [string, () => Promise<Express>][] = [
  ['embedded engine', () => appOverStories(RESOLUTION_STORIES, {})],
  ['Meilisearch adapter', meiliApp],
];

describe.each(ENGINES)('entity filters on /api/search (%s)', (_engine, makeApp) => {
  let app: Express;
  beforeAll(async () => {
    app = await makeApp();
  });
  const search = async (qs: string) => {
    const res = await request(app).get(`/api/search?${qs}`);
    expect(res.status).toBe(200);
    return searchResponseSchema.parse(res.body);
  };
  const ids = (body: { hits: readonly { id: string }[] }) => body.hits.map((h) => h.id).sort();

  it('when a full name is given in another case, then it matches and the answer names the entity used', async () => {
    const body = await search('person=SERGEI%20LAVROV');
    expect(ids(body)).toEqual(['r-lavrov-1', 'r-lavrov-2']);
    expect(body.resolvedFilters).toEqual({ person: [{ value: 'SERGEI LAVROV', match: 'name', names: ['Sergei Lavrov'] }] });
  });

  it('when a name is typed without its accents, then the accented entity is found', async () => {
    const body = await search('person=recep%20tayyip%20erdogan');
    expect(ids(body)).toEqual(['r-erdogan']);
    expect(body.resolvedFilters?.person?.[0]?.names).toEqual(['Recep Tayyip Erdoğan']);
  });

  it('when a surname of one person is given, then it resolves to that person (person=Lavrov → Sergei Lavrov)', async () => {
    const body = await search('person=Lavrov');
    expect(ids(body)).toEqual(['r-lavrov-1', 'r-lavrov-2']);
    expect(body.resolvedFilters).toEqual({ person: [{ value: 'Lavrov', match: 'alias', names: ['Sergei Lavrov'] }] });
    expect(ids(await search('person=erdogan'))).toEqual(['r-erdogan']);
  });

  it('when an organisation is given by its acronym in lower case, then the gazetteer alias resolves it', async () => {
    const body = await search('org=un');
    expect(ids(body)).toEqual(['r-lavrov-1']);
    expect(body.resolvedFilters).toEqual({ org: [{ value: 'un', match: 'alias', names: ['United Nations'] }] });
  });

  it('when a surname names several people, then 400 problem+json listing the candidates, whatever else is asked', async () => {
    const res = await request(app).get('/api/search?person=baker&person=Lavrov');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = problemSchema.parse(res.body);
    expect(problem.code).toBe('invalid_request');
    expect(problem.errors).toEqual([{ path: 'person', message: expect.stringContaining('Howard Baker') }]);
    expect(problem.candidates?.map((c) => [c.filter, c.given, c.name, c.articles])).toEqual([
      ['person', 'baker', 'Howard Baker', 1],
      ['person', 'baker', 'James Baker', 1],
    ]);
  });

  it('when the full name of one of the namesakes is given, then only that person matches', async () => {
    expect(ids(await search('person=howard%20baker'))).toEqual(['r-howard-baker']);
  });

  it('when a name is unknown, then it answers as before (no hits) with a hint', async () => {
    const body = await search('person=Qin%20Gang');
    expect(body.totalHits).toBe(0);
    expect(body.resolvedFilters?.person).toEqual([
      { value: 'Qin Gang', match: 'unknown', names: ['Qin Gang'], hint: expect.stringContaining('/api/entities?type=person&q=Qin%20Gang') },
    ]);
  });

  it('when no entity filter is given, then the answer has no resolvedFilters', async () => {
    expect(await search('q=budget')).not.toHaveProperty('resolvedFilters');
  });

  it('when an export is asked by surname, then it is resolved too; an ambiguous one is refused before any row', async () => {
    const res = await request(app).get('/api/search?person=lavrov&format=jsonl');
    expect(res.status).toBe(200);
    expect(res.text.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id).sort()).toEqual(['r-lavrov-1', 'r-lavrov-2']);
    expect((await request(app).get('/api/search?person=baker&format=csv')).status).toBe(400);
  });
});

describe('GET /api/entities/:type/:name with a short name', () => {
  let app: Express;
  beforeAll(async () => {
    app = await appOverStories(RESOLUTION_STORIES, {});
  });

  it('when a surname of one person is given, then the profile of that person comes back under its full name', async () => {
    const res = await request(app).get('/api/entities/person/lavrov');
    expect(res.status).toBe(200);
    expect(entityProfileSchema.parse(res.body)).toMatchObject({ type: 'person', name: 'Sergei Lavrov', articles: 2 });
  });

  it('when the surname is ambiguous, then 400 with the candidates; when unknown, 404 with a hint', async () => {
    const ambiguous = await request(app).get('/api/entities/person/Baker');
    expect(ambiguous.status).toBe(400);
    expect(problemSchema.parse(ambiguous.body).candidates?.map((c) => c.name)).toEqual(['Howard Baker', 'James Baker']);
    const unknown = await request(app).get('/api/entities/person/Nobody');
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toContain('/api/entities?type=person&q=Nobody');
  });
});
