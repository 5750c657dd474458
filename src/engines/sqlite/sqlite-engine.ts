import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Article } from '../../core/article.js';
import { contentHash } from '../../core/article.js';
import { EngineUnavailableError } from '../../core/errors.js';
import type { EngineStats, HitArticle, SearchEngine, SearchRequest, SearchResult, WholeSearch, WriteSummary } from '../search-engine.js';
import { pruneChangeLog } from '../../storage/change-follower.js';
import { API_BUSY_TIMEOUT_MS, storeFailure } from '../../storage/sqlite-file.js';
import { IndexHost } from '../../index-host/index-host.js';
import type { IndexPort } from '../../index-host/index-port.js';
import { migrate } from './migrations.js';
import { SqliteSearch } from './sqlite-search.js';

/**
 * The stored columns of an article: `doc` (the article as JSON, original text) is what readers use; the others
 * serve filters and sorting. `title` and `body` (NFKC) fed the FTS5 index of schema steps 1–3 and are read by
 * nothing since step 4 dropped it.
 */
function toRow(article: Article, hash: string) {
  return {
    id: article.id,
    hash,
    title: article.title.normalize('NFKC'),
    body: article.body.normalize('NFKC'),
    publishedAt: article.publishedAt === undefined ? null : Date.parse(article.publishedAt),
    source: article.source ?? null,
    category: article.category ?? null,
    doc: JSON.stringify(article),
    copyGroup: article.copyGroup ?? null,
  };
}

/**
 * Articles an export reads per turn of the event loop: a step of 500 (a Meilisearch page) took 6–8 ms of the worker
 * with its serialisation (Reuters, every article), and another request's work that goes a turn at a time (the text
 * of `POST /api/similar`, analysed 2,000 characters a turn) waited that long at each of its turns beside two
 * exports (bench:attack: 2.1 s for 200,000 characters); 100 take ~1 ms.
 */
export const EXPORT_READ_STEP = 100;

const WRITE_ONLY = 'the indexer process does not search: this SQLite store was opened write-only, without an in-memory index';

/** How the embedded engine opens its store. */
export interface SqliteEngineOptions {
  /** The database file, or `:memory:`. Its folder is created when missing. */
  readonly file: string;
  /** Milliseconds since the epoch, for the migrations' records (default Date.now). */
  readonly clock?: () => number;
  /**
   * What ranks searches with words: the given index host (index-host.ts; the service's one, e.g. the cluster
   * primary's over IPC); absent, an index host of the engine's own, built from the store at open; `'none'`, no
   * in-memory index at all, for a process that only writes (the indexer, tools that fill a store): its
   * {@link SqliteEngine.search} throws EngineUnavailableError.
   */
  readonly index?: IndexPort | 'none';
  /** How long a write waits for another process's write, in ms (default 5,000; see sqlite-file.ts). */
  readonly busyTimeoutMs?: number;
}

/**
 * The embedded engine: articles in one SQLite file (better-sqlite3), searches ranked by an in-memory index that
 * follows the file's change log (see {@link SqliteEngineOptions.index}). WAL journal (readers never wait for the
 * indexer), `synchronous = FULL` and one transaction per write call, so a reopened file holds every call that
 * returned.
 * Write transactions begin IMMEDIATE: they take the write lock before reading, waiting (busy timeout) for another
 * process's write to end; a deferred one would read first and then fail at once, without waiting, on its first
 * write if another process had written meanwhile.
 */
export class SqliteEngine implements SearchEngine {
  private readonly searcher: SqliteSearch;
  private readonly index: IndexPort | undefined;
  private readonly ownHost: IndexHost | undefined;
  private closed = false;
  private readonly docById: Database.Statement;
  private readonly articleCount: Database.Statement;

  private constructor(
    private readonly db: Database.Database,
    options: SqliteEngineOptions,
    private readonly ownsDb = true,
  ) {
    this.ownHost = options.index === undefined ? new IndexHost(db, { keyword: true }) : undefined;
    this.index = options.index === 'none' ? undefined : (options.index ?? this.ownHost);
    this.searcher = new SqliteSearch(db);
    this.docById = db.prepare('SELECT doc FROM articles WHERE id = ?').pluck();
    this.articleCount = db.prepare('SELECT count(*) FROM articles').pluck();
  }

