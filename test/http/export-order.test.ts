import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Express } from 'express';
import request from 'supertest';
import type { Article } from '../../src/core/article.js';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/http/app.js';
import { searchResponseSchema } from '../../src/http/response-schemas.js';
import { EXPORT_PAGE, exportSearch } from '../../src/services/export-search.js';
import type { Store } from '../../src/storage/open-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { makeArticle } from '../helpers/make-article.js';

/**
 * Exports over a real store larger than two export steps ({@link EXPORT_PAGE} articles each): the rows are the
 * paged search's results laid end to end, and the order is taken once (a deletion while exporting skips the article).
 */

const COUNT = 1_800;
const WORDS = ['harbour', 'ferry', 'storm', 'tide', 'pier', 'quay', 'crane', 'cargo'];

/** Article n: "harbour" in every title, other words by n, dates spread over a year, every 10th a copy of the one before. */
function nth(n: number): Article {
  const source = n % 10 === 0 ? n - 1 : n;
  const words = WORDS.filter((_, i) => source % (i + 2) === 0);
  return makeArticle({
    id: `a-${String(n).padStart(4, '0')}`,
    title: `Harbour ${words.slice(0, 2).join(' ')} report ${source}`,
    body: `The ${words.join(' and the ')} near the harbour, report number ${source}. ${own(source)} ${'Boats waited by the quay. '.repeat(source % 4)}`,
    publishedAt: new Date(Date.UTC(2026, 0, 1) + (n * 7_919 % 365) * 86_400_000).toISOString(),
    category: n % 3 === 0 ? 'ports' : 'weather',
  });
}

/** Words of article n's own (made-up, base 36), so that only the intended copies are near-duplicates. */
const own = (n: number): string => Array.from({ length: 12 }, (_, i) => `x${((n * 7_919 + i * 104_729) % 1_000_003).toString(36)}`).join(' ');

let dir: string;
let store: Store;
let app: Express;
const CLOCK = Date.parse('2026-12-01T12:00:00Z');

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-export-order-'));
  store = openStore(loadConfig({ DATA_DIR: dir, DEMO_DATA: 'off' }), 'api');
  await store.writes.upsert(Array.from({ length: COUNT }, (_, i) => nth(i + 1)));
  await store.engine.sync();
  app = createApp({
    engine: store.engine, similarity: store.similarity, entities: store.entities, copies: store.copies,
    now: () => performance.now(), clock: () => CLOCK, logError: () => {},
  });
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

/** The JSON search's pages of 100, laid end to end, as (id, title) pairs. */
async function pages(query: string): Promise<{ total: number; hits: string[] }> {
  const hits: string[] = [];
  for (let page = 1; ; page++) {
    const res = await request(app).get(`/api/search?${query}&perPage=100&page=${page}`);
    expect(res.status).toBe(200);
    const body = searchResponseSchema.parse(res.body);
    hits.push(...body.hits.map((h) => `${h.id}|${h.title}`));
    if (page >= body.totalPages) return { total: body.totalHits, hits };
  }
}

describe('GET /api/search exports: the rows are the paged search, end to end', () => {
  it.each([
    ['words, by relevance with the default freshness', 'q=harbour%20ferry%20storm&collapse=false'],
    ['words, oldest first, a filter', 'q=harbour%20tide&sort=oldest&category=weather&collapse=false'],
    ['words, collapsed to one per copy group', 'q=harbour%20cargo&collapse=true'],
    ['no words (the store\'s listing)', 'q=&collapse=false'],
    ['no words, collapsed', 'q=&sort=oldest&collapse=true'],
  ])('when %s is exported as JSON Lines and CSV, then rows and ranks follow the pages', async (_name, query) => {
    const paged = await pages(query);
    expect(paged.total).toBeGreaterThan(2 * EXPORT_PAGE);
    expect(paged.hits).toHaveLength(paged.total);
    const lines = (await text(`${query}&format=jsonl`)).trim().split('\n').map((l) => JSON.parse(l) as { rank: number; id: string; title: string; body?: string });
    expect(lines.map((l) => `${l.id}|${l.title}`)).toEqual(paged.hits);
    expect(lines.map((l) => l.rank)).toEqual(lines.map((_, i) => i + 1));
    expect(lines.some((l) => l.body !== undefined)).toBe(false);
    const csv = (await text(`${query}&format=csv`)).trim().split('\n');
    expect(csv[0]).toBe('rank,id,title,publishedAt,source,category,url,people,orgs,places');
    expect(csv.slice(1).map((row) => row.split(',').slice(0, 2).join(','))).toEqual(lines.map((l) => `${l.rank},${l.id}`));
  }, 60_000);
});

describe('exportSearch: the order is taken once', () => {
  it('when articles are deleted while the export runs, then one already exported stays, a later one is skipped, none other is lost', async () => {
    const asked = { q: 'harbour', sort: 'relevance', match: 'last', filters: {} } as const;
    const before: string[] = [];
    for await (const row of exportSearch(store, asked)) before.push(row.article.id);
    expect(before.length).toBeGreaterThan(2 * EXPORT_PAGE);
    const exported = before[3]!; // in the first step, read before the deletion
    const later = before[EXPORT_PAGE + 7]!;
    const after: { rank: number; id: string }[] = [];
    for await (const row of exportSearch(store, asked)) {
      if (after.length === 0) await store.writes.delete([exported, later]); // the order is already taken
      after.push({ rank: row.rank, id: row.article.id });
    }
    // when each page was ranked again, deleting an exported article shifted the later pages: one article was lost
    expect(after.map((r) => r.id)).toEqual(before.filter((id) => id !== later));
    expect(after.map((r) => r.rank)).toEqual(after.map((_, i) => i + 1));
    await store.writes.upsert([nth(Number(exported.slice(2))), nth(Number(later.slice(2)))]); // back, for other tests
    await store.engine.sync();
  }, 60_000);
});
