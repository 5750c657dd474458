import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Express } from 'express';
import request from 'supertest';
import type { Config } from '../../src/config.js';
import { loadConfig } from '../../src/config.js';
import { MeilisearchEngine } from '../../src/engines/meilisearch/meilisearch-engine.js';
import { createApp } from '../../src/http/app.js';
import { readySchema } from '../../src/http/response-schemas.js';
import { OutboxDeliverer } from '../../src/services/engine-outbox.js';
import type { MirrorFollow } from '../../src/storage/mirror-follow.js';
import { startMirror } from '../../src/storage/mirror-follow.js';
import type { Store } from '../../src/storage/open-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { makeArticle } from '../helpers/make-article.js';
import { haveMeiliArtifacts } from '../helpers/meili-artifacts.js';
import { SpecValidator } from '../helpers/meili-openapi.js';
import { MeiliStub } from '../helpers/meili-stub.js';

/**
 * API replicas that share nothing but Meilisearch (issue 15 item 4): two replicas, each with its own empty
 * DATA_DIR and MEILI_MIRROR=on, fill their stores from Meilisearch alone while a third process (the indexer's write
 * path and outbox delivery, in a DATA_DIR of its own) writes; then they answer search, "more like this", an entity
 * profile and a story identically; a delete reaches them through the tombstone index; a restarted replica resumes
 * from its cursor instead of reading everything again.
 */

const MASTER = 'master-key-for-mirror-tests-0123456789';
const ADMIN = 'admin-key-for-mirror-tests-0123456789';

