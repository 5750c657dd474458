import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** Every store's articles in a DATA_DIR, as id → content hash (entities: id → the content hash they were made from). */
export interface StoreContents {
  readonly articles: Map<string, string>;
  readonly vectors: Map<string, string>;
  readonly entities: Map<string, string>;
}

/** Where a table lives: the store file when it holds it, else the file of the layout before (similarity.db, entities.db). */
function fileWith(dataDir: string, table: string, legacy: string): string | undefined {
  for (const name of ['newsfind.db', legacy]) {
    const file = path.join(dataDir, name);
    if (!fs.existsSync(file)) continue;
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      if (db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table) !== undefined) return file;
    } finally {
      db.close();
    }
  }
  return undefined;
}

const QUERIES = {
  articles: { table: 'articles', legacy: 'newsfind.db', sql: 'SELECT id, content_hash FROM articles' },
  vectors: { table: 'sim_docs', legacy: 'similarity.db', sql: 'SELECT id, content_hash FROM sim_docs' },
  entities: { table: 'ent_articles', legacy: 'entities.db', sql: 'SELECT article_id, content_hash FROM ent_articles' },
} as const;

/**
 * What each store of `dataDir` holds, read from disk as a restarted process would see it (a killed writer's WAL is
 * recovered on open), whichever layout the files are in. The stores of one file are read in one read transaction:
 * a snapshot of that file at one moment, even while other processes write.
 */
export function storeContents(dataDir: string): StoreContents {
  const byFile = new Map<string, (keyof typeof QUERIES)[]>();
  for (const store of Object.keys(QUERIES) as (keyof typeof QUERIES)[]) {
    const file = fileWith(dataDir, QUERIES[store].table, QUERIES[store].legacy);
    if (file !== undefined) byFile.set(file, [...(byFile.get(file) ?? []), store]);
  }
  const found: Record<string, Map<string, string>> = { articles: new Map(), vectors: new Map(), entities: new Map() };
  for (const [file, stores] of byFile) {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      db.transaction(() => {
        for (const store of stores) found[store] = new Map(db.prepare(QUERIES[store].sql).raw().all() as [string, string][]);
      })();
    } finally {
      db.close();
    }
  }
  return { articles: found['articles']!, vectors: found['vectors']!, entities: found['entities']! };
}

/** Ids that some store holds and another lacks, or holds with other content, sorted. */
export function disagreements(contents: StoreContents): string[] {
  const ids = new Set([...contents.articles.keys(), ...contents.vectors.keys(), ...contents.entities.keys()]);
  return [...ids]
    .filter((id) => {
      const hash = contents.articles.get(id);
      return hash === undefined || contents.vectors.get(id) !== hash || contents.entities.get(id) !== hash;
    })
    .sort();
}

/**
 * Articles committed so far in DATA_DIR's store, read straight from the file while another process writes to it
 * (WAL allows it); 0 before the file or its table exists.
 */
export function committedArticles(dataDir: string): number {
  const file = path.join(dataDir, 'newsfind.db');
  if (!fs.existsSync(file)) return 0;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT count(*) FROM articles').pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created yet
  }
}
