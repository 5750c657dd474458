import fs from 'node:fs';
import os from 'node:os';
import { SIMILARITY_SCHEMA } from '../../src/similarity/similarity-store.js';
import { EngineUnavailableError } from '../../src/core/errors.js';
import type { SearchEngine } from '../../src/engines/search-engine.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { IndexHost } from '../../src/index-host/index-host.js';
import type { IndexPort } from '../../src/index-host/index-port.js';
import { deferredPort } from '../../src/index-host/index-port.js';
import { INDEX_MESSAGE, indexOverIpc, serveIndexOverIpc } from '../../src/index-host/ipc-index.js';
import { ENTITY_SCHEMA } from '../../src/entities/entity-store.js';
import { openSqliteFile } from '../../src/storage/sqlite-file.js';
import { engineContract } from '../engines/engine-contract.js';
import { makeArticle, searchRequest } from '../helpers/make-article.js';

/**
 * The worker's side of the index host: a worker's engine ranks every search through the host over IPC (messages
 * serialised as JSON and delivered asynchronously, as the cluster channel does) and is held to the same engine
 * contract as an engine that holds its index itself.
 */

type Listener = (message: unknown) => void;

/** A worker ↔ primary channel pair in one process: JSON round trip, asynchronous delivery; `stalled` drops calls. */
function channelPair(state: { stalled: boolean }) {
  const toWorker: Listener[] = [];
  let toHost: ((message: unknown, reply: (m: unknown) => void) => void) | undefined;
  const deliver = (listener: Listener, message: unknown) => setImmediate(() => listener(JSON.parse(JSON.stringify(message))));
  return {
    worker: {
      send: (message: unknown) => {
        if (!state.stalled) deliver((m) => toHost?.(m, (reply) => toWorker.forEach((l) => deliver(l, reply))), message);
      },
      onMessage: (listener: Listener) => toWorker.push(listener),
    },
    host: (listener: (message: unknown, reply: (m: unknown) => void) => void) => {
      toHost = listener;
    },
  };
}

/** An engine on a fresh in-memory store, ranking through an index host reached over the channel pair. */
function engineOverIpc(state = { stalled: false }, timeoutMs = 2_000): SearchEngine {
  const db = openSqliteFile(':memory:', { what: 'store', schema: '' });
  const pair = channelPair(state);
  const made: { host?: IndexHost } = {};
  const remote: IndexPort = indexOverIpc(pair.worker, { timeoutMs });
  serveIndexOverIpc(deferredPort(() => made.host!), pair.host);
  const engine = SqliteEngine.onDatabase(db, { file: ':memory:', index: remote });
  const host = new IndexHost(db, { keyword: true }); // after the engine has created the articles' schema
  made.host = host;
  const close = engine.close.bind(engine);
  engine.close = async () => {
    await close();
    host.close();
    db.close();
  };
  return engine;
}

engineContract('sqlite (ranked by the index host over IPC)', async () => engineOverIpc());

describe('a worker whose index host does not answer', () => {
  it('when the host does not answer within the deadline, then the search fails as unavailable with a Retry-After, not a hang', async () => {
    const state = { stalled: false };
    const engine = engineOverIpc(state, 200);
    try {
      state.stalled = true;
      const failed = engine.search(searchRequest({ q: 'harbour' }));
      await expect(failed).rejects.toBeInstanceOf(EngineUnavailableError);
      await expect(failed).rejects.toMatchObject({ code: 'engine_unavailable', retryAfterSeconds: 1 });
      state.stalled = false;
      expect((await engine.search(searchRequest({ q: 'harbour' }))).totalHits).toBe(0);
    } finally {
      await engine.close();
    }
  });
});

describe('index calls of one turn', () => {
  it('when a worker makes several calls in one turn, then they cross the channel as one message each way, and each call gets its own answer or error', async () => {
    const db = openSqliteFile(':memory:', { what: 'store', schema: SIMILARITY_SCHEMA + ENTITY_SCHEMA });
    const save = db.prepare("INSERT INTO ent_articles (article_id, content_hash, input_hash, title) VALUES (?, 'h', 'i', 't')");
    save.run('a1');
    db.prepare("INSERT INTO ent_mentions (kind, name, article_id, salience) VALUES ('people', 'Qin Gang', 'a1', 1)").run();
    const host = new IndexHost(db, { keyword: false, similarity: {}, entities: true, background: false });
    const pair = channelPair({ stalled: false });
    const sent = { calls: 0, replies: 0 };
    serveIndexOverIpc(host, (listener) => pair.host((message, reply) => listener(message, (answer) => {
      sent.replies++;
      reply(answer);
    })));
    const remote = indexOverIpc({
      send: (message) => {
        sent.calls++;
        pair.worker.send(message);
      },
      onMessage: pair.worker.onMessage,
    });
    try {
      const [counts, named, story] = await Promise.allSettled([
        remote.entityCounts(),
        remote.namedEntities('qin gang'),
        remote.stories({ from: 0, to: Date.parse('2026-06-01'), limit: 5 }), // a period too long: fails alone
      ]);
      expect(counts).toEqual({ status: 'fulfilled', value: { people: 1, orgs: 0, places: 0 } });
      expect(named.status === 'fulfilled' && named.value.map((e) => e.name)).toEqual(['Qin Gang']);
      expect(story).toMatchObject({ status: 'rejected', reason: { code: 'invalid_request' } });
      expect(sent).toEqual({ calls: 1, replies: 1 });
    } finally {
      host.close();
      db.close();
    }
  });
});

