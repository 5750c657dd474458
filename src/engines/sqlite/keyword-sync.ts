import type Database from 'better-sqlite3';
import type { Article } from '../../core/article.js';
import type { IndexedDoc } from '../../core/keyword/keyword-index.js';
import { KeywordIndex } from '../../core/keyword/keyword-index.js';
import { KeywordSearch } from '../../core/keyword/keyword-search.js';

/** Changes applied per catch-up: a bulk load by another process is absorbed in slices, never in one long pause. */
export const CATCH_UP_SLICE = 500;
/** The change log keeps this many entries; a process further behind rebuilds its index from the articles. */
export const CHANGE_LOG_KEEP = 100_000;

interface Row {
  pk: number;
  doc: string;
  published_at: number | null;
}

function toIndexed(row: Row): IndexedDoc {
  const a = JSON.parse(row.doc) as Article;
  return {
    key: row.pk,
    id: a.id,
    title: a.title,
    body: a.body,
    publishedAt: row.published_at ?? undefined,
    category: a.category,
    source: a.source,
    tags: a.tags,
  };
}

/**
 * Keeps an in-memory {@link KeywordIndex} equal to the store: built from every article at open, then brought up
 * to date from `article_changes` — after this process's writes, and whenever `PRAGMA data_version` shows that
 * another process (the indexer) committed. While it is behind, callers use the FTS5 path, which is always exact.
 */
export class KeywordSync {
  index = new KeywordIndex();
  search = new KeywordSearch(this.index);
  private lastSeq = 0;
  private seenVersion = -1;
  private pending = true;
  private readonly dataVersion: Database.Statement;
  private readonly bounds: Database.Statement;
  private readonly changes: Database.Statement;
  private readonly row: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.bounds = db.prepare('SELECT min(seq) AS lo, max(seq) AS hi FROM article_changes');
    this.changes = db.prepare('SELECT seq, pk FROM article_changes WHERE seq > ? ORDER BY seq LIMIT ?').raw();
    this.row = db.prepare('SELECT pk, doc, published_at FROM articles WHERE pk = ?');
    this.rebuild();
  }

  /** Notes a write through this connection (it does not move data_version). */
  markChanged(): void {
    this.pending = true;
  }

  /** Applies up to one slice of pending changes; true when the index now reflects every committed change. */
  catchUp(): boolean {
    const version = this.dataVersion.get() as number;
    if (version !== this.seenVersion) {
      this.seenVersion = version;
      this.pending = true;
    }
    if (!this.pending) return true;
    const { lo } = this.bounds.get() as { lo: number | null };
    if (lo !== null && lo > this.lastSeq + 1) {
      this.rebuild();
      return true;
    }
    const batch = this.changes.all(this.lastSeq, CATCH_UP_SLICE) as [number, number][];
    const done = new Set<number>();
    for (const [seq, pk] of batch) {
      this.lastSeq = seq;
      if (done.has(pk)) continue;
      done.add(pk);
      const row = this.row.get(pk) as Row | undefined;
      if (row) this.index.add(toIndexed(row));
      else this.index.remove(pk);
    }
    this.pending = batch.length === CATCH_UP_SLICE;
    return !this.pending;
  }

  /** Builds the index from every article, in one read transaction so that the log position matches the rows. */
  private rebuild(): void {
    const index = new KeywordIndex();
    this.db.transaction(() => {
      const { hi } = this.bounds.get() as { hi: number | null };
      this.lastSeq = hi ?? 0;
      const all = this.db.prepare('SELECT pk, doc, published_at FROM articles ORDER BY pk');
      for (const row of all.iterate() as Iterable<Row>) index.add(toIndexed(row));
    })();
    this.index = index;
    this.search = new KeywordSearch(index);
    this.pending = false;
  }
}

/** Keeps the change log bounded; called after each write. */
export function pruneChangeLog(db: Database.Database): void {
  db.prepare('DELETE FROM article_changes WHERE seq <= (SELECT max(seq) FROM article_changes) - ?').run(CHANGE_LOG_KEEP);
}
