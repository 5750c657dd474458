import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { createApp } from '../../src/http/app.js';
import { articlesRejectedProblemSchema, ingestResponseSchema } from '../../src/http/response-schemas.js';
import { PRECHECK_BYTES } from '../../src/services/article-writer.js';
import { Similarity } from '../../src/similarity/similarity.js';
import { WriteThread } from '../../src/storage/write-thread.js';

const ADMIN = 'an-admin-key-long-enough';

function appWith(adminApiKey?: string) {
  const engine = SqliteEngine.open({ file: ':memory:' });
  const similarity = Similarity.open(':memory:', { serve: true });
  return createApp({ engine, similarity, now: () => performance.now(), clock: () => Date.now(), logError: () => {}, http: { adminApiKey } });
}

const STORIES = [
  { id: 'ferry-1', title: 'Ferry service to Sarrow resumes', body: 'The Sarrow ferry service resumes after the winter storms closed the harbour.' },
  { id: 'ferry-2', title: 'Sarrow ferry timetable extended', body: 'More ferry crossings to Sarrow as the harbour reopens after the storms.' },
];

describe('article writes', () => {
  it('when no ADMIN_API_KEY is configured, then writes are refused with 403', async () => {
    const res = await request(appWith()).post('/api/articles').set('X-Api-Key', ADMIN).send(STORIES);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text).code).toBe('forbidden');
  });

  it('when the key is missing or wrong, then 401 or 403, and nothing is written', async () => {
    const app = appWith(ADMIN);
    expect((await request(app).post('/api/articles').send(STORIES)).status).toBe(401);
    expect((await request(app).post('/api/articles').set('Authorization', 'Bearer wrong-key-of-some-size').send(STORIES)).status).toBe(403);
    expect(JSON.parse((await request(app).get('/api/search?q=ferry')).text).totalHits).toBe(0);
  });

  it('when a batch holds a bad article, then the good ones are indexed, searchable and related at once, and the bad one is reported by index and field', async () => {
    const app = appWith(ADMIN);
    const res = await request(app).post('/api/articles').set('X-Api-Key', ADMIN).send([...STORIES, { id: 'bad one', title: '', body: 'x' }]);
    expect(res.status).toBe(200);
    const summary = ingestResponseSchema.parse(JSON.parse(res.text));
    expect(summary).toMatchObject({ read: 3, indexed: 2, unchanged: 0, rejected: 1 });
    expect(summary.rejections[0]?.location).toBe('body[2]');
    expect(summary.rejections[0]?.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['id', 'title']));
    expect(JSON.parse((await request(app).get('/api/search?q=ferrys%20sarow')).text).totalHits).toBe(2);
    const similar = JSON.parse((await request(app).get('/api/articles/ferry-1/similar')).text);
    expect(similar.hits.map((h: { id: string }) => h.id)).toEqual(['ferry-2']);
    const again = JSON.parse((await request(app).post('/api/articles').set('X-Api-Key', ADMIN).send(STORIES[0])).text);
    expect(again).toMatchObject({ read: 1, indexed: 0, unchanged: 1, rejected: 0 });
  });

  it('when every article in a batch is bad, then it is a 422 invalid_article problem that still lists the counts and reasons', async () => {
    const res = await request(appWith(ADMIN)).post('/api/articles').set('X-Api-Key', ADMIN).send([{ title: 'no body' }, { id: 'x', title: '', body: 'b' }]);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = articlesRejectedProblemSchema.parse(JSON.parse(res.text));
    expect(problem).toMatchObject({ type: 'urn:newsfind:problem:invalid_article', status: 422, code: 'invalid_article', instance: '/api/articles' });
    expect(problem).toMatchObject({ read: 2, indexed: 0, unchanged: 0, rejected: 2, detail: 'all 2 articles were rejected: see rejections' });
    expect(problem.rejections.map((r) => r.location)).toEqual(['body[0]', 'body[1]']);
    expect(problem.rejections[0]?.issues.map((i) => i.path)).toEqual(['body']);
  });

  it('when every article is bad, then the answer made where the request is received and the write thread\'s are the same bytes', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-422-'));
    const writer = new WriteThread({ env: { ...process.env, DATA_DIR: dataDir, DEMO_DATA: 'off' } });
    try {
      const engine = SqliteEngine.open({ file: ':memory:' });
      const similarity = Similarity.open(':memory:', { serve: true });
      const app = createApp({ engine, similarity, writer, now: () => performance.now(), clock: () => Date.now(), logError: () => {}, http: { adminApiKey: ADMIN } });
      const post = (body: string) => request(app).post('/api/articles').set('X-Api-Key', ADMIN).set('Content-Type', 'application/json').send(body);
      for (const batch of [{ id: 'bad one', title: '', body: 'x' }, [{ id: 'a', title: '' }, { title: 'no body' }, 42, null, 'text']]) {
        const body = JSON.stringify(batch);
        const early = await post(body); // at most 64 KiB: answered where it is received
        // the same JSON past 64 KiB (trailing whitespace): left to the write thread, which parses and checks it there
        const queued = await post(body + ' '.repeat(PRECHECK_BYTES));
        expect(writer.running).toBe(true);
        expect(early.status).toBe(422);
        expect(queued.status).toBe(422);
        expect(queued.headers['content-type']).toBe(early.headers['content-type']);
        expect(queued.text).toBe(early.text);
      }
    } finally {
      await writer.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('when an article is deleted, then search and similar no longer find it; deleting it again is a 404', async () => {
    const app = appWith(ADMIN);
    await request(app).post('/api/articles').set('X-Api-Key', ADMIN).send(STORIES);
    expect((await request(app).delete('/api/articles/ferry-2').set('X-Api-Key', ADMIN)).status).toBe(204);
    expect(JSON.parse((await request(app).get('/api/search?q=ferry')).text).totalHits).toBe(1);
    expect(JSON.parse((await request(app).get('/api/articles/ferry-1/similar')).text).hits).toEqual([]);
    const again = await request(app).delete('/api/articles/ferry-2').set('X-Api-Key', ADMIN);
    expect(again.status).toBe(404);
    expect((await request(app).delete('/api/articles/ferry-1')).status).toBe(401);
  });
});
