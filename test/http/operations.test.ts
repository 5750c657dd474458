import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import request from 'supertest';
import { EngineUnavailableError } from '../../src/core/errors.js';
import type { SearchEngine } from '../../src/engines/search-engine.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { createApp } from '../../src/http/app.js';
import type { AppDeps } from '../../src/http/app-deps.js';
import { Similarity } from '../../src/similarity/similarity.js';
import { makeArticle } from '../helpers/make-article.js';

const KEY = 'a-search-key-of-some-length';

async function appWith(overrides: Partial<AppDeps> = {}) {
  const engine = SqliteEngine.open({ file: ':memory:' });
  await engine.upsert([makeArticle({ title: 'Harbour strike ends', body: 'Dock workers in Port Aldric return to work.' })]);
  const similarity = Similarity.open(':memory:', { serve: true });
  return createApp({ engine, similarity, now: () => performance.now(), clock: () => Date.now(), logError: () => {}, ...overrides });
}

/** An engine whose search never answers and whose health fails: a stalled or unreachable store. */
function stalledEngine(): SearchEngine {
  const never = () => new Promise<never>(() => {});
  return {
    upsert: never,
    delete: never,
    clear: never,
    get: never,
    search: never,
    allResults: () => ({ [Symbol.asyncIterator]: () => ({ next: never }) }),
    stats: async () => ({ engine: 'stalled', articles: 0 }),
    health: async () => {
      throw new EngineUnavailableError('the store does not answer');
    },
    sync: never,
    findsNamedEntities: () => false,
    close: async () => undefined,
  };
}

describe('HTTP operations', () => {
  it('when a request comes in, then a request id is echoed (the client\'s when it is a sane token)', async () => {
    const app = await appWith();
    const fresh = await request(app).get('/health');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await request(app).get('/health').set('X-Request-Id', 'edge-42.a_b');
    expect(given.headers['x-request-id']).toBe('edge-42.a_b');
    const hostile = await request(app).get('/health').set('X-Request-Id', '<script>');
    expect(hostile.headers['x-request-id']).not.toBe('<script>');
  });

  it('when any route answers, then security headers are set', async () => {
    const res = await request(await appWith()).get('/api/search?q=strike');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('when a browser calls from an allowed origin, then CORS allows it; from another origin, then it does not', async () => {
    const app = await appWith({ http: { corsOrigins: ['https://news.example'] } });
    const allowed = await request(app).get('/api/search?q=strike').set('Origin', 'https://news.example');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://news.example');
    expect(allowed.headers['access-control-expose-headers']).toContain('ETag');
    const other = await request(app).get('/api/search?q=strike').set('Origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await request(app).options('/api/similar').set('Origin', 'https://news.example').set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).toBe(204);
  });

  it('when a client goes over the rate limit, then it gets 429 problem+json with Retry-After, and probes still pass', async () => {
    const app = await appWith({ http: { rateLimitPerMinute: 3 } });
    for (let i = 0; i < 3; i++) expect((await request(app).get('/api/search?q=strike')).status).toBe(200);
    const limited = await request(app).get('/api/search?q=strike');
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.parse(limited.text).code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await request(app).get('/health')).status).toBe(200);
  });

  it('when SEARCH_API_KEY is set, then reads need it: 401 without, 403 with another, 200 with it; probes stay open', async () => {
    const app = await appWith({ http: { searchApiKey: KEY } });
    const none = await request(app).get('/api/search?q=strike');
    expect(none.status).toBe(401);
    expect(JSON.parse(none.text).code).toBe('unauthorized');
    const wrong = await request(app).get('/api/search?q=strike').set('X-Api-Key', 'not-the-key-at-all');
    expect(wrong.status).toBe(403);
    expect(JSON.parse(wrong.text).code).toBe('forbidden');
    expect((await request(app).get('/api/search?q=strike').set('Authorization', `Bearer ${KEY}`)).status).toBe(200);
    expect((await request(app).get('/api/search?q=strike').set('X-Api-Key', KEY)).status).toBe(200);
    expect((await request(app).get('/health')).status).toBe(200);
  });

  it('when a body is larger than the limit, then it is a 413 problem', async () => {
    const app = await appWith({ http: { maxBodyBytes: 1_024 } });
    const res = await request(app).post('/api/similar').send({ text: 'x'.repeat(5_000) });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text).code).toBe('payload_too_large');
  });

  it('when the engine fails, then /metrics counts the call under the error code', async () => {
    const app = await appWith({ engine: stalledEngine() });
    await request(app).get('/ready');
    expect((await request(app).get('/metrics')).text).toMatch(/newsfind_engine_call_duration_seconds_count\{operation="health",outcome="engine_unavailable"\} 1/);
  });

  it('when the engine does not answer in time, then the client gets a 503 timeout problem with Retry-After', async () => {
    const app = await appWith({ engine: stalledEngine(), http: { requestTimeoutMs: 200 } });
    const res = await request(app).get('/api/search?q=strike');
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text).code).toBe('timeout');
    expect(res.headers['retry-after']).toBe('1');
  });

  it('when the engine is reachable, then /ready is 200; when it is not, then /ready is 503 while /health stays 200', async () => {
    expect((await request(await appWith()).get('/ready')).status).toBe(200);
    const down = await appWith({ engine: stalledEngine() });
    const ready = await request(down).get('/ready');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text).code).toBe('engine_unavailable');
    expect((await request(down).get('/health')).status).toBe(200);
  });

  it('when requests were served, then /metrics reports their latency by route pattern, errors by code and the article count', async () => {
    const app = await appWith();
    await request(app).get('/api/search?q=strike');
    await request(app).get('/api/articles/nope');
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/newsfind_http_request_duration_seconds_count\{method="GET",route="\/api\/search",status="200"\} 1/);
    expect(res.text).toMatch(/newsfind_http_request_duration_seconds_count\{method="GET",route="\/api\/articles\/:id",status="404"\} 1/);
    expect(res.text).toMatch(/newsfind_http_errors_total\{code="not_found"\} 1/);
    expect(res.text).toMatch(/newsfind_articles 1/);
    expect(res.text).toMatch(/newsfind_engine_call_duration_seconds_count\{operation="search",outcome="ok"\} 1/);
    expect(res.text).toMatch(/newsfind_engine_call_duration_seconds_count\{operation="get",outcome="ok"\} 1/);
  });

  it('when an export was answered, then /metrics reports it as one engine call, operation export', async () => {
    const app = await appWith();
    const exported = await request(app).get('/api/search?q=strike&format=jsonl');
    expect(exported.status).toBe(200);
    expect(exported.text.trim().split('\n')).toHaveLength(1);
    const res = await request(app).get('/metrics');
    expect(res.text).toMatch(/newsfind_engine_call_duration_seconds_count\{operation="export",outcome="ok"\} 1/);
  });

  it('when requests are logged, then each line carries the request id and never an API key', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    const app = await appWith({ logger: pino({ level: 'debug' }, sink), http: { searchApiKey: KEY } });
    const res = await request(app).get('/api/search?q=strike').set('Authorization', `Bearer ${KEY}`).set('X-Api-Key', KEY);
    expect(res.status).toBe(200);
    const log = lines.join('');
    expect(log).toContain(String(res.headers['x-request-id']));
    expect(log).not.toContain(KEY);
  });
});
