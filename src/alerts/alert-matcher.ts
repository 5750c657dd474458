import type Database from 'better-sqlite3';
import type { Article } from '../core/article.js';
import type { BurstNotice, BurstSubscription } from './burst-watch.js';
import { BurstWatch } from './burst-watch.js';
import type { AlertArticle } from './query-index.js';
import { QueryIndex } from './query-index.js';
import type { SavedQuery } from './saved-query.js';
import { compileQuery } from './saved-query.js';

/** Logged article changes read per step, at most. */
export const STEP_CHANGES = 256;
/**
 * Stored article JSON read per step, at most (characters): a step ends early past it, so that its memory stays
 * bounded whatever the articles' size (a body may hold 1,000,000 characters).
 */
export const STEP_CHARS = 8_000_000;
/**
 * How long a match is kept (days): for the feed, and so that an article that changes and still matches is not sent
 * again. Older matches are deleted, at most {@link PRUNE_ROWS} a step, oldest first.
 */
export const MATCH_RETENTION_DAYS = 90;
const PRUNE_ROWS = 1_000;
/** Most articles in one webhook request; more matches of one step are split into several requests. */
export const ARTICLES_PER_DELIVERY = 100;

/** What one {@link AlertMatcher.step} did. */
export interface MatchStep {
  /** Articles read and matched. */
  readonly articles: number;
  /** New (saved search, article) matches recorded. */
  readonly matches: number;
  /** Whether more logged changes may be waiting. */
  readonly more: boolean;
  /** Log entries lost to pruning before they were read (the matcher was more than the log's length behind). */
  readonly skipped: number;
}

interface ArticleRow {
  seq: number;
  doc: string | null;
  published_at: number | null;
}

interface SearchRow {
  id: string;
  name: string;
  query: string;
  webhook_url: string | null;
  from_seq: number;
}

/**
 * Matches every committed article change against every saved search, once, in commit order, wherever it was
 * written (indexer, API write thread, demo load): it follows the store's article change log (`article_changes`)
 * with a durable cursor (`alert_cursor`). One step reads up to {@link STEP_CHANGES} changes (and {@link STEP_CHARS}) in a read snapshot,
 * matches the articles as they are stored now (a deleted one is skipped) with the {@link QueryIndex}, then, in one
 * write transaction, records the new matches (`alert_matches`, one per saved search and article: an article that
 * changes and still matches is not sent again), queues one webhook body per saved search with a webhook (split
 * every {@link ARTICLES_PER_DELIVERY} articles), and moves the cursor (and deletes matches older than
 * {@link MATCH_RETENTION_DAYS}) — all or nothing, so that a crash at any point
 * resumes from the last committed step and loses or duplicates nothing. A saved search is matched only against
 * changes logged after it was saved (`from_seq`). On its first start on a store, the matcher begins at the end of
 * the log (the articles already there alert nobody). A saved search following an entity's bursts is told, in the
 * same transaction, of each burst a step's articles fall in that it was not told of yet (burst-watch.ts): one
 * delivery `{ savedSearch, burst, articles }`, its articles recorded as matches (the feed lists them).
 */
