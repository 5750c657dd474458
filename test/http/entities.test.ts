import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'csv-parse/sync';
import type { Express } from 'express';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { Entities } from '../../src/entities/entities.js';
import { createApp } from '../../src/http/app.js';
import { EXPORT_COLUMNS } from '../../src/http/export-response.js';
import { entitiesResponseSchema, entityProfileSchema, searchResponseSchema } from '../../src/http/response-schemas.js';
import { ingestArticles } from '../../src/services/ingest-articles.js';
import { Similarity } from '../../src/similarity/similarity.js';
import { openStore } from '../../src/storage/open-store.js';
import { appOverStories } from '../helpers/stories-app.js';

const ADMIN = 'an-admin-key-long-enough';

/** Fictional stories over three months, with people, organisations and places the extractor must find. */
const STORIES = [
  {
    id: 'talks-1',
    title: 'Lavrov and Qin discuss trade',
    body: 'Russian Foreign Minister Sergei Lavrov met Chinese Foreign Minister Qin Gang in Beijing. Lavrov said ties were strong. Qin said trade would grow.',
    publishedAt: '2026-01-10T09:00:00Z',
    source: 'Wire',
  },
  {
    id: 'talks-2',
    title: 'Foreign ministers meet again',
    body: 'Foreign Minister Sergei Lavrov travelled to Geneva for United Nations talks. Lavrov told reporters the UN must act.',
    publishedAt: '2026-02-03T09:00:00Z',
    source: 'Wire',
  },
  {
    id: 'talks-3',
    title: 'Budget debate in Valmora',
    body: 'Finance Minister Coralie Destrand presented the budget. Destrand said the Valmora Central Bank agreed. Sergei Lavrov was not mentioned in Parliament.',
    publishedAt: '2026-03-21T09:00:00Z',
    source: 'Herald',
  },
  {
    id: 'science-1',
    title: 'Reef study published',
    body: 'Dr Selin Erdağ of the University of Port Aldric said the reef was recovering. Erdağ led the survey.',
    publishedAt: '2026-03-22T09:00:00Z',
    source: 'Herald',
  },
];

const appWithStories = (): Promise<Express> => appOverStories(STORIES, { adminApiKey: ADMIN });

const json = (res: { text: string }) => JSON.parse(res.text) as Record<string, unknown>;