const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}T09:00:00Z`;
const ARTICLES = [
  makeArticle({ id: 'qin-moscow', publishedAt: day(2), title: 'Qin Gang visits Moscow for trade talks', body: 'Foreign Minister Qin Gang arrived in Moscow on Monday for talks on trade and energy. Qin said China and Russia would expand trade in oil and gas. Qin Gang met Russian officials at the Kremlin to discuss pipelines, energy prices and new trade routes.' }),
  makeArticle({ id: 'qin-moscow-copy', publishedAt: day(2), source: 'wire', title: 'Qin Gang visits Moscow for trade talks', body: 'Foreign Minister Qin Gang arrived in Moscow on Monday for talks on trade and energy. Qin said China and Russia would expand trade in oil and gas. Qin Gang met Russian officials at the Kremlin to discuss pipelines, energy prices and new trade routes.' }),
  makeArticle({ id: 'qin-pipeline', publishedAt: day(3), title: 'Moscow talks end with gas pipeline deal', body: 'Talks in Moscow between Qin Gang and Russian officials ended with a deal on a gas pipeline. Foreign Minister Qin Gang said trade in oil and gas between China and Russia would grow, and energy prices on the new pipelines would be fixed for ten years.' }),
  makeArticle({ id: 'qin-beijing', publishedAt: day(5), title: 'Qin Gang back in Beijing after pipeline deal', body: 'Foreign Minister Qin Gang returned to Beijing after the Moscow talks. Qin said the gas pipeline deal with Russia would secure energy for China, and that trade in oil would follow the pipelines.' }),
  makeArticle({ id: 'ferry-strike', publishedAt: day(4), title: 'Harbour ferry crews strike over pay', body: 'Ferry crews at the harbour walked out on Tuesday over pay and rosters. The ferry operator said services across the harbour would be cut while the strike lasts.' }),
  makeArticle({ id: 'ferry-talks', publishedAt: day(6), title: 'Ferry strike talks resume at the harbour', body: 'Talks between the ferry operator and striking crews resumed at the harbour. Crews want higher pay and fewer night rosters; ferry services remain cut across the harbour.' }),
  makeArticle({ id: 'rates', publishedAt: day(7), title: 'Central bank holds interest rates', body: 'The central bank held interest rates steady, citing inflation that stayed above its target. Economists expect a cut next year if inflation eases.' }),
  makeArticle({ id: 'harvest', publishedAt: day(8), title: 'Wheat harvest beats forecasts', body: 'Farmers brought in a wheat harvest larger than forecast after a wet spring. Grain prices fell on the news as exporters expect more wheat on the market.' }),
];

let stub: MeiliStub;
/** Meilisearch's OpenAPI document (../shared/meilisearch), when present: every exchange of a test is held to it. */
const spec = haveMeiliArtifacts('the OpenAPI validation of the mirror\'s requests') ? new SpecValidator() : undefined;
const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];

const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-mirror-'));
  dirs.push(dir);
  return dir;
};

const configFor = (dataDir: string, mirror: 'on' | 'off'): Config =>
  loadConfig({
    DATA_DIR: dataDir,
    SEARCH_ENGINE: 'meilisearch',
    MEILI_URL: stub.url,
    MEILI_MASTER_KEY: MASTER,
    MEILI_MIRROR: mirror,
    MEILI_REQUEST_TIMEOUT_MS: '2000',
    MEILI_TASK_TIMEOUT_MS: '5000',
  });

/** The indexer's side: its own store file, the one write path, and the outbox delivered to Meilisearch. */
interface Writer {
  readonly store: Store;
  /** Writes articles as an indexer run does (then the entity refresh), and waits until Meilisearch has them. */
  index(articles: typeof ARTICLES): Promise<void>;
  remove(ids: string[]): Promise<void>;
}

function openWriter(sink?: MeilisearchEngine): Writer {
  const store = openStore(configFor(tempDir(), 'off'), 'indexer');
  const deliverer = new OutboxDeliverer({ queue: store.outbox!, sink: sink ?? (store.engine as MeilisearchEngine), pollMs: 10, backoffMs: 20, maxBackoffMs: 100 });
  deliverer.start();
  closers.push(async () => {
    await deliverer.stop();
    await store.close();
  });
  const delivered = async () => expect(await deliverer.drain(20_000)).toBe(0);
  return {
    store,
    index: async (articles) => {
      await store.writes.upsert(articles);
      await store.writes.refreshEntities();
      await delivered();
    },
    remove: async (ids) => {
      await store.writes.delete(ids);
      await delivered();
    },
  };
}

/** A replica as main.ts wires one: its store (role api, its own index host), its app, and its mirror. */
interface Replica {
  readonly dataDir: string;
  readonly store: Store;
  readonly app: Express;
  readonly mirror: MirrorFollow;
  close(): Promise<void>;
}

function openReplica(dataDir = tempDir()): Replica {
  const config = configFor(dataDir, 'on');
  const store = openStore(config, 'api');
  const { engine, similarity, entities, local, copies, stories, suggestions, mirror } = store;
  const app = createApp({
    engine,
    similarity,
    entities,
    local,
    copies,
    ...(stories ? { stories } : {}),
    ...(suggestions ? { suggestions } : {}),
    ...(mirror ? { mirror } : {}),
    now: () => performance.now(),
    clock: () => Date.now(),
    logError: () => {},
    http: { adminApiKey: ADMIN },
  });
  const follow = startMirror(config, { warn: () => {} }, { pollMs: 20, sweepMs: 100 })!;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await follow.stop();
    await store.close();
  };
  closers.push(close);
  return { dataDir, store, app, mirror: follow, close };
}

/** Waits until `check` passes (it throws until then), or fails with its last error after `ms`. */
async function eventually(check: () => Promise<void>, ms = 20_000): Promise<void> {
  const until = performance.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (performance.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** Waits until a replica's mirror holds `count` documents and has caught up, and its index host has applied them. */
async function caughtUp(replica: Replica, count: number): Promise<void> {
  await eventually(async () => {
    const ready = await request(replica.app).get('/ready');
    readySchema.parse(ready.body); // the API's own OpenAPI shape
    expect(ready.body.mirror).toMatchObject({ documents: count, lagSeconds: expect.any(Number) });
    expect(ready.body.mirror.lagSeconds).toBeLessThan(2);
  });
  await replica.store.similarity.sync();
}

/** An answer without its processing times (they differ from one call to the next). */
const withoutTimings = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'processingTimeMs' ? undefined : v)));

/** The answers the issue names, as a replica gives them (the story once its host has placed every article). */
async function answers(replica: Replica): Promise<Record<string, unknown>> {
  const get = async (url: string) => {
    const res = await request(replica.app).get(url);
    expect({ url, status: res.status }).toEqual({ url, status: 200 });
    return withoutTimings(res.body) as Record<string, unknown>;
  };
  let story: Record<string, unknown> = {};
  await eventually(async () => {
    story = await get('/api/articles/qin-moscow/story');
    expect(story.complete).toBe(true);
  });
  return {
    search: await get('/api/search?q=pipeline&facets=people&facets=places&collapse=false'),
    collapsed: await get('/api/search?q=moscow&collapse=true'),
    similar: await get('/api/articles/qin-moscow/similar?limit=5'),
    similarFerry: await get('/api/articles/ferry-strike/similar?limit=5'),
    person: await get(`/api/entities/person/${encodeURIComponent('Qin Gang')}`),
    story,
  };
}

beforeEach(async () => {
  stub = new MeiliStub(MASTER);
  await stub.start();
});

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await stub.stop();
  // the mirror's reads, the tombstones and the stub's answers stay within Meilisearch's spec
  const problems = spec ? stub.exchanges.flatMap(({ request: r, status, body }) => [...spec.request(r.method, r.path, r.body), ...spec.response(r.method, r.path, status, body)]) : [];
  expect(problems).toEqual([]);
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('API replicas that share nothing but Meilisearch (MEILI_MIRROR=on)', () => {
  it('when an indexer writes, then two replicas with separate empty DATA_DIRs give identical answers', async () => {
    const writer = openWriter();
    const [a, b] = [openReplica(), openReplica()];
    await writer.index(ARTICLES.slice(0, 5));
    await writer.index(ARTICLES.slice(5));
    await Promise.all([caughtUp(a, ARTICLES.length), caughtUp(b, ARTICLES.length)]);
    const [fromA, fromB] = [await answers(a), await answers(b)];
    if (process.env.MIRROR_DEBUG) console.log(JSON.stringify(fromA, null, 1));
    expect(fromA).toEqual(fromB);
    // real answers, not two empty ones
    expect((fromA.search as { totalHits: number }).totalHits).toBeGreaterThanOrEqual(3);
    expect((fromA.similar as { hits: { id: string }[] }).hits.map((h) => h.id)).toContain('qin-pipeline');
    expect(fromA.person).toMatchObject({ name: 'Qin Gang', articles: 4 });
    expect((fromA.story as { articles: unknown[] }).articles.length).toBeGreaterThanOrEqual(3);
    expect(await answers(a)).toEqual(fromA);
    const metrics = (await request(b.app).get('/metrics')).text;
    expect(metrics).toMatch(new RegExp(`^newsfind_mirror_documents ${ARTICLES.length}$`, 'm'));
    expect(metrics).toMatch(/^newsfind_mirror_lag_seconds \d/m);
    expect(metrics).toMatch(/^newsfind_mirror_cursor_seconds 1\d{9}/m);
  });

  it('when the writer deletes articles, then both replicas drop them; an id deleted and written again stays', async () => {
    const writer = openWriter();
    const [a, b] = [openReplica(), openReplica()];
    await writer.index(ARTICLES);
    await Promise.all([caughtUp(a, ARTICLES.length), caughtUp(b, ARTICLES.length)]);
    await writer.remove(['ferry-talks', 'rates']);
    await writer.index([ARTICLES.find((x) => x.id === 'rates')!]); // deleted, then written again
    expect(stub.documents('articles-tombstones')).toEqual([expect.objectContaining({ kind: 'delete', ids: ['ferry-talks', 'rates'] })]);
    for (const replica of [a, b]) {
      await caughtUp(replica, ARTICLES.length - 1);
      expect((await request(replica.app).get('/api/articles/ferry-talks/similar')).status).toBe(404);
      expect((await request(replica.app).get('/api/articles/rates/similar')).status).toBe(200);
      const ferry = await request(replica.app).get('/api/articles/ferry-strike/similar');
      expect(ferry.body.hits.map((h: { id: string }) => h.id)).not.toContain('ferry-talks');
    }
    expect(withoutTimings(await answers(a))).toEqual(withoutTimings(await answers(b)));
    // a clear (an indexer --reset) empties both
    await writer.store.writes.clear();
    await writer.index([ARTICLES[0]!]);
    for (const replica of [a, b]) {
      await caughtUp(replica, 1);
      expect((await request(replica.app).get('/api/articles/ferry-strike/similar')).status).toBe(404);
      expect((await request(replica.app).get('/api/search?q=ferry')).body.totalHits).toBe(0);
    }
  });

  it('when tombstones older than the retention were pruned while a replica was stopped, then its horizon makes the replica check what it holds and drop what was deleted', async () => {
    let movedMs = 0; // the writer's wall clock is moved past the 30 days a tombstone is kept
    const sink = new MeilisearchEngine({ url: stub.url, index: 'articles', keys: { masterKey: MASTER }, role: 'indexer', taskTimeoutMs: 5_000, requestTimeoutMs: 2_000, now: () => Date.now() + movedMs });
    closers.push(() => sink.close());
    const writer = openWriter(sink);
    const a = openReplica();
    await writer.index(ARTICLES);
    await caughtUp(a, ARTICLES.length);
    await a.close();
    await writer.remove(['rates']); // stamped now; its pruning's cutoff (30 days ago) keeps it
    expect(stub.documents('articles-tombstones').filter((t) => t.kind === 'delete')).toHaveLength(1);
    movedMs = 31 * 86_400_000;
    await writer.remove(['harvest']); // 31 days on: the tombstone of `rates` is pruned, a horizon left at the cutoff
    const left = stub.documents('articles-tombstones');
    expect(left.map((t) => ({ kind: t.kind, ids: t.ids }))).toEqual(expect.arrayContaining([{ kind: 'clear', ids: undefined }, { kind: 'delete', ids: ['harvest'] }]));
    expect(left).toHaveLength(2);
    const horizon = left.find((t) => t.kind === 'clear')!;
    expect(horizon.deletedAt).toBe(Number(String(horizon.key).replace('horizon-', '')));
    // the replica comes back with its cursor before both deletes: the horizon sweeps what it holds
    const again = openReplica(a.dataDir);
    await caughtUp(again, ARTICLES.length - 2);
    for (const id of ['rates', 'harvest']) expect((await request(again.app).get(`/api/articles/${id}/similar`)).status).toBe(404);
    expect((await request(again.app).get('/api/articles/ferry-strike/similar')).status).toBe(200);
    // within the hour no second pruning: a delete leaves its tombstone only
    await writer.remove(['ferry-talks']);
    expect(stub.documents('articles-tombstones')).toHaveLength(3);
  });

  it('when a replica restarts, then it resumes from its cursor: only what was written meanwhile is read', async () => {
    const writer = openWriter();
    const a = openReplica();
    await writer.index(ARTICLES.slice(0, 6));
    await caughtUp(a, 6);
    const cursor = (await request(a.app).get('/ready')).body.mirror.cursorMs as number;
    expect(cursor).toBeGreaterThan(Date.now() - 60_000);
    await a.close();
    await writer.index(ARTICLES.slice(6));
    const since = stub.exchanges.length;
    const again = openReplica(a.dataDir);
    await caughtUp(again, ARTICLES.length);
    // documents read in order from the cursor (the look-back sweep reads only ids and hashes: attributesToRetrieve)
    const read = stub.exchanges.slice(since).filter((e) => {
      const body = e.request.body as { filter?: unknown; attributesToRetrieve?: unknown };
      return e.request.path === '/indexes/articles/search' && /^indexedAt > /.test(String(body.filter)) && body.attributesToRetrieve === undefined;
    });
    const hits = read.map((e) => (e.body as { hits: { id: string }[] }).hits.map((h) => h.id));
    expect(Number(/indexedAt > (\d+)/.exec(String((read[0]!.request.body as { filter: string }).filter))![1])).toBeGreaterThanOrEqual(cursor * 1000);
    expect(hits.flat()).toEqual(['rates', 'harvest']); // only the two new ones
    const fresh = openReplica();
    await caughtUp(fresh, ARTICLES.length);
    expect(await answers(again)).toEqual(await answers(fresh));
  });

  it('when a replica writes through POST /api/articles, then its write goes out through its outbox and reaches the other replica, and comes back without being queued again', async () => {
    const writer = openWriter();
    const [a, b] = [openReplica(), openReplica()];
    await writer.index(ARTICLES.slice(0, 4));
    await Promise.all([caughtUp(a, 4), caughtUp(b, 4)]);
    const posted = await request(a.app).post('/api/articles').set('Authorization', `Bearer ${ADMIN}`).send(ARTICLES.slice(4));
    expect(posted.body).toMatchObject({ indexed: ARTICLES.length - 4 });
    expect(a.store.outbox!.depth().pending).toBe(ARTICLES.length - 4);
    const deliverer = new OutboxDeliverer({ queue: a.store.outbox!, sink: a.store.engine as MeilisearchEngine, pollMs: 10 });
    expect(await deliverer.drain(0)).toBe(ARTICLES.length - 4);
    while ((await deliverer.step()) === 'delivered');
    await Promise.all([caughtUp(a, ARTICLES.length), caughtUp(b, ARTICLES.length)]);
    expect(a.store.outbox!.depth()).toMatchObject({ pending: 0, dead: 0 }); // the mirror queued nothing back
    expect(await answers(a)).toEqual(await answers(b));
    // a replica's own delete, then the indexer writes the same article again: the replica takes it back
    expect((await request(a.app).delete('/api/articles/rates').set('Authorization', `Bearer ${ADMIN}`)).status).toBe(204);
    while ((await deliverer.step()) === 'delivered');
    await Promise.all([caughtUp(a, ARTICLES.length - 1), caughtUp(b, ARTICLES.length - 1)]);
    await writer.index([ARTICLES.find((x) => x.id === 'rates')!]);
    await Promise.all([caughtUp(a, ARTICLES.length), caughtUp(b, ARTICLES.length)]);
    expect((await request(a.app).get('/api/articles/rates/similar')).status).toBe(200);
    expect(await answers(a)).toEqual(await answers(b));
  });

  it('when a document is stamped behind the cursor (another writer\'s clock), then the look-back sweep still reads it', async () => {
    const writer = openWriter();
    const a = openReplica();
    await writer.index(ARTICLES);
    await caughtUp(a, ARTICLES.length);
    const cursorUs = (await request(a.app).get('/ready')).body.mirror.cursorMs * 1000;
    stub.rewriteDocument('articles', 'harvest', (doc) => ({ ...doc, title: 'Barley harvest beats forecasts', contentHash: 'changed', indexedAt: cursorUs - 5_000_000 }));
    await eventually(async () => {
      const res = await request(a.app).get('/api/articles/harvest/similar');
      expect(res.status).toBe(200);
      expect(a.store.mirror!.heldHash('harvest')).toBe('changed');
    });
  });

  it('when the index holds documents written before stamps existed, then a new replica reads them once', async () => {
    const writer = openWriter();
    await writer.index(ARTICLES);
    for (const { id } of ARTICLES.slice(0, 3)) {
      stub.rewriteDocument('articles', id, (doc) => Object.fromEntries(Object.entries(doc).filter(([k]) => k !== 'indexedAt')));
    }
    const a = openReplica();
    await caughtUp(a, ARTICLES.length);
    expect(a.store.mirror!.position().unstampedDone).toBe(true);
  });
});
