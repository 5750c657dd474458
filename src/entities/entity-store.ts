import Database from 'better-sqlite3';
import type { Article } from '../core/article.js';
import { contentHash } from '../core/article.js';
import type { EntityKind } from '../core/entities/gazetteer.js';
import type { NameEvidence, NameResolver } from '../core/entities/names.js';
import { ORG_KEY, titleHead } from '../core/entities/names.js';
import { EngineError, EngineUnavailableError } from '../core/errors.js';
import { openSqliteFile } from '../storage/sqlite-file.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ent_articles (
    article_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, input_hash TEXT NOT NULL, title TEXT NOT NULL, url TEXT, source TEXT,
    published_at INTEGER, uses_corpus INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE IF NOT EXISTS ent_mentions (
    kind TEXT NOT NULL, name TEXT NOT NULL, article_id TEXT NOT NULL, salience REAL NOT NULL, published_at INTEGER,
    PRIMARY KEY (kind, name, article_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS ent_mentions_article ON ent_mentions (article_id);
  CREATE TABLE IF NOT EXISTS ent_evidence (
    article_id TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL, title TEXT,
    PRIMARY KEY (article_id, key, name)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS ent_evidence_key ON ent_evidence (key);
  CREATE TABLE IF NOT EXISTS ent_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** A fingerprint of an article as it arrives, before entities are added. */
export const inputHash = (a: Article): string =>
  contentHash({ ...a, people: undefined, orgs: undefined, places: undefined, salience: undefined });

/** An article as the entity store keeps it: its entities and the evidence its full names give. */
export interface EntityRecord {
  readonly article: Article;
  readonly evidence: readonly NameEvidence[];
  readonly usesCorpus: boolean;
}

interface KeyStats {
  articles: number;
  titles: Map<string, number>;
}

/**
 * Entity statistics beside the search engine (which may be Meilisearch): per article, its entities with salience
 * and date, and the full names it gives (the corpus's evidence for lone names, see core/entities/names.ts), in
 * DATA_DIR/entities.db. Also the {@link NameResolver} over that evidence: a lone name resolves to the full name
 * given in the most articles with the same title head word, else in the most articles; ties by name.
 */
export class EntityStore implements NameResolver {
  private closed = false;
  private byKey: Map<string, Map<string, KeyStats>> | undefined;
  private known: Set<string> | undefined;

  private constructor(readonly db: Database.Database) {}

  static open(file: string): EntityStore {
    return new EntityStore(openSqliteFile(file, 'entity store', SCHEMA));
  }

  /** Records full names before the articles that give them are resolved, so that a batch resolves against itself. */
  addEvidence(records: readonly { id: string; evidence: readonly NameEvidence[] }[]): void {
    this.write(() => {
      const drop = this.db.prepare('DELETE FROM ent_evidence WHERE article_id = ?');
      const add = this.db.prepare('INSERT OR IGNORE INTO ent_evidence (article_id, key, name, title) VALUES (?, ?, ?, ?)');
      const old = this.db.prepare('SELECT key, name, title FROM ent_evidence WHERE article_id = ?').raw();
      const before = this.db.prepare('SELECT total_changes()').pluck().get();
      for (const r of records) {
        for (const [key, name, title] of old.all(r.id) as [string, string, string | null][]) this.tally(key, name, title, -1);
        drop.run(r.id);
        for (const e of r.evidence) {
          for (const key of e.keys) if (add.run(r.id, key, e.name, e.title ?? null).changes > 0) this.tally(key, e.name, e.title ?? null, 1);
        }
      }
      if (this.db.prepare('SELECT total_changes()').pluck().get() !== before) this.setRefreshPending(true);
    });
  }

  /**
   * Whether corpus evidence changed since the last completed refresh (kept in the store, so that a run cut short
   * between the two still refreshes on the next run).
   */
  refreshPending(): boolean {
    return this.db.prepare("SELECT value FROM ent_meta WHERE key = 'refresh_pending'").pluck().get() === '1';
  }

  setRefreshPending(pending: boolean): void {
    this.db.prepare("INSERT OR REPLACE INTO ent_meta (key, value) VALUES ('refresh_pending', ?)").run(pending ? '1' : '0');
  }

  /** Ids of `articles` whose input (before entities) the store already holds, committed after every other store. */
  held(articles: readonly Article[]): Set<string> {
    const find = this.db.prepare('SELECT input_hash FROM ent_articles WHERE article_id = ?').pluck();
    return new Set(articles.filter((a) => find.get(a.id) === inputHash(a)).map((a) => a.id));
  }

  /** Keeps the in-memory evidence (when loaded) in step with a row added (+1) or removed (-1). */
  private tally(key: string, name: string, title: string | null, delta: 1 | -1): void {
    const stats = this.byKey?.get(key)?.get(name);
    if (!this.byKey) return;
    if (stats) {
      stats.articles += delta;
      if (title !== null) stats.titles.set(title, (stats.titles.get(title) ?? 0) + delta);
      if (stats.articles > 0) return;
      this.byKey.get(key)!.delete(name);
      return;
    }
    if (delta < 0) return;
    let names = this.byKey.get(key);
    if (!names) this.byKey.set(key, (names = new Map()));
    names.set(name, { articles: 1, titles: new Map(title === null ? [] : [[title, 1]]) });
    if (key !== ORG_KEY) this.known!.add(name);
  }

  /** Replaces the stored entities of articles (their evidence must have been added). */
  upsert(records: readonly EntityRecord[]): void {
    this.write(() => {
      const find = this.db.prepare('SELECT content_hash FROM ent_articles WHERE article_id = ?').pluck();
      const save = this.db.prepare(`INSERT INTO ent_articles (article_id, content_hash, input_hash, title, url, source, published_at, uses_corpus)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET content_hash = excluded.content_hash,
        input_hash = excluded.input_hash,
        title = excluded.title, url = excluded.url, source = excluded.source, published_at = excluded.published_at,
        uses_corpus = excluded.uses_corpus`);
      const drop = this.db.prepare('DELETE FROM ent_mentions WHERE article_id = ?');
      const add = this.db.prepare('INSERT OR REPLACE INTO ent_mentions (kind, name, article_id, salience, published_at) VALUES (?, ?, ?, ?, ?)');
      for (const { article: a, usesCorpus } of records) {
        const hash = `${contentHash(a)}${usesCorpus ? '+' : ''}`;
        if (find.get(a.id) === hash) continue;
        const date = a.publishedAt === undefined ? null : Date.parse(a.publishedAt);
        save.run(a.id, hash, inputHash(a), a.title, a.url ?? null, a.source ?? null, date, usesCorpus ? 1 : 0);
        drop.run(a.id);
        for (const kind of ['people', 'orgs', 'places'] as const) {
          for (const name of a[kind] ?? []) add.run(kind, name, a.id, a.salience?.[`${kind}:${name}`] ?? 0, date);
        }
      }
    });
  }

  delete(ids: readonly string[]): void {
    this.write(() => {
      for (const table of ['ent_articles', 'ent_mentions', 'ent_evidence']) {
        const remove = this.db.prepare(`DELETE FROM ${table} WHERE article_id = ?`);
        for (const id of ids) remove.run(id);
      }
      this.setRefreshPending(true);
    });
    this.byKey = undefined;
    this.known = undefined;
  }

  /** Removes everything (an indexer `--reset`). */
  clear(): void {
    this.write(() => {
      for (const table of ['ent_articles', 'ent_mentions', 'ent_evidence']) this.db.exec(`DELETE FROM ${table}`);
    });
    this.byKey = undefined;
    this.known = undefined;
  }

  /** Ids of the articles whose entities depend on corpus evidence (re-resolved after an indexing run). */
  articlesUsingCorpus(): string[] {
    return this.db.prepare('SELECT article_id FROM ent_articles WHERE uses_corpus = 1 ORDER BY article_id').pluck().all() as string[];
  }

  fullName(word: string, title: string | undefined, minArticles = 1): string | undefined {
    const candidates = this.evidence().get(word);
    if (!candidates) return undefined;
    const head = titleHead(title);
    const best = (score: (s: KeyStats) => number) => {
      let found: [string, number] | undefined;
      for (const [name, stats] of candidates) {
        const s = stats.articles >= minArticles ? score(stats) : 0;
        if (s > 0 && (!found || s > found[1] || (s === found[1] && name < found[0]))) found = [name, s];
      }
      return found?.[0];
    };
    return (head === undefined ? undefined : best((s) => s.titles.get(head) ?? 0)) ?? best((s) => s.articles);
  }

  isKnownPerson(name: string): boolean {
    if (!this.known) this.evidence();
    return this.known!.has(name);
  }

  isKnownOrg(name: string): boolean {
    return this.evidence().get(ORG_KEY)?.has(name) ?? false;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private evidence(): Map<string, Map<string, KeyStats>> {
    if (this.byKey) return this.byKey;
    const byKey = new Map<string, Map<string, KeyStats>>();
    const known = new Set<string>();
    const rows = this.db.prepare('SELECT key, name, title FROM ent_evidence').raw().iterate() as Iterable<[string, string, string | null]>;
    for (const [key, name, title] of rows) {
      if (key !== ORG_KEY) known.add(name);
      let names = byKey.get(key);
      if (!names) byKey.set(key, (names = new Map()));
      let stats = names.get(name);
      if (!stats) names.set(name, (stats = { articles: 0, titles: new Map() }));
      stats.articles++;
      if (title !== null) stats.titles.set(title, (stats.titles.get(title) ?? 0) + 1);
    }
    this.byKey = byKey;
    this.known = known;
    return byKey;
  }

  private write(work: () => void): void {
    if (this.closed) throw new EngineUnavailableError('the entity store is closed');
    try {
      this.db.transaction(work)();
    } catch (error) {
      this.byKey = undefined; // a rolled-back write leaves the in-memory evidence behind the table
      this.known = undefined;
      if (error instanceof Database.SqliteError) throw new EngineError(`entity store failed: ${error.message}`, { cause: error });
      throw error;
    }
  }
}

export type { EntityKind };
