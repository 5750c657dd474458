import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import type { MeilisearchEngine } from '../../src/engines/meilisearch/meilisearch-engine.js';
import { createApp } from '../../src/http/app.js';
import { OutboxDeliverer } from '../../src/services/engine-outbox.js';
import { Similarity } from '../../src/similarity/similarity.js';
import { EngineOutboxStore, OUTBOX_SCHEMA } from '../../src/storage/engine-outbox-store.js';
import type { Store } from '../../src/storage/open-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { meiliCodec } from '../../src/storage/outbox-delivery.js';
import { makeArticle } from '../helpers/make-article.js';
import { MeiliStub } from '../helpers/meili-stub.js';

/**
 * Meilisearch mode: a write commits locally with outbox rows and returns; a deliverer sends the rows to Meilisearch
 * in order until their task succeeds, backs off while it is down, sets a refused document aside as a dead letter
 * without holding up the others, and only the process holding the lease delivers. /ready and /metrics show the depth.
 */

const MASTER = 'master-key-for-outbox-tests-0123456789';
const ADMIN = 'admin-key-for-outbox-tests-0123456789';

let stub: MeiliStub;
let dataDir: string;
let store: Store;

const story = (id: string, title = `Story ${id}`) => makeArticle({ id, title, body: `Body of story ${id}.` });
const idsInMeili = () => stub.documents('articles').map((d) => d.id).sort();

/** A deliverer of the store's outbox with short pauses. */
const deliverer = (s: Store = store) =>
  new OutboxDeliverer({ queue: s.outbox!, sink: s.engine as MeilisearchEngine, pollMs: 10, backoffMs: 20, maxBackoffMs: 100 });

beforeEach(async () => {
  stub = new MeiliStub(MASTER);
  await stub.start();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-outbox-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    SEARCH_ENGINE: 'meilisearch',
    MEILI_URL: stub.url,
    MEILI_MASTER_KEY: MASTER,
    MEILI_REQUEST_TIMEOUT_MS: '300',
  });
  store = openStore(config, 'indexer');
});

