import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Express } from 'express';
import request from 'supertest';
import type { Article } from '../src/core/article.js';
import { articleInputSchema, toArticle } from '../src/core/article.js';
import { loadConfig } from '../src/config.js';
import type { MeilisearchEngine } from '../src/engines/meilisearch/meilisearch-engine.js';
import { createApp } from '../src/http/app.js';
import { OutboxDeliverer } from '../src/services/engine-outbox.js';
import { startMirror } from '../src/storage/mirror-follow.js';
import type { Store } from '../src/storage/open-store.js';
import { openStore } from '../src/storage/open-store.js';
import { spawnEntry } from '../test/helpers/entry-process.js';
import { readJsonl, sharedCorpus } from './corpus.js';

/**
 * How fast an API replica with MEILI_MIRROR=on fills an empty DATA_DIR from Meilisearch, and whether two replicas
 * then answer alike on a real corpus. Meilisearch is the test stub, in a process of its own (its searches are
 * JavaScript over every stored document, slower than Meilisearch's), so the figures bound the replica's side: reading pages, writing term vectors,
 * entities and copy groups, and the index host applying them. An indexer's write path (its own DATA_DIR) writes
 * the first N Reuters articles (env N, default all) and delivers them; then replicas A and B fill (timed), A
 * restarts (timed: it resumes from its cursor), C fills; /similar, the story and the first person's profile of 200
 * sampled articles are compared between B and C (both filled from empty) and between A restarted and B (DIFF=1
 * prints the /similar answers that differ).
 */

const MASTER = 'master-key-for-the-mirror-bench-0123456789';
const file = sharedCorpus('reuters21578.jsonl');
if (!file) process.exit(0);
const limit = Number(process.env.N ?? Number.POSITIVE_INFINITY);
const articles: Article[] = readJsonl(file)
  .slice(0, limit)
  .flatMap((raw) => {
    const parsed = articleInputSchema.safeParse(raw);
    return parsed.success ? [toArticle(parsed.data)] : [];
  });
const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-mirror-bench-'));
  dirs.push(dir);
  return dir;
};

// Meilisearch: the stub in a process of its own, as Meilisearch would be
const stub = spawnEntry('bench/meili-stub-process.ts', [], { MEILI_MASTER_KEY: MASTER });
await stub.waitForOutput('listening on', 30_000);
const meiliUrl = /listening on (\S+)/.exec(stub.output())![1]!;
const configFor = (dataDir: string, mirror: 'on' | 'off') =>
  loadConfig({ DATA_DIR: dataDir, SEARCH_ENGINE: 'meilisearch', MEILI_URL: meiliUrl, MEILI_MASTER_KEY: MASTER, MEILI_MIRROR: mirror, MEILI_REQUEST_TIMEOUT_MS: '60000', LOG_LEVEL: 'silent' });

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const log = (line: string) => process.stdout.write(`${line}\n`);

// the indexer: its own store, the one write path, its outbox delivered
const started = performance.now();
const writer = openStore(configFor(tempDir(), 'off'), 'indexer');
for (let i = 0; i < articles.length; i += 500) await writer.writes.upsert(articles.slice(i, i + 500));
await writer.writes.refreshEntities();
const deliverer = new OutboxDeliverer({ queue: writer.outbox!, sink: writer.engine as MeilisearchEngine, pollMs: 10 });
deliverer.start();
await deliverer.drain(3_600_000);
await deliverer.stop();
log(`writer: ${articles.length} articles written and delivered in ${seconds(performance.now() - started)} s`);

interface Replica { store: Store; app: Express; stop(): Promise<void> }

/** A replica as main.ts wires it, timed until its mirror holds every article and its index host has applied them. */
async function fill(dataDir: string, what: string): Promise<Replica> {
  const begun = performance.now();
  const config = configFor(dataDir, 'on');
  const store = openStore(config, 'api');
  const follow = startMirror(config, { warn: (d, m) => log(`${m} ${JSON.stringify(d)}`) }, { pollMs: 100 })!;
  while ((store.mirror!.status(Date.now())?.documents ?? 0) < articles.length || store.mirror!.status(Date.now())?.lagSeconds === null) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const mirrored = performance.now() - begun;
  await store.similarity.sync();
  const applied = performance.now() - begun;
  log(`${what}: mirrored ${articles.length} articles in ${seconds(mirrored)} s (${Math.round(articles.length / (mirrored / 1000))}/s), index host applied them at ${seconds(applied)} s`);
  // the stub answers `indexedAt > cursor` by reading every document (Meilisearch: from its index), so a replica
  // that keeps polling would slow the next one's fill: stop following once filled (the store stays open)
  await follow.stop();
  const { engine, similarity, entities, local, copies, stories, suggestions, mirror } = store;
  const app = createApp({ engine, similarity, entities, local, copies, ...(stories ? { stories } : {}), ...(suggestions ? { suggestions } : {}), ...(mirror ? { mirror } : {}), now: () => performance.now(), clock: () => Date.now(), logError: () => {}, http: {} });
  return { store, app, stop: () => store.close() };
}

const dirA = tempDir();
let a = await fill(dirA, 'replica A (empty DATA_DIR)');
const b = await fill(tempDir(), 'replica B (empty DATA_DIR)');
await a.stop();
a = await fill(dirA, 'replica A restarted (resumes from its cursor)');

const strip = (v: unknown) => JSON.stringify(v, (k, x: unknown) => (k === 'processingTimeMs' ? undefined : x));
const sample = articles.filter((_, i) => i % Math.max(1, Math.floor(articles.length / 200)) === 0).slice(0, 200);

/** How many answers of the sample two replicas give alike: /similar, the story, the first person's profile. */
async function compare(x: Replica, y: Replica, what: string): Promise<void> {
  const answer = async (r: Replica, url: string) => strip((await request(r.app).get(url)).body);
  const same = { similar: 0, story: 0, person: 0 };
  let persons = 0;
  for (const article of sample) {
    const [sx, sy] = [await answer(x, `/api/articles/${article.id}/similar`), await answer(y, `/api/articles/${article.id}/similar`)];
    if (sx === sy) same.similar++;
    else if (process.env.DIFF) log(`similar ${article.id}:\n  ${sx.slice(0, 400)}\n  ${sy.slice(0, 400)}`);
    for (const r of [x, y]) {
      for (let i = 0; i < 200 && JSON.parse(await answer(r, `/api/articles/${article.id}/story`)).complete !== true; i++) await new Promise((res) => setTimeout(res, 50));
    }
    if ((await answer(x, `/api/articles/${article.id}/story`)) === (await answer(y, `/api/articles/${article.id}/story`))) same.story++;
    for (const name of ((await x.store.engine.get(article.id))?.people ?? []).slice(0, 1)) {
      persons++;
      const url = `/api/entities/person/${encodeURIComponent(name)}`;
      if ((await answer(x, url)) === (await answer(y, url))) same.person++;
    }
  }
  log(`${what}: identical /similar ${same.similar}/${sample.length}, story ${same.story}/${sample.length}, person profiles ${same.person}/${persons}`);
}

const c = await fill(tempDir(), 'replica C (empty DATA_DIR)');
await compare(b, c, 'B and C, both filled from empty');
await compare(a, b, 'A restarted and B');
await c.stop();
await Promise.all([a.stop(), b.stop(), writer.close()]);
stub.stop();
await stub.exited;
for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