export class AlertMatcher {
  private readonly index = new QueryIndex();
  private readonly bursts: BurstWatch;
  private readonly searches = new Map<string, { name: string; params: unknown; webhook: boolean; fromSeq: number }>();
  private searchLogPosition = 0;
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: () => number,
  ) {
    this.bursts = new BurstWatch(db);
    this.statements = {
      cursor: db.prepare("SELECT seq FROM alert_cursor WHERE log = 'article_changes'").pluck(),
      setCursor: db.prepare("INSERT INTO alert_cursor (log, seq) VALUES ('article_changes', ?) ON CONFLICT (log) DO UPDATE SET seq = excluded.seq"),
      logEnd: db.prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'article_changes'), 0)").pluck(),
      logStart: db.prepare('SELECT min(seq) FROM article_changes').pluck(),
      changes: db.prepare(`SELECT max(c.seq) AS seq, a.doc, a.published_at FROM
        (SELECT seq, pk FROM article_changes WHERE seq > ? ORDER BY seq LIMIT ?) c
        LEFT JOIN articles a ON a.pk = c.pk GROUP BY c.pk ORDER BY max(c.seq)`),
      lastRead: db.prepare('SELECT max(seq) AS last, count(*) AS n FROM (SELECT seq FROM article_changes WHERE seq > ? ORDER BY seq LIMIT ?)'),
      searchLogEnd: db.prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'saved_search_changes'), 0)").pluck(),
      searchChanges: db.prepare('SELECT seq, id FROM saved_search_changes WHERE seq > ? ORDER BY seq LIMIT 1000'),
      search: db.prepare('SELECT id, name, query, webhook_url, from_seq FROM saved_searches WHERE id = ?'),
      allSearches: db.prepare('SELECT id, name, query, webhook_url, from_seq FROM saved_searches'),
      match: db.prepare('INSERT OR IGNORE INTO alert_matches (search_id, article_id, title, url, published_at, matched_at) VALUES (?, ?, ?, ?, ?, ?)'),
      deliver: db.prepare('INSERT INTO alert_deliveries (search_id, body, next_at, created_at) VALUES (?, ?, ?, ?)'),
      prune: db.prepare('DELETE FROM alert_matches WHERE seq IN (SELECT seq FROM alert_matches ORDER BY seq LIMIT ?) AND matched_at < ?'),
    };
    this.start();
  }

  /** Saved searches held by the matcher. */
  get size(): number {
    return this.index.size + this.bursts.size;
  }

  /**
   * Brings the saved searches up to date, then matches the next logged changes and commits what it found with the
   * cursor. Synchronous; the write waits for the store's write lock as this connection's busy timeout says.
   */
  step(): MatchStep {
    this.followSearches();
    const s = this.statements;
    const read = this.db.transaction(() => {
      const cursor = s.cursor.get() as number;
      const start = (s.logStart.get() as number | null) ?? cursor + 1;
      const skipped = Math.max(0, start - cursor - 1);
      const rows: ArticleRow[] = [];
      let chars = 0;
      // grouped by article, in the order of each one's last change: stopping after any row leaves only articles
      // whose last change is after the new cursor, so none is skipped
      for (const row of s.changes.iterate(cursor, STEP_CHANGES) as Iterable<ArticleRow>) {
        rows.push(row);
        chars += row.doc?.length ?? 0;
        if (chars >= STEP_CHARS) break;
      }
      const read = s.lastRead.get(cursor, STEP_CHANGES) as { last: number | null; n: number };
      const cut = chars >= STEP_CHARS;
      const last = cut ? rows.at(-1)!.seq : (read.last ?? cursor);
      return { cursor, last, rows, skipped, more: cut || read.n >= STEP_CHANGES };
    })();
    const found = new Map<string, { article: Article }[]>();
    for (const row of read.rows) {
      if (row.doc === null) continue; // deleted since it was logged
      const article = JSON.parse(row.doc) as Article;
      this.bursts.see(article, row.seq);
      for (const id of this.index.match(toAlertArticle(article, row.published_at))) {
        if ((this.searches.get(id)?.fromSeq ?? Infinity) >= row.seq) continue;
        let list = found.get(id);
        if (!list) found.set(id, (list = []));
        list.push({ article });
      }
    }
    const matches = this.commit(read.cursor, read.last, { found, bursts: this.bursts.take() });
    return { articles: read.rows.length, matches, more: read.more, skipped: read.skipped };
  }

  /** Records the matches, queues their deliveries and moves the cursor, in one transaction (see the class). */
  private commit(from: number, to: number, step: { found: Map<string, { article: Article }[]>; bursts: BurstNotice[] }): number {
    const s = this.statements;
    const now = this.clock();
    return this.db.transaction(() => {
      if ((s.cursor.get() as number) !== from) return 0; // another matcher on this store moved it: its step stands
      let matches = 0;
      for (const [id, list] of step.found) {
        const fresh = list.filter(({ article: a }) => s.match.run(id, a.id, a.title, a.url ?? null, a.publishedAt ?? null, now).changes > 0);
        matches += fresh.length;
        const search = this.searches.get(id);
        if (!search?.webhook || fresh.length === 0) continue;
        for (let i = 0; i < fresh.length; i += ARTICLES_PER_DELIVERY) {
          const body = JSON.stringify({ savedSearch: { id, name: search.name, query: search.params }, articles: listed(fresh.slice(i, i + ARTICLES_PER_DELIVERY)) });
          s.deliver.run(id, body, now, now);
        }
      }
      for (const notice of step.bursts) {
        const search = this.searches.get(notice.searchId);
        if (!search || !this.bursts.record(notice, now)) continue;
        for (const a of notice.articles) s.match.run(notice.searchId, a.id, a.title, a.url ?? null, a.publishedAt ?? null, now);
        matches += 1;
        if (!search.webhook) continue;
        const articles = listed(notice.articles.slice(0, ARTICLES_PER_DELIVERY).map((article) => ({ article })));
        const body = JSON.stringify({ savedSearch: { id: notice.searchId, name: search.name, ...(search.params as object) }, burst: notice.burst, articles });
        s.deliver.run(notice.searchId, body, now, now);
      }
      s.setCursor.run(to);
      s.prune.run(PRUNE_ROWS, now - MATCH_RETENTION_DAYS * 86_400_000);
      return matches;
    }).immediate();
  }

  /**
   * Loads every saved search and, on a store's first start, puts the cursor where the oldest saved search began
   * (the thread starts after the first search is saved), or at the end of the article log.
   */
  private start(): void {
    const s = this.statements;
    this.db.transaction(() => {
      if (s.cursor.get() === undefined) {
        const oldest = (s.allSearches.all() as SearchRow[]).reduce((min, r) => Math.min(min, r.from_seq), Infinity);
        s.setCursor.run(Math.min(s.logEnd.get() as number, oldest));
      }
      this.searchLogPosition = s.searchLogEnd.get() as number;
      for (const row of s.allSearches.all() as SearchRow[]) this.hold(row);
    }).immediate();
  }

  /** Applies the saved searches added or removed since the last step. */
  private followSearches(): void {
    const s = this.statements;
    for (;;) {
      const changes = s.searchChanges.all(this.searchLogPosition) as { seq: number; id: string }[];
      for (const change of changes) {
        this.searchLogPosition = change.seq;
        const row = s.search.get(change.id) as SearchRow | undefined;
        if (row) this.hold(row);
        else {
          this.index.remove(change.id);
          this.bursts.remove(change.id);
          this.searches.delete(change.id);
        }
      }
      if (changes.length < 1000) return;
    }
  }

  private hold(row: SearchRow): void {
    const stored = JSON.parse(row.query) as { params: unknown; search: SavedQuery; entityBursts?: BurstSubscription };
    if (stored.entityBursts) {
      this.bursts.add(row.id, stored.entityBursts, row.from_seq);
      this.searches.set(row.id, { name: row.name, params: stored.params, webhook: row.webhook_url !== null, fromSeq: row.from_seq });
      return;
    }
    const compiled = compileQuery(row.id, stored.search);
    if (!compiled) return; // refused when saved; a row written otherwise is ignored
    this.index.add(compiled);
    this.searches.set(row.id, { name: row.name, params: stored.params, webhook: row.webhook_url !== null, fromSeq: row.from_seq });
  }
}

/** Articles as a delivery lists them. */
function listed(list: readonly { article: Article }[]): { id: string; title: string; url: string | null; publishedAt: string | null }[] {
  return list.map(({ article: a }) => ({ id: a.id, title: a.title, url: a.url ?? null, publishedAt: a.publishedAt ?? null }));
}

/** An article as the matcher reads it (`publishedAt` from the stored column, ms since the epoch). */
export function toAlertArticle(article: Article, publishedAt: number | null): AlertArticle {
  return { ...article, publishedAt: publishedAt ?? undefined };
}