afterEach(async () => {
  await store.close();
  await stub.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('engine outbox (Meilisearch mode)', () => {
  it('when Meilisearch is down, then a write commits locally at once and reaches Meilisearch once it is back', async () => {
    await stub.stop();
    const started = performance.now();
    expect(await store.writes.upsert([story('a'), story('b')])).toEqual({ indexed: 2, unchanged: 0 });
    expect(performance.now() - started).toBeLessThan(5_000); // no retries against the engine on the write path
    expect(store.outbox!.depth()).toMatchObject({ pending: 2, dead: 0 });
    const d = deliverer();
    expect(await d.step()).toBe('unavailable'); // the rows stay pending
    expect(store.outbox!.depth()).toMatchObject({ pending: 2, dead: 0 });
    d.start();
    await stub.start();
    expect(await d.drain(10_000)).toBe(0);
    await d.stop();
    expect(idsInMeili()).toEqual(['a', 'b']);
    expect(store.outbox!.depth()).toEqual({ pending: 0, dead: 0, oldestPendingSeconds: 0 });
  });

  it('when writes upsert, delete and upsert again, then Meilisearch gets them in commit order, batched per kind', async () => {
    await store.writes.upsert([story('a', 'First'), story('b')]);
    await store.writes.delete(['b']);
    await store.writes.upsert([story('a', 'Second'), story('c')]);
    const d = deliverer();
    while ((await d.step()) === 'delivered');
    expect(idsInMeili()).toEqual(['a', 'c']);
    expect(stub.documents('articles').find((doc) => doc.id === 'a')?.title).toBe('Second');
    // 2 upsert rows, then 1 delete, then 2 upserts: three tasks
    expect(stub.requestsTo('POST', '/indexes/articles/documents')).toHaveLength(2);
    expect(stub.requestsTo('POST', '/indexes/articles/documents/delete-batch')).toHaveLength(1);
  });

  it('when Meilisearch fails a task for one invalid document, then that one is a dead letter and the others are delivered', async () => {
    stub.invalidDocument = (doc) => doc.id === 'bad';
    await store.writes.upsert([story('good-1'), story('bad'), story('good-2')]);
    await store.writes.upsert([story('later')]);
    const d = deliverer();
    while ((await d.step()) === 'delivered');
    expect(idsInMeili()).toEqual(['good-1', 'good-2', 'later']);
    expect(store.outbox!.depth()).toMatchObject({ pending: 0, dead: 1 });
    const db = new Database(path.join(dataDir, 'newsfind.db'), { readonly: true });
    try {
      const dead = db.prepare("SELECT doc_id, error FROM engine_outbox WHERE state = 'dead'").all();
      expect(dead).toEqual([{ doc_id: 'bad', error: expect.stringMatching(/invalid_document_fields: document bad is invalid/) }]);
    } finally {
      db.close();
    }
    // a dead letter is not retried
    const before = stub.requests.length;
    expect(await d.step()).toBe('idle');
    expect(stub.requests.length).toBe(before);
  });

  it('when a task succeeded but its rows were not removed (a crash), then delivering again is harmless', async () => {
    await store.writes.upsert([story('a')]);
    const batch = store.outbox!.next(10)!;
    expect(await (store.engine as MeilisearchEngine).deliver(batch.operation)).toEqual({ ok: true });
    const d = deliverer(); // the rows are still there, as after a kill -9 before they were removed
    while ((await d.step()) === 'delivered');
    expect(idsInMeili()).toEqual(['a']);
    expect(store.outbox!.depth().pending).toBe(0);
  });

  it('when another live process holds the lease, then this one does not deliver; a holder whose process is gone loses it', async () => {
    const otherDb = new Database(path.join(dataDir, 'newsfind.db'));
    const other = new EngineOutboxStore(otherDb, { codec: meiliCodec, maxPayloadBytes: 1e6, leaseMs: 60_000 });
    expect(other.lease()).toBe(true);
    await store.writes.upsert([story('a')]);
    expect(await deliverer().step()).toBe('leased_elsewhere');
    other.release();
    otherDb.close();
    const d = deliverer();
    expect(await d.step()).toBe('delivered');
    // a lease left by a process of this host that has exited (a kill -9) is taken at once
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const db = new Database(path.join(dataDir, 'newsfind.db'));
    db.exec(OUTBOX_SCHEMA);
    db.prepare('UPDATE engine_outbox_lease SET holder = ?, pid = ?, expires_at = ?').run('gone', gone, Date.now() + 60_000);
    db.close();
    expect(store.outbox!.lease()).toBe(true);
  });

  it('when the API is written while Meilisearch is down, then POST answers 200, and /ready and /metrics show the outbox depth', async () => {
    const similarity = Similarity.open(':memory:', { serve: true });
    const app = createApp({
      engine: store.engine,
      similarity,
      entities: store.entities,
      local: store.local,
      now: () => performance.now(),
      clock: () => Date.now(),
      logError: () => {},
      http: { adminApiKey: ADMIN },
    });
    try {
      await stub.stop();
      const posted = await request(app).post('/api/articles').set('Authorization', `Bearer ${ADMIN}`).send([story('a'), story('b')]);
      expect(posted.status).toBe(200);
      expect(posted.body).toMatchObject({ indexed: 2 });
      await stub.start();
      stub.invalidDocument = (doc) => doc.id === 'b';
      const d = deliverer();
      expect(await d.step()).toBe('delivered'); // the batch of a and b is refused: a and b go one at a time
      await store.writes.upsert([story('c')]);
      expect(await d.step()).toBe('delivered'); // a
      expect(await d.step()).toBe('delivered'); // b: dead
      const ready = await request(app).get('/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'ready', outbox: { pending: 1, dead: 1, oldestPendingSeconds: expect.any(Number) } });
      const metrics = (await request(app).get('/metrics')).text;
      expect(metrics).toMatch(/^newsfind_outbox_pending 1$/m);
      expect(metrics).toMatch(/^newsfind_outbox_dead 1$/m);
      expect(metrics).toMatch(/^newsfind_outbox_oldest_pending_seconds \d/m);
    } finally {
      similarity.close();
    }
  });
});
