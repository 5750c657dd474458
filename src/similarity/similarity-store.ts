import type Database from 'better-sqlite3';
import type { Article } from '../core/article.js';
import { contentHash } from '../core/article.js';
import { EngineUnavailableError } from '../core/errors.js';
import { termCounts } from '../core/similarity/analyzer.js';
import type { TermVector } from '../core/similarity/similarity-index.js';
import { pruneChangeLog } from '../storage/change-follower.js';
import { openSqliteFile, storeFailure } from '../storage/sqlite-file.js';

/** The similarity tables, idempotent (CREATE … IF NOT EXISTS); they live in the store file beside the articles. */
export const SIMILARITY_SCHEMA = `
  CREATE TABLE IF NOT EXISTS sim_terms (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE, word TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS sim_docs (
    pk INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT,
    published_at INTEGER,
    category TEXT,
    source TEXT,
    vector BLOB NOT NULL
  );
  CREATE TABLE IF NOT EXISTS sim_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, pk INTEGER NOT NULL);
  CREATE TRIGGER IF NOT EXISTS sim_docs_ai AFTER INSERT ON sim_docs BEGIN INSERT INTO sim_changes (pk) VALUES (new.pk); END;
  CREATE TRIGGER IF NOT EXISTS sim_docs_au AFTER UPDATE ON sim_docs BEGIN INSERT INTO sim_changes (pk) VALUES (new.pk); END;
  CREATE TRIGGER IF NOT EXISTS sim_docs_ad AFTER DELETE ON sim_docs BEGIN INSERT INTO sim_changes (pk) VALUES (old.pk); END;
`;

/** A stored article as the similarity index needs it: identity, what results show and filter on, the vector. */
export interface SimilarityRow {
  readonly pk: number;
  readonly id: string;
  readonly title: string;
  readonly url: string | null;
  readonly published_at: number | null;
  readonly category: string | null;
  readonly source: string | null;
  readonly vector: Buffer;
}

/** A vector as a BLOB: n Int32 term ids, then n Float32 counts. */
export function encodeVector(v: TermVector): Buffer {
  const out = Buffer.alloc(v.terms.length * 8);
  out.set(new Uint8Array(v.terms.buffer, v.terms.byteOffset, v.terms.byteLength), 0);
  out.set(new Uint8Array(v.counts.buffer, v.counts.byteOffset, v.counts.byteLength), v.terms.byteLength);
  return out;
}

export function decodeVector(blob: Buffer): TermVector {
  const n = blob.length / 8;
  // Views over the blob when it is 4-byte aligned (better-sqlite3 gives each blob its own buffer), else a copy.
  const aligned = blob.byteOffset % 4 === 0;
  const buffer = aligned ? blob.buffer : blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.length);
  const base = aligned ? blob.byteOffset : 0;
  return { terms: new Int32Array(buffer, base, n), counts: new Float32Array(buffer, base + n * 4, n) };
}

/**
 * The persistent half of "more like this": per-article term counts (not weights: idf is applied at query time)
 * and the term dictionary, in tables of the store file (beside the articles on the embedded engine), so that it
 * serves whichever search engine is configured and the API starts without re-analysing any text. Writes are transactions; a change
 * log lets the index host follow them (see src/index-host/index-host.ts).
 */
export class SimilarityStore {
  private closed = false;
  private readonly termIds = new Map<string, number>();

  /** Adds a term, or — when another process added it since this one cached the dictionary — returns its id. */
  private readonly addTerm: Database.Statement;

  private constructor(
    readonly db: Database.Database,
    private readonly ownsDb = true,
  ) {
    this.addTerm = db
      .prepare('INSERT INTO sim_terms (term, word) VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET term = term RETURNING id')
      .pluck();
    this.reloadTerms();
  }

  /** Opens (creating) the store; a write waits up to `busyTimeoutMs` for another process's (default 5 s). */
  static open(file: string, options: { busyTimeoutMs?: number } = {}): SimilarityStore {
    return new SimilarityStore(openSqliteFile(file, { what: 'similarity store', schema: SIMILARITY_SCHEMA, ...options }));
  }

