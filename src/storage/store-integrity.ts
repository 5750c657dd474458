import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { EngineUnavailableError } from '../core/errors.js';
import { sqliteCode } from './sqlite-file.js';

/** SQLite's answers for a file whose pages do not hold what its structure says (garbage, a cut-off file). */
const DAMAGE_CODES = /^SQLITE_(CORRUPT|NOTADB)/;

/**
 * What is wrong with one SQLite file, or undefined when it passes: `PRAGMA quick_check(table)` over the schema and
 * every ordinary table with its indexes (b-tree structure, page and cell bounds, records, NOT NULL). Virtual tables
 * are left out on purpose: a store not migrated yet (the check runs before the service opens it) still holds the
 * FTS5 index that schema step 4 drops, whose own check re-tokenises every article (two thirds of the whole check on
 * Reuters); damaged pages of it are still found through its shadow tables, which are ordinary tables. The cost is
 * one read of the file: a fraction of a worker's start, which reads every
 * article into its in-memory indexes anyway. Not checked either: free pages (harmless until reused) and pages that
 * belong to nothing.
 */
export function damageOf(file: string): string | undefined {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY rootpage")
      .pluck()
      .all() as string[];
    for (const table of ['sqlite_schema', ...tables]) {
      const found = db.prepare(`PRAGMA quick_check("${table.replaceAll('"', '""')}")`).pluck().all() as string[];
      if (found[0] !== 'ok') return found.join('; ').slice(0, 300);
    }
    return undefined;
  } catch (error) {
    if (DAMAGE_CODES.test(sqliteCode(error) ?? '')) return String((error as { message?: unknown }).message);
    throw error;
  } finally {
    db?.close();
  }
}

/**
 * Checks the store files that exist among `files` (all in one DATA_DIR; missing ones are created later) before a
 * process serves them: a damaged page would otherwise fail every worker that loads it, over and over. Throws an
 * EngineUnavailableError naming the first damaged file and how to recover (restore it, or set every file aside and
 * index again: the indexer rebuilds them from the articles; one file alone would not be, since each store skips
 * what the others already hold).
 */
export function assertStoresIntact(files: readonly string[]): void {
  for (const file of files) {
    if (!fs.existsSync(file)) continue;
    const damage = damageOf(file);
    if (damage === undefined) continue;
    const dir = path.dirname(file);
    const names = files.map((f) => path.basename(f));
    const listed = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join('');
    throw new EngineUnavailableError(
      `the store file ${file} is damaged (${damage}): the service cannot use it. Stop every newsfind process that uses ` +
        `${dir}, then restore the file from a backup, or move ${listed} out of ${dir} and index your articles again ` +
        '(npm run index -- <sources>): the indexer rebuilds them.',
    );
  }
}
