import { performance } from 'node:perf_hooks';
import { parse } from 'csv-parse/sync';
import type { Express, Response } from 'express';
import request from 'supertest';
import type { AppError } from '../../src/core/errors.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { createApp } from '../../src/http/app.js';
import { ExportSlots, MAX_CONCURRENT_EXPORTS, csvCell } from '../../src/http/export-response.js';
import { MAX_FILTER_VALUES } from '../../src/http/search-query.js';
import { ingestArticles } from '../../src/services/ingest-articles.js';
import { Similarity } from '../../src/similarity/similarity.js';
import { makeArticle } from '../helpers/make-article.js';

/**
 * Issue 14: no request does work that grows with something the client controls beyond a bound: exclusions, filter
 * values, formula cells in exports, concurrent exports.
 */
async function makeApp(): Promise<Express> {
  const engine = SqliteEngine.open({ file: ':memory:' });
  const similarity = Similarity.open(':memory:', { serve: true });
  const articles = [
    makeArticle({ id: 'oil-1', title: 'Oil prices rise', body: 'Crude oil rose on supply worries.', category: 'markets' }),
    makeArticle({ id: 'oil-2', title: 'Oil output cut', body: 'Producers cut oil output again.', category: 'energy' }),
    makeArticle({ id: 'formula', title: '=HYPERLINK("http://evil.example","click")', body: 'Oil and a formula.', source: '@SUM(A1:A9)', category: '+cmd' }),
  ];
  await ingestArticles({ engine, similarity }, articles.map((value, i) => ({ location: `a${i}`, value })));
  return createApp({ engine, similarity, now: () => performance.now(), clock: () => Date.now(), logError: () => {} });
}

const exclusions = (n: number) => Array.from({ length: n }, (_, i) => `-w${i}`).join(' ');

describe('bounded work per request', () => {
  let app: Express;
  beforeAll(async () => {
    app = await makeApp();
  });

  it('when a query has 100 exclusions, then it is a 400 naming q, not a 502 from the engine', async () => {
    const res = await request(app).get('/api/search').query({ q: `oil ${exclusions(100)}` });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors[0].path).toBe('q');
  });

  it('when a query has 10 exclusions on a typo, then it answers', async () => {
    const res = await request(app).get('/api/search').query({ q: `pricse ${exclusions(10)}` });
    expect(res.status).toBe(200);
    expect(res.body.hits.map((h: { id: string }) => h.id)).toEqual(['oil-1']);
  });

  it('when an export has too many exclusions, then the answer is a problem, not a cut-off download', async () => {
    const res = await request(app).get('/api/search').query({ q: exclusions(256).replaceAll(/w\d+/g, 'a'), format: 'csv' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['content-disposition']).toBeUndefined();
  });

  it('when a filter value is repeated, then it counts once', async () => {
    const res = await request(app).get(`/api/search?q=oil&${'category=markets&'.repeat(500)}category=energy`);
    expect(res.status).toBe(200);
    expect(res.body.totalHits).toBe(2);
  });

  it(`when a filter has more than ${MAX_FILTER_VALUES} distinct values, then it is a 400 naming the filter`, async () => {
    const values = Array.from({ length: MAX_FILTER_VALUES + 1 }, (_, i) => `tag=t${i}`).join('&');
    const res = await request(app).get(`/api/search?q=oil&${values}`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('tag');
  });

  it('when an export holds cells that start like a formula, then they are exported as text', async () => {
    const res = await request(app).get('/api/search').query({ q: 'formula', format: 'csv' });
    expect(res.status).toBe(200);
    const [row] = parse(res.text, { columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({ title: `'=HYPERLINK("http://evil.example","click")`, source: "'@SUM(A1:A9)", category: "'+cmd" });
  });
});

describe('csvCell', () => {
  it.each(['=1+1', '+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])('when a cell starts like a formula (%j), then it gets a leading quote', (cell) => {
    expect(csvCell(cell)).toBe(`'${cell}`);
  });

  it('when a cell is ordinary text, then it is unchanged', () => {
    expect(csvCell('Oil prices rise 2%')).toBe('Oil prices rise 2%');
  });
});

describe('ExportSlots', () => {
  const fakeResponse = () => {
    const headers = new Map<string, string>();
    return { headers, res: { setHeader: (k: string, v: string) => headers.set(k, v) } as unknown as Response };
  };

  it(`when ${MAX_CONCURRENT_EXPORTS} exports are running, then one more is refused with 429 and Retry-After, and a freed slot is reused`, async () => {
    const slots = new ExportSlots();
    const releases: (() => void)[] = [];
    const running = Array.from({ length: MAX_CONCURRENT_EXPORTS }, () =>
      slots.run(fakeResponse().res, () => new Promise<void>((resolve) => releases.push(resolve))));
    const refused = fakeResponse();
    await expect(slots.run(refused.res, async () => {})).rejects.toMatchObject({ code: 'rate_limited' } satisfies Partial<AppError>);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    releases.shift()!();
    await running[0];
    await expect(slots.run(fakeResponse().res, async () => {})).resolves.toBeUndefined();
    for (const release of releases) release();
    await Promise.all(running);
  });
});
