import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** Where each legacy file's content goes: its tables, copied as they are (same schema, same ids). */
const LEGACY_FILES = [
  { file: 'similarity.db', tables: ['sim_terms', 'sim_docs'] },
  { file: 'entities.db', tables: ['ent_articles', 'ent_mentions', 'ent_evidence', 'ent_meta'] },
] as const;

/** The file names of the layout before one store file: similarity and entity stores beside newsfind.db. */
export const LEGACY_STORE_FILES: readonly string[] = LEGACY_FILES.map((l) => l.file);

/** The suffix a merged legacy file is renamed with (kept for a downgrade; delete it once the new layout serves). */
export const MERGED_SUFFIX = '.migrated';

/** Records which legacy files were merged into the store file (one row per file name). */
export const MERGE_SCHEMA = 'CREATE TABLE IF NOT EXISTS store_merges (file TEXT PRIMARY KEY, merged_at TEXT NOT NULL);';

/** What a merge did, per legacy file found in DATA_DIR. */
export interface MergeReport {
  readonly file: string;
  /** `copied`: its rows are in the store file now; `skipped`: the store file already held such rows (not copied). */
  readonly outcome: 'copied' | 'skipped' | 'already-merged';
}

/**
 * Moves the content of the legacy similarity.db and entities.db of `dir` into the store file opened as `db` (whose
 * similarity and entity tables, and {@link MERGE_SCHEMA}, must exist), once. Per legacy file: its WAL is
 * checkpointed into it; its tables are copied (ids kept: vectors name term ids) in one IMMEDIATE transaction of the
 * store file that also records the merge in `store_merges`, and only when the store file holds none of those rows
 * yet (a store that already has its own is left as it is: reconcile re-derives what is missing); then the legacy
 * file is renamed `*.migrated`. Idempotent and safe to kill at any point: before the commit nothing changed; after
 * it, the recorded merge makes the next open only finish the rename. Run it with no process of an older release
 * still writing the legacy files.
 */
export function mergeLegacyStores(db: Database.Database, dir: string, now: () => Date = () => new Date()): MergeReport[] {
  const reports: MergeReport[] = [];
  for (const legacy of LEGACY_FILES) {
    const file = path.join(dir, legacy.file);
    if (!fs.existsSync(file)) continue;
    checkpoint(file);
    const outcome = copyOnce(db, file, legacy, now);
    for (const suffix of ['-wal', '-shm', '']) renameIfThere(`${file}${suffix}`, `${file}${MERGED_SUFFIX}${suffix}`);
    reports.push({ file, outcome });
  }
  return reports;
}

/** Folds a WAL file into its database, so that the database file alone holds every commit. */
function checkpoint(file: string): void {
  const legacy = new Database(file, { fileMustExist: true });
  try {
    legacy.pragma('busy_timeout = 5000');
    legacy.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    legacy.close();
  }
}

function copyOnce(
  db: Database.Database,
  file: string,
  legacy: (typeof LEGACY_FILES)[number],
  now: () => Date,
): MergeReport['outcome'] {
  db.prepare("ATTACH DATABASE ? AS legacy").run(file);
  try {
    return db.transaction((): MergeReport['outcome'] => {
      const merged = db.prepare('SELECT 1 FROM store_merges WHERE file = ?').pluck();
      if (merged.get(legacy.file) !== undefined) return 'already-merged';
      const present = new Set(db.prepare("SELECT name FROM legacy.sqlite_schema WHERE type = 'table'").pluck().all() as string[]);
      const tables = legacy.tables.filter((t) => present.has(t));
      const occupied = tables.some((t) => db.prepare(`SELECT 1 FROM main.${t} LIMIT 1`).get() !== undefined);
      if (!occupied) for (const t of tables) db.exec(`INSERT INTO main.${t} SELECT * FROM legacy.${t}`);
      db.prepare('INSERT INTO store_merges (file, merged_at) VALUES (?, ?)').run(legacy.file, now().toISOString());
      return occupied ? 'skipped' : 'copied';
    }).immediate();
  } finally {
    db.exec('DETACH DATABASE legacy');
  }
}

function renameIfThere(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // another process renamed it first
  }
}
