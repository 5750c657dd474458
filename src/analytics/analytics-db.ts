import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AnalyticsEvent, InteractionEvent, SearchEvent } from './events.js';

/**
 * The analytics file (DATA_DIR/analytics.db, SQLite in WAL mode): the raw events, and daily counts kept up to date
 * in the same transaction, which the reports read (their cost grows with days × distinct queries or links in the
 * range asked, never with the number of events). Apart from the store file on purpose: analytics writes never wait
 * for, nor hold, the lock of article writes, and an analytics file that is full or damaged touches no article.
 *
 * Days are UTC calendar days, `YYYY-MM-DD`. Counts of searches are of first pages only (a reader paging on is still
 * the same search); a position of 0 in `link_days` means "not reported".
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS search_events (
  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, query TEXT NOT NULL, filters TEXT NOT NULL,
  page INTEGER NOT NULL, total_hits INTEGER NOT NULL, shown_ids TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS search_events_at ON search_events (at);
CREATE TABLE IF NOT EXISTS interaction_events (
  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL, article_id TEXT NOT NULL,
  query TEXT, position INTEGER, from_article_id TEXT);
CREATE INDEX IF NOT EXISTS interaction_events_at ON interaction_events (at);
CREATE TABLE IF NOT EXISTS query_days (
  day TEXT NOT NULL, query TEXT NOT NULL,
  searches INTEGER NOT NULL DEFAULT 0, zero_results INTEGER NOT NULL DEFAULT 0, clicks INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, query)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS link_days (
  day TEXT NOT NULL, source TEXT NOT NULL, article_id TEXT NOT NULL, position INTEGER NOT NULL,
  impressions INTEGER NOT NULL DEFAULT 0, clicks INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, source, article_id, position)) WITHOUT ROWID;
`;

/** Rows one retention statement deletes at most, so that no write of another process waits long behind it. */
const PRUNE_CHUNK = 5_000;
const DAY_MS = 86_400_000;

/** The UTC day of a time in ms since the epoch, `YYYY-MM-DD`. */
export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** How the analytics file is opened for writing. */
export interface AnalyticsDbOptions {
  /** How long a write waits for another process's write to the same file before it fails with SQLITE_BUSY (ms). */
  readonly busyTimeoutMs: number;
  /** Largest size of the file in bytes; beyond, writes fail with SQLITE_FULL (retention frees room). */
  readonly maxBytes: number;
}

