import type Database from 'better-sqlite3';
import type { RunIds } from '../src/services/ingest-articles.js';
import type { WrittenArticle } from '../src/services/ingest-articles.js';
import type { IndexerRun, RunsSnapshot } from '../src/storage/indexer-runs.js';
import { readRuns, RUNS_SCHEMA, writeRun } from '../src/storage/indexer-runs.js';
import { openSqliteFile, storeFailure } from '../src/storage/sqlite-file.js';

/** One article id a source delivered. */
export interface SourceEntry {
  readonly source: string;
  readonly id: string;
}

/**
 * The indexer's own record of which source (a file or folder given on the command line, as an absolute path)
 * delivered which article id, so that `--prune` can tell what disappeared from a source since its last run. It is
 * a small SQLite file beside the store, independent of the search engine (Meilisearch included), written after
 * the engine and the similarity index: a crash leaves it behind them, never ahead, and the next run catches up.
 * It also keeps a row per run (`runs`, see src/storage/indexer-runs.ts), which the API's /metrics reads.
 */
export class IndexerState {
  private readonly add: Database.Statement;
  private readonly ofSource: Database.Statement;
  private readonly sourcesOf: Database.Statement;
  private closed = false;

  private constructor(private readonly db: Database.Database) {
    this.add = db.prepare('INSERT OR IGNORE INTO source_articles (source, id) VALUES (?, ?)');
    this.ofSource = db.prepare('SELECT id FROM source_articles WHERE source = ?').pluck();
    this.sourcesOf = db.prepare('SELECT source FROM source_articles WHERE id = ?').pluck();
  }

  /** Opens (creating when missing) the state file; a write waits up to `busyTimeoutMs` for another process's. */
  static open(file: string, options: { busyTimeoutMs?: number } = {}): IndexerState {
    const schema = `CREATE TABLE IF NOT EXISTS source_articles (
      source TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (source, id)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS source_articles_id ON source_articles (id);
      ${RUNS_SCHEMA}`;
    return new IndexerState(openSqliteFile(file, { what: 'indexer state', schema, ...options }));
  }

  /** Records that these articles came from their sources (articles without a source are not tracked). */
  record(written: readonly WrittenArticle[]): void {
    this.write(() => {
      for (const w of written) if (w.source !== undefined) this.add.run(w.source, w.id);
    });
  }

  /** Every id recorded for `source`. */
  idsOf(source: string): string[] {
    return this.ofSource.all(source) as string[];
  }

  /** Whether a recorded source still delivers `id`, leaving out the `stale` entries (keys `source \0 id`). */
  claimedElsewhere(id: string, stale: ReadonlySet<string>): boolean {
    const sources = this.sourcesOf.all(id) as string[];
    return sources.some((s) => !stale.has(`${s}\u0000${id}`));
  }

  /** Forgets these entries. */
  forget(entries: readonly SourceEntry[]): void {
    const remove = this.db.prepare('DELETE FROM source_articles WHERE source = ? AND id = ?');
    this.write(() => {
      for (const e of entries) remove.run(e.source, e.id);
    });
  }

  /** Records a finished (or failed) run. */
  recordRun(run: IndexerRun): void {
    writeRun(this.db, run);
  }

  /** The last recorded run and the number of runs per outcome. */
  runs(): RunsSnapshot {
    return readRuns(this.db);
  }

  /** Forgets which source delivered what (`--reset`); the history of runs stays. */
  clear(): void {
    this.write(() => this.db.exec('DELETE FROM source_articles'));
  }

  /**
   * The ids of the current run, on disk (a temporary table of this connection, gone when it closes), so that the
   * memory of a run over a multi-GB source does not grow with its article count.
   */
  runIds(): RunIds {
    this.db.exec('CREATE TEMP TABLE IF NOT EXISTS run_ids (id TEXT PRIMARY KEY, location TEXT NOT NULL) WITHOUT ROWID');
    this.db.exec('DELETE FROM run_ids');
    const find = this.db.prepare('SELECT location FROM run_ids WHERE id = ?').pluck();
    const add = this.db.prepare('INSERT OR IGNORE INTO run_ids (id, location) VALUES (?, ?)');
    return { firstSeen: (id) => find.get(id) as string | undefined, remember: (id, location) => void add.run(id, location) };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  /** One write transaction, IMMEDIATE (the write lock first, waiting for another indexer's; see SqliteEngine). */
  private write(work: () => void): void {
    try {
      this.db.transaction(work).immediate();
    } catch (error) {
      throw storeFailure(this.db, 'indexer state', error);
    }
  }
}
