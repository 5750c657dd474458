import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Express } from 'express';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/http/app.js';
import type { Store } from '../../src/storage/open-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { makeArticle } from '../helpers/make-article.js';

/**
 * An export of a query that names an entity follows the JSON pages laid end to end (API.md), as a page does: the
 * articles about the entity first. Before services/prepare-search.ts the export was built without `about` /
 * `aboutNamed` and came back in the plain order. Articles with odd numbers are about Sergei Lavrov (his name in
 * the body four times); the even ones only carry it in the title, so the plain order and the about-first one differ.
 */

let dir: string;
let store: Store;
let app: Express;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-export-about-'));
  store = openStore(loadConfig({ DATA_DIR: dir, DEMO_DATA: 'off' }), 'api');
  await store.writes.upsert(Array.from({ length: 300 }, (_, i) => makeArticle({
    id: `l-${String(i).padStart(3, '0')}`,
    title: i % 2 === 0 ? `Sergei Lavrov report ${i}` : `Report ${i}`,
    body: i % 2 === 0
      ? `Talks on day ${i}.`
      : `Sergei Lavrov said it on day ${i}. Sergei Lavrov added more. Foreign Minister Sergei Lavrov left. Lavrov spoke again.`,
    publishedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
  })));
  await store.engine.sync();
  app = createApp({ engine: store.engine, similarity: store.similarity, entities: store.entities, copies: store.copies,
    now: () => performance.now(), clock: () => Date.now(), logError: () => {} });
}, 120_000);
afterAll(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const text = async (query: string): Promise<string> =>
  (await request(app).get(`/api/search?${query}`).buffer(true).parse((res, done) => {
    let body = '';
    res.on('data', (chunk: Buffer) => (body += chunk.toString()));
    res.on('end', () => done(null, body));
  })).body as string;

/** The JSON search's pages of 100, laid end to end (ids). */
async function pages(query: string): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; page <= 3; page++) {
    const res = await request(app).get(`/api/search?${query}&perPage=100&page=${page}`);
    expect(res.status).toBe(200);
    ids.push(...(res.body as { hits: { id: string }[] }).hits.map((h) => h.id));
  }
  return ids;
}

describe('GET /api/search exports of a query naming an entity', () => {
  it.each([
    ['by relevance', 'q=Sergei%20Lavrov&collapse=false'],
    ['by relevance, every word required', 'q=Sergei%20Lavrov&match=all&collapse=false'],
    ['with an entity filter given by surname', 'q=Sergei%20Lavrov&person=Lavrov&collapse=false'],
  ])('when exported %s as JSON Lines and CSV, then the rows follow the pages, the articles about him first', async (_name, query) => {
    const paged = await pages(query);
    expect(paged).toHaveLength(new Set(paged).size);
    expect(paged.length).toBeGreaterThan(100);
    expect(paged[0]).toMatch(/[13579]$/); // an article about him
    const lines = (await text(`${query}&format=jsonl`)).trim().split('\n').map((l) => JSON.parse(l) as { rank: number; id: string });
    expect(lines.map((l) => l.id)).toEqual(paged);
    const csv = (await text(`${query}&format=csv`)).trim().split('\n').slice(1);
    expect(csv.map((row) => row.split(',')[1])).toEqual(paged);
  }, 60_000);

  it('when the query names no entity, then pages and export agree as before', async () => {
    const query = 'q=report&collapse=false';
    const lines = (await text(`${query}&format=jsonl`)).trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
    expect(lines).toEqual(await pages(query));
  }, 60_000);
});