/** Opens (creating it and its folder when missing) the analytics file for writing, with its size cap. */
export function openAnalyticsDb(file: string, options: AnalyticsDbOptions): Database.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: options.busyTimeoutMs });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    db.pragma(`max_page_count = ${Math.max(8, Math.floor(options.maxBytes / pageSize))}`);
    db.transaction(() => db.exec(SCHEMA)).immediate();
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Opens an existing analytics file to read the reports from; undefined when no process has created it yet. */
export function openAnalyticsReader(file: string, busyTimeoutMs: number): Database.Database | undefined {
  if (!fs.existsSync(file)) return undefined;
  return new Database(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
}

type Counts = { searches: number; zero: number; clicks: number };
type LinkCounts = { impressions: number; clicks: number };

/** The daily counts a batch adds, summed per key first so that each key is one upsert. */
function dailyCounts(events: readonly AnalyticsEvent[]): { queries: Map<string, Counts>; links: Map<string, LinkCounts> } {
  const queries = new Map<string, Counts>();
  const links = new Map<string, LinkCounts>();
  const queryRow = (day: string, query: string) => {
    const key = JSON.stringify([day, query]);
    const row = queries.get(key) ?? { searches: 0, zero: 0, clicks: 0 };
    queries.set(key, row);
    return row;
  };
  for (const e of events) {
    const day = dayOf(e.at);
    if (e.kind === 'search') {
      if (e.page !== 1) continue;
      const row = queryRow(day, e.query);
      row.searches += 1;
      if (e.totalHits === 0) row.zero += 1;
      continue;
    }
    const key = JSON.stringify([day, e.source, e.articleId, e.position ?? 0]);
    const link = links.get(key) ?? { impressions: 0, clicks: 0 };
    links.set(key, link);
    if (e.kind === 'impression') link.impressions += 1;
    else {
      link.clicks += 1;
      if (e.source === 'search' && e.query !== undefined) queryRow(day, e.query).clicks += 1;
    }
  }
  return { queries, links };
}

/** Writes a batch of events and their daily counts in one transaction (BEGIN IMMEDIATE): all of it or none. */
export function writeEvents(db: Database.Database, events: readonly AnalyticsEvent[]): void {
  const search = db.prepare('INSERT INTO search_events (at, query, filters, page, total_hits, shown_ids) VALUES (?, ?, ?, ?, ?, ?)');
  const interaction = db.prepare(
    'INSERT INTO interaction_events (at, kind, source, article_id, query, position, from_article_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const query = db.prepare(
    `INSERT INTO query_days (day, query, searches, zero_results, clicks) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (day, query) DO UPDATE SET searches = searches + excluded.searches,
       zero_results = zero_results + excluded.zero_results, clicks = clicks + excluded.clicks`,
  );
  const link = db.prepare(
    `INSERT INTO link_days (day, source, article_id, position, impressions, clicks) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (day, source, article_id, position) DO UPDATE SET impressions = impressions + excluded.impressions,
       clicks = clicks + excluded.clicks`,
  );
  const write = db.transaction(() => {
    for (const e of events) {
      if (e.kind === 'search') insertSearch(search, e);
      else insertInteraction(interaction, e);
    }
    const { queries, links } = dailyCounts(events);
    for (const [key, c] of queries) query.run(...(JSON.parse(key) as [string, string]), c.searches, c.zero, c.clicks);
    for (const [key, c] of links) link.run(...(JSON.parse(key) as [string, string, string, number]), c.impressions, c.clicks);
  });
  write.immediate();
}

function insertSearch(statement: Database.Statement, e: SearchEvent): void {
  statement.run(e.at, e.query, JSON.stringify(e.filters), e.page, e.totalHits, JSON.stringify(e.shownIds));
}

function insertInteraction(statement: Database.Statement, e: InteractionEvent): void {
  statement.run(e.at, e.kind, e.source, e.articleId, e.query ?? null, e.position ?? null, e.fromArticleId ?? null);
}

/** What one retention pass deleted. */
export interface PruneResult {
  readonly events: number;
  readonly dailyRows: number;
}

/**
 * Retention: deletes the events older than `retentionDays` before `now` (ms since the epoch) and the daily counts
 * of the days before the first day of that window, {@link PRUNE_CHUNK} rows per transaction.
 */
export function pruneEvents(db: Database.Database, now: number, retentionDays: number): PruneResult {
  const cutoff = now - retentionDays * DAY_MS;
  const firstDay = dayOf(cutoff);
  const chunked = (sql: string, param: number | string): number => {
    const statement = db.prepare(sql);
    let total = 0;
    for (;;) {
      const { changes } = db.transaction(() => statement.run(param, PRUNE_CHUNK)).immediate();
      total += changes;
      if (changes < PRUNE_CHUNK) return total;
    }
  };
  const events =
    chunked('DELETE FROM search_events WHERE id IN (SELECT id FROM search_events WHERE at < ? LIMIT ?)', cutoff) +
    chunked('DELETE FROM interaction_events WHERE id IN (SELECT id FROM interaction_events WHERE at < ? LIMIT ?)', cutoff);
  const dailyRows =
    chunked('DELETE FROM query_days WHERE (day, query) IN (SELECT day, query FROM query_days WHERE day < ? LIMIT ?)', firstDay) +
    chunked(
      `DELETE FROM link_days WHERE (day, source, article_id, position) IN
        (SELECT day, source, article_id, position FROM link_days WHERE day < ? LIMIT ?)`,
      firstDay,
    );
  return { events, dailyRows };
}
