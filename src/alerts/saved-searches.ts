import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { AppError, NotFoundError, ValidationError } from '../core/errors.js';
import { openSqliteFile, storeFailure } from '../storage/sqlite-file.js';
import { ALERT_SCHEMA } from './alert-schema.js';
import type { EntityKind } from '../core/entities/gazetteer.js';
import type { SearchFilters } from '../engines/search-engine.js';
import { compileQuery } from './saved-query.js';

/** Most saved searches a store holds (each costs memory in the matcher); more are refused. */
export const MAX_SAVED_SEARCHES = 100_000;
/** Most entries of a saved search's feed (the newest matches). */
export const FEED_ENTRIES = 50;
/**
 * Of a write's time (its request's deadline), what is kept back for the commit and for the answer to reach the HTTP
 * layer, in ms: the lock is waited for until 50 ms before the deadline (a commit is a few ms).
 */
export const ANSWER_MARGIN_MS = 50;
/**
 * How long past its deadline the request of a saved-search write waits for the write's own answer before its timeout
 * answers 503 (http/app.ts), in ms. The write gives up by the deadline or commits, so its answer — 201, or 503 for a
 * write not made — comes first; without this, an event loop held for more than {@link ANSWER_MARGIN_MS} as the
 * deadline passed let the timer answer 503 for a write the thread had just made (a client's retry saved it twice).
 * Only a commit outlasting this may still be answered 503 once made.
 */
export const SAVED_SEARCH_ANSWER_GRACE_MS = 5_000;

/**
 * What bounds one write: its request's deadline, in ms since the epoch (the instance's clock; the HTTP layer's
 * requestDeadline). The write waits for another process's lock only until then, less {@link ANSWER_MARGIN_MS}, and is
 * not begun when that time has passed: a request answered 503 (timeout) has not made its write, and a client that
 * retries it makes it once. No deadline: the connection's busy timeout.
 */
export interface WriteBound {
  readonly deadline?: number | undefined;
}

/** The query of a saved search, in the parameter names of `/api/search` (`tag`, `person`…), as given. */
export type SavedSearchQuery = Readonly<Record<string, string | readonly string[]>>;

/** The entity a saved search follows the bursts of: its API type and canonical name, and its kind. */
export interface EntityBurstsTarget {
  readonly type: 'person' | 'org' | 'place';
  readonly kind: EntityKind;
  readonly name: string;
}

/**
 * What is saved: a name, a query or an entity whose bursts it follows, and optionally a webhook (its secret signs
 * deliveries).
 */
export type NewSavedSearch = {
  readonly name: string;
  readonly webhook?: { readonly url: string; readonly secret: string };
} & (
  | {
      /** The query as `/api/search` parameters (shown back as given). */
      readonly query: SavedSearchQuery;
      /** The same query as the engine reads it (words and filters). */
      readonly search: { readonly q: string; readonly filters: SearchFilters };
    }
  | { readonly entityBursts: EntityBurstsTarget }
);

/** A saved search as shown: never its webhook secret. */
export interface SavedSearch {
  readonly id: string;
  readonly name: string;
  /** A query's saved search: its `/api/search` parameters. */
  readonly query?: SavedSearchQuery;
  /** A saved search following an entity's bursts: the entity. */
  readonly entityBursts?: { readonly type: string; readonly name: string };
  readonly webhook?: { readonly url: string };
  readonly createdAt: string;
}

/** One entry of a saved search's feed: an article it matched, as it was when matched. */
export interface FeedEntry {
  readonly id: string;
  readonly title: string;
  readonly url?: string;
  readonly publishedAt?: string;
  /** When the match was found, ms since the epoch. */
  readonly matchedAt: number;
}

/** The webhook queue's depth (the `/metrics` gauges). */
export interface AlertDepth {
  readonly savedSearches: number;
  readonly pending: number;
  readonly dead: number;
}

interface Row {
  id: string;
  name: string;
  query: string;
  webhook_url: string | null;
  created_at: string;
}