  /**
   * The store over a connection another owner opened and closes (the one store file, see storage/open-store.ts),
   * so that its writes can join that connection's transactions; creates its tables when missing.
   */
  static onDatabase(db: Database.Database): SimilarityStore {
    db.exec(SIMILARITY_SCHEMA);
    return new SimilarityStore(db, false);
  }

  /** Forgets cached term ids after an enclosing transaction rolled back (they may name rows that are gone). */
  afterRollback(): void {
    this.reloadTerms();
  }

  /** Analyses and stores articles (skipping those whose content is unchanged), in one transaction. */
  upsert(articles: readonly Article[]): { indexed: number; unchanged: number } {
    return this.write(() => {
      const find = this.db.prepare('SELECT content_hash FROM sim_docs WHERE id = ?').pluck();
      const save = this.db.prepare(`INSERT INTO sim_docs (id, content_hash, title, url, published_at, category, source, vector)
        VALUES (@id, @hash, @title, @url, @publishedAt, @category, @source, @vector)
        ON CONFLICT (id) DO UPDATE SET content_hash = excluded.content_hash, title = excluded.title, url = excluded.url,
          published_at = excluded.published_at, category = excluded.category, source = excluded.source,
          vector = excluded.vector`);
      let indexed = 0;
      for (const a of articles) {
        const hash = contentHash(a);
        if (find.get(a.id) === hash) continue;
        save.run({
          id: a.id,
          hash,
          title: a.title,
          url: a.url ?? null,
          publishedAt: a.publishedAt === undefined ? null : Date.parse(a.publishedAt),
          category: a.category ?? null,
          source: a.source ?? null,
          vector: encodeVector(this.vectorOf(a.title, a.body)),
        });
        indexed++;
      }
      return { indexed, unchanged: articles.length - indexed };
    });
  }

  /** Removes articles by id; returns how many existed. */
  delete(ids: readonly string[]): number {
    return this.write(() => {
      const remove = this.db.prepare('DELETE FROM sim_docs WHERE id = ?');
      return ids.reduce((n, id) => n + remove.run(id).changes, 0);
    });
  }

  /** Removes every article (the term dictionary stays: ids of terms are never reused); returns how many there were. */
  clear(): number {
    return this.write(() => this.db.prepare('DELETE FROM sim_docs').run().changes);
  }

  /** Term counts of a text as a vector over the stored dictionary; new terms are added to it. */
  private vectorOf(title: string, body: string): TermVector {
    const pairs = [...termCounts(title, body)].map(([term, { count, word }]): [number, number] => {
      let id = this.termIds.get(term);
      if (id === undefined) {
        id = this.addTerm.get(term, word) as number;
        this.termIds.set(term, id);
      }
      return [id, count];
    });
    pairs.sort((a, b) => a[0] - b[0]);
    return { terms: Int32Array.from(pairs, (p) => p[0]), counts: Float32Array.from(pairs, (p) => p[1]) };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsDb) this.db.close();
  }

  private write<T>(work: () => T): T {
    if (this.closed) throw new EngineUnavailableError('the similarity store is closed');
    try {
      // IMMEDIATE: take the write lock (waiting for another process's write) before reading, see SqliteEngine
      return this.db.transaction(() => {
        const result = work();
        pruneChangeLog(this.db, 'sim_changes');
        return result;
      }).immediate();
    } catch (error) {
      this.reloadTerms(); // a rolled-back transaction may have taken new term ids with it
      throw storeFailure(this.db, 'similarity store', error);
    }
  }

  private reloadTerms(): void {
    this.termIds.clear();
    for (const [id, term] of this.db.prepare('SELECT id, term FROM sim_terms').raw().iterate() as Iterable<[number, string]>) {
      this.termIds.set(term, id);
    }
  }
}
