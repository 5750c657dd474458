import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { openAnalytics } from '../../src/analytics/analytics.js';
import type { Analytics } from '../../src/analytics/analytics.js';
import { dayOf, openAnalyticsDb, writeEvents } from '../../src/analytics/analytics-db.js';
import type { AnalyticsEvent } from '../../src/analytics/events.js';
import { ReportRunner } from '../../src/analytics/report-runner.js';
import { StoreBusyError } from '../../src/core/errors.js';
import { daysBetween, queryReport, relatedReport } from '../../src/analytics/reports.js';
import type { QueryCount, QueryReport, RelatedReport } from '../../src/analytics/reports.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { createApp } from '../../src/http/app.js';
import { Similarity } from '../../src/similarity/similarity.js';

const ADMIN = 'analytics-admin-key-0001';
const DAY_MS = 86_400_000;
const FIRST = Date.parse('2026-01-01T00:00:00Z');
const DAYS = 120;
const range = { from: dayOf(FIRST), to: dayOf(FIRST + (DAYS - 1) * DAY_MS), limit: 50 };

/** 120 days of 1,500 first-page searches (and a few later pages), search clicks and widget links: ~180,000 daily rows. */
function fill(file: string): void {
  const db = openAnalyticsDb(file, { busyTimeoutMs: 5_000, maxBytes: 1 << 30 });
  for (let day = 0; day < DAYS; day++) {
    const at = (k: number) => FIRST + day * DAY_MS + ((k * 57_601) % DAY_MS);
    const events: AnalyticsEvent[] = [];
    for (let k = 0; k < 1_500; k++) {
      const q = (day * 1_511 + k * 13) % 60_000;
      events.push({ kind: 'search', at: at(k), query: `query ${q % 3 === 0 ? q % 50 : q}`, filters: {}, page: k % 100 === 0 ? 2 : 1, totalHits: q % 11 === 0 ? 0 : 5, shownIds: [] });
    }
    for (let k = 0; k < 200; k++) {
      events.push({ kind: 'click', at: at(k), source: 'search', articleId: `a${k % 40}`, query: `query ${(day + k) % 50}`, position: 1 + (k % 7) });
      events.push({ kind: k % 9 === 0 ? 'click' : 'impression', at: at(k), source: 'widget', articleId: `a${(day * 3 + k) % 300}`, position: 1 + (k % 5) });
    }
    writeEvents(db, events);
  }
  db.close();
}

/** The reports of `asked` counted from the raw events (search_events, interaction_events): the oracle of the daily counts. */
function rawReports(db: Database.Database, asked: typeof range): { queries: QueryReport; related: RelatedReport } {
  const from = Date.parse(`${asked.from}T00:00:00Z`);
  const to = Date.parse(`${asked.to}T00:00:00Z`) + DAY_MS;
  const searches = `WITH q AS (
      SELECT query, SUM(total_hits = 0) AS z, COUNT(*) AS s, 0 AS c FROM search_events WHERE page = 1 AND at >= @from AND at < @to GROUP BY query
      UNION ALL SELECT query, 0, 0, COUNT(*) FROM interaction_events
        WHERE kind = 'click' AND source = 'search' AND query IS NOT NULL AND at >= @from AND at < @to GROUP BY query),
    g AS (SELECT query, SUM(s) AS s, SUM(z) AS z, SUM(c) AS c FROM q WHERE query <> '' GROUP BY query)`;
  const list = (count: string, where: string) =>
    db.prepare(`${searches} SELECT query, ${count} AS count FROM g WHERE ${where} ORDER BY count DESC, query LIMIT @limit`).all({ from, to, limit: asked.limit }) as QueryCount[];
  const day = `strftime('%Y-%m-%d', at / 1000, 'unixepoch')`;
  const dailyQueries = db
    .prepare(
      `SELECT day, SUM(s) AS searches, SUM(z) AS zeroResults, SUM(c) AS clicks FROM (
         SELECT ${day} AS day, 1 AS s, total_hits = 0 AS z, 0 AS c FROM search_events WHERE page = 1 AND at >= @from AND at < @to
         UNION ALL SELECT ${day}, 0, 0, 1 FROM interaction_events WHERE kind = 'click' AND source = 'search' AND query IS NOT NULL AND at >= @from AND at < @to)
       GROUP BY day`,
    )
    .all({ from, to }) as QueryReport['daily'];
  const widget = `FROM interaction_events WHERE source = 'widget' AND at >= @from AND at < @to`;
  const sums = `SUM(kind = 'impression') AS impressions, SUM(kind = 'click') AS clicks`;
  const ctr = <T extends { impressions: number; clicks: number }>(r: T) => ({ ...r, clickThrough: r.impressions > 0 ? Math.round((r.clicks / r.impressions) * 10_000) / 10_000 : 0 });
  const params = { from, to, limit: asked.limit };
  const totals = db.prepare(`SELECT ${sums} ${widget}`).get({ from, to }) as { impressions: number; clicks: number };
  const byPosition = db.prepare(`SELECT position, ${sums} ${widget} AND position > 0 GROUP BY position ORDER BY position LIMIT @limit`).all(params) as { position: number; impressions: number; clicks: number }[];
  const byArticle = db
    .prepare(`SELECT article_id AS articleId, ${sums} ${widget} GROUP BY article_id ORDER BY impressions DESC, clicks DESC, article_id LIMIT @limit`)
    .all(params) as { articleId: string; impressions: number; clicks: number }[];
  const dailyLinks = new Map((db.prepare(`SELECT ${day} AS day, ${sums} ${widget} GROUP BY day`).all({ from, to }) as RelatedReport['daily']).map((d) => [d.day, d]));
  const byDay = new Map(dailyQueries.map((d) => [d.day, d]));
  const days = daysBetween(asked.from, asked.to);
  return {
    queries: {
      from: asked.from,
      to: asked.to,
      top: list('s', 's > 0'),
      zeroResults: list('z', 'z > 0'),
      noClick: list('s - z', 's - z > 0 AND c = 0'),
      daily: days.map((d) => byDay.get(d) ?? { day: d, searches: 0, zeroResults: 0, clicks: 0 }),
    },
    related: {
      from: asked.from,
      to: asked.to,
      totals: ctr({ impressions: totals.impressions ?? 0, clicks: totals.clicks ?? 0 }),
      byPosition: byPosition.map(ctr),
      byArticle: byArticle.map(ctr),
      daily: days.map((d) => dailyLinks.get(d) ?? { day: d, impressions: 0, clicks: 0 }),
    },
  };
}

