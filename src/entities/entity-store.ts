import type Database from 'better-sqlite3';
import type { Article } from '../core/article.js';
import { contentHash } from '../core/article.js';
import { EXTRACTION_VERSION } from '../core/entities/extract-entities.js';
import type { EntityKind } from '../core/entities/gazetteer.js';
import type { NameEvidence, NameResolver } from '../core/entities/names.js';
import type { NameLookup } from '../core/entities/names.js';
import { ORG_CONNECTORS } from '../core/entities/lexicon.js';
import { ORG_KEY, replay, titleHead } from '../core/entities/names.js';
import { EngineUnavailableError } from '../core/errors.js';
import { pruneChangeLog } from '../storage/change-follower.js';
import { openSqliteFile, storeFailure } from '../storage/sqlite-file.js';

/** The day number (days since 1970-01-01 UTC, floored) of a column of ms since the epoch, in SQL. */
export const sqlDay = (column: string): string => `((${column} - (((${column} % 86400000) + 86400000) % 86400000)) / 86400000)`;

/**
 * `ent_days`: articles per publication day (UTC), the corpus volume entity bursts are measured against
 * (core/trends/bursts.ts), kept by triggers on `ent_articles` so that a profile reads one row per day of an
 * entity's span instead of counting the corpus. While the table is empty and some article is dated (a store written
 * before it existed), an open counts it by one statement that sets every day to its exact count (the triggers
 * already running, so a write beside it is counted either way): countEntityDaysOnce.
 */