describe('entity API', () => {
  let app: Express;
  beforeAll(async () => {
    app = await appWithStories();
  });

  describe('GET /api/entities (autocomplete)', () => {
    it('when a prefix of any word of a name is typed, then the entity is suggested with its article count', async () => {
      const res = await request(app).get('/api/entities?q=lav');
      expect(res.status).toBe(200);
      const { entities } = entitiesResponseSchema.parse(json(res));
      expect(entities[0]).toEqual({ type: 'person', name: 'Sergei Lavrov', articles: 3 });
    });

    it('when several words are typed, then each must start a word of the name', async () => {
      const { entities } = entitiesResponseSchema.parse(json(await request(app).get('/api/entities?q=qin%20ga')));
      expect(entities.map((e) => e.name)).toEqual(['Qin Gang']);
      expect(entitiesResponseSchema.parse(json(await request(app).get('/api/entities?q=qin%20x'))).entities).toEqual([]);
    });

    it('when the typed prefix has no accent, then accented names still match', async () => {
      const { entities } = entitiesResponseSchema.parse(json(await request(app).get('/api/entities?q=erdag')));
      expect(entities.map((e) => e.name)).toEqual(['Selin Erdağ']);
    });

    it('when a type is given, then only entities of that type come back, most mentioned first', async () => {
      const { entities } = entitiesResponseSchema.parse(json(await request(app).get('/api/entities?type=org&limit=50')));
      expect(entities.length).toBeGreaterThan(0);
      expect(entities.every((e) => e.type === 'org')).toBe(true);
      expect(entities.map((e) => e.name)).toEqual(expect.arrayContaining(['United Nations', 'Valmora Central Bank']));
      const counts = entities.map((e) => e.articles);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
    });

    it('when limit is given, then at most that many come back', async () => {
      expect(entitiesResponseSchema.parse(json(await request(app).get('/api/entities?limit=2'))).entities).toHaveLength(2);
    });

    it.each([
      ['type=company', 'type'],
      ['limit=0', 'limit'],
      ['limit=51', 'limit'],
      ['limit=ten', 'limit'],
      ['kind=person', 'kind'],
    ])('when %s, then 400 problem+json naming the parameter', async (query, name) => {
      const res = await request(app).get(`/api/entities?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(json(res)['code']).toBe('invalid_request');
      expect(String(json(res)['detail'])).toContain(name);
    });
  });

  describe('GET /api/entities/:type/:name (profile)', () => {
    it('when the entity is known, then count, first and last seen, monthly timeline, co-mentions and latest articles', async () => {
      const res = await request(app).get('/api/entities/person/Sergei%20Lavrov');
      expect(res.status).toBe(200);
      const profile = entityProfileSchema.parse(json(res));
      expect(profile).toMatchObject({
        type: 'person',
        name: 'Sergei Lavrov',
        articles: 3,
        firstSeen: '2026-01-10T09:00:00.000Z',
        lastSeen: '2026-03-21T09:00:00.000Z',
        timeline: [
          { month: '2026-01', articles: 1 },
          { month: '2026-02', articles: 1 },
          { month: '2026-03', articles: 1 },
        ],
      });
      expect(profile.related).toEqual(expect.arrayContaining([{ type: 'person', name: 'Qin Gang', articles: 1 }]));
      expect(profile.latest.map((a) => a.id)).toEqual(['talks-3', 'talks-2', 'talks-1']);
    });

    it('when no article mentions the entity, then 404 problem+json', async () => {
      const res = await request(app).get('/api/entities/person/Nobody%20Atall');
      expect(res.status).toBe(404);
      expect(json(res)).toMatchObject({ status: 404, code: 'not_found' });
    });

    it('when the name exists under another type, then 404 (types are kept apart)', async () => {
      expect((await request(app).get('/api/entities/place/Sergei%20Lavrov')).status).toBe(404);
    });

    it('when the type is not person, org or place, then 400', async () => {
      const res = await request(app).get('/api/entities/company/Sergei%20Lavrov');
      expect(res.status).toBe(400);
      expect(json(res)['code']).toBe('invalid_request');
    });
  });

  describe('entity filters and facets on /api/search', () => {
    const ids = async (query: string) => searchResponseSchema.parse(json(await request(app).get(`/api/search?${query}`))).hits.map((h) => h.id);

    it('when filtered by a person, then only the articles about them, the most salient first', async () => {
      expect(await ids('person=Sergei%20Lavrov')).toEqual(['talks-1', 'talks-2', 'talks-3']);
    });

    it('when one kind is repeated, then values are OR-ed; across kinds, AND-ed', async () => {
      expect(new Set(await ids('person=Qin%20Gang&person=Selin%20Erda%C4%9F'))).toEqual(new Set(['talks-1', 'science-1']));
      expect(await ids('person=Sergei%20Lavrov&place=China')).toEqual(['talks-1']);
      expect(await ids('person=Sergei%20Lavrov&org=United%20Nations')).toEqual(['talks-2']);
    });

    it('when facets are asked, then people, orgs and places are counted', async () => {
      const result = searchResponseSchema.parse(json(await request(app).get('/api/search?q=minister&facets=people,orgs,places')));
      expect(result.facets.people).toMatchObject({ 'Sergei Lavrov': 3, 'Coralie Destrand': 1 });
      expect(result.facets.places?.['Russia']).toBe(1);
    });

    it('when a hit is returned, then it carries its entities', async () => {
      const result = searchResponseSchema.parse(json(await request(app).get('/api/search?q=reef')));
      expect(result.hits[0]).toMatchObject({ id: 'science-1', people: ['Selin Erdağ'], orgs: ['University of Port Aldric'] });
    });
  });

  describe('a query that names a known entity', () => {
    it('then the articles about that entity rank first among those matching the same words', async () => {
      const engine = SqliteEngine.open({ file: ':memory:' });
      const similarity = Similarity.open(':memory:', { serve: true });
      const entities = Entities.open(':memory:');
      const stories = [
        { id: 'prize', title: 'Sergei Lavrov Prize for young poets', body: 'The Sergei Lavrov Prize went to a poet from Lirenne.' },
        { id: 'about', title: 'Talks on grain exports', body: 'Foreign Minister Sergei Lavrov said the talks went well. Lavrov added that grain exports would resume.' },
      ];
      await ingestArticles({ engine, similarity, entities }, stories.map((value, i) => ({ location: `s${i}`, value })));
      const deps = { engine, similarity, now: () => performance.now(), clock: () => Date.now(), logError: () => {} };
      const ids = async (app: Express, q: string) =>
        searchResponseSchema.parse(json(await request(app).get(`/api/search?q=${encodeURIComponent(q)}`))).hits.map((h) => h.id);
      // without entity statistics, the title match ranks first; with them, the article about the person does
      expect(await ids(createApp(deps), 'Sergei Lavrov')).toEqual(['prize', 'about']);
      const withEntities = createApp({ ...deps, entities });
      expect(await ids(withEntities, 'Sergei Lavrov')).toEqual(['about', 'prize']);
      expect(await ids(withEntities, '"sergei lavrov"')).toEqual(['about', 'prize']);
      expect(await ids(withEntities, 'Lavrov prize')).toEqual(['prize', 'about']);
    });

    it('when the index host keeps the entity names (the service as it runs), then it finds them in the same call and ranks alike', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-named-'));
      const store = openStore(loadConfig({ DATA_DIR: dir, DEMO_DATA: 'off' }), 'api');
      try {
        const stories = [
          { id: 'prize', title: 'Sergei Lavrov Prize for young poets', body: 'The Sergei Lavrov Prize went to a poet from Lirenne.' },
          { id: 'about', title: 'Talks on grain exports', body: 'Foreign Minister Sergei Lavrov said the talks went well. Lavrov added that grain exports would resume.' },
        ];
        await ingestArticles(store, stories.map((value, i) => ({ location: `s${i}`, value })));
        await store.engine.sync();
        expect(store.engine.findsNamedEntities()).toBe(true);
        // the service asks the engine to find the named entities itself: the entity reader must not be asked
        const entities = Object.assign(Object.create(store.entities) as typeof store.entities, { named: () => Promise.reject(new Error('asked the entity reader')) });
        const app = createApp({ engine: store.engine, similarity: store.similarity, entities, now: () => performance.now(), clock: () => Date.now(), logError: () => {} });
        const ids = async (q: string) => searchResponseSchema.parse(json(await request(app).get(`/api/search?q=${encodeURIComponent(q)}`))).hits.map((h) => h.id);
        expect(await ids('Sergei Lavrov')).toEqual(['about', 'prize']);
        expect(await ids('"sergei lavrov"')).toEqual(['about', 'prize']);
        expect(await ids('Lavrov prize')).toEqual(['prize', 'about']);
      } finally {
        await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('export (format=csv|jsonl)', () => {
    it('when format=csv, then every matching article comes back as CSV with a header, in result order', async () => {
      const res = await request(app).get('/api/search?q=&format=csv');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const rows = parse(res.text, { columns: true }) as Record<string, string>[];
      expect(Object.keys(rows[0]!)).toEqual([...EXPORT_COLUMNS]);
      expect(rows.map((r) => r['id'])).toEqual(['science-1', 'talks-3', 'talks-2', 'talks-1']);
      expect(rows.map((r) => r['rank'])).toEqual(['1', '2', '3', '4']);
      expect(rows.find((r) => r['id'] === 'talks-1')!['people']!.split('; ').sort()).toEqual(['Qin Gang', 'Sergei Lavrov']);
    });

    it('when format=jsonl, then one JSON object per result with its entities and no body', async () => {
      const res = await request(app).get('/api/search?person=Sergei%20Lavrov&format=jsonl');
      expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
      const lines = res.text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l['id'])).toEqual(['talks-1', 'talks-2', 'talks-3']);
      expect(lines[0]).toMatchObject({ rank: 1, title: 'Lavrov and Qin discuss trade', places: ['Beijing', 'China', 'Russia'] });
      expect(lines[0]!['people']).toEqual(expect.arrayContaining(['Sergei Lavrov', 'Qin Gang']));
      expect(lines[0]).not.toHaveProperty('body');
    });

    it('when the format is unknown, then 400', async () => {
      expect((await request(app).get('/api/search?q=&format=xml')).status).toBe(400);
    });
  });

  describe('writes through the API', () => {
    it('when an article is posted, then its entities are searchable at once; when deleted, they are gone', async () => {
      const fresh = await appWithStories();
      const post = await request(fresh)
        .post('/api/articles')
        .set('X-Api-Key', ADMIN)
        .send({ id: 'new-1', title: 'Port news', body: 'Harbour master Oren Halbeck said the Port Aldric quay would reopen. Halbeck smiled.' });
      expect(post.status).toBe(200);
      expect(entitiesResponseSchema.parse(json(await request(fresh).get('/api/entities?q=halb'))).entities[0]?.name).toBe('Oren Halbeck');
      expect((await request(fresh).delete('/api/articles/new-1').set('X-Api-Key', ADMIN)).status).toBe(204);
      expect((await request(fresh).get('/api/entities/person/Oren%20Halbeck')).status).toBe(404);
    });
  });
});
