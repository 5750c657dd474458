import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';

/** The store tables that hold one row per article, the column holding its id, and what each serves. */
const ARTICLE_TABLES = [
  { table: 'articles', column: 'id', store: 'search' },
  { table: 'sim_docs', column: 'id', store: 'similarity' },
  { table: 'ent_articles', column: 'article_id', store: 'entities' },
] as const;

/** Which store a table belongs to: search (the articles), similarity (term vectors) or entities. */
export type StoreName = (typeof ARTICLE_TABLES)[number]['store'];

interface Found {
  readonly store: StoreName;
  readonly where: string;
  readonly missing: Database.Statement;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A read-only view of the SQLite stores in a DATA_DIR, from outside the API: which of some article ids each store
 * holds, committed. It opens every `*.db` file there and looks for the article tables by name, wherever they are (one
 * file per store today; one file with all three works the same).
 */
export class StoreWatch {
  private constructor(
    private readonly dbs: Database.Database[],
    private readonly found: readonly Found[],
  ) {}

  /** Opens the stores in `dir` read-only; throws when a store it needs has no table there. */
  static open(dir: string): StoreWatch {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.db'));
    const dbs = files.map((f) => new Database(path.join(dir, f), { readonly: true, fileMustExist: true }));
    const found: Found[] = [];
    dbs.forEach((db, i) => {
      for (const t of ARTICLE_TABLES) {
        if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t.table)) continue;
        const sql = `SELECT value FROM json_each(?) WHERE NOT EXISTS (SELECT 1 FROM ${t.table} WHERE ${t.column} = value)`;
        found.push({ store: t.store, where: `${files[i]}:${t.table}`, missing: db.prepare(sql).pluck() });
      }
    });
    const absent = ARTICLE_TABLES.filter((t) => !found.some((f) => f.store === t.store)).map((t) => t.table);
    if (absent.length > 0) dbs.forEach((db) => db.close());
    if (absent.length > 0) throw new Error(`no table ${absent.join(', ')} in any *.db of ${dir}: the store layout changed`);
    return new StoreWatch(dbs, found);
  }

  /** Where each store was found, e.g. `newsfind.db:articles`. */
  describe(): string {
    return this.found.map((f) => `${f.store} = ${f.where}`).join(', ');
  }

  /** The ids each store lacks, by store (committed rows only: each read is its own transaction). */
  missing(ids: readonly string[], stores: readonly StoreName[] = ['search', 'similarity', 'entities']): Map<StoreName, string[]> {
    const out = new Map<StoreName, string[]>(stores.map((s) => [s, []]));
    const list = JSON.stringify(ids);
    for (const f of this.found) {
      if (stores.includes(f.store)) out.get(f.store)!.push(...(f.missing.all(list) as string[]));
    }
    return out;
  }

  /**
   * Polls every `everyMs` until every id is committed in the search and similarity stores (what search and "more
   * like this" read) and returns the moment it saw them (performance.now(), ms; late by at most one interval), or
   * undefined when `stop()` is true and they are still not all there.
   */
  async committed(ids: readonly string[], options: { everyMs: number; stop: () => boolean }): Promise<number | undefined> {
    for (;;) {
      const lacking = [...this.missing(ids, ['search', 'similarity']).values()].some((m) => m.length > 0);
      if (!lacking) return performance.now();
      if (options.stop()) return undefined;
      await sleep(options.everyMs);
    }
  }

  /** Whether any of `ids` is committed in the search store (a writer has begun). */
  anyCommitted(ids: readonly string[]): boolean {
    return (this.missing(ids, ['search']).get('search')?.length ?? ids.length) < ids.length;
  }

  /** Closes the connections. */
  close(): void {
    this.dbs.forEach((db) => db.close());
  }
}