/** The stored query: `params` as shown (a query's parameters, or `{ entityBursts: { type, name } }`). */
interface StoredQuery {
  readonly params: Record<string, unknown>;
  readonly search?: { readonly q: string; readonly filters: SearchFilters };
  readonly entityBursts?: { readonly kind: EntityKind; readonly name: string };
}

const present = (r: Row): SavedSearch => {
  const stored = JSON.parse(r.query) as StoredQuery;
  return {
    id: r.id,
    name: r.name,
    ...(stored.entityBursts ? (stored.params as { entityBursts: { type: string; name: string } }) : { query: stored.params as SavedSearchQuery }),
    ...(r.webhook_url === null ? {} : { webhook: { url: r.webhook_url } }),
    createdAt: r.created_at,
  };
};

/**
 * Saved searches in the store file (alert-schema.ts), as the HTTP workers read and write them; the matcher (in the
 * index host's process) follows their changes. Writes are one statement each (a transaction of their own).
 */
export class SavedSearches {
  private readonly insert: Database.Statement;
  private readonly byId: Database.Statement;
  private readonly page: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly count: Database.Statement;
  private readonly feed: Database.Statement;
  private readonly depthQuery: Database.Statement;

  /**
   * Saved searches on a connection of their own to the store file `file` (the alert tables created when missing).
   * `busyTimeoutMs`: how long a write waits for another process's write lock (default: a serving thread's 5 s).
   */
  static open(file: string, clock: () => number, options: { busyTimeoutMs?: number } = {}): SavedSearches {
    const busy = options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs };
    return new SavedSearches(openSqliteFile(file, { what: 'store', schema: ALERT_SCHEMA, ...busy }), clock);
  }

  constructor(
    private readonly db: Database.Database,
    private readonly clock: () => number,
  ) {
    this.insert = db.prepare(`INSERT INTO saved_searches (id, name, query, webhook_url, webhook_secret, created_at, from_seq)
      VALUES (?, ?, ?, ?, ?, ?, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'article_changes'), 0))`);
    this.byId = db.prepare('SELECT id, name, query, webhook_url, created_at FROM saved_searches WHERE id = ?');
    this.page = db.prepare('SELECT id, name, query, webhook_url, created_at FROM saved_searches WHERE id > ? ORDER BY id LIMIT ?');
    this.remove = db.prepare('DELETE FROM saved_searches WHERE id = ?');
    this.count = db.prepare('SELECT count(*) FROM saved_searches').pluck();
    this.feed = db.prepare(
      'SELECT article_id, title, url, published_at, matched_at FROM alert_matches WHERE search_id = ? ORDER BY seq DESC LIMIT ?',
    );
    this.depthQuery = db.prepare(`SELECT (SELECT count(*) FROM saved_searches) AS searches,
      (SELECT count(*) FROM alert_deliveries WHERE dead = 0) AS pending, (SELECT count(*) FROM alert_deliveries WHERE dead = 1) AS dead`);
  }

  /**
   * Saves a search and returns it with its new id (`ss-` and 16 hex digits). Refuses a query with nothing to match
   * by (no word, phrase or value filter) and a store already holding {@link MAX_SAVED_SEARCHES}. A saved search
   * following an entity's bursts (`entityBursts`, alerts/burst-watch.ts) has no query. A write lock held by another
   * process past the busy timeout, or past `bound`'s deadline, is a StoreBusyError (503, Retry-After); a deadline
   * already passed, a `timeout` (503), the search not saved.
   */
  create(given: NewSavedSearch, bound: WriteBound = {}): SavedSearch {
    if ('search' in given && !compileQuery('new', given.search)) {
      const message = 'a saved search needs a word, a phrase or a filter value (category, source, tag, person, org, place)';
      throw new ValidationError(`the saved search is not valid: ${message}`, [{ path: 'query', message }]);
    }
    if ((this.count.get() as number) >= MAX_SAVED_SEARCHES) {
      throw new ValidationError(`at most ${MAX_SAVED_SEARCHES} saved searches`, [{ path: 'body', message: 'too many saved searches' }]);
    }
    const id = `ss-${randomBytes(8).toString('hex')}`;
    const stored: StoredQuery =
      'search' in given
        ? { params: given.query, search: given.search }
        : { params: { entityBursts: { type: given.entityBursts.type, name: given.entityBursts.name } }, entityBursts: { kind: given.entityBursts.kind, name: given.entityBursts.name } };
    const created = new Date(this.clock()).toISOString();
    this.written(() => this.insert.run(id, given.name, JSON.stringify(stored), given.webhook?.url ?? null, given.webhook?.secret ?? null, created), bound);
    return this.get(id);
  }

  /** A saved search by id; NotFoundError when there is none. */
  get(id: string): SavedSearch {
    const row = this.byId.get(id) as Row | undefined;
    if (!row) throw new NotFoundError(`no saved search has the id "${id}"`);
    return present(row);
  }

  /** Up to `limit` saved searches in id order, after the id `after` (paging). */
  list(limit: number, after = ''): SavedSearch[] {
    return (this.page.all(after, limit) as Row[]).map(present);
  }

  /**
   * Removes a saved search with its matches and its deliveries; NotFoundError when there is none. Bounded by `bound`
   * as {@link SavedSearches.create} is.
   */
  delete(id: string, bound: WriteBound = {}): void {
    if (this.written(() => this.remove.run(id), bound).changes === 0) throw new NotFoundError(`no saved search has the id "${id}"`);
  }

  /**
   * Runs a write statement, waiting for another process's lock no longer than `bound` allows (the busy timeout
   * lowered for this statement, then put back); a driver failure becomes the service's error (a lock held too long:
   * StoreBusyError).
   */
  private written(write: () => Database.RunResult, bound: WriteBound): Database.RunResult {
    const busy = this.db.pragma('busy_timeout', { simple: true }) as number;
    const left = bound.deadline === undefined ? busy : Math.floor(bound.deadline - ANSWER_MARGIN_MS - this.clock());
    if (left <= 0) throw new AppError('timeout', 'the write was not made: its request ran out of time before it began; try again');
    if (left < busy) this.db.pragma(`busy_timeout = ${left}`);
    try {
      return write();
    } catch (error) {
      throw storeFailure(this.db, 'store', error);
    } finally {
      if (left < busy) this.db.pragma(`busy_timeout = ${busy}`);
    }
  }

  /** The newest {@link FEED_ENTRIES} articles the saved search matched, newest first. */
  feedEntries(id: string): FeedEntry[] {
    type FeedRow = { article_id: string; title: string; url: string | null; published_at: string | null; matched_at: number };
    return (this.feed.all(id, FEED_ENTRIES) as FeedRow[]).map((r) => ({
      id: r.article_id,
      title: r.title,
      ...(r.url === null ? {} : { url: r.url }),
      ...(r.published_at === null ? {} : { publishedAt: r.published_at }),
      matchedAt: r.matched_at,
    }));
  }

  /** Closes the connection. */
  close(): void {
    this.db.close();
  }

  /** Saved searches, and webhook deliveries waiting and dead. */
  depth(): AlertDepth {
    const row = this.depthQuery.get() as { searches: number; pending: number; dead: number };
    return { savedSearches: row.searches, pending: row.pending, dead: row.dead };
  }
}

/**
 * Where saved-search writes are made: on the API's write thread in a serving process (storage/write-thread.ts), whose
 * waits for another process's write lock (an indexer's transactions) hold no request of the worker, for as long as
 * the HTTP request may wait (WRITE_TIMEOUT_MS); or in the caller's thread ({@link inProcessSavedSearchWriter}).
 */
export interface SavedSearchWriter {
  /** {@link SavedSearches.create}, made by the writer within `bound`. */
  create(given: NewSavedSearch, bound?: WriteBound): Promise<SavedSearch>;
  /** {@link SavedSearches.delete}, made by the writer within `bound`. */
  delete(id: string, bound?: WriteBound): Promise<void>;
}

/** Saved-search writes made on `store` in the caller's thread (test rigs, tools). */
export function inProcessSavedSearchWriter(store: SavedSearches): SavedSearchWriter {
  return {
    create: async (given, bound) => store.create(given, bound),
    delete: async (id, bound) => store.delete(id, bound),
  };
}
