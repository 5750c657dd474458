import type { Express } from 'express';
import request from 'supertest';
import type { HttpOptions } from '../../src/http/http-options.js';
import { appOverStories } from '../helpers/stories-app.js';

const SEARCH = 'a-private-search-key-for-back-ends';
const PUBLIC = 'a-public-key-for-pages-and-widget';
const ADMIN = 'an-admin-key-long-enough';
const BOTH = { searchApiKey: SEARCH, publicApiKey: PUBLIC };

/** Fictional stories naming a person the entity extractor finds (as in entities.test.ts). */
const STORIES = [
  {
    id: 'talks-1',
    title: 'Lavrov and Qin discuss harbour trade',
    body: 'Russian Foreign Minister Sergei Lavrov met Chinese Foreign Minister Qin Gang in Beijing. Lavrov said harbour trade would grow.',
    publishedAt: '2026-01-10T09:00:00Z',
    source: 'Wire',
  },
  {
    id: 'talks-2',
    title: 'Foreign ministers meet again on harbour trade',
    body: 'Foreign Minister Sergei Lavrov travelled to Geneva for talks on harbour trade. Lavrov told reporters the talks went well.',
    publishedAt: '2026-02-03T09:00:00Z',
    source: 'Wire',
  },
  {
    id: 'reef-1',
    title: 'Reef study published',
    body: 'Dr Selin Erdağ of the University of Port Aldric said the reef near the harbour was recovering.',
    publishedAt: '2026-03-22T09:00:00Z',
    source: 'Herald',
  },
];

const appWith = (http: Partial<HttpOptions>): Promise<Express> => appOverStories(STORIES, { adminApiKey: ADMIN, ...http });

/** Every read the bundled pages and the widget make. */
const PAGE_READS = [
  '/api/search?q=harbour&facets=category,source',
  '/api/articles/talks-1',
  '/api/articles/talks-1/similar?limit=5',
  '/api/entities?q=lav',
  '/api/entities/person/Sergei%20Lavrov',
];

const detailOf = (res: request.Response): string => (JSON.parse(res.text) as { detail: string }).detail;

