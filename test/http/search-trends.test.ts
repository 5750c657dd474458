import type { Express } from 'express';
import request from 'supertest';
import { MeilisearchEngine } from '../../src/engines/meilisearch/meilisearch-engine.js';
import { searchResponseSchema } from '../../src/http/response-schemas.js';
import { MeiliStub } from '../helpers/meili-stub.js';
import { appOverStories } from '../helpers/stories-app.js';

/**
 * `histogram` and `significant` on GET /api/search, through the API over in-memory stores filled by the ingest
 * pipeline (entities extracted, term vectors indexed). The corpus is hand-written: five coffee stories among
 * others, every one of which "said" something, so that the topic's words must stand out and "said" must not.
 */
const coffee = (i: number, day: string) => ({
  id: `coffee-${i}`,
  title: `Coffee exporters meet in Brazil (${i})`,
  body: `Coffee exporters said arabica bags were held back in Brazil as the coffee harvest ${['slowed', 'grew', 'waited', 'ended', 'began'][i]}. ` +
    'Arabica prices rose while exporters counted bags in Santos.',
  publishedAt: day,
  source: 'Wire',
});
const other = (i: number, topic: string, day?: string) => ({
  id: `other-${i}`,
  title: `${topic} update ${i}`,
  body: `The minister said the ${topic} plan would change. Officials said more news would follow.`,
  ...(day ? { publishedAt: day } : {}),
  source: 'Wire',
});
const STORIES = [
  coffee(0, '2026-03-02T10:00:00Z'), coffee(1, '2026-03-03T10:00:00Z'), coffee(2, '2026-03-09T10:00:00Z'),
  coffee(3, '2026-04-01T10:00:00Z'), coffee(4, '2026-04-20T10:00:00Z'),
  other(0, 'rail', '2026-03-02T10:00:00Z'), other(1, 'harbour', '2026-03-05T10:00:00Z'), other(2, 'school', '2026-03-20T10:00:00Z'),
  other(3, 'budget', '2026-04-02T10:00:00Z'), other(4, 'tax'), other(5, 'hospital', '2026-05-01T10:00:00Z'),
  other(6, 'bridge', '2026-05-02T10:00:00Z'), other(7, 'farm', '2026-05-03T10:00:00Z'), other(8, 'museum', '2026-05-04T10:00:00Z'),
  other(9, 'airport', '2026-05-05T10:00:00Z'), other(10, 'library', '2026-05-06T10:00:00Z'),
];

let app: Express;
beforeAll(async () => {
  app = await appOverStories(STORIES, {});
});

const search = async (query: string) => {
  const res = await request(app).get(`/api/search?${query}`);
  return { status: res.status, body: res.body as Record<string, unknown> & { totalHits: number; histogram?: { count: number }[]; undated?: number }, text: res.text };
};
const sum = (body: { histogram?: { count: number }[]; undated?: number }) =>
  (body.histogram ?? []).reduce((n, b) => n + b.count, 0) + (body.undated ?? 0);

describe('GET /api/search with histogram', () => {
  it('when a month histogram is asked, then every match is counted by month and the counts plus undated add up to totalHits', async () => {
    const { status, body } = await search('q=said&perPage=1&histogram=month');
    expect(status).toBe(200);
    expect(searchResponseSchema.parse(body)).toBeDefined();
    expect(body.totalHits).toBe(STORIES.length);
    expect(body.histogram).toEqual([
      { start: '2026-03-01', count: 6 },
      { start: '2026-04-01', count: 3 },
      { start: '2026-05-01', count: 6 },
    ]);
    expect(body.undated).toBe(1);
    expect(sum(body)).toBe(body.totalHits);
  });

  it('when a week histogram is asked with a filter and no words, then weeks start on Monday and only filtered articles count', async () => {
    const { body } = await search('histogram=week&from=2026-03-01&to=2026-03-31');
    expect(body.histogram).toEqual([
      { start: '2026-03-02', count: 4 },
      { start: '2026-03-09', count: 1 },
      { start: '2026-03-16', count: 1 },
    ]);
    expect(body.undated).toBe(0);
    expect(sum(body)).toBe(body.totalHits);
  });

  it('when no histogram is asked, then the answer has neither histogram nor undated', async () => {
    const { body } = await search('q=coffee');
    expect(body).not.toHaveProperty('histogram');
    expect(body).not.toHaveProperty('undated');
    expect(body).not.toHaveProperty('significant');
  });
});

