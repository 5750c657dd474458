import type Database from 'better-sqlite3';

/** What a follower does with the store's rows. */
export interface ChangeTarget {
  /** Replaces the in-memory state with every row (runs inside a read transaction). */
  rebuild(): void;
  /** Brings one row, by key, up to date: re-reads it, or drops it when it is gone. */
  apply(pk: number): void;
}

/**
 * Keeps an in-memory structure equal to a SQLite table through its change log (a table `seq INTEGER PRIMARY KEY
 * AUTOINCREMENT, pk`, filled by triggers): rebuilt from every row at start, then brought up to date — after this
 * connection's writes (`markChanged`), and whenever `PRAGMA data_version` shows that another process committed.
 * Changes are applied `slice` at a time, so that a bulk load by another process is absorbed without a long pause;
 * when the log was pruned past this follower's position, it rebuilds.
 */
export class ChangeFollower {
  private lastSeq = 0;
  private seenVersion = -1;
  private pending = true;
  private readonly dataVersion: Database.Statement;
  private readonly bounds: Database.Statement;
  private readonly changes: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    changeLog: string,
    private readonly target: ChangeTarget,
    private readonly slice = 500,
  ) {
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.bounds = db.prepare(`SELECT min(seq) AS lo, max(seq) AS hi FROM ${changeLog}`);
    this.changes = db.prepare(`SELECT seq, pk FROM ${changeLog} WHERE seq > ? ORDER BY seq LIMIT ?`).raw();
    this.rebuild();
  }

  /** Notes a write through this connection (it does not move data_version). */
  markChanged(): void {
    this.pending = true;
  }

  /** Applies up to one slice of pending changes; true when the target now reflects every committed change. */
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
    const batch = this.changes.all(this.lastSeq, this.slice) as [number, number][];
    const done = new Set<number>();
    for (const [seq, pk] of batch) {
      this.lastSeq = seq;
      if (!done.has(pk)) this.target.apply(pk);
      done.add(pk);
    }
    this.pending = batch.length === this.slice;
    return !this.pending;
  }

  /** Applies every pending change. */
  catchUpAll(): void {
    while (!this.catchUp());
  }

  private rebuild(): void {
    this.db.transaction(() => {
      const { hi } = this.bounds.get() as { hi: number | null };
      this.lastSeq = hi ?? 0;
      this.target.rebuild();
    })();
    this.pending = false;
  }
}

/** Keeps a change log bounded (the newest `keep` entries); a follower further behind rebuilds. */
export function pruneChangeLog(db: Database.Database, changeLog: string, keep = 100_000): void {
  db.prepare(`DELETE FROM ${changeLog} WHERE seq <= (SELECT max(seq) FROM ${changeLog}) - ?`).run(keep);
}