describe('API key scopes: the private search key and the public key of the pages and the widget', () => {
  it('when SEARCH_API_KEY and PUBLIC_API_KEY are set, then the public key reads what the pages and the widget read', async () => {
    const app = await appWith(BOTH);
    for (const url of PAGE_READS) {
      expect([url, (await request(app).get(url).set('X-Api-Key', PUBLIC)).status]).toEqual([url, 200]);
      expect([url, (await request(app).get(url).set('Authorization', `Bearer ${PUBLIC}`)).status]).toEqual([url, 200]);
      expect([url, (await request(app).get(url).set('X-Api-Key', SEARCH)).status]).toEqual([url, 200]);
      expect([url, (await request(app).get(url)).status]).toEqual([url, 401]);
    }
    const wrong = await request(app).get('/api/search?q=harbour').set('X-Api-Key', ADMIN);
    expect(wrong.status).toBe(403);
  });

  it('when the public key asks for an export or POST /api/similar, then it gets 403 saying the search key is needed; the search key gets them', async () => {
    const app = await appWith(BOTH);
    const refused = [
      request(app).get('/api/search?q=harbour&format=csv'),
      request(app).get('/api/search?q=harbour&format=jsonl'),
      request(app).get('/API/Search/?q=harbour&format=csv'), // Express routes paths case-insensitively
      request(app).post('/api/similar').send({ text: 'harbour trade talks' }),
      request(app).post('/API/similar/').send({ text: 'harbour trade talks' }),
    ];
    for (const pending of refused) {
      const res = await pending.set('X-Api-Key', PUBLIC);
      expect(res.status).toBe(403);
      expect(JSON.parse(res.text).code).toBe('forbidden');
      expect(detailOf(res)).toMatch(/needs? the search key \(SEARCH_API_KEY\)/);
    }
    expect((await request(app).get('/api/search?q=harbour&format=csv').set('X-Api-Key', SEARCH)).status).toBe(200);
    expect((await request(app).get('/api/search?q=harbour&format=jsonl').set('X-Api-Key', SEARCH)).status).toBe(200);
    expect((await request(app).post('/api/similar').set('X-Api-Key', SEARCH).send({ text: 'harbour trade talks' })).status).toBe(200);
  });

  it('when the public key tries to write, then it is refused and nothing changes', async () => {
    const app = await appWith(BOTH);
    const post = await request(app).post('/api/articles').set('X-Api-Key', PUBLIC).send({ id: 'new-1', title: 'New', body: 'A new story.' });
    expect(post.status).toBe(403);
    expect((await request(app).delete('/api/articles/talks-1').set('X-Api-Key', PUBLIC)).status).toBe(403);
    expect((await request(app).get('/api/articles/talks-1').set('X-Api-Key', PUBLIC)).status).toBe(200);
    expect((await request(app).get('/api/articles/new-1').set('X-Api-Key', SEARCH)).status).toBe(404);
  });

  it('when a client goes over PUBLIC_RATE_LIMIT_PER_MINUTE with the public key, then it gets 429 with Retry-After, counted apart from the search key', async () => {
    const app = await appWith({ ...BOTH, publicRateLimitPerMinute: 2, rateLimitPerMinute: 100 });
    for (let i = 0; i < 2; i++) expect((await request(app).get('/api/articles/talks-1').set('X-Api-Key', PUBLIC)).status).toBe(200);
    const limited = await request(app).get('/api/search?q=harbour').set('X-Api-Key', PUBLIC);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.parse(limited.text).code).toBe('rate_limited');
    expect(detailOf(limited)).toBe('more than 2 requests a minute from this client with the public key');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The same client with the private key is under the global limit only, which the public requests barely used.
    for (let i = 0; i < 5; i++) expect((await request(app).get('/api/search?q=harbour').set('X-Api-Key', SEARCH)).status).toBe(200);
  });

  it('when PUBLIC_RATE_LIMIT_PER_MINUTE is 0, then the public key has no limit of its own', async () => {
    const app = await appWith({ ...BOTH, publicRateLimitPerMinute: 0, rateLimitPerMinute: 0 });
    for (let i = 0; i < 5; i++) expect((await request(app).get('/api/articles/talks-1').set('X-Api-Key', PUBLIC)).status).toBe(200);
  });

  it('when SEARCH_API_KEY is not set, then reads stay open: the public key is merely accepted and limits nothing', async () => {
    const app = await appWith({ publicApiKey: PUBLIC, publicRateLimitPerMinute: 1, rateLimitPerMinute: 0 });
    expect((await request(app).get('/api/search?q=harbour')).status).toBe(200);
    expect((await request(app).get('/api/search?q=harbour&format=csv').set('X-Api-Key', PUBLIC)).status).toBe(200);
    expect((await request(app).post('/api/similar').set('X-Api-Key', PUBLIC).send({ text: 'harbour trade' })).status).toBe(200);
    expect((await request(app).get('/api/articles/talks-1').set('X-Api-Key', PUBLIC)).status).toBe(200);
  });

  it('when a listed origin preflights a read with X-Api-Key (the widget), then CORS allows the header; another origin is not allowed', async () => {
    const app = await appWith({ ...BOTH, corsOrigins: ['https://news.example'] });
    const preflight = (origin: string) =>
      request(app)
        .options('/api/articles/talks-1/similar?limit=5')
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'x-api-key');
    const listed = await preflight('https://news.example');
    expect(listed.status).toBe(204);
    expect(listed.headers['access-control-allow-origin']).toBe('https://news.example');
    expect(String(listed.headers['access-control-allow-headers']).toLowerCase().split(/\s*,\s*/)).toContain('x-api-key');
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
    const read = await request(app).get('/api/articles/talks-1/similar?limit=5').set('Origin', 'https://news.example').set('X-Api-Key', PUBLIC);
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBe('https://news.example');
  });

  it('when /openapi.json is read, then every /api read may go without a key or with one in either header, and lists 401 and 403', async () => {
    const doc = JSON.parse((await request(await appWith(BOTH)).get('/openapi.json')).text) as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
      components: { securitySchemes: Record<string, { description?: string }> };
    };
    const reads = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })))
      .filter(({ path, method }) => !(path.startsWith('/api/articles') && method !== 'get'))
      // not reads: beacons need no key at all; reports and saved searches need the admin key (their Atom feeds are reads)
      .filter(({ path }) => path !== '/api/events' && !path.startsWith('/api/analytics/'))
      .filter(({ path }) => !path.startsWith('/api/saved-searches') || path.endsWith('/feed'));
    expect(reads.length).toBeGreaterThanOrEqual(6);
    for (const { op } of reads) {
      expect(op.security).toEqual([{}, { apiKey: [] }, { apiKeyHeader: [] }]);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403']));
    }
    expect(doc.components.securitySchemes['apiKey']?.description).toMatch(/PUBLIC_API_KEY/);
    expect(doc.components.securitySchemes['apiKeyHeader']).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Api-Key' });
  });
});