describe('GET /api/search with significant', () => {
  it('when significant terms and places are asked, then the topic\'s words and place stand out and "said" does not', async () => {
    const { status, body } = await search('q=coffee&perPage=2&significant=terms,places');
    expect(status).toBe(200);
    expect(searchResponseSchema.parse(body)).toBeDefined();
    const significant = body.significant as { sampled: number; corpus: number; terms: { value: string; score: number; count: number; background: number }[]; places: { value: string }[] };
    expect(significant.sampled).toBe(5);
    expect(significant.corpus).toBe(STORIES.length);
    const words = significant.terms.map((t) => t.value.toLowerCase());
    // words held by the five coffee stories only tie at the top score (ties by value)
    expect(words).toEqual(expect.arrayContaining(['arabica', 'bags', 'coffee']));
    expect(significant.terms[0]!.score).toBe(significant.terms.find((t) => t.value.toLowerCase() === 'coffee')!.score);
    expect(words).not.toContain('said');
    expect(significant.terms.every((t) => t.count <= 5 && t.background >= t.count && t.score > 0)).toBe(true);
    expect(significant.places.map((p) => p.value)).toContain('Brazil');
    expect(significant).not.toHaveProperty('people');
  });

  it('when nothing matches, then the lists are empty', async () => {
    const { body } = await search('q=zzzzqqq&match=all&significant=terms,people');
    expect(body.significant).toEqual({ sampled: 0, corpus: STORIES.length, terms: [], people: [] });
  });
});

describe('GET /api/search trends: validation', () => {
  it.each([
    ['a histogram interval that does not exist', 'histogram=year', 'histogram'],
    ['histogram given twice', 'histogram=day&histogram=week', 'histogram'],
    ['a significant kind that does not exist', 'significant=terms,colours', 'significant'],
    ['a histogram with an export format', 'format=csv&histogram=day', 'format'],
    ['significant with an export format', 'format=jsonl&significant=terms', 'format'],
  ])('when the request has %s, then it is 400 invalid_request naming the parameter', async (_case, query, path) => {
    const { status, text } = await search(query);
    expect(status).toBe(400);
    const problem = JSON.parse(text) as { code: string; errors: { path: string }[] };
    expect(problem.code).toBe('invalid_request');
    expect(problem.errors.some((e) => e.path === path || e.path.startsWith(`${path}.`))).toBe(true);
  });
});

describe('GET /api/search trends on the Meilisearch adapter (the local stub, answering as Meilisearch v1.50)', () => {
  const MASTER = 'master-key-for-trends-tests-0123456789';
  let stub: MeiliStub;
  let engine: MeilisearchEngine;
  let meiliApp: Express;

  beforeAll(async () => {
    stub = new MeiliStub(MASTER);
    await stub.start();
    engine = new MeilisearchEngine({ url: stub.url, index: 'articles', keys: { masterKey: MASTER }, role: 'indexer', taskIntervalMs: 1 });
    meiliApp = await appOverStories(STORIES, {}, engine);
  });

  afterAll(async () => {
    await engine.close();
    await stub.stop();
  });

  it('when a histogram and significant terms are asked, then they answer as on the embedded engine', async () => {
    const [meili, embedded] = await Promise.all([
      request(meiliApp).get('/api/search?q=said&perPage=1&histogram=month&significant=terms,places'),
      request(app).get('/api/search?q=said&perPage=1&histogram=month&significant=terms,places'),
    ]);
    expect(meili.status).toBe(200);
    expect(searchResponseSchema.parse(meili.body)).toBeDefined();
    expect(meili.body.histogram).toEqual(embedded.body.histogram);
    expect(meili.body.undated).toBe(1);
    expect(sum(meili.body)).toBe(meili.body.totalHits);
    const coffeeWords = await request(meiliApp).get('/api/search?q=coffee&significant=terms,places');
    const words = (coffeeWords.body.significant.terms as { value: string }[]).map((t) => t.value.toLowerCase());
    expect(words).toEqual(expect.arrayContaining(['arabica', 'bags', 'coffee']));
    expect(words).not.toContain('said');
    expect((coffeeWords.body.significant.places as { value: string }[]).map((p) => p.value)).toContain('Brazil');
  });
});
