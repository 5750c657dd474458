import type Database from 'better-sqlite3';

/** One schema step; applied once, in order, inside a transaction, and recorded in `schema_migrations`. */
interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * The store's schema, step by step; a step once released is never edited (stores that applied it keep it), so
 * every store, old or new, goes through the same steps to the same schema. `articles` is the system of record (the
 * whole article as JSON in `doc`, plus the columns that filters and sorting need); `article_changes` logs every
 * written row, so that the in-memory index (index-host.ts), which ranks every query with words, catches up
 * incrementally; `article_tags` and `article_entities` serve filters, facets and the salience order. The FTS5 index
 * of step 1 (`articles_fts`, its triggers and `articles_vocab`) ranked queries before the in-memory index did;
 * step 4 drops it.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'articles and keyword index',
    sql: `
      CREATE TABLE articles (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        published_at INTEGER,
        source TEXT,
        category TEXT,
        doc TEXT NOT NULL
      );
      CREATE INDEX articles_published ON articles (published_at, id);
      CREATE INDEX articles_category ON articles (category);
      CREATE INDEX articles_source ON articles (source);
      CREATE TABLE article_tags (
        tag TEXT NOT NULL,
        article_pk INTEGER NOT NULL REFERENCES articles (pk) ON DELETE CASCADE,
        PRIMARY KEY (tag, article_pk)
      ) WITHOUT ROWID;
      CREATE INDEX article_tags_article ON article_tags (article_pk);
      CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, body, content = 'articles', content_rowid = 'pk',
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
      );
      CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, body) VALUES (new.pk, new.title, new.body);
      END;
      CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', old.pk, old.title, old.body);
      END;
      CREATE TRIGGER articles_au AFTER UPDATE OF title, body ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', old.pk, old.title, old.body);
        INSERT INTO articles_fts (rowid, title, body) VALUES (new.pk, new.title, new.body);
      END;
      CREATE VIRTUAL TABLE articles_vocab USING fts5vocab (articles_fts, 'row');
    `,
  },
  {
    version: 2,
    name: 'change log for in-memory indexes',
    sql: `
      CREATE TABLE article_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, pk INTEGER NOT NULL);
      CREATE TRIGGER articles_log_ai AFTER INSERT ON articles BEGIN
        INSERT INTO article_changes (pk) VALUES (new.pk);
      END;
      CREATE TRIGGER articles_log_au AFTER UPDATE ON articles BEGIN
        INSERT INTO article_changes (pk) VALUES (new.pk);
      END;
      CREATE TRIGGER articles_log_ad AFTER DELETE ON articles BEGIN
        INSERT INTO article_changes (pk) VALUES (old.pk);
      END;
    `,
  },
  {
    version: 3,
    name: 'entities for filters, facets and salience order',
    sql: `
      CREATE TABLE article_entities (
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        article_pk INTEGER NOT NULL REFERENCES articles (pk) ON DELETE CASCADE,
        salience REAL NOT NULL,
        PRIMARY KEY (kind, name, article_pk)
      ) WITHOUT ROWID;
      CREATE INDEX article_entities_article ON article_entities (article_pk);
    `,
  },
  {
    version: 4,
    name: 'drop the FTS5 index',
    // Nothing reads it any more, and its triggers cost every write. The change-log triggers (step 2) stay. The
    // freed pages are reused by later writes; the file shrinks only with VACUUM.
    sql: `
      DROP TRIGGER IF EXISTS articles_ai;
      DROP TRIGGER IF EXISTS articles_ad;
      DROP TRIGGER IF EXISTS articles_au;
      DROP TABLE IF EXISTS articles_vocab;
      DROP TABLE IF EXISTS articles_fts;
    `,
  },
  {
    version: 5,
    name: 'copy groups',
    // storage/copy-groups.ts names each article's group; listings without words keep one article per group
    // (sqlite-search.ts). Rows written before stay NULL (alone) until the reconcile step regroups them.
    sql: `
      ALTER TABLE articles ADD COLUMN copy_group TEXT;
      CREATE INDEX articles_copy_group ON articles (copy_group, pk);
    `,
  },
];

/** The newest schema version this code knows. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

/**
 * Brings the database to {@link SCHEMA_VERSION}. Refuses a database written by a newer version of the service
 * rather than guess at its schema. Each step takes the write lock first (IMMEDIATE) and is skipped when another
 * process opening the same new store applied it meanwhile.
 */
export function migrate(db: Database.Database, now: () => Date): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  const current = row.v ?? 0;
  if (current > SCHEMA_VERSION) {
    throw new Error(`database schema version ${current} is newer than this service's ${SCHEMA_VERSION}`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
  for (const step of MIGRATIONS.filter((m) => m.version > current)) {
    db.transaction(() => {
      if (applied.get(step.version) !== undefined) return; // another process applied it while this one waited
      db.exec(step.sql);
      record.run(step.version, step.name, now().toISOString());
    }).immediate();
  }
}