  /** Opens (creating and migrating as needed) the store. */
  static open(options: SqliteEngineOptions): SqliteEngine {
    try {
      if (options.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
      const db = new Database(options.file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? API_BUSY_TIMEOUT_MS}`);
      return SqliteEngine.prepared(db, options, true);
    } catch (error) {
      throw new EngineUnavailableError(`cannot open the SQLite store at ${options.file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /**
   * The engine over a connection another owner opened (WAL, busy timeout) and closes: the one store file that
   * also holds the similarity and entity tables (storage/open-store.ts), so that one transaction covers them all.
   * Migrates the articles' schema; `options.file` only names the file in messages.
   */
  static onDatabase(db: Database.Database, options: SqliteEngineOptions): SqliteEngine {
    try {
      return SqliteEngine.prepared(db, options, false);
    } catch (error) {
      throw new EngineUnavailableError(`cannot open the SQLite store at ${options.file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  private static prepared(db: Database.Database, options: SqliteEngineOptions, ownsDb: boolean): SqliteEngine {
    db.pragma('foreign_keys = ON');
    migrate(db, () => new Date((options.clock ?? Date.now)()));
    return new SqliteEngine(db, options, ownsDb);
  }

  // The async writes resolve once searches see them (the index host has applied them: read your writes).
  async upsert(articles: readonly Article[]): Promise<WriteSummary> {
    const summary = this.upsertNow(articles);
    await this.sync();
    return summary;
  }

  async delete(ids: readonly string[]): Promise<WriteSummary> {
    const summary = this.deleteNow(ids);
    await this.sync();
    return summary;
  }

  async clear(): Promise<WriteSummary> {
    const summary = this.clearNow();
    await this.sync();
    return summary;
  }

  async get(id: string): Promise<Article | undefined> {
    return this.getNow(id);
  }

  /**
   * {@link upsert}, synchronously: inside a transaction of the connection's owner (one savepoint of it), the
   * article joins the other stores' writes all or nothing (services/article-writes.ts).
   */
  upsertNow(articles: readonly Article[]): WriteSummary {
    return this.write(() => {
      const find = this.db.prepare('SELECT pk, content_hash AS hash FROM articles WHERE id = ?');
      const insert = this.db.prepare(`INSERT INTO articles (id, content_hash, title, body, published_at, source, category, doc, copy_group)
        VALUES (@id, @hash, @title, @body, @publishedAt, @source, @category, @doc, @copyGroup) RETURNING pk`);
      const update = this.db.prepare(`UPDATE articles SET content_hash = @hash, title = @title, body = @body,
        published_at = @publishedAt, source = @source, category = @category, doc = @doc, copy_group = @copyGroup WHERE pk = @pk`);
      const dropTags = this.db.prepare('DELETE FROM article_tags WHERE article_pk = ?');
      const addTag = this.db.prepare('INSERT OR IGNORE INTO article_tags (tag, article_pk) VALUES (?, ?)');
      const dropEntities = this.db.prepare('DELETE FROM article_entities WHERE article_pk = ?');
      const addEntity = this.db.prepare('INSERT OR IGNORE INTO article_entities (kind, name, article_pk, salience) VALUES (?, ?, ?, ?)');
      let indexed = 0;
      let unchanged = 0;
      for (const article of articles) {
        const hash = contentHash(article);
        const existing = find.get(article.id) as { pk: number; hash: string } | undefined;
        if (existing?.hash === hash) {
          unchanged++;
          continue;
        }
        const row = toRow(article, hash);
        let pk: number;
        if (existing) {
          update.run({ ...row, pk: existing.pk });
          dropTags.run(existing.pk);
          dropEntities.run(existing.pk);
          pk = existing.pk;
        } else {
          pk = (insert.get(row) as { pk: number }).pk;
        }
        for (const tag of article.tags ?? []) addTag.run(tag, pk);
        for (const kind of ['people', 'orgs', 'places'] as const) {
          for (const name of article[kind] ?? []) addEntity.run(kind, name, pk, article.salience?.[`${kind}:${name}`] ?? 0);
        }
        indexed++;
      }
      return { indexed, unchanged, deleted: 0 };
    });
  }

  /** {@link delete}, synchronously (see upsertNow). */
  deleteNow(ids: readonly string[]): WriteSummary {
    return this.write(() => {
      const remove = this.db.prepare('DELETE FROM articles WHERE id = ?');
      let deleted = 0;
      for (const id of ids) deleted += remove.run(id).changes;
      return { indexed: 0, unchanged: 0, deleted };
    });
  }

  /** {@link clear}, synchronously (see upsertNow). */
  clearNow(): WriteSummary {
    // Row by row, so that the change log sees every removal (index hosts follow the log).
    return this.write(() => ({ indexed: 0, unchanged: 0, deleted: this.db.prepare('DELETE FROM articles').run().changes }));
  }

  /** {@link get}, synchronously (see upsertNow). */
  getNow(id: string): Article | undefined {
    const doc = this.guard(() => this.docById.get(id)) as string | undefined;
    return doc === undefined ? undefined : (JSON.parse(doc) as Article);
  }

  /**
   * A query with words (or exclusions) is ranked by the index host (one ranking, whatever the host's catch-up: it
   * answers from the state it has applied) and its page read here by key; a query without words is read from the
   * store. Rejects with EngineUnavailableError on a write-only engine (`index: 'none'`).
   */
  async search(request: SearchRequest): Promise<SearchResult> {
    const index = this.index;
    if (!index) throw new EngineUnavailableError(WRITE_ONLY);
    const placeholder = this.guard(() => this.searcher.placeholderOrUndefined(request));
    if (placeholder) return placeholder;
    const ranked = await index.rank(request);
    return this.guard(() => this.searcher.fromRanked(request, ranked));
  }

  /**
   * Every result in one order taken once — by the index host for a query with words or exclusions (one ranking),
   * by one ordered read of the store's keys for a query without words — then the articles read by key, `batch` (at
   * most {@link EXPORT_READ_STEP}) per step, the event loop let go between steps (other requests run). See
   * SearchEngine.allResults for what a write made meanwhile does.
   */
  async *allResults(request: WholeSearch, batch: number, abandoned: () => boolean = () => false): AsyncGenerator<readonly HitArticle[]> {
    const index = this.index;
    if (!index) throw new EngineUnavailableError(WRITE_ONLY);
    const { keys, checks } = this.guard(() => this.searcher.placeholderOrder(request)) ?? (await index.rankOrder(request, abandoned));
    const step = Math.max(1, Math.min(batch, EXPORT_READ_STEP));
    for (let at = 0; at < keys.length; at += step) {
      if (at > 0) await new Promise((resolve) => setImmediate(resolve));
      if (abandoned()) return;
      yield this.guard(() => this.searcher.articles({ keys: keys.subarray(at, at + step), checks: checks.subarray(at, at + step) }));
    }
  }

  /** The same search, synchronously, on the engine's own index host (opened without `index`): for benchmarks. */
  searchSync(request: SearchRequest): SearchResult {
    const host = this.ownHost;
    if (!host) throw new EngineUnavailableError(this.index ? 'searchSync needs the engine\'s own index host' : WRITE_ONLY);
    return this.guard(() => this.searcher.placeholderOrUndefined(request) ?? this.searcher.fromRanked(request, host.rankNow(request)));
  }

  /** Resolves once searches see every write committed before the call (see IndexPort.sync). */
  async sync(): Promise<void> {
    await this.index?.sync();
  }

  findsNamedEntities(): boolean {
    return this.index?.namesEntities ?? false;
  }

  async stats(): Promise<EngineStats> {
    const articles = this.guard(() => this.articleCount.get()) as number;
    return { engine: 'sqlite', articles };
  }

  async health(): Promise<void> {
    this.guard(() => this.db.prepare('SELECT 1').get());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ownHost?.close();
    if (this.ownsDb) this.db.close();
  }

  private write(work: () => WriteSummary): WriteSummary {
    const logged = () => {
      const summary = work();
      pruneChangeLog(this.db, 'article_changes');
      return summary;
    };
    const summary = this.guard(() => this.db.transaction(logged).immediate()); // guard first: a closed store is unavailable
    if (summary.indexed > 0 || summary.deleted > 0) this.index?.notify();
    return summary;
  }

  /** Runs a store operation, turning driver failures into engine errors. */
  private guard<T>(work: () => T): T {
    if (this.closed) throw new EngineUnavailableError('the SQLite store is closed');
    try {
      return work();
    } catch (error) {
      throw storeFailure(this.db, 'search store', error);
    }
  }
}
