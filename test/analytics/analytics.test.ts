import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { Express } from 'express';
import request from 'supertest';
import { openAnalytics } from '../../src/analytics/analytics.js';
import type { Analytics, AnalyticsOptions } from '../../src/analytics/analytics.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { createApp } from '../../src/http/app.js';
import { beaconResponseSchema, queryReportSchema, relatedReportSchema } from '../../src/http/analytics-routes.js';
import { problemSchema } from '../../src/http/response-schemas.js';
import { ingestArticles } from '../../src/services/ingest-articles.js';
import { Similarity } from '../../src/similarity/similarity.js';
import { makeArticle } from '../helpers/make-article.js';

const ADMIN = 'analytics-admin-key-0001';
const DAY_MS = 86_400_000;
const STORIES = [
  makeArticle({ id: 'harbour-1', title: 'Harbour strike ends in Port Aldric', body: 'Dock workers in Port Aldric vote to end the harbour strike.' }),
  makeArticle({ id: 'harbour-2', title: 'Port Aldric dockers return', body: 'After the harbour strike, dock workers in Port Aldric return to work.' }),
  makeArticle({ id: 'chips-1', title: 'Chip plant opens', body: 'A chip plant opens near Lirenne with two thousand jobs.' }),
];

/** An API over the stories with analytics writing to its own file in a fresh folder. */
async function world(options: Partial<AnalyticsOptions> = {}): Promise<{ app: Express; analytics: Analytics; file: string }> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-analytics-')), 'analytics.db');
  const engine = SqliteEngine.open({ file: ':memory:' });
  const similarity = Similarity.open(':memory:', { serve: true });
  await ingestArticles({ engine, similarity }, STORIES.map((value, i) => ({ location: `s${i}`, value })));
  const analytics = openAnalytics({ file, enabled: true, retentionDays: 90, maxBytes: 64 * 1024 * 1024, clock: () => Date.now(), flushEveryMs: 50, ...options });
  const app = createApp({
    engine,
    similarity,
    analytics,
    now: () => performance.now(),
    clock: () => Date.now(),
    logError: () => {},
    http: { adminApiKey: ADMIN },
  });
  opened.push(analytics);
  return { app, analytics, file };
}

const opened: Analytics[] = [];
afterAll(async () => {
  await Promise.all(opened.map((a) => a.close(1_000)));
});

const report = async (app: Express, which: 'queries' | 'related', query = '') =>
  request(app).get(`/api/analytics/${which}${query}`).set('X-Api-Key', ADMIN);
const beacon = (app: Express, body: unknown) =>
  request(app).post('/api/events').set('Content-Type', 'text/plain;charset=UTF-8').send(JSON.stringify(body));

