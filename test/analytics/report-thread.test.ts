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
import { queryReport, relatedReport } from '../../src/analytics/reports.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { createApp } from '../../src/http/app.js';
import { Similarity } from '../../src/similarity/similarity.js';

const ADMIN = 'analytics-admin-key-0001';
const DAY_MS = 86_400_000;
const FIRST = Date.parse('2026-01-01T00:00:00Z');
const DAYS = 120;

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

let file = '';
const opened: Analytics[] = [];
beforeAll(() => {
  file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-report-thread-')), 'analytics.db');
  fill(file);
}, 60_000);
afterAll(async () => {
  await Promise.all(opened.map((a) => a.close(1_000)));
});

const range = { from: dayOf(FIRST), to: dayOf(FIRST + (DAYS - 1) * DAY_MS), limit: 50 };

describe('analytics reports on the report thread', () => {
  it('when a report is made on the thread, then it equals the same report made in process, and the raw events agree', async () => {
    const analytics = openAnalytics({ file, enabled: false, retentionDays: 400, maxBytes: 1 << 30, clock: () => Date.now() });
    opened.push(analytics);
    const db = new Database(file, { readonly: true });
    try {
      const queries = await analytics.queries(range);
      expect(queries).toEqual(queryReport(db, range));
      expect(await analytics.related(range)).toEqual(relatedReport(db, range));
      const raw = db
        .prepare(
          `SELECT query, COUNT(*) AS count FROM search_events WHERE page = 1 AND query <> '' AND at >= ? AND at < ?
           GROUP BY query ORDER BY count DESC, query LIMIT 50`,
        )
        .all(FIRST, FIRST + DAYS * DAY_MS);
      expect(queries.top).toEqual(raw);
      expect(queries.daily.reduce((sum, d) => sum + d.searches, 0)).toBe(DAYS * 1_485);
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
});
