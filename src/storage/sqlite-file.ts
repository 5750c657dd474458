import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { EngineUnavailableError } from '../core/errors.js';

/**
 * Opens (creating its folder) one of the service's own SQLite files: WAL so that readers never wait for the
 * writer, `synchronous = FULL` so that a committed write survives a crash, a 5 s busy timeout between processes,
 * and `schema` applied (idempotent SQL). Failures are EngineUnavailableErrors naming `what` and the file.
 */
export function openSqliteFile(file: string, what: string, schema: string): Database.Database {
  try {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.exec(schema);
    return db;
  } catch (error) {
    throw new EngineUnavailableError(`cannot open the ${what} at ${file}: ${(error as Error).message}`, { cause: error });
  }
}