let file = '';
const opened: Analytics[] = [];
beforeAll(() => {
  file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-report-thread-')), 'analytics.db');
  fill(file);
}, 60_000);
afterAll(async () => {
  await Promise.all(opened.map((a) => a.close(1_000)));
});


describe('analytics reports on the report thread', () => {
  it('when a report is made on the thread, then it equals the same report made in process', async () => {
    const analytics = openAnalytics({ file, enabled: false, retentionDays: 400, maxBytes: 1 << 30, clock: () => Date.now() });
    opened.push(analytics);
    const db = new Database(file, { readonly: true });
    try {
      expect(await analytics.queries(range)).toEqual(queryReport(db, range));
      expect(await analytics.related(range)).toEqual(relatedReport(db, range));
    } finally {
      db.close();
    }
  });

  it.each([
    ['the whole range', range],
    ['40 days inside it, 7 rows a list', { from: dayOf(FIRST + 10 * DAY_MS), to: dayOf(FIRST + 49 * DAY_MS), limit: 7 }],
  ])('when the reports cover %s, then every list equals the same list counted from the raw events', (_what, asked) => {
    const db = new Database(file, { readonly: true });
    try {
      const raw = rawReports(db, asked);
      expect(queryReport(db, asked)).toEqual(raw.queries);
      expect(relatedReport(db, asked)).toEqual(raw.related);
      expect(raw.queries.top).toHaveLength(asked.limit);
      expect(raw.queries.noClick.length).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  it('when a long report is being made, then the same worker answers /health meanwhile', async () => {
    const analytics = openAnalytics({ file, enabled: false, retentionDays: 400, maxBytes: 1 << 30, clock: () => Date.now() });
    opened.push(analytics);
    await analytics.related({ ...range, to: range.from }); // the thread is started
    const app = createApp({
      engine: SqliteEngine.open({ file: ':memory:' }),
      similarity: Similarity.open(':memory:', { serve: true }),
      analytics,
      now: () => performance.now(),
      clock: () => Date.now(),
      logError: () => {},
      http: { adminApiKey: ADMIN },
    });
    const server = app.listen(0);
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const finished: string[] = [];
      const report = fetch(`${base}/api/analytics/queries?from=${range.from}&to=${range.to}`, { headers: { 'X-Api-Key': ADMIN } }).then(async (res) => {
        finished.push('report');
        return res.status;
      });
      await new Promise((resolve) => setTimeout(resolve, 15));
      const health = await fetch(`${base}/health`);
      finished.push('health');
      expect(health.status).toBe(200);
      expect(await report).toBe(200);
      expect(finished).toEqual(['health', 'report']);
    } finally {
      server.close();
    }
  });

  it('when more reports are asked at once than the queue holds, then the extra one is refused as busy and the others are answered', async () => {
    const runner = new ReportRunner({ settings: { file, busyTimeoutMs: 1_000 }, maxQueued: 2 });
    try {
      const asked = [runner.queries(range), runner.related(range), runner.queries(range)];
      await expect(asked[2]).rejects.toBeInstanceOf(StoreBusyError);
      const [queries, related] = await Promise.all(asked.slice(0, 2));
      expect(queries).toMatchObject({ from: range.from, to: range.to });
      expect(related).toHaveProperty('byArticle');
      expect((await runner.queries(range)).top).toHaveLength(range.limit); // room again once answered
    } finally {
      await runner.close();
    }
  });

  it('when the analytics file does not exist yet, then the reports are empty, every day of the range listed', async () => {
    const runner = new ReportRunner({ settings: { file: path.join(os.tmpdir(), 'newsfind-no-such-dir', 'analytics.db'), busyTimeoutMs: 1_000 } });
    try {
      const queries = await runner.queries({ from: '2026-03-01', to: '2026-03-03', limit: 5 });
      expect(queries).toEqual({ from: '2026-03-01', to: '2026-03-03', top: [], zeroResults: [], noClick: [], daily: ['01', '02', '03'].map((d) => ({ day: `2026-03-${d}`, searches: 0, zeroResults: 0, clicks: 0 })) });
    } finally {
      await runner.close();
    }
  });
});
