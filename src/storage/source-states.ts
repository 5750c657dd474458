import type Database from 'better-sqlite3';

/**
 * What the indexer keeps of each HTTP(S) source it reads (a feed, sitemap or page URL, or a sitemap an index
 * lists): the validators it sends back (ETag, Last-Modified), its last success and last error, its failures in a
 * row, when it may be asked again (Retry-After, backoff), and how many items its last full answer held. The indexer
 * writes the `http_sources` table (indexer/state.ts); the API reads it for /metrics.
 */
export interface SourceState {
  readonly url: string;
  readonly etag?: string;
  readonly lastModified?: string;
  /** ms since the epoch. */
  readonly lastAttemptAt?: number;
  readonly lastSuccessAt?: number;
  readonly lastError?: string;
  readonly lastErrorAt?: number;
  readonly consecutiveFailures: number;
  readonly failuresTotal: number;
  /** Not to be asked before this time (ms since the epoch): a Retry-After, or the backoff after failures. */
  readonly notBefore?: number;
  /** Items of the last answer that had a body (a 304 leaves the figure as it was). */
  readonly items: number;
  /** The newest publication date among those items (ms since the epoch). */
  readonly newestItemAt?: number;
}

/** The `http_sources` table (one row per URL) and `http_pages` (the item version whose page was fetched, per URL). */
export const SOURCE_STATES_SCHEMA = `CREATE TABLE IF NOT EXISTS http_sources (
  url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, last_attempt_at INTEGER, last_success_at INTEGER,
  last_error TEXT, last_error_at INTEGER, consecutive_failures INTEGER NOT NULL DEFAULT 0,
  failures_total INTEGER NOT NULL DEFAULT 0, not_before INTEGER, items INTEGER NOT NULL DEFAULT 0,
  newest_item_at INTEGER) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS http_pages (url TEXT PRIMARY KEY, item_hash TEXT NOT NULL, fetched_at INTEGER NOT NULL) WITHOUT ROWID;`;

interface Row {
  url: string;
  etag: string | null;
  last_modified: string | null;
  last_attempt_at: number | null;
  last_success_at: number | null;
  last_error: string | null;
  last_error_at: number | null;
  consecutive_failures: number;
  failures_total: number;
  not_before: number | null;
  items: number;
  newest_item_at: number | null;
}

export function fromSourceRow(r: Row): SourceState {
  const optional = {
    etag: r.etag, lastModified: r.last_modified, lastAttemptAt: r.last_attempt_at, lastSuccessAt: r.last_success_at,
    lastError: r.last_error, lastErrorAt: r.last_error_at, notBefore: r.not_before, newestItemAt: r.newest_item_at,
  };
  const present = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null));
  return { url: r.url, consecutiveFailures: r.consecutive_failures, failuresTotal: r.failures_total, items: r.items, ...present };
}

/** Every HTTP source's state, by URL (none when the table does not exist yet). */
export function readSourceStates(db: Database.Database): SourceState[] {
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'http_sources'").get()) return [];
  return (db.prepare('SELECT * FROM http_sources ORDER BY url').all() as Row[]).map(fromSourceRow);
}
