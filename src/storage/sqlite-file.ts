import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { EngineError, EngineUnavailableError, StoreBusyError } from '../core/errors.js';

/**
 * How long a write waits for another process's write to the same file, in ms: an API process (whose wait blocks
 * every request it serves, and whose clients may retry) waits 5 s; an indexer waits as long as its configuration
 * says (INDEXER_WAIT_MS), so that a second indexer queues behind the first one's batches.
 */
export const API_BUSY_TIMEOUT_MS = 5_000;

/**
 * The page cache of a serving connection (an HTTP worker's, the index host's), in KiB: SQLite's own default. The
 * driver (better-sqlite3) builds SQLite with 16 MiB per connection, which a serving process filled (the host reads
 * the whole store to build its indexes; a worker under load reads articles all over the file) and then kept,
 * resident, in every process; the pages it would hold are in the operating system's file cache anyway. Writers
 * (the indexer, the write thread) keep the driver's default: their B-tree inserts are what a large cache speeds up.
 */
export const SERVING_CACHE_KIB = 2_000;

/** Bounds `db`'s page cache to {@link SERVING_CACHE_KIB} (a connection that serves reads, never bulk writes). */
export function limitPageCache(db: Database.Database): void {
  db.pragma(`cache_size = -${SERVING_CACHE_KIB}`);
}

/** How one of the service's own SQLite files is opened. */
export interface SqliteFileOptions {
  /** What the file holds, for messages ("similarity store"). */
  readonly what: string;
  /** Idempotent SQL applied at open (CREATE … IF NOT EXISTS). */
  readonly schema: string;
  /** How long a write waits for another process's write, in ms (default {@link API_BUSY_TIMEOUT_MS}). */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens (creating its folder) one of the service's own SQLite files: WAL so that readers never wait for the
 * writer, `synchronous = FULL` so that a committed write survives a crash, a busy timeout between processes, and
 * the schema applied. Failures are EngineUnavailableErrors naming what the file holds and the file.
 */
export function openSqliteFile(file: string, options: SqliteFileOptions): Database.Database {
  try {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? API_BUSY_TIMEOUT_MS}`);
    db.exec(options.schema);
    return db;
  } catch (error) {
    throw new EngineUnavailableError(`cannot open the ${options.what} at ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The SQLite result code (`SQLITE_BUSY`, `SQLITE_CORRUPT_INDEX`…) of a driver failure, else undefined. Read from
 * the error's `code`, not by `instanceof`: the native addon keeps the error class of the first copy of
 * better-sqlite3 loaded in the process, which need not be the caller's (jest gives each test file its own copy,
 * and its own realm).
 */
export function sqliteCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * A driver failure of `db` as the service's error: a lock that outlasted the busy timeout is a StoreBusyError
 * naming the file and the wait; any other SQLite failure an EngineError ("<what> failed: …"). Other errors are
 * returned as they are.
 */
export function storeFailure(db: Database.Database, what: string, error: unknown): unknown {
  const code = sqliteCode(error);
  if (code === undefined) return error;
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) {
    const seconds = (db.pragma('busy_timeout', { simple: true }) as number) / 1000;
    const message = `the ${what} ${db.name} is busy: another process kept it locked for more than ${seconds} s`;
    return new StoreBusyError(message, { cause: error });
  }
  return new EngineError(`${what} failed: ${String((error as { message?: unknown }).message)}`, { cause: error });
}