const ENTITY_DAYS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS ent_days (day INTEGER PRIMARY KEY, articles INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TRIGGER IF NOT EXISTS ent_days_ai AFTER INSERT ON ent_articles WHEN new.published_at IS NOT NULL BEGIN
    INSERT INTO ent_days (day, articles) VALUES (${sqlDay('new.published_at')}, 1) ON CONFLICT (day) DO UPDATE SET articles = articles + 1;
  END;
  CREATE TRIGGER IF NOT EXISTS ent_days_ad AFTER DELETE ON ent_articles WHEN old.published_at IS NOT NULL BEGIN
    UPDATE ent_days SET articles = articles - 1 WHERE day = ${sqlDay('old.published_at')};
  END;
  CREATE TRIGGER IF NOT EXISTS ent_days_au AFTER UPDATE OF published_at ON ent_articles WHEN old.published_at IS NOT new.published_at BEGIN
    UPDATE ent_days SET articles = articles - 1 WHERE old.published_at IS NOT NULL AND day = ${sqlDay('old.published_at')};
    INSERT INTO ent_days (day, articles) SELECT ${sqlDay('new.published_at')}, 1 WHERE new.published_at IS NOT NULL
      ON CONFLICT (day) DO UPDATE SET articles = articles + 1;
  END;
`;

/**
 * Counts `ent_days` of a store written before it existed (see ENTITY_DAYS_SCHEMA), once. Whether it is needed is
 * read first, so that opening a store that needs nothing writes nothing (a write would wait for, and fail beside,
 * another process holding the write lock: the indexer's `store_busy`).
 */
function countEntityDaysOnce(db: Database.Database): void {
  const needed = db
    .prepare('SELECT NOT EXISTS (SELECT 1 FROM ent_days) AND EXISTS (SELECT 1 FROM ent_articles WHERE published_at IS NOT NULL)')
    .pluck()
    .get();
  if (!needed) return;
  db.exec(`INSERT INTO ent_days (day, articles)
    SELECT ${sqlDay('published_at')} AS d, count(*) FROM ent_articles WHERE published_at IS NOT NULL GROUP BY d
    ON CONFLICT (day) DO UPDATE SET articles = excluded.articles`);
}

/** The entity tables, idempotent (CREATE … IF NOT EXISTS); they live in the store file beside the articles. */
export const ENTITY_SCHEMA = `
  CREATE TABLE IF NOT EXISTS ent_articles (
    article_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, input_hash TEXT NOT NULL, title TEXT NOT NULL, url TEXT, source TEXT,
    published_at INTEGER, lookups TEXT
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
  CREATE TABLE IF NOT EXISTS ent_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, pk TEXT NOT NULL);
  CREATE TRIGGER IF NOT EXISTS ent_articles_ai AFTER INSERT ON ent_articles BEGIN INSERT INTO ent_changes (pk) VALUES (new.article_id); END;
  CREATE TRIGGER IF NOT EXISTS ent_articles_au AFTER UPDATE ON ent_articles BEGIN INSERT INTO ent_changes (pk) VALUES (new.article_id); END;
  CREATE TRIGGER IF NOT EXISTS ent_articles_ad AFTER DELETE ON ent_articles BEGIN INSERT INTO ent_changes (pk) VALUES (old.article_id); END;
` + ENTITY_DAYS_SCHEMA;

/**
 * A fingerprint of an article as it arrives, before entities and its copy group are added, and of the extractor that read it: a
 * release that extracts otherwise makes the next indexer run read every article again.
 */
export const inputHash = (a: Article): string => {
  const input = contentHash({ ...a, people: undefined, orgs: undefined, places: undefined, salience: undefined, copyGroup: undefined });
  return `${EXTRACTION_VERSION}:${input}`;
};

/** An article as the entity store keeps it: its entities, and what its extraction asked of the corpus. */
export interface EntityRecord {
  readonly article: Article;
  /** The corpus questions its extraction asked, with their answers (see core/entities/names.ts). */
  readonly lookups: readonly NameLookup[];
}

interface KeyStats {
  articles: number;
  titles: Map<string, number>;
}

/**
 * Entity statistics beside the search engine (which may be Meilisearch): per article, its entities with salience
 * and date, and the full names it gives (the corpus's evidence for lone names, see core/entities/names.ts), in
 * the store file (DATA_DIR/newsfind.db). Also the {@link NameResolver} over that evidence: a lone name resolves to the full name
 * given in the most articles with the same title head word, else in the most articles; ties by name.
 */
export class EntityStore implements NameResolver {
  private closed = false;
  private byKey: Map<string, Map<string, KeyStats>> | undefined;
  private prefixes: Map<string, number> | undefined;

  private constructor(
    readonly db: Database.Database,
    private readonly ownsDb = true,
  ) {
    countEntityDaysOnce(db);
  }

  /** Opens (creating) the store; a write waits up to `busyTimeoutMs` for another process's (default 5 s). */
  static open(file: string, options: { busyTimeoutMs?: number } = {}): EntityStore {
    return new EntityStore(openSqliteFile(file, { what: 'entity store', schema: ENTITY_SCHEMA, ...options }));
  }

  /** The store over a connection another owner opened and closes (see SimilarityStore.onDatabase). */
  static onDatabase(db: Database.Database): EntityStore {
    db.exec(ENTITY_SCHEMA);
    return new EntityStore(db, false);
  }

  /** Forgets the in-memory evidence after an enclosing transaction rolled back (it counted rows that are gone). */
  afterRollback(): void {
    this.forget();
  }

  /** Records full names before the articles that give them are resolved, so that a batch resolves against itself. */
  addEvidence(records: readonly { id: string; evidence: readonly NameEvidence[] }[]): void {
    this.write(() => {
      const drop = this.db.prepare('DELETE FROM ent_evidence WHERE article_id = ?');
      const add = this.db.prepare('INSERT OR IGNORE INTO ent_evidence (article_id, key, name, title) VALUES (?, ?, ?, ?)');
      const rows = this.db.prepare('SELECT key, name, title FROM ent_evidence WHERE article_id = ? ORDER BY key, name').raw();
      let changed = false;
      for (const r of records) {
        const before = rows.all(r.id) as [string, string, string | null][];
        for (const [key, name, title] of before) this.tally(key, name, title, -1);
        drop.run(r.id);
        for (const e of r.evidence) {
          for (const key of e.keys) if (add.run(r.id, key, e.name, e.title ?? null).changes > 0) this.tally(key, e.name, e.title ?? null, 1);
        }
        changed ||= JSON.stringify(before) !== JSON.stringify(rows.all(r.id));
      }
      if (changed) this.bumpGeneration();
    });
  }

  /**
   * The evidence generation: it grows whenever the corpus evidence changes. Kept in the store with the generation
   * last refreshed, so that a run cut short before or during its refresh still refreshes on the next run.
   */
  generation(): { evidence: number; refreshed: number } {
    const read = (key: string) => Number(this.db.prepare('SELECT value FROM ent_meta WHERE key = ?').pluck().get(key) ?? 0);
    return { evidence: read('evidence_generation'), refreshed: read('refreshed_generation') };
  }

  /** Records that every article was re-resolved against the evidence of `generation`. */
  markRefreshed(generation: number): void {
    this.write(() => void this.db.prepare("INSERT OR REPLACE INTO ent_meta (key, value) VALUES ('refreshed_generation', ?)").run(String(generation)));
  }

  private bumpGeneration(): void {
    const next = this.generation().evidence + 1;
    this.db.prepare("INSERT OR REPLACE INTO ent_meta (key, value) VALUES ('evidence_generation', ?)").run(String(next));
  }

  /** Ids of `articles` whose input (before entities) the store already holds, committed after every other store. */
  held(articles: readonly Article[]): Set<string> {
    const find = this.db.prepare('SELECT input_hash FROM ent_articles WHERE article_id = ?').pluck();
    return new Set(articles.filter((a) => find.get(a.id) === inputHash(a)).map((a) => a.id));
  }

  /** Keeps the in-memory evidence (when loaded) in step with a row added (+1) or removed (-1). */
  private tally(key: string, name: string, title: string | null, delta: 1 | -1): void {
    if (key === ORG_KEY) this.prefixes = undefined;
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
  }

  /** Replaces the stored entities of articles (their evidence must have been added). */
  upsert(records: readonly EntityRecord[]): void {
    this.write(() => {
      const find = this.db.prepare('SELECT content_hash, lookups, input_hash FROM ent_articles WHERE article_id = ?').raw();
      const save = this.db.prepare(`INSERT INTO ent_articles
        (article_id, content_hash, input_hash, title, url, source, published_at, lookups)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET content_hash = excluded.content_hash,
        input_hash = excluded.input_hash, title = excluded.title, url = excluded.url, source = excluded.source,
        published_at = excluded.published_at, lookups = excluded.lookups`);
      const drop = this.db.prepare('DELETE FROM ent_mentions WHERE article_id = ?');
      const add = this.db.prepare('INSERT OR REPLACE INTO ent_mentions (kind, name, article_id, salience, published_at) VALUES (?, ?, ?, ?, ?)');
      for (const { article: a, lookups } of records) {
        const hash = contentHash(a);
        const input = inputHash(a);
        const asked = lookups.length > 0 ? JSON.stringify(lookups) : null;
        const stored = find.get(a.id) as [string, string | null, string] | undefined;
        // the input hash too: it carries the extractor's version, which must be recorded even when the result is the same
        if (stored?.[0] === hash && stored[1] === asked && stored[2] === input) continue;
        const date = a.publishedAt === undefined ? null : Date.parse(a.publishedAt);
        save.run(a.id, hash, input, a.title, a.url ?? null, a.source ?? null, date, asked);
        drop.run(a.id);
        for (const kind of ['people', 'orgs', 'places'] as const) {
          for (const name of a[kind] ?? []) add.run(kind, name, a.id, a.salience?.[`${kind}:${name}`] ?? 0, date);
        }
      }
      pruneChangeLog(this.db, 'ent_changes');
    });
  }

  delete(ids: readonly string[]): void {
    this.write(() => {
      for (const table of ['ent_articles', 'ent_mentions', 'ent_evidence']) {
        const remove = this.db.prepare(`DELETE FROM ${table} WHERE article_id = ?`);
        for (const id of ids) remove.run(id);
      }
      pruneChangeLog(this.db, 'ent_changes');
      this.bumpGeneration();
    });
    this.forget();
  }

  /** Removes everything (an indexer `--reset`). */
  clear(): void {
    this.write(() => {
      for (const table of ['ent_articles', 'ent_mentions', 'ent_evidence']) this.db.exec(`DELETE FROM ${table}`);
    });
    this.forget();
  }

  /** Ids of the articles whose recorded corpus questions (see replay) would now be answered otherwise. */
  staleArticles(): string[] {
    const rows = this.db.prepare('SELECT article_id, lookups FROM ent_articles WHERE lookups IS NOT NULL ORDER BY article_id').raw();
    return (rows.all() as [string, string][]).filter(([, asked]) => !replay(JSON.parse(asked) as NameLookup[], this)).map(([id]) => id);
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
    // evidence is keyed by a full name's last word (and its first): the name is known while a row gives it
    return (this.evidence().get(name.split(' ').at(-1)!)?.get(name)?.articles ?? 0) > 0;
  }

  isKnownOrg(name: string): boolean {
    return (this.evidence().get(ORG_KEY)?.get(name)?.articles ?? 0) > 0;
  }

  startsOrgName(name: string): boolean {
    // the first words of longer organisation names, unless more articles give them with a title, as a person's.
    // Only titled names count: they never depend on this answer (a titled name is never taken for an organisation),
    // so the answer cannot hold itself up whichever article comes first.
    const stats = this.evidence().get(name.split(' ').at(-1)!)?.get(name);
    const titled = stats === undefined ? 0 : [...stats.titles.values()].reduce((a, b) => a + b, 0);
    return (this.orgPrefixes().get(name) ?? 0) > titled;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsDb) this.db.close();
  }

  /**
   * The first two words or more of known organisations' longer names ("Shearson Lehman" of "Shearson Lehman
   * Brothers"), with the articles that give such names.
   */
  private orgPrefixes(): Map<string, number> {
    if (this.prefixes) return this.prefixes;
    const prefixes = new Map<string, number>();
    for (const [name, stats] of this.evidence().get(ORG_KEY) ?? []) {
      const words = name.split(' ');
      for (let n = 2; n < words.length; n++) {
        const prefix = words.slice(0, n).join(' ');
        if (!ORG_CONNECTORS.has(words[n - 1]!)) prefixes.set(prefix, (prefixes.get(prefix) ?? 0) + stats.articles);
      }
    }
    this.prefixes = prefixes;
    return prefixes;
  }

  /** Drops the in-memory evidence after a write (or a rolled-back write) changed the table. */
  private forget(): void {
    this.byKey = undefined;
    this.prefixes = undefined;
  }

  private evidence(): Map<string, Map<string, KeyStats>> {
    if (this.byKey) return this.byKey;
    const byKey = new Map<string, Map<string, KeyStats>>();
    const rows = this.db.prepare('SELECT key, name, title FROM ent_evidence').raw().iterate() as Iterable<[string, string, string | null]>;
    for (const [key, name, title] of rows) {
      let names = byKey.get(key);
      if (!names) byKey.set(key, (names = new Map()));
      let stats = names.get(name);
      if (!stats) names.set(name, (stats = { articles: 0, titles: new Map() }));
      stats.articles++;
      if (title !== null) stats.titles.set(title, (stats.titles.get(title) ?? 0) + 1);
    }
    this.byKey = byKey;
    return byKey;
  }

  private write(work: () => void): void {
    if (this.closed) throw new EngineUnavailableError('the entity store is closed');
    try {
      this.db.transaction(work).immediate(); // the write lock first, waiting for another process's (see SqliteEngine)
    } catch (error) {
      this.forget(); // a rolled-back write leaves the in-memory evidence behind the table
      throw storeFailure(this.db, 'entity store', error);
    }
  }
}

export type { EntityKind };