describe('the host answering while it catches up', () => {
  it('when calls arrive (an I/O callback) while catch-up slices run back to back (setImmediate), then they are answered before the next slice', async () => {
    const db = openSqliteFile(':memory:', { what: 'store', schema: SIMILARITY_SCHEMA + ENTITY_SCHEMA });
    const host = new IndexHost(db, { keyword: false, similarity: {}, entities: true, background: false });
    const events: string[] = [];
    let slices = 0;
    const slice = () => {
      events.push(`slice ${++slices}`);
      const until = Date.now() + 5; // a slice of catch-up work, as the host's own background loop runs it
      while (Date.now() < until);
      if (slices < 4) setImmediate(slice);
    };
    let deliver: ((message: unknown, reply: (m: unknown) => void) => void) | undefined;
    serveIndexOverIpc(host, (listener) => (deliver = listener));
    try {
      const answered = new Promise<void>((resolve) => {
        setImmediate(slice);
        // the channel's data is read in the poll phase of the loop, between two slices
        fs.stat(os.tmpdir(), () => {
          events.push('call');
          deliver!({ tag: 'newsfind:index', calls: [{ id: 1, op: 'entityCounts', args: [], deadline: Date.now() + 2_000 }] }, () => {
            events.push('answer');
            resolve();
          });
        });
      });
      await answered;
      await new Promise((r) => setTimeout(r, 40));
      const call = events.indexOf('call');
      expect(events.slice(call, call + 2)).toEqual(['call', 'answer']);
    } finally {
      host.close();
      db.close();
    }
  });
});

describe('entity names asked of the index host over IPC', () => {
  it('when autocomplete is asked with and without a kind, then the worker gets what the host holds (an absent kind stays absent through JSON)', async () => {
    const db = openSqliteFile(':memory:', { what: 'store', schema: SIMILARITY_SCHEMA + ENTITY_SCHEMA });
    const save = db.prepare("INSERT INTO ent_articles (article_id, content_hash, input_hash, title) VALUES (?, 'h', 'i', 't')");
    const mention = db.prepare('INSERT INTO ent_mentions (kind, name, article_id, salience) VALUES (?, ?, ?, 1)');
    for (const id of ['a1', 'a2']) save.run(id);
    mention.run('people', 'Qin Gang', 'a1');
    mention.run('people', 'Qin Gang', 'a2');
    mention.run('places', 'Qinghai', 'a2');
    const host = new IndexHost(db, { keyword: false, similarity: {}, entities: true, background: false });
    const pair = channelPair({ stalled: false });
    serveIndexOverIpc(host, pair.host);
    const remote = indexOverIpc(pair.worker);
    try {
      expect(await remote.suggestEntities('qin', undefined, 10)).toEqual([
        { kind: 'people', name: 'Qin Gang', articles: 2 },
        { kind: 'places', name: 'Qinghai', articles: 1 },
      ]);
      expect((await remote.suggestEntities('qin', 'places', 10)).map((e) => e.name)).toEqual(['Qinghai']);
      expect((await remote.namedEntities('QIN GANG')).map((e) => e.name)).toEqual(['Qin Gang']);
      expect(await remote.entityCounts()).toEqual({ people: 1, orgs: 0, places: 1 });
      const refs = [{ kind: 'people', name: 'Qin Gang' }, { kind: 'orgs', name: 'Nobody' }, { kind: 'places', name: 'Qinghai' }] as const;
      expect(await remote.entityArticles(refs)).toEqual([2, 0, 1]); // the background of significant entities
      expect(await remote.suggestQueries('qin', 10)).toEqual([
        { text: 'Qin Gang', kind: 'people', articles: 2 },
        { text: 'Qinghai', kind: 'places', articles: 1 },
      ]);
    } finally {
      host.close();
      db.close();
    }
  });
});

