/**
 * The alert tables of the store file (DATA_DIR/newsfind.db), applied idempotently by every connection that uses them:
 * - `saved_searches`: the searches (query as JSON, as `/api/search` takes it; the webhook's secret, never shown);
 *   `from_seq` is the end of the article change log when the search was saved: only later changes can alert it;
 * - `saved_search_changes`: a log of saved searches added or removed (the matcher follows it to keep its index);
 * - `alert_cursor`: how far the matcher has read the article change log (`article_changes`), committed in the
 *   same transaction as the matches and deliveries it found, so that a restart resumes exactly there;
 * - `alert_matches`: each (saved search, article) pair matched once, with what the feed shows;
 * - `alert_deliveries`: the webhook queue, each row one request body; `dead = 1` after the last try (dead letter).
 * - `alert_bursts`: the bursts each saved search following an entity's bursts was told of (dates as the profile
 *   gives them), widened as the burst grows, so that it hears of each burst once (alerts/burst-watch.ts).
 * Removing a saved search removes its matches, its bursts and its deliveries, dead or not.
 */
export const ALERT_SCHEMA = `
  CREATE TABLE IF NOT EXISTS saved_searches (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    webhook_url TEXT,
    webhook_secret TEXT,
    created_at TEXT NOT NULL,
    from_seq INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS saved_search_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS alert_cursor (log TEXT PRIMARY KEY, seq INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS alert_matches (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    search_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT,
    published_at TEXT,
    matched_at INTEGER NOT NULL,
    UNIQUE (search_id, article_id)
  );
  CREATE INDEX IF NOT EXISTS alert_matches_search ON alert_matches (search_id, seq);
  CREATE TABLE IF NOT EXISTS alert_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    search_id TEXT NOT NULL,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL,
    dead INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS alert_deliveries_due ON alert_deliveries (dead, next_at);
  CREATE TABLE IF NOT EXISTS alert_bursts (
    search_id TEXT NOT NULL,
    start TEXT NOT NULL,
    end TEXT NOT NULL,
    notified_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS alert_bursts_search ON alert_bursts (search_id, start);
  CREATE TRIGGER IF NOT EXISTS saved_searches_ad_bursts AFTER DELETE ON saved_searches BEGIN
    DELETE FROM alert_bursts WHERE search_id = old.id;
  END;
  CREATE TRIGGER IF NOT EXISTS saved_searches_ai AFTER INSERT ON saved_searches BEGIN
    INSERT INTO saved_search_changes (id) VALUES (new.id);
  END;
  CREATE TRIGGER IF NOT EXISTS saved_searches_ad AFTER DELETE ON saved_searches BEGIN
    INSERT INTO saved_search_changes (id) VALUES (old.id);
    DELETE FROM alert_matches WHERE search_id = old.id;
    DELETE FROM alert_deliveries WHERE search_id = old.id;
  END;
`;
