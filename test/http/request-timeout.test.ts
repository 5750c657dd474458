import { performance } from 'node:perf_hooks';
import express from 'express';
import request from 'supertest';
import { SavedSearches } from '../../src/alerts/saved-searches.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { createApp } from '../../src/http/app.js';
import { isArticleWrite } from '../../src/http/article-write-routes.js';
import { isQueuedWrite } from '../../src/http/queued-writes.js';
import { requestTimeout } from '../../src/http/request-context.js';
import { Similarity } from '../../src/similarity/similarity.js';

/** An app whose routes answer after `delayMs`, behind the timeout the API uses: 50 ms for reads, 2 s for writes. */
function slowApp(delayMs: number) {
  const app = express();
  app.use(requestTimeout((req) => (isQueuedWrite(req) ? 2_000 : 50), (_error, _req, res) => void res.status(503).json({ code: 'timeout' })));
  const later = (_req: express.Request, res: express.Response) => void setTimeout(() => res.headersSent || res.json({ ok: true }), delayMs);
  app.get('/api/search', later);
  app.post('/api/articles', later);
  app.delete('/api/articles/:id', later);
  app.post('/api/saved-searches', later);
  app.delete('/api/saved-searches/:id', later);
  app.post('/api/similar', later);
  return app;
}

describe('the request timeout, longer for article and saved-search writes', () => {
  it('when a read waits past its limit, then it gets 503 timeout; an article or saved-search write waiting as long is answered', async () => {
    const app = slowApp(300);
    expect((await request(app).get('/api/search')).status).toBe(503);
    expect((await request(app).post('/api/articles')).body).toEqual({ ok: true });
    expect((await request(app).delete('/api/articles/reuters-1')).body).toEqual({ ok: true });
    expect((await request(app).post('/api/saved-searches')).body).toEqual({ ok: true });
    expect((await request(app).delete('/api/saved-searches/ss-0123456789abcdef')).body).toEqual({ ok: true });
  });

  it('when another POST waits as long, then it keeps the read limit: only writes queue', async () => {
    expect((await request(slowApp(300)).post('/api/similar')).status).toBe(503);
  });

  it('when a path only looks like a write, then it is not one', () => {
    const req = (method: string, path: string) => ({ method, path }) as express.Request;
    expect(isArticleWrite(req('POST', '/api/articles'))).toBe(true);
    expect(isArticleWrite(req('DELETE', '/api/articles/a-1'))).toBe(true);
    expect(isArticleWrite(req('GET', '/api/articles/a-1'))).toBe(false);
    expect(isArticleWrite(req('DELETE', '/api/articles/a-1/similar'))).toBe(false);
    expect(isArticleWrite(req('POST', '/api/articles/x'))).toBe(false);
    expect(isQueuedWrite(req('DELETE', '/api/saved-searches/ss-1'))).toBe(true);
    expect(isQueuedWrite(req('GET', '/api/saved-searches/ss-1'))).toBe(false);
    expect(isQueuedWrite(req('DELETE', '/api/saved-searches/ss-1/feed'))).toBe(false);
  });

  it('when a write is asked in another letter case or with a trailing slash, then it is a queued write exactly when the router takes it to a write route', async () => {
    // no ADMIN_API_KEY: the write routes answer 403 (their guard); a request no route takes falls through to 404
    const engine = SqliteEngine.open({ file: ':memory:' });
    const similarity = Similarity.open(':memory:', { serve: true });
    const savedSearches = SavedSearches.open(':memory:', () => Date.now());
    const app = createApp({ engine, similarity, savedSearches, now: () => performance.now(), clock: () => Date.now(), logError: () => {}, http: {} });
    const asked: [string, string][] = [];
    for (const base of ['/api/articles', '/api/saved-searches']) {
      const upper = base.toUpperCase();
      for (const path of [base, `${base}/`, upper, `${upper}/`, `${base}//`, `${base}/x`, `${base}x`, `/api${base}`]) asked.push(['POST', path]);
      for (const path of [`${base}/a-1`, `${base}/a-1/`, `${upper}/A-1`, `${upper}/a-1/`, `${base}/a%2F1`, `${base}/a-1/similar`, `${base}/a-1//`, `${base}/`, `${base}//`, base]) {
        asked.push(['DELETE', path]);
      }
    }
    try {
      for (const [method, path] of asked) {
        const res = await (method === 'POST' ? request(app).post(path) : request(app).delete(path));
        expect([403, 404]).toContain(res.status);
        const queued = isQueuedWrite({ method, path } as express.Request);
        expect({ method, path, queued }).toEqual({ method, path, queued: res.status === 403 });
      }
    } finally {
      savedSearches.close();
    }
  });
});