describe('search and widget analytics', () => {
  it('when readers search and click, then the reports count the queries, the zero-result one, the unclicked one and the clicks', async () => {
    const { app, analytics } = await world();
    for (const q of ['harbour strike', 'Harbour  STRIKE', 'chip plant', 'zanzibar ferries']) expect((await request(app).get(`/api/search?q=${encodeURIComponent(q)}`)).status).toBe(200);
    expect((await request(app).get('/api/search?q=harbour%20strike&page=2&perPage=1')).status).toBe(200); // a later page: same search
    expect((await beacon(app, { type: 'click', source: 'search', articleId: 'harbour-1', query: 'Harbour strike', position: 1 })).status).toBe(202);
    await analytics.recorder.flush();
    const res = await report(app, 'queries');
    expect(res.status).toBe(200);
    const body = queryReportSchema.parse(res.body);
    expect(body.top).toEqual([
      { query: 'harbour strike', count: 2 },
      { query: 'chip plant', count: 1 },
      { query: 'zanzibar ferries', count: 1 },
    ]);
    expect(body.zeroResults).toEqual([{ query: 'zanzibar ferries', count: 1 }]);
    expect(body.noClick).toEqual([{ query: 'chip plant', count: 1 }]);
    expect(body.daily).toHaveLength(30);
    expect(body.daily.at(-1)).toEqual({ day: new Date().toISOString().slice(0, 10), searches: 4, zeroResults: 1, clicks: 1 });
  });

  it('when the widget reports impressions and clicks, then the related report gives click-through by position and by article', async () => {
    const { app, analytics } = await world();
    const shown = ['harbour-2', 'chips-1'].map((articleId, i) => ({ type: 'impression', source: 'widget', articleId, fromArticleId: 'harbour-1', position: i + 1 }));
    for (let k = 0; k < 4; k++) expect((await beacon(app, shown)).status).toBe(202);
    await beacon(app, { type: 'click', source: 'widget', articleId: 'chips-1', fromArticleId: 'harbour-1', position: 2 });
    await analytics.recorder.flush();
    const body = relatedReportSchema.parse((await report(app, 'related')).body);
    expect(body.totals).toEqual({ impressions: 8, clicks: 1, clickThrough: 0.125 });
    expect(body.byPosition).toEqual([
      { position: 1, impressions: 4, clicks: 0, clickThrough: 0 },
      { position: 2, impressions: 4, clicks: 1, clickThrough: 0.25 },
    ]);
    expect(body.byArticle[0]).toEqual({ articleId: 'chips-1', impressions: 4, clicks: 1, clickThrough: 0.25 });
  });

  it('when a beacon holds bad events, then the good ones are kept and each bad one is named; all bad is a 400 problem', async () => {
    const { app, analytics } = await world();
    const mixed = await beacon(app, [
      { type: 'click', source: 'widget', articleId: 'chips-1', position: 1 },
      { type: 'click', source: 'widget', articleId: 'chips-1', ip: '203.0.113.9' },
      { type: 'hover', source: 'widget', articleId: 'no spaces allowed' },
    ]);
    expect(mixed.status).toBe(202);
    const parsed = beaconResponseSchema.parse(mixed.body);
    expect(parsed.accepted).toBe(1);
    expect(parsed.rejections.map((r) => r.index)).toEqual([1, 2]);
    const bad = await beacon(app, { type: 'click', source: 'search', articleId: 'x', position: 0 });
    expect(bad.status).toBe(400);
    expect(problemSchema.parse(bad.body).code).toBe('invalid_request');
    expect((await request(app).post('/api/events').set('Content-Type', 'text/plain').send('{not json')).status).toBe(400);
    expect((await request(app).post('/api/events').set('Content-Type', 'application/x-www-form-urlencoded').send('a=1')).status).toBe(415);
    expect((await beacon(app, [])).status).toBe(400);
    await analytics.recorder.flush();
    expect(analytics.recorder.stats().written).toBe(1);
  });

  it('when beacons come faster than the per-client limit, then the extra ones get 429 and no key is ever needed', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-analytics-')), 'analytics.db');
    const engine = SqliteEngine.open({ file: ':memory:' });
    const analytics = openAnalytics({ file, enabled: true, retentionDays: 90, maxBytes: 1 << 26, clock: () => Date.now() });
    opened.push(analytics);
    const app = createApp({
      engine,
      similarity: Similarity.open(':memory:', { serve: true }),
      analytics,
      eventsPerMinute: 3,
      now: () => performance.now(),
      clock: () => Date.now(),
      logError: () => {},
      http: { searchApiKey: 'a-search-key-of-16-chars', adminApiKey: ADMIN },
    });
    const event = { type: 'impression', source: 'widget', articleId: 'a' };
    const statuses = [];
    for (let k = 0; k < 4; k++) statuses.push((await beacon(app, event)).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
  });

  it('when the reports are asked without the admin key, with another key, or with none configured, then they are refused', async () => {
    const { app } = await world();
    expect((await request(app).get('/api/analytics/queries')).status).toBe(401);
    expect((await request(app).get('/api/analytics/related').set('X-Api-Key', 'some-other-key-0000')).status).toBe(403);
    const bad = await report(app, 'queries', '?from=2026-02-30');
    expect(bad.status).toBe(400);
    expect((await report(app, 'queries', '?from=2026-05-01&to=2026-04-01')).status).toBe(400);
    expect((await report(app, 'queries', '?from=2020-01-01&to=2026-01-01')).status).toBe(400);
    const engine = SqliteEngine.open({ file: ':memory:' });
    const { analytics } = await world();
    const open = createApp({ engine, similarity: Similarity.open(':memory:', { serve: true }), analytics, now: () => 0, clock: () => Date.now(), logError: () => {} });
    expect((await request(open).get('/api/analytics/queries').set('X-Api-Key', ADMIN)).status).toBe(403);
  });

  it('when analytics is off, then searches and beacons record nothing and no file is created', async () => {
    const { app, analytics, file } = await world({ enabled: false });
    expect((await request(app).get('/api/search?q=harbour')).status).toBe(200);
    expect((await beacon(app, { type: 'click', source: 'search', articleId: 'harbour-1', query: 'harbour' })).status).toBe(202);
    await analytics.recorder.flush();
    expect(fs.existsSync(file)).toBe(false);
    expect(queryReportSchema.parse((await report(app, 'queries')).body).top).toEqual([]);
  });

  it('when events are older than the retention window, then retention deletes them and their daily counts', async () => {
    let now = Date.now();
    const { app, analytics, file } = await world({ retentionDays: 30, clock: () => now });
    now = Date.now() - 40 * DAY_MS;
    await request(app).get('/api/search?q=old%20story');
    now = Date.now() - 10 * DAY_MS;
    await request(app).get('/api/search?q=recent%20story');
    await analytics.recorder.flush();
    const from = new Date(Date.now() - 60 * DAY_MS).toISOString().slice(0, 10);
    const before = queryReportSchema.parse((await report(app, 'queries', `?from=${from}`)).body);
    expect(before.top.map((q) => q.query).sort()).toEqual(['old story', 'recent story']);
    expect(await analytics.recorder.prune()).toEqual({ events: 1, dailyRows: 1 });
    const after = queryReportSchema.parse((await report(app, 'queries', `?from=${from}`)).body);
    expect(after.top.map((q) => q.query)).toEqual(['recent story']);
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT query FROM search_events').all()).toEqual([{ query: 'recent story' }]);
    db.close();
  });

  it('when another process holds the analytics file locked, then searches still answer, and the events are written once it lets go', async () => {
    const { app, analytics, file } = await world({ busyTimeoutMs: 50 });
    await request(app).get('/api/search?q=warm');
    await analytics.recorder.flush(); // the file and its tables exist
    const other = new Database(file);
    other.exec('BEGIN EXCLUSIVE');
    try {
      for (let k = 0; k < 20; k++) expect((await request(app).get(`/api/search?q=harbour&page=1&perPage=${1 + k}`)).status).toBe(200);
      await analytics.recorder.flush();
      expect(analytics.recorder.stats()).toMatchObject({ written: 1, pending: 20 });
      expect(analytics.recorder.stats().failedWrites).toBeGreaterThan(0);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await analytics.recorder.flush();
    expect(analytics.recorder.stats()).toMatchObject({ written: 21, pending: 0, dropped: 0 });
    expect(queryReportSchema.parse((await report(app, 'queries')).body).top).toContainEqual({ query: 'harbour', count: 20 });
  });

  it('when two writers (each process has its own) write the same file at once, then every event of both is in the one report', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-analytics-')), 'analytics.db');
    const writers = [0, 1].map(() => openAnalytics({ file, enabled: true, retentionDays: 90, maxBytes: 1 << 26, clock: () => Date.now(), flushEveryMs: 5 }));
    opened.push(...writers);
    const hits = { hits: [], totalHits: 3 };
    for (let k = 0; k < 2_000; k++) {
      for (const [w, writer] of writers.entries()) writer.searched({ q: `query ${k % 7}`, page: 1, perPage: 10, sort: 'relevance', match: 'last', filters: {}, facets: [] }, { ...hits, totalHits: w });
      if (k % 200 === 0) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(writers.map((w) => w.recorder.flush()));
    expect(writers.map((w) => w.recorder.stats())).toEqual([0, 1].map(() => ({ written: 2_000, dropped: 0, pending: 0, failedWrites: 0 })));
    const body = await writers[0]!.queries({ from: '2000-01-01', to: '2100-01-01', limit: 10 });
    expect(body.top.reduce((sum, q) => sum + q.count, 0)).toBe(4_000);
    expect(body.zeroResults.reduce((sum, q) => sum + q.count, 0)).toBe(2_000);
  });

  it('when the analytics file is full, then searches still answer and the events beyond the queue bound are counted as dropped', async () => {
    const { app, analytics } = await world({ maxBytes: 1, maxPending: 30 }); // 8 pages (32 KiB) at least
    const long = 'x'.repeat(500);
    for (let k = 0; k < 200; k++) expect((await request(app).get(`/api/search?q=${long}${k}`)).status).toBe(200);
    await analytics.recorder.flush();
    const stats = analytics.recorder.stats();
    expect(stats.failedWrites).toBeGreaterThan(0);
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.written + stats.pending + stats.dropped).toBe(200);
  });
});