describe('an export\'s whole order asked of the index host over IPC', () => {
  it('when the order is longer than a chunk, then it crosses the channel in chunks and arrives whole, in order', async () => {
    const db = openSqliteFile(':memory:', { what: 'store', schema: '' });
    const writer = SqliteEngine.onDatabase(db, { file: ':memory:', index: 'none' });
    writer.upsertNow(Array.from({ length: 30 }, (_, i) => makeArticle({ id: `lock-${i}`, title: `Lock keeper ${i}`, body: `The lock ${'keeper '.repeat(i % 4)}opened ${i}.` })));
    const host = new IndexHost(db, { keyword: true, background: false });
    const pair = channelPair({ stalled: false });
    serveIndexOverIpc(host, pair.host, Date.now, { orderChunkKeys: 7 });
    const ops: string[] = [];
    const remote = indexOverIpc({
      send: (message) => {
        ops.push(...message.calls.map((c) => c.op));
        pair.worker.send(message);
      },
      onMessage: pair.worker.onMessage,
    });
    try {
      const asked = { q: 'lock keeper', sort: 'relevance', match: 'last', filters: {} } as const;
      const expected = await host.rankOrder(asked);
      expect(expected.keys).toHaveLength(30);
      expect(await remote.rankOrder(asked)).toEqual(expected); // keys and their id checks
      expect(new Set(expected.checks).size).toBe(30);
      expect(ops).toEqual(['rankOrder', 'orderChunk', 'orderChunk', 'orderChunk', 'orderChunk']); // 7 + 4 × 7 ≥ 30
      expect(await remote.rankOrder({ ...asked, q: 'lock keeper -keeper' })).toEqual(await host.rankOrder({ ...asked, q: 'lock keeper -keeper' }));
    } finally {
      host.close();
      db.close();
    }
  });
});

describe('an export\'s whole order that takes the host longer than other calls', () => {
  const asked = { q: 'lock keeper', sort: 'relevance', match: 'last', filters: {} } as const;
  const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** A host over 30 articles whose walk starts `startMs` late (standing for a long walk), counting its slices. */
  function slowWalk(startMs: number) {
    const db = openSqliteFile(':memory:', { what: 'store', schema: '' });
    SqliteEngine.onDatabase(db, { file: ':memory:', index: 'none' })
      .upsertNow(Array.from({ length: 30 }, (_, i) => makeArticle({ id: `lock-${i}`, title: `Lock keeper ${i}`, body: `The lock opened ${i}.` })));
    const host = new IndexHost(db, { keyword: true, background: false, sliceMs: 0 });
    const walk = { slicesAsked: 0 };
    const port: IndexPort = {
      ...deferredPort(() => host),
      rankOrder: async (request, abandoned) => {
        await delay(startMs);
        return host.rankOrder(request, () => {
          walk.slicesAsked++;
          return abandoned?.() ?? false;
        });
      },
    };
    return { db, host, port, walk, close: () => (host.close(), db.close()) };
  }

  it('when the walk outlasts the other calls\' wait but not the order\'s, then the order arrives whole', async () => {
    const slow = slowWalk(100);
    const pair = channelPair({ stalled: false });
    serveIndexOverIpc(slow.port, pair.host, Date.now, { orderChunkKeys: 7 });
    const remote = indexOverIpc(pair.worker, { timeoutMs: 20, orderTimeoutMs: 5_000 });
    try {
      expect(await remote.rankOrder(asked)).toEqual(await slow.host.rankOrder(asked));
    } finally {
      slow.close();
    }
  });

  it('when the worker stops waiting, then the host stops walking, keeps no order and answers no chunk of it', async () => {
    const slow = slowWalk(100);
    const pair = channelPair({ stalled: false });
    const server = serveIndexOverIpc(slow.port, pair.host, Date.now, { orderChunkKeys: 7 });
    const remote = indexOverIpc(pair.worker, { orderTimeoutMs: 20 });
    try {
      await expect(remote.rankOrder(asked)).rejects.toBeInstanceOf(EngineUnavailableError);
      await delay(250); // the walk starts meanwhile, past the deadline
      expect(slow.walk.slicesAsked).toBe(1); // stopped before its first slice
      expect(server.ordersKept).toBe(0);
      const answers: unknown[] = [];
      pair.worker.onMessage((m) => answers.push(m));
      pair.worker.send({ tag: INDEX_MESSAGE, calls: [{ id: 999, op: 'orderChunk', args: [1, 7], deadline: Date.now() + 5_000 }] });
      await delay(50);
      const replies = (answers as { replies: { id: number; ok: boolean }[] }[]).flatMap((a) => a.replies);
      expect(replies.find((r) => r.id === 999)?.ok).toBe(false);
    } finally {
      slow.close();
    }
  });
});
