import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Article } from '../../core/article.js';
import { contentHash } from '../../core/article.js';
import { EngineUnavailableError } from '../../core/errors.js';
import type { EngineStats, SearchEngine, SearchRequest, SearchResult, WriteSummary } from '../search-engine.js';
import { pruneChangeLog } from '../../storage/change-follower.js';
import { API_BUSY_TIMEOUT_MS, storeFailure } from '../../storage/sqlite-file.js';
import { KeywordSync } from './keyword-sync.js';
import { migrate } from './migrations.js';
import { SqliteSearch } from './sqlite-search.js';
import { Vocabulary } from './vocabulary.js';

/**
 * The stored columns of an article. Title and body are indexed in NFKC form, so that ligatures and full-width
 * letters (`ﬁnance`, `ｆｅｒｒｙ`) are indexed as the plain words queries fold them to; `doc` keeps the original text.
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
  };
}

/** How the embedded engine opens its store. */
export interface SqliteEngineOptions {
  /** The database file, or `:memory:`. Its folder is created when missing. */
  readonly file: string;
  /** Milliseconds between rebuilds of the typo vocabulary after writes (default 2,000; 0 rebuilds on every change). */
  readonly vocabularyRefreshMs?: number;
  readonly clock?: () => number;
  /**
   * `memory` (default): rank on an in-memory index kept in step through the change log, falling back to FTS5
   * while it catches up; `fts5`: always rank with the FTS5 ladder (slower; kept exact and tested alike).
   */
  readonly ranker?: 'memory' | 'fts5';
  /** How long a write waits for another process's write, in ms (default 5,000; see sqlite-file.ts). */
  readonly busyTimeoutMs?: number;
}

/**
 * The embedded engine: better-sqlite3 + FTS5 in one file. WAL journal (readers never wait for the indexer),
 * `synchronous = FULL` and one transaction per write call, so a reopened file holds every call that returned.
 * Write transactions begin IMMEDIATE: they take the write lock before reading, waiting (busy timeout) for another
 * process's write to end; a deferred one would read first and then fail at once, without waiting, on its first
 * write if another process had written meanwhile.
 */
export class SqliteEngine implements SearchEngine {
  private readonly searcher: SqliteSearch;
  private readonly vocabulary: Vocabulary;
  private readonly keyword: KeywordSync | undefined;
  private closed = false;
  private readonly docById: Database.Statement;
  private readonly articleCount: Database.Statement;

  private constructor(private readonly db: Database.Database, options: SqliteEngineOptions) {
    const clock = options.clock ?? Date.now;
    this.vocabulary = new Vocabulary(db, clock, options.vocabularyRefreshMs ?? 2_000);
    this.keyword = options.ranker === 'fts5' ? undefined : new KeywordSync(db);
    this.searcher = new SqliteSearch(db, this.vocabulary, this.keyword);
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
      db.pragma('foreign_keys = ON');
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? API_BUSY_TIMEOUT_MS}`);
      migrate(db, () => new Date((options.clock ?? Date.now)()));
      return new SqliteEngine(db, options);
    } catch (error) {
      throw new EngineUnavailableError(`cannot open the SQLite store at ${options.file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  async upsert(articles: readonly Article[]): Promise<WriteSummary> {
    return this.write(() => {
      const find = this.db.prepare('SELECT pk, content_hash AS hash FROM articles WHERE id = ?');
      const insert = this.db.prepare(`INSERT INTO articles (id, content_hash, title, body, published_at, source, category, doc)
        VALUES (@id, @hash, @title, @body, @publishedAt, @source, @category, @doc) RETURNING pk`);
      const update = this.db.prepare(`UPDATE articles SET content_hash = @hash, title = @title, body = @body,
        published_at = @publishedAt, source = @source, category = @category, doc = @doc WHERE pk = @pk`);
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

  async delete(ids: readonly string[]): Promise<WriteSummary> {
    return this.write(() => {
      const remove = this.db.prepare('DELETE FROM articles WHERE id = ?');
      let deleted = 0;
      for (const id of ids) deleted += remove.run(id).changes;
      return { indexed: 0, unchanged: 0, deleted };
    });
  }

  async clear(): Promise<WriteSummary> {
    // Row by row, so that the FTS triggers and the change log see every removal (API processes follow the log).
    return this.write(() => ({ indexed: 0, unchanged: 0, deleted: this.db.prepare('DELETE FROM articles').run().changes }));
  }

  async get(id: string): Promise<Article | undefined> {
    const doc = this.guard(() => this.docById.get(id)) as
      | string
      | undefined;
    return doc === undefined ? undefined : (JSON.parse(doc) as Article);
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    return this.guard(() => this.searcher.run(request));
  }

  /** The same search, synchronously: for benchmarks and callers that own the process. */
  searchSync(request: SearchRequest): SearchResult {
    return this.guard(() => this.searcher.run(request));
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
    this.db.close();
  }

  private write(work: () => WriteSummary): WriteSummary {
    const logged = () => {
      const summary = work();
      pruneChangeLog(this.db, 'article_changes');
      return summary;
    };
    const summary = this.guard(() => this.db.transaction(logged).immediate()); // guard first: a closed store is unavailable
    if (summary.indexed > 0 || summary.deleted > 0) {
      this.vocabulary.markStale();
      this.keyword?.markChanged();
    }
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
