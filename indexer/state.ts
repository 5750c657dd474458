import type Database from 'better-sqlite3';
import type { RunIds } from '../src/services/ingest-articles.js';
import type { WrittenArticle } from '../src/services/ingest-articles.js';
import type { IndexerRun, RunsSnapshot } from '../src/storage/indexer-runs.js';
import { readRuns, RUNS_SCHEMA, writeRun } from '../src/storage/indexer-runs.js';
import type { SourceState } from '../src/storage/source-states.js';
import { fromSourceRow, readSourceStates, SOURCE_STATES_SCHEMA } from '../src/storage/source-states.js';
import { openSqliteFile, storeFailure } from '../src/storage/sqlite-file.js';

/** What a read of an HTTP source that succeeded leaves in the state (see {@link IndexerState.sourceSucceeded}). */
export interface SourceSuccess {
  readonly url: string;
  readonly at: number;
  /** Absent on a 304: the validators and item figures stay as they were. */
  readonly fresh?: { readonly etag?: string | undefined; readonly lastModified?: string | undefined; readonly items: number; readonly newestItemAt?: number | undefined };
}

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
      ${RUNS_SCHEMA}
      ${SOURCE_STATES_SCHEMA}`;
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

  /** Forgets which source delivered what (`--reset`), and the HTTP sources' validators and fetched pages; the history of runs stays. */
  clear(): void {
    this.write(() => this.db.exec('DELETE FROM source_articles; DELETE FROM http_pages; UPDATE http_sources SET etag = NULL, last_modified = NULL'));
  }

  /** An HTTP source's state, or undefined when it was never read. */
  source(url: string): SourceState | undefined {
    const row = this.db.prepare('SELECT * FROM http_sources WHERE url = ?').get(url);
    return row === undefined ? undefined : fromSourceRow(row as Parameters<typeof fromSourceRow>[0]);
  }

  /** Every HTTP source's state. */
  sources(): SourceState[] {
    return readSourceStates(this.db);
  }

  /**
   * Records HTTP sources read in full and written (so a validator is kept only once what it stands for is in the
   * store: a run that fails before that asks again for the whole answer): the failures in a row are reset.
   */
  sourcesSucceeded(successes: readonly SourceSuccess[]): void {
    const touch = this.db.prepare(`INSERT INTO http_sources (url, last_attempt_at, last_success_at) VALUES (@url, @at, @at)
      ON CONFLICT (url) DO UPDATE SET last_attempt_at = @at, last_success_at = @at, consecutive_failures = 0, not_before = NULL`);
    const fresh = this.db.prepare(`UPDATE http_sources SET etag = @etag, last_modified = @lastModified, items = @items,
      newest_item_at = coalesce(@newestItemAt, newest_item_at) WHERE url = @url`);
    this.write(() => {
      for (const s of successes) {
        touch.run({ url: s.url, at: s.at });
        if (s.fresh) fresh.run({ url: s.url, etag: s.fresh.etag ?? null, lastModified: s.fresh.lastModified ?? null, items: s.fresh.items, newestItemAt: s.fresh.newestItemAt ?? null });
      }
    });
  }

  /** Records a failed read of an HTTP source: its error, one more failure in a row, and when to ask again at the earliest. */
  sourceFailed(failure: { url: string; at: number; error: string; notBefore?: number | undefined }): void {
    this.write(() =>
      this.db
        .prepare(`INSERT INTO http_sources (url, last_attempt_at, last_error, last_error_at, consecutive_failures, failures_total, not_before)
          VALUES (@url, @at, @error, @at, 1, 1, @notBefore)
          ON CONFLICT (url) DO UPDATE SET last_attempt_at = @at, last_error = @error, last_error_at = @at,
            consecutive_failures = consecutive_failures + 1, failures_total = failures_total + 1, not_before = @notBefore`)
        .run({ ...failure, notBefore: failure.notBefore ?? null }),
    );
  }

  /** Whether the page of `url` was fetched for this version of its feed item or sitemap entry (`hash`). */
  pageFetched(url: string, hash: string): boolean {
    return this.db.prepare('SELECT 1 FROM http_pages WHERE url = ? AND item_hash = ?').get(url, hash) !== undefined;
  }

  /** Records pages fetched and written, each for the version of its item (see {@link pageFetched}). */
  pagesFetched(pages: readonly { url: string; hash: string; at: number }[]): void {
    const add = this.db.prepare('INSERT OR REPLACE INTO http_pages (url, item_hash, fetched_at) VALUES (?, ?, ?)');
    this.write(() => {
      for (const p of pages) add.run(p.url, p.hash, p.at);
    });
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
