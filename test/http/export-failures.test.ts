import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { EngineUnavailableError } from '../../src/core/errors.js';
import type { WholeSearch } from '../../src/engines/search-engine.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { createApp } from '../../src/http/app.js';
import { Similarity } from '../../src/similarity/similarity.js';
import { makeArticle } from '../helpers/make-article.js';

/**
 * Exports that fail or are abandoned (http/export-response.ts, found by review): a failure after the first byte
 * left the connection open for good; one before it answered a problem that still said "attachment; search.csv"; an
 * export whose order came after the request's timeout held its reader, its slot and its metric for good.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function engineWith(count: number, title: (i: number) => string): Promise<SqliteEngine> {
  const engine = SqliteEngine.open({ file: ':memory:' });
  await engine.upsert(Array.from({ length: count }, (_, i) => makeArticle({ id: `h-${i}`, title: title(i), body: 'The harbour.' })));
  await engine.sync();
  return engine;
}

/** The engine's export failing at its step `failAt` (1-based). */
function failingAt(engine: SqliteEngine, failAt: number): void {
  const allResults = engine.allResults.bind(engine);
  engine.allResults = async function* (req: WholeSearch, batch: number, abandoned?: () => boolean) {
    let step = 0;
    for await (const articles of allResults(req, batch, abandoned)) {
      if (++step === failAt) throw new EngineUnavailableError('the engine went away');
      yield articles;
    }
  };
}

/** GETs an export on a real socket: status, headers, bytes, and how the answer ended (or that it did not in 4 s). */
async function download(engine: SqliteEngine): Promise<{ status?: number; headers?: http.IncomingHttpHeaders; bytes: number; outcome: string }> {
  const similarity = Similarity.open(':memory:', { serve: true });
  const app = createApp({ engine, similarity, now: () => performance.now(), clock: () => Date.now(), logError: () => {} });
  const server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise((resolve) => {
      let bytes = 0;
      let status: number | undefined;
      let headers: http.IncomingHttpHeaders | undefined;
      const done = (outcome: string) => {
        clearTimeout(timer);
        resolve({ status, headers, bytes, outcome });
      };
      const req = http.get({ port, path: '/api/search?q=harbour&format=csv' }, (res) => {
        status = res.statusCode;
        headers = res.headers;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => done('end'));
        res.on('aborted', () => done('aborted'));
        res.on('error', () => done('aborted'));
      });
      req.on('error', () => done('aborted'));
      const timer = setTimeout(() => {
        done('still open');
        req.destroy();
      }, 4_000);
    });
  } finally {
    server.closeAllConnections();
    server.close();
    similarity.close();
  }
}

describe('exports that fail', () => {
  it('when the engine fails after the first byte, then the download is cut short (the connection closes)', async () => {
    const engine = await engineWith(3_000, (i) => `Harbour ${i} ${'long title words '.repeat(8)}`);
    failingAt(engine, 10);
    const answer = await download(engine);
    await engine.close();
    expect(answer.status).toBe(200);
    expect(answer.bytes).toBeGreaterThan(0);
    expect(answer.outcome).toBe('aborted');
  }, 20_000);

  it('when the engine fails before the first byte, then the answer is a problem, not a download', async () => {
    // the first step's rows are read (the headers set) but less than a chunk of them, so nothing was sent yet
    const engine = await engineWith(3_000, (i) => `Harbour ${i}`);
    failingAt(engine, 2);
    const answer = await download(engine);
    await engine.close();
    expect(answer.status).toBe(503);
    expect(answer.headers?.['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.headers?.['content-disposition']).toBeUndefined();
  }, 20_000);
});

describe('an export whose first row comes after the request timeout', () => {
  // the index host's walk, once abandoned, rejects (EngineUnavailableError); a reader may also just stop
  it.each(['stops', 'fails'])('when the timeout answers first and the walk then %s, then the export stops, lets its reader go, frees its slot, is counted and logs no failure of its own', async (walk) => {
    const engine = await engineWith(50, (i) => `Harbour ${i}`);
    const allResults = engine.allResults.bind(engine);
    let readers = 0;
    let released = 0;
    // a walk that takes 2 s unless it is abandoned (as the index host's walk polls `abandoned` between slices)
    engine.allResults = async function* (req: WholeSearch, batch: number, abandoned?: () => boolean) {
      readers++;
      try {
        for (let waited = 0; waited < 2_000 && !abandoned?.(); waited += 10) await sleep(10);
        if (abandoned?.()) {
          if (walk === 'fails') throw new EngineUnavailableError('the caller stopped waiting for this order');
          return;
        }
        yield* allResults(req, batch, abandoned);
      } finally {
        released++;
      }
    };
    const similarity = Similarity.open(':memory:', { serve: true });
    const logged: unknown[] = [];
    const app = createApp({ engine, similarity, now: () => performance.now(), clock: () => Date.now(), logError: (e) => logged.push(e), http: { requestTimeoutMs: 100 } });
    const first = await Promise.all([0, 1].map(() => request(app).get('/api/search?q=harbour&format=csv')));
    expect(first.map((r) => [r.status, r.body.code])).toEqual([[503, 'timeout'], [503, 'timeout']]);
    await sleep(100);
    expect([readers, released]).toEqual([2, 2]);
    expect(logged.filter((e) => e instanceof EngineUnavailableError)).toEqual([]);
    const metrics = await request(app).get('/metrics');
    expect(metrics.text).toMatch(/operation="export"[^\n]*\} 2\n/);
    // both slots are free again: a quick export is served
    engine.allResults = allResults;
    const third = await request(app).get('/api/search?q=harbour&format=csv');
    await engine.close();
    similarity.close();
    expect(third.status).toBe(200);
  }, 20_000);
});
