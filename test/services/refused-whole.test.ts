import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { createApp } from '../../src/http/app.js';
import type { ArticleWriter } from '../../src/services/article-writer.js';
import { inProcessWriter, PRECHECK_BYTES, refusedWhole } from '../../src/services/article-writer.js';
import { Similarity } from '../../src/similarity/similarity.js';

/**
 * A small `POST /api/articles` body none of whose articles can be written is answered where it is received
 * (services/article-writer.ts refusedWhole), with the answer the write path gives, instead of queueing for the write
 * thread behind other writes.
 */

const ADMIN = 'an-admin-key-long-enough';
const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const good = (id: string) => ({ id, title: `Harbour report ${id}`, body: 'The ferry crossed the harbour at dawn.' });

const REFUSED: unknown[] = [
  { id: 'bad one', title: '', body: 'x' },
  [{ id: 'a', title: '' }, { title: 'no body' }, 42, null, 'text'],
  [{ id: 'dup', title: 'T', body: '' }, { id: 'dup', title: '', body: 'b' }],
  [{ id: 'x'.repeat(600), title: 'Long id', body: 'b' }, { id: 'ok', title: 'T', body: 'b', publishedAt: 'not a date', url: 'ftp://x' }],
];

describe('refusedWhole', () => {
  let engine: SqliteEngine;
  beforeEach(() => {
    engine = SqliteEngine.open({ file: ':memory:' });
  });
  afterEach(async () => {
    await engine.close();
  });

  it('when every article of a small body is refused, then its answer equals the write path\'s, and nothing is written', async () => {
    const writer = inProcessWriter({ engine });
    for (const body of REFUSED) {
      const early = refusedWhole(bytes(body));
      expect(early).toBeDefined();
      expect(early).toEqual(await writer.ingestBody(bytes(body)));
      expect(early!.summary.indexed).toBe(0);
    }
    expect((await engine.stats()).articles).toBe(0);
  });

  it('when one article can be written, or the body is over the precheck size, then it is left to the write path', () => {
    expect(refusedWhole(bytes([{ id: 'bad', title: '' }, good('fine')]))).toBeUndefined();
    expect(refusedWhole(bytes([good('dup'), { ...good('dup'), title: 'again' }]))).toBeUndefined();
    const big = [{ id: 'bad', title: '', body: 'y'.repeat(PRECHECK_BYTES) }];
    expect(refusedWhole(bytes(big))).toBeUndefined();
  });

  it('when the body is not JSON or holds no article, then it throws as the write path does', async () => {
    const writer = inProcessWriter({ engine });
    for (const body of ['{"id": ', '[]', `[${Array.from({ length: 1_001 }, () => '{}').join(',')}]`]) {
      const early = (() => {
        try {
          refusedWhole(bytes(body));
          return undefined;
        } catch (error) {
          return error;
        }
      })();
      expect(early).toBeDefined();
      await expect(writer.ingestBody(bytes(body))).rejects.toEqual(early);
    }
  });

  it('when the write thread is busy, then a wholly refused small body is answered 422 at once and a bad JSON one 400', async () => {
    let queued = 0;
    // a writer whose queue never moves (a long write ahead): what reaches it waits forever
    const stuck: ArticleWriter = {
      ingest: () => new Promise(() => {}),
      ingestBody: () => {
        queued++;
        return new Promise(() => {});
      },
      delete: () => new Promise(() => {}),
      close: async () => {},
    };
    const similarity = Similarity.open(':memory:', { serve: true });
    const app = createApp({ engine, similarity, writer: stuck, now: () => performance.now(), clock: () => Date.now(), logError: () => {}, http: { adminApiKey: ADMIN } });
    const refused = await request(app).post('/api/articles').set('X-Api-Key', ADMIN).send(REFUSED[1] as object);
    expect(refused.status).toBe(422);
    expect(JSON.parse(refused.text)).toMatchObject({ code: 'invalid_article', read: 5, indexed: 0, rejected: 5 });
    const malformed = await request(app).post('/api/articles').set('X-Api-Key', ADMIN).set('Content-Type', 'application/json').send('{"id": ');
    expect(malformed.status).toBe(400);
    expect(queued).toBe(0);
    // a DELETE of an id no write accepts (and no store holds) is 404 at once
    for (const id of ['..%2F..%2Fetc%2Fpasswd', 'a'.repeat(600), 'with.dot']) {
      const gone = await request(app).delete(`/api/articles/${id}`).set('X-Api-Key', ADMIN);
      expect({ id, status: gone.status }).toEqual({ id, status: 404 });
    }
  });

  it('when a store written before the id rule holds an id the rule refuses, then DELETE still removes it', async () => {
    await engine.upsert([{ id: 'legacy.id', title: 'Harbour report', body: 'The ferry crossed the harbour at dawn.' }]);
    const similarity = Similarity.open(':memory:', { serve: true });
    const app = createApp({ engine, similarity, now: () => performance.now(), clock: () => Date.now(), logError: () => {}, http: { adminApiKey: ADMIN } });
    expect((await request(app).delete('/api/articles/legacy.id').set('X-Api-Key', ADMIN)).status).toBe(204);
    expect(await engine.get('legacy.id')).toBeUndefined();
  });
});
