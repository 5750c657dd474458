/**
 * The change logs (`article_changes`, `sim_changes`: `seq INTEGER PRIMARY KEY AUTOINCREMENT, pk`, filled by
 * triggers) are followed by the index host (src/index-host/index-host.ts), in the background.
 */
import type Database from 'better-sqlite3';

/** Keeps a change log bounded (the newest `keep` entries); a follower further behind rebuilds. */
export function pruneChangeLog(db: Database.Database, changeLog: string, keep = 100_000): void {
  db.prepare(`DELETE FROM ${changeLog} WHERE seq <= (SELECT max(seq) FROM ${changeLog}) - ?`).run(keep);
}
